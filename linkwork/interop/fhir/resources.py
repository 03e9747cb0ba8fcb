"""Referrals as FHIR: the ServiceRequest, its Task (the Gravity SDOHCC closed loop), the
connections' Tasks `partOf` it, and the minimal Patient the message back carries.

Everything is derived on read from the referral, its history and its connections, so
what a GP system sees is what the link worker did, never a second copy kept in step.
"""

import datetime as dt
import uuid

from linkwork.interop.fhir import codes
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, Referral

PRIORITY_OUT = {"routine": "routine", "soon": "urgent", "urgent": "asap"}
PRIORITY_IN = {"routine": "routine", "urgent": "soon", "asap": "urgent", "stat": "urgent"}


def instant(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def ref(kind: str, id_: object, display: str = "") -> dict:
    reference = {"reference": f"{kind}/{id_}"}
    if display:
        reference["display"] = display
    return reference


def patient_ref(referral: Referral) -> dict:
    return ref("Patient", referral.person.uuid)


def _organisation_ref(organisation) -> dict | None:
    return ref("Organization", organisation.uuid, organisation.name) if organisation else None


def need_concepts(referral: Referral) -> list[dict]:
    return [
        {"coding": [{"system": codes.NEED, "code": term.code, "display": term.name}]}
        for term in sorted(referral.reasons.all(), key=lambda term: term.code)
    ]


def received_request(referral: Referral):
    try:
        return referral.fhir_request
    except Exception:  # RelatedObjectDoesNotExist: made on a page or through /api/v1
        return None


def last_updated(referral: Referral) -> dt.datetime:
    times = [referral.received_at]
    times += [event.at for event in referral.events.all()]
    times += [c.updated_at for c in referral.connections.all()]
    request = received_request(referral)
    if request and request.revoked_at:
        times.append(request.revoked_at)
    return max(times)


def _previous(history, status: str) -> str:
    """The state before the latest move into `status` (empty for the first)."""
    for event in sorted(history, key=lambda e: (e.at, e.pk), reverse=True):
        if event.to_status == status:
            return event.from_status
    return ""


def service_request_status(referral: Referral) -> str:
    request = received_request(referral)
    if (request and request.revoked_at) or referral.status in t.TURNED_AWAY:
        return "revoked"
    return "completed" if referral.status == t.CLOSED else "active"


def service_request(referral: Referral) -> dict:
    identifiers = [{"system": codes.REFERRAL_ID, "value": str(referral.uuid)}]
    request = received_request(referral)
    if request:
        identifiers.append({"system": request.identifier_system, "value": request.identifier_value})
    resource = {
        "resourceType": "ServiceRequest",
        "id": str(referral.uuid),
        "meta": {"lastUpdated": instant(last_updated(referral))},
        "identifier": identifiers,
        "status": service_request_status(referral),
        "intent": "order",
        "code": {
            "coding": [
                {
                    "system": codes.SNOMED,
                    "code": codes.SNOMED_REFERRED,
                    "display": codes.snomed_terms()[codes.SNOMED_REFERRED],
                }
            ]
        },
        "priority": PRIORITY_OUT.get(referral.urgency, "routine"),
        "subject": patient_ref(referral),
        "authoredOn": instant(referral.received_at),
        "performer": [_organisation_ref(referral.service)],
        "reasonCode": need_concepts(referral),
    }
    requester = _organisation_ref(referral.referrer_organisation)
    if requester:
        resource["requester"] = requester
    return resource


def referral_task_status(referral: Referral) -> str:
    request = received_request(referral)
    if request and request.revoked_at:
        return codes.task_status("referral", "revoked")
    previous = _previous(referral.events.all(), referral.status)
    return codes.task_status("referral", referral.status, previous)


def _business_status(state: str) -> dict:
    return {
        "coding": [{"system": codes.STATE, "code": state}],
        "text": state.replace("_", " "),
    }


def referral_task(referral: Referral) -> dict:
    status = referral_task_status(referral)
    task = {
        "resourceType": "Task",
        "id": str(referral.uuid),
        "meta": {"lastUpdated": instant(last_updated(referral))},
        "identifier": [{"system": codes.REFERRAL_ID, "value": str(referral.uuid)}],
        "status": status,
        "businessStatus": _business_status(referral.status),
        "intent": "order",
        "code": {"coding": [{"system": codes.TASK_CODE, "code": "fulfill"}]},
        "focus": ref("ServiceRequest", referral.uuid),
        "for": patient_ref(referral),
        "authoredOn": instant(referral.received_at),
        "lastModified": instant(last_updated(referral)),
        "owner": _organisation_ref(referral.service),
    }
    requester = _organisation_ref(referral.referrer_organisation)
    if requester:
        task["requester"] = requester
    if status in ("rejected", "cancelled") and referral.reason:
        task["statusReason"] = {"text": referral.reason}
    elif status == "cancelled":
        task["statusReason"] = {"text": "Withdrawn by the referrer."}
    if referral.status == t.CLOSED:
        task["output"] = [
            {
                "type": {"coding": [{"system": codes.SDOHCC, "code": "resulting-activity"}]},
                "valueReference": ref(
                    "Bundle", closure_bundle_id(referral), "The message back to the GP record"
                ),
            }
        ]
    return task


def shown_connections(referral: Referral) -> list[Connection]:
    """Connections the group heard of (never the ones only proposed, or withdrawn unsent)."""
    return [c for c in referral.connections.all() if c.status not in t.NEVER_SENT]


def connection_task_id(connection: Connection) -> str:
    return f"connection-{connection.pk}"


def connection_task(connection: Connection, referral: Referral) -> dict:
    previous = _previous(connection.events.all(), connection.status)
    status = codes.task_status("connection", connection.status, previous)
    task = {
        "resourceType": "Task",
        "id": connection_task_id(connection),
        "meta": {"lastUpdated": instant(connection.updated_at)},
        "status": status,
        "businessStatus": _business_status(connection.status),
        "intent": "order",
        "code": {"coding": [{"system": codes.TASK_CODE, "code": "fulfill"}]},
        "partOf": [ref("Task", referral.uuid)],
        "focus": ref("ServiceRequest", referral.uuid),
        "for": patient_ref(referral),
        "authoredOn": instant(connection.created_at),
        "lastModified": instant(connection.updated_at),
        "owner": ref("HealthcareService", connection.asset.uuid, connection.asset.name),
    }
    if status in ("rejected", "cancelled", "failed") and connection.reason:
        task["statusReason"] = {"text": connection.reason}
    return task


def closure_bundle_id(referral: Referral) -> str:
    return f"closure-{referral.uuid}"


def stable_uuid(referral: Referral, name: str) -> str:
    """The same id each time the message back is built (a receiver can de-duplicate)."""
    return str(uuid.uuid5(referral.uuid, name))

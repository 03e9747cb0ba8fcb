"""The message back to the GP record (PRSB social prescribing shape): a `document`
Bundle built from the ended referral: the SNOMED code to file (referred, or declined),
the closing summary, connections made, needs not met, and outcome scores as
Observations.

Outcome measures use Linkwork's own code system (`urn:linkwork:codesystem:outcome-
measure`): no LOINC or SNOMED code for SWEMWBS, ONS4 or UCLA-3 could be confirmed for
this project (see data/README.md); a receiver maps them once, from this table.
"""

import html

from linkwork.interop.fhir import codes
from linkwork.interop.fhir.resources import (
    connection_task,
    instant,
    patient_ref,
    ref,
    referral_task,
    service_request,
    shown_connections,
    stable_uuid,
)
from linkwork.outcomes.instruments import all_instruments
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Referral

COMPOSITION_TYPE = {
    "system": codes.MESSAGE,
    "code": "social-prescribing-message-back",
    "display": "Social prescribing: message back to the GP record",
}


def _narrative(*paragraphs: str) -> dict:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p) or "<p>None.</p>"
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'}


def patient(referral: Referral) -> dict:
    """The minimum a GP system needs to file the message: who it is about."""
    person = referral.person
    resource = {
        "resourceType": "Patient",
        "id": str(person.uuid),
        "name": [{"use": "official", "family": person.family_name, "given": [person.given_name]}],
        "birthDate": person.birth_date.isoformat(),
    }
    if person.nhs_number:
        resource["identifier"] = [{"system": codes.NHS_NUMBER, "value": person.nhs_number}]
    return resource


def _coded_record(referral: Referral) -> dict:
    """What the GP record files: the referral (a procedure) or that it was declined."""
    code = codes.SNOMED_DECLINED if referral.status == t.DECLINED else codes.SNOMED_REFERRED
    coding = {"system": codes.SNOMED, "code": code, "display": codes.snomed_terms()[code]}
    if code == codes.SNOMED_DECLINED:
        return {
            "resourceType": "Observation",
            "id": stable_uuid(referral, "declined"),
            "status": "final",
            "code": {"coding": [coding]},
            "subject": patient_ref(referral),
            "effectiveDateTime": instant(_ended_at(referral)),
        }
    return {
        "resourceType": "Procedure",
        "id": stable_uuid(referral, "referred"),
        "status": "completed",
        "code": {"coding": [coding]},
        "subject": patient_ref(referral),
        "performedDateTime": instant(referral.received_at),
        "basedOn": [ref("ServiceRequest", referral.uuid)],
    }


def _ended_at(referral: Referral):
    ended = [e.at for e in referral.events.all() if e.to_status == referral.status]
    return referral.closed_at or (max(ended) if ended else referral.received_at)


def _unmet_needs(referral: Referral) -> list[dict]:
    return [
        {
            "resourceType": "Observation",
            "id": stable_uuid(referral, f"unmet-{need.pk}"),
            "status": "final",
            "code": {
                "coding": [
                    {
                        "system": codes.MESSAGE,
                        "code": "unmet-need",
                        "display": "Need not met by local provision",
                    }
                ]
            },
            "subject": patient_ref(referral),
            "effectiveDateTime": instant(need.recorded_at),
            "valueCodeableConcept": {
                "coding": [
                    {
                        "system": codes.NEED,
                        "code": need.category.code,
                        "display": need.category.name,
                    }
                ],
            },
            "note": [{"text": need.get_reason_display()}],
        }
        for need in referral.unmet_needs.all()
    ]


def _scores(referral: Referral) -> list[dict]:
    instruments = all_instruments()
    observations = []
    for response in referral.outcome_responses.filter(complete=True).order_by("completed_on", "pk"):
        instrument = instruments.get(response.instrument)
        if instrument is None:
            continue
        for measure in instrument.measures:
            found = (response.measures or {}).get(measure.key)
            if not found or found.get("score") is None:
                continue
            code = (
                f"{instrument.code}"
                if measure.key == instrument.code
                else (f"{instrument.code}.{measure.key}")
            )
            observation = {
                "resourceType": "Observation",
                "id": stable_uuid(referral, f"score-{response.pk}-{measure.key}"),
                "status": "final",
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                "code": "survey",
                            }
                        ]
                    }
                ],
                "code": {
                    "coding": [
                        {
                            "system": codes.MEASURE,
                            "code": code,
                            "display": f"{instrument.short_name}: {measure.label}",
                        }
                    ],
                    "text": f"{instrument.short_name}: {measure.label}",
                },
                "subject": patient_ref(referral),
                "effectiveDateTime": response.completed_on.isoformat(),
                "valueQuantity": {"value": float(found["score"]), "unit": "score"},
                "note": [{"text": f"Timepoint: {response.get_timepoint_display()}"}],
            }
            if found.get("band"):
                observation["interpretation"] = [{"text": str(found["band"])}]
            observations.append(observation)
    return observations


def closure_bundle(referral: Referral, *, base: str) -> dict:
    """The message back, for an ended referral (callers check it has ended)."""
    record = _coded_record(referral)
    connections = shown_connections(referral)
    connection_tasks = [connection_task(c, referral) for c in connections]
    unmet = _unmet_needs(referral)
    scores = _scores(referral)
    subject = patient(referral)
    summary = referral.closure_summary or referral.reason
    made = [f"{c.asset.name}: {c.status.replace('_', ' ')}" for c in connections]
    sections = [
        {
            "title": "Referral outcome",
            "code": {"coding": [record["code"]["coding"][0]]},
            "text": _narrative(
                f"{record['code']['coding'][0]['display']} "
                f"({record['code']['coding'][0]['code']}).",
                f"Linkwork state: {referral.status.replace('_', ' ')}.",
            ),
            "entry": [{"reference": f"urn:uuid:{record['id']}"}],
        },
        {"title": "Summary", "text": _narrative(summary)},
        {
            "title": "Connections made",
            "text": _narrative(*made),
            "entry": [ref("Task", task["id"]) for task in connection_tasks],
        },
        {
            "title": "Needs not met",
            "text": _narrative(
                *[
                    f"{o['valueCodeableConcept']['coding'][0]['display']}: {o['note'][0]['text']}"
                    for o in unmet
                ]
            ),
            "entry": [{"reference": f"urn:uuid:{o['id']}"} for o in unmet],
        },
        {
            "title": "Outcome scores",
            "text": _narrative(
                *[
                    f"{o['code']['text']}: {o['valueQuantity']['value']:g} "
                    f"({o['effectiveDateTime']})"
                    for o in scores
                ]
            ),
            "entry": [{"reference": f"urn:uuid:{o['id']}"} for o in scores],
        },
    ]
    for section in sections:
        if not section.get("entry"):
            section.pop("entry", None)
            section["emptyReason"] = (
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/list-empty-reason",
                            "code": "nilknown",
                        }
                    ]
                }
                if section["title"] != "Summary"
                else None
            )
            if section["emptyReason"] is None:
                section.pop("emptyReason")
    composition_id = stable_uuid(referral, "composition")
    composition = {
        "resourceType": "Composition",
        "id": composition_id,
        "status": "final",
        "type": {"coding": [COMPOSITION_TYPE]},
        "subject": patient_ref(referral),
        "date": instant(_ended_at(referral)),
        "author": [ref("Organization", referral.service.uuid, referral.service.name)],
        "title": "Social prescribing: message back to the GP record",
        "section": sections,
    }
    entries = [
        {"fullUrl": f"urn:uuid:{composition_id}", "resource": composition},
        {"fullUrl": f"{base}/Patient/{subject['id']}", "resource": subject},
        {"fullUrl": f"urn:uuid:{record['id']}", "resource": record},
        {
            "fullUrl": f"{base}/ServiceRequest/{referral.uuid}",
            "resource": service_request(referral),
        },
        {"fullUrl": f"{base}/Task/{referral.uuid}", "resource": referral_task(referral)},
    ]
    entries += [
        {"fullUrl": f"{base}/Task/{task['id']}", "resource": task} for task in connection_tasks
    ]
    entries += [{"fullUrl": f"urn:uuid:{o['id']}", "resource": o} for o in unmet + scores]
    return {
        "resourceType": "Bundle",
        "id": f"closure-{referral.uuid}",
        "identifier": {
            "system": "urn:ietf:rfc:3986",
            "value": f"urn:uuid:{stable_uuid(referral, 'message-' + referral.status)}",
        },
        "type": "document",
        "timestamp": instant(_ended_at(referral)),
        "entry": entries,
    }

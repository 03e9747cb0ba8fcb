"""BaRS-shaped messages: POST /fhir/$process-message with a `message` Bundle whose
MessageHeader event is servicerequest-request. Reason `new` refers exactly as a
ServiceRequest does (intake.py); `update` with the ServiceRequest revoked withdraws the
referral while it is not yet being worked."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from linkwork.audit.services import record_event
from linkwork.interop.fhir import codes
from linkwork.interop.fhir.errors import FhirError, Issue, invalid
from linkwork.interop.fhir.http import Caller
from linkwork.interop.fhir.intake import (
    BUNDLE_TYPES,
    Outcome,
    _identifier,
    _receive,
    bundle_resources,
)
from linkwork.interop.fhir.models import ReceivedRequest
from linkwork.interop.fhir.validation import parse
from linkwork.referrals import services
from linkwork.referrals import transitions as t


@dataclass
class MessageResult:
    header: dict
    outcome: Outcome


def process_message(*, bundle: Any, caller: Caller) -> MessageResult:
    """POST /fhir/$process-message: a `message` Bundle whose MessageHeader event is
    servicerequest-request; reason `new` refers, `update` with a revoked ServiceRequest
    withdraws the referral."""
    parse(bundle, expected="Bundle")
    if bundle.get("type") != "message":
        raise invalid("Bundle.type", "$process-message takes a message Bundle.", status=400)
    entries = bundle.get("entry") or []
    header = (entries[0].get("resource") if entries else None) or {}
    if header.get("resourceType") != "MessageHeader":
        raise invalid(
            "Bundle.entry[0].resource",
            "A message starts with its MessageHeader.",
            status=400,
            code="structure",
        )
    parse(header, expected="MessageHeader", at="MessageHeader")
    event = (header.get("eventCoding") or {}).get("code")
    if event != codes.BARS_EVENT_REQUEST:
        raise invalid(
            "MessageHeader.eventCoding",
            f"Only the {codes.BARS_EVENT_REQUEST} event is supported.",
            code="not-supported",
        )
    reason = next((c.get("code") for c in (header.get("reason") or {}).get("coding") or []), "new")
    rest = {**bundle, "entry": entries[1:]}
    service_request, resources, _ = bundle_resources(rest, allowed=BUNDLE_TYPES, prefix="Bundle")
    if reason == "new":
        return MessageResult(
            header, _receive(service_request, resources, caller=caller, via="message")
        )
    if reason == "update":
        return MessageResult(header, revoke(service_request=service_request, caller=caller))
    raise invalid("MessageHeader.reason", "The reason is new or update.", code="code-invalid")


def revoke(*, service_request: dict, caller: Caller) -> Outcome:
    """An update whose ServiceRequest is revoked: the referrer withdraws the referral
    (declined, with the reason). Other updates are not supported."""
    parse(service_request, expected="ServiceRequest")
    if service_request.get("status") != "revoked":
        raise invalid(
            "ServiceRequest.status",
            "Only revoking (status revoked) is supported in an update.",
            code="not-supported",
        )
    identifier = _identifier(service_request)
    received = (
        ReceivedRequest.objects.select_for_update()
        .filter(
            organisation=caller.organisation,
            identifier_system=identifier[0],
            identifier_value=identifier[1],
        )
        .select_related("referral")
        .first()
    )
    if received is None:
        raise FhirError(
            404,
            [
                Issue(
                    "not-found",
                    "No referral of yours has this identifier.",
                    "ServiceRequest.identifier",
                )
            ],
        )
    referral = received.referral
    if received.revoked_at is not None:
        return Outcome(referral, created=False)
    if referral.status not in (t.RECEIVED, t.ACCEPTED):
        raise FhirError(
            409,
            [
                Issue(
                    "conflict",
                    f"The referral is {referral.status}: it can no longer be withdrawn.",
                    "ServiceRequest.status",
                )
            ],
        )
    with transaction.atomic():
        received.revoked_at = timezone.now()
        received.save(update_fields=["revoked_at"])
        services.transition_referral(
            referral=referral,
            to=t.DECLINED,
            reason="Withdrawn by the referrer (ServiceRequest revoked).",
            by=caller.user,
        )
        record_event(
            by=caller.user,
            action="fhir_service_request_revoked",
            object_type="referral",
            object_id=referral.pk,
            summary=caller.label,
        )
    referral.refresh_from_db()
    return Outcome(referral, created=False)

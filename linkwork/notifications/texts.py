"""Text messages through GOV.UK Notify: each one sent by a template id with named
placeholders, recorded as a `TextMessage`, and moved on by Notify's delivery receipts.

What a text may carry: the person's first name and what the message is for (a short
link, the service's name, a date). Nothing else about them, so a text read by someone
else tells them little. Neither the words nor the number are kept or logged: the
record says which kind of text went, about whom, and what became of it.

Templates: `NOTIFY_SMS_TEMPLATES` may give a kind its own template (placeholders in
`PLACEHOLDERS`); every other kind uses `NOTIFY_SMS_TEMPLATE_ID`, whose text is
((body)). Every text also gets ((body)), the whole message, so either template works.
"""

import datetime as dt
import logging
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from linkwork.errors import InvalidInput
from linkwork.notifications.adapters import current_sms_adapter
from linkwork.notifications.models import (
    FINAL_TEXT_STATUSES,
    TextKind,
    TextMessage,
    TextStatus,
)

logger = logging.getLogger(__name__)

# The placeholders each kind fills beside ((body)); nothing personal but a first name.
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    TextKind.FEEDBACK_LINK: ("first_name", "service", "link", "expires"),
    TextKind.QUESTIONNAIRE_LINK: ("first_name", "service", "link", "expires"),
    TextKind.PRESCRIPTION: ("first_name",),
    TextKind.SESSION_REMINDER: ("first_name", "activity", "when", "where"),
    TextKind.NOTICE: (),
}

# Notify's statuses of a text message, as Linkwork records them ("pending": the phone
# network has not said yet; "sent": abroad, where no receipt follows).
RECEIPT_STATUSES = {
    "created": TextStatus.CREATED,
    "sending": TextStatus.SENDING,
    "pending": TextStatus.SENDING,
    "sent": TextStatus.SENDING,
    "delivered": TextStatus.DELIVERED,
    "permanent-failure": TextStatus.PERMANENT_FAILURE,
    "temporary-failure": TextStatus.TEMPORARY_FAILURE,
    "technical-failure": TextStatus.TECHNICAL_FAILURE,
}


def short_token() -> str:
    """The token of a link sent by text: shorter than an email's, still unguessable."""
    return secrets.token_urlsafe(settings.SHORT_LINK_BYTES)


def template_for(kind: str) -> str:
    return settings.NOTIFY_SMS_TEMPLATES.get(kind) or settings.NOTIFY_SMS_TEMPLATE_ID


def send_text(
    *,
    kind: str,
    to: str,
    body: str,
    fields: dict[str, str] | None = None,
    referral: models.Model | None = None,
    person: models.Model | None = None,
    user: AbstractBaseUser | None = None,
) -> TextMessage | None:
    """Send one text message of `kind` and record it; None where texts are not set up.
    A message Notify refuses is recorded as a failure rather than undoing what sent it,
    as closing a referral: a refused number as a permanent failure (the case page warns
    to check it), anything else as a technical failure."""
    adapter = current_sms_adapter()
    if adapter is None:
        return None
    fields = dict(fields or {})
    unexpected = set(fields) - set(PLACEHOLDERS[kind])
    if unexpected:
        raise ValueError(f"A {kind} text has no placeholder {sorted(unexpected)}")
    message = TextMessage.objects.create(kind=kind, referral=referral, person=person, user=user)
    try:
        notification_id = adapter.send_sms(
            to=to,
            template_id=template_for(kind),
            personalisation={**fields, "body": body},
            reference=str(message.reference),
        )
    except Exception as error:  # Notify refused it or could not be reached
        # The status code only: Notify's message can quote what was sent.
        logger.warning(
            "Text message %s (%s) not accepted by Notify: %s",
            message.pk,
            kind,
            getattr(error, "status_code", type(error).__name__),
        )
        message.status = (
            TextStatus.PERMANENT_FAILURE if _refused_number(error) else TextStatus.TECHNICAL_FAILURE
        )
        message.save(update_fields=["status", "status_updated_at"])
        return message
    message.notification_id = notification_id
    message.save(update_fields=["notification_id", "status_updated_at"])
    logger.info("Sent text message %s (%s)", message.pk, kind)  # never the number
    return message


def send_link_text(*, kind: str, referral: models.Model, link: str, until: str, words: str):
    """A one-use link by text to the person a referral is about. `words` names
    {first_name}, {service}, {link} and {until}: the first name is all a text says of
    them, so one read over someone's shoulder tells little."""
    first_name, service = referral.person.given_name, referral.service.name
    return send_text(
        kind=kind,
        to=referral.person.phone,
        body=str(words).format(first_name=first_name, service=service, link=link, until=until),
        fields={"first_name": first_name, "service": service, "link": link, "expires": until},
        referral=referral,
        person=referral.person,
    )


def _refused_number(error: Exception) -> bool:
    """Notify refused the number itself ("phone_number Not a UK mobile number"): as
    good as a permanent failure, and the link worker should check the number."""
    return getattr(error, "status_code", None) == 400 and "phone_number" in str(
        getattr(error, "message", "")
    )


def _when(value: object) -> dt.datetime | None:
    parsed = parse_datetime(value) if isinstance(value, str) and value else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)  # Notify's times are UTC
    return parsed


@transaction.atomic
def record_receipt(*, receipt: dict) -> TextMessage | None:
    """Move a text message on by Notify's delivery receipt (found by Notify's id, else
    our reference). Idempotent: the same receipt twice changes nothing more, and a
    final status (delivered, a failure) is never replaced by an earlier one arriving
    late. None for a message Linkwork did not send (the receipt is ignored)."""
    status = RECEIPT_STATUSES.get(str(receipt.get("status", "")))
    if status is None:
        raise InvalidInput({"status": "Not a status of a text message."})
    notification_id, reference = _uuid(receipt.get("id")), _uuid(receipt.get("reference"))
    messages, message = TextMessage.objects.select_for_update(), None
    if notification_id:
        message = messages.filter(notification_id=notification_id).first()
    if message is None and reference:
        message = messages.filter(reference=reference).first()
    if message is None:
        return None
    if message.status in FINAL_TEXT_STATUSES and status not in FINAL_TEXT_STATUSES:
        return message
    message.status = status
    message.notification_id = message.notification_id or notification_id
    message.sent_at = _when(receipt.get("sent_at")) or message.sent_at
    message.completed_at = _when(receipt.get("completed_at")) or message.completed_at
    message.save()
    return message


def _uuid(value: object) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def undelivered_texts(messages: list[TextMessage]) -> list[TextMessage]:
    """Of a case's texts (newest first), those that could not be delivered to the
    number (a permanent failure) and were not followed by a delivered text of the same
    kind: what the link worker should check."""
    delivered_kinds: set[str] = set()
    failed: list[TextMessage] = []
    for message in messages:
        if message.status == TextStatus.DELIVERED:
            delivered_kinds.add(message.kind)
        elif (
            message.failed_for_good
            and message.kind not in delivered_kinds
            and all(f.kind != message.kind for f in failed)
        ):
            failed.append(message)
    return failed

"""Digests: the messages a person chose to hear about daily or weekly, as one message.

`send_digests` (the `linkwork send-digests` command, run from cron as often as liked)
sends each person at most one daily digest per day and one weekly digest per ISO week
(Europe/London), as one message holding both when both are due. A `Digest` row per
person, frequency and period is written in the same transaction as the send, under a
unique constraint: a second run, or two at once, can never send a period's digest twice.
A message held after its period's digest went out waits for the next period.
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from linkwork.accounts.models import User
from linkwork.audit.services import record_event
from linkwork.notifications.models import Channel, Digest, Frequency, HeldMessage
from linkwork.notifications.services import send_now

logger = logging.getLogger(__name__)
DIGEST_FREQUENCIES = (Frequency.DAILY, Frequency.WEEKLY)


@dataclass
class DigestReport:
    digests: int = 0  # messages sent (one per person)
    messages: int = 0  # held messages they carried


def period_of(frequency: str, when: dt.datetime) -> str:
    """The period a digest belongs to: the local date, or the local ISO week."""
    local = timezone.localtime(when).date()
    if frequency == Frequency.DAILY:
        return local.isoformat()
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"


def _compose(held: list[HeldMessage]) -> tuple[str, str]:
    count = len(held)
    subject = f"Your {settings.SERVICE_NAME} digest: {count} update{'s' if count != 1 else ''}"
    by_kind: dict[str, list[HeldMessage]] = defaultdict(list)
    for message in held:
        by_kind[message.get_kind_display()].append(message)
    parts = []
    for label, messages in by_kind.items():
        lines = "\n".join(f"- {m.subject}: {m.body}" for m in messages)
        parts.append(f"{label}\n{lines}")
    footer = (
        f"Sign in to {settings.SERVICE_NAME} to act on these. You can change how often you "
        f"hear from us: {settings.SITE_URL.rstrip('/')}/me/notifications/"
    )
    return subject, "\n\n".join(parts) + "\n\n" + footer


def _send_one(user: User, now: dt.datetime) -> tuple[int, int]:
    """One person's due digest: (digests sent 0 or 1, messages carried)."""
    with transaction.atomic():
        held = list(
            HeldMessage.objects.select_for_update()
            .filter(user=user, digest=None, frequency__in=DIGEST_FREQUENCIES)
            .order_by("created_at", "pk")
        )
        carried: list[HeldMessage] = []
        for frequency in DIGEST_FREQUENCIES:
            due = [m for m in held if m.frequency == frequency]
            if not due:
                continue
            channel = Channel.SMS if all(m.channel == Channel.SMS for m in due) else Channel.EMAIL
            try:
                with transaction.atomic():  # a period already sent: skip it, keep the rest
                    digest = Digest.objects.create(
                        user=user,
                        frequency=frequency,
                        period=period_of(frequency, now),
                        channel=channel,
                        message_count=len(due),
                    )
            except IntegrityError:
                continue
            HeldMessage.objects.filter(pk__in=[m.pk for m in due]).update(digest=digest)
            carried += due
        if not carried:
            return 0, 0
        subject, body = _compose(carried)
        channel = Channel.SMS if all(m.channel == Channel.SMS for m in carried) else Channel.EMAIL
        if channel == Channel.SMS:
            body = f"{len(carried)} updates are waiting for you. Sign in to read them."
        # Sent inside the transaction: if sending fails, the digest is not marked sent.
        send_now(user=user, channel=channel, subject=subject, body=body)
        record_event(
            by=None,
            action="digest_sent",
            object_type="user",
            object_id=user.pk,
            summary=f"messages={len(carried)}",
        )
    return 1, len(carried)


def send_digests(*, now: dt.datetime | None = None) -> DigestReport:
    """Send every person their due digest, one message each, at most once a period."""
    now = now or timezone.now()
    report = DigestReport()
    user_ids = (
        HeldMessage.objects.filter(digest=None, frequency__in=DIGEST_FREQUENCIES)
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user in User.objects.filter(pk__in=list(user_ids), is_active=True).order_by("pk"):
        sent, carried = _send_one(user, now)
        report.digests += sent
        report.messages += carried
    logger.info("Sent %d digest(s) carrying %d message(s)", report.digests, report.messages)
    return report

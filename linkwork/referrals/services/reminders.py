"""The response clock: groups reminded about unanswered referrals, then the link worker told."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.notifications.models import Kind
from linkwork.notifications.services import notify_organisation, site_link, tell
from linkwork.referrals import transitions as t
from linkwork.referrals.calendar import add_working_days
from linkwork.referrals.models import (
    Connection,
)
from linkwork.referrals.services._common import _audit

# --- The response clock --------------------------------------------------------------

# After the reminder, how long a group has before the link worker is told.
ESCALATE_AFTER_WORKING_DAYS = 5


@dataclass
class ConnectionReminderReport:
    reminded: int = 0
    escalated: int = 0


def send_connection_reminders(
    *, now: dt.datetime | None = None, by: AbstractBaseUser | None = None
) -> ConnectionReminderReport:
    """The response clock: a connection still `sent` after its response date reminds the
    group once; still unanswered five working days after that, its link worker is told
    once. Running it again sends nothing new. Messages carry no personal data."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = ConnectionReminderReport()
    due = Connection.objects.filter(
        status=t.SENT, response_due__lt=today, reminder_sent_at__isnull=True
    ).select_related("asset__organisation")
    for connection in due:
        report.reminded += _remind_group(connection, now=now, by=by)
    waiting = Connection.objects.filter(
        status=t.SENT, reminder_sent_at__isnull=False, escalated_at__isnull=True
    ).select_related("asset", "referral__assigned_to", "referral__service")
    for connection in waiting:
        reminded_on = timezone.localdate(connection.reminder_sent_at)
        if add_working_days(reminded_on, ESCALATE_AFTER_WORKING_DAYS) <= today:
            report.escalated += _escalate_to_link_worker(connection, now=now, by=by)
    return report


@transaction.atomic
def _remind_group(connection: Connection, *, now: dt.datetime, by) -> int:
    # The conditional update claims the reminder, so two runs at once send one.
    claimed = Connection.objects.filter(
        pk=connection.pk, status=t.SENT, reminder_sent_at__isnull=True
    ).update(reminder_sent_at=now)
    if not claimed:
        return 0
    asset = connection.asset
    if asset.organisation_id:
        notify_organisation(
            organisation=asset.organisation,
            kind=Kind.REMINDERS,
            subject="A referral is waiting for your answer",
            body=(
                f"A referral to {asset.name} is waiting for your answer. Sign in to accept "
                f"it, decline it or add it to your waiting list: {site_link('group-inbox')}"
            ),
        )
    _audit(by, "connection_reminder_sent", "connection", connection.pk)
    return 1


@transaction.atomic
def _escalate_to_link_worker(connection: Connection, *, now: dt.datetime, by) -> int:
    claimed = Connection.objects.filter(
        pk=connection.pk, status=t.SENT, escalated_at__isnull=True
    ).update(escalated_at=now)
    if not claimed:
        return 0
    referral = connection.referral
    subject = "A community group has not answered a referral"
    body = (
        f"{connection.asset.name} has not answered a connection for referral "
        f"{referral.reference}, even after a reminder. Follow it up: "
        f"{site_link('referral-detail', referral.pk)}"
    )
    worker = referral.assigned_to
    if worker is not None and worker.is_active:
        tell(users=[worker], kind=Kind.REMINDERS, subject=subject, body=body)
    else:
        notify_organisation(
            organisation=referral.service,
            role=Role.LINK_WORKER,
            kind=Kind.REMINDERS,
            subject=subject,
            body=body,
        )
    _audit(by, "connection_escalated", "connection", connection.pk)
    return 1

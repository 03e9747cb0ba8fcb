"""Freshness: listings falling due remind their owners and escalate when past due."""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.audit.services import record_event
from linkwork.directory.models import (
    Asset,
)
from linkwork.directory.selectors import assets_due_for_reminder, assets_past_due
from linkwork.notifications.models import Kind
from linkwork.notifications.services import notify_organisation, notify_role

# --- Freshness -----------------------------------------------------------------------


@dataclass
class ReminderReport:
    reminded: int = 0
    escalated: int = 0
    without_owner: int = 0


def send_reminders(*, now=None, by: AbstractBaseUser | None = None) -> ReminderReport:
    """Remind owners of listings falling due; escalate listings past due to reviewers.

    Each listing is reminded once per verification cycle and escalated once; verifying
    it resets both. Stale listings are marked in search results by their date alone.
    """

    now = now or timezone.now()
    report = ReminderReport()
    for asset in assets_due_for_reminder(now).select_related("organisation"):
        with transaction.atomic():
            sent = 0
            if asset.organisation_id is not None:
                sent = notify_organisation(
                    organisation=asset.organisation,
                    kind=Kind.LISTING_DUE,
                    subject="Is your Linkwork listing still right?",
                    body=(
                        f"Your listing \u201c{asset.name}\u201d is due to be checked. Sign in to "
                        "Linkwork and choose \u201cThis is still right\u201d, or update it."
                    ),
                )
            if sent:
                report.reminded += 1
            else:
                report.without_owner += 1
            Asset.objects.filter(pk=asset.pk).update(reminder_sent_at=now)
            record_event(
                by=by, action="asset_reminder_sent", object_type="asset", object_id=asset.pk
            )
    overdue = list(assets_past_due(now).values_list("pk", "name"))
    if overdue:
        with transaction.atomic():
            notify_role(
                role=Role.LINK_WORKER,
                kind=Kind.LISTING_DUE,
                subject=f"{len(overdue)} Linkwork listings are past due for checking",
                body="Listings past due are marked out of date in search. Sign in to review them.",
            )
            Asset.objects.filter(pk__in=[pk for pk, _ in overdue]).update(escalated_at=now)
            for pk, _ in overdue:
                record_event(by=by, action="asset_escalated", object_type="asset", object_id=pk)
        report.escalated = len(overdue)
    return report

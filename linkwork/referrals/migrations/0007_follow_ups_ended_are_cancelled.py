"""Reviews that closing, declining or returning a referral marked "done" were cancelled:
nobody did them. They become cancelled, with why, and are no longer done. Shared fields
were always chosen when the connection was proposed, by whoever proposed it."""

from django.db import migrations
from django.db.models import F

# The outcomes those transitions wrote (referrals/services.py, before cancellation).
ENDED = {
    "Closed with the referral.": "closed",
    "The referral was declined.": "declined",
    "The referral was returned.": "returned",
}


def forwards(apps, schema_editor):
    FollowUp = apps.get_model("referrals", "FollowUp")
    for outcome, reason in ENDED.items():
        FollowUp.objects.filter(completed_at__isnull=False, outcome=outcome).update(
            cancelled_at=F("completed_at"), cancelled_reason=reason, completed_at=None, outcome=""
        )
    Connection = apps.get_model("referrals", "Connection")
    Connection.objects.exclude(shared_fields=[]).filter(
        shared_fields_chosen_at__isnull=True
    ).update(shared_fields_chosen_by=F("created_by"), shared_fields_chosen_at=F("created_at"))


def backwards(apps, schema_editor):
    FollowUp = apps.get_model("referrals", "FollowUp")
    outcomes = {reason: outcome for outcome, reason in ENDED.items()}
    for reason, outcome in outcomes.items():
        FollowUp.objects.filter(cancelled_reason=reason).update(
            completed_at=F("cancelled_at"), outcome=outcome, cancelled_at=None, cancelled_reason=""
        )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0006_follow_up_cancelled_and_shared_contact")]

    operations = [migrations.RunPython(forwards, backwards)]

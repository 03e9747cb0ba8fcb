"""The person connected to an asset (the referral out to a group), what the group may be
told, and its history."""

from django.conf import settings
from django.db import models

from linkwork.referrals import transitions as t
from linkwork.referrals.models.referral import Referral

# What a group may be told in advance, if the person consents (DESIGN.md §4).
SHAREABLE_FIELDS = {
    "first_name": "First name",
    "phone": "Phone",
    "email": "Email",
    "contact_preference": "How they prefer to be contacted",
    "language": "Language and interpreter need",
    "access_needs": "Access needs",
    "accompanied": "Whether someone will come with them",
    "first_session": "Proposed first session",
    "background_needs": "Background for the group",
}

# A short note the link worker writes for the group ("anxious in crowds; prefers to sit
# near the door"): enough to welcome someone, never a diagnosis.
BACKGROUND_NEEDS_MAX_LENGTH = 500


class Connection(models.Model):
    """The person connected to an asset: the referral out to a group."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="connections")
    asset = models.ForeignKey(
        "directory.Asset", on_delete=models.PROTECT, related_name="connections"
    )
    status = models.CharField(
        max_length=16,
        choices=[(s, s.replace("_", " ").capitalize()) for s in t.CONNECTION_STATES],
        default=t.PROPOSED,
        db_index=True,
    )
    shared_fields = models.JSONField(default=list, blank=True)
    # Who chose what to share with the group, and when (within the referral's consent).
    shared_fields_chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_fields_chosen_at = models.DateTimeField(null=True, blank=True)
    background_needs = models.TextField(blank=True, max_length=BACKGROUND_NEEDS_MAX_LENGTH)
    accompanied = models.BooleanField(default=False)
    proposed_first_session = models.CharField(max_length=200, blank=True)
    # How the group is approached: in Linkwork, or by phone / their own form.
    instructions = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    response_due = models.DateField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    group_says_appropriate = models.BooleanField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # A text message the day before the first session, only when the person agreed:
    # who recorded their agreement and when, and when the reminder went.
    session_reminder_agreed_at = models.DateTimeField(null=True, blank=True)
    session_reminder_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    PERSONAL_DATA_FIELDS = ("background_needs", "proposed_first_session", "instructions", "reason")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["asset", "status"])]

    def __str__(self) -> str:
        return f"Connection {self.pk} ({self.status})"


class ConnectionEvent(models.Model):
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    PERSONAL_DATA_FIELDS = ("reason",)

    class Meta:
        ordering = ["at", "id"]
        # Insight counts people put on a waiting list in a period (a few per cent of events).
        indexes = [models.Index(fields=["to_status", "at"], name="connection_event_status_at")]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"

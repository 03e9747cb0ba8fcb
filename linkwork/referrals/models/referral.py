"""The referral to a social prescribing service, its history of status changes, and who the
service takes."""

import datetime as dt
import uuid
from types import SimpleNamespace

from django.conf import settings
from django.db import models

from linkwork.referrals import transitions as t
from linkwork.referrals.models.people import Person


class Source(models.TextChoices):
    GP = "gp", "GP"
    NURSE = "nurse", "Nurse"
    PHARMACY = "pharmacy", "Pharmacy"
    MENTAL_HEALTH = "mental_health", "Mental health service"
    SECONDARY_CARE = "secondary_care", "Hospital"
    SOCIAL_CARE = "social_care", "Social care"
    HOUSING = "housing", "Housing"
    VCFSE = "vcfse", "Voluntary or community organisation"
    SELF = "self", "Self-referral"
    OTHER = "other", "Other"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    SOON = "soon", "Soon"
    URGENT = "urgent", "Urgent"


class Referral(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    # The social prescribing service that receives it.
    service = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="referrals_received"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals_made",
    )
    referrer_organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals_made",
    )
    reasons = models.ManyToManyField("directory.TaxonomyTerm", related_name="referrals")
    urgency = models.CharField(max_length=8, choices=Urgency.choices, default=Urgency.ROUTINE)
    notes = models.TextField(blank=True)
    status = models.CharField(
        max_length=16,
        choices=[(s, s.replace("_", " ").capitalize()) for s in t.REFERRAL_STATES],
        default=t.RECEIVED,
        db_index=True,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caseload",
    )
    # Consent, with who recorded it and when.
    consent_to_refer = models.BooleanField()
    consent_share_with_groups = models.BooleanField(default=False)
    consent_contact_methods = models.CharField(max_length=64, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_recorded_at = models.DateTimeField()
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Rules of the service this referral breaks (age, area, practice), for triage.
    eligibility_flags = models.JSONField(default=list, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    first_contact_due = models.DateField()
    first_contacted_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)  # for decline / return
    closure_summary = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the referrer last opened the referral after it ended: an ending they have not
    # seen yet is on their home page.
    referrer_seen_end_at = models.DateTimeField(null=True, blank=True)
    # Guards against a double-submitted form creating two referrals.
    idempotency_key = models.CharField(max_length=64, blank=True, db_index=True)
    # The person's details exactly as this referral gave them, so that none is lost when
    # they differ from the stored record; a link worker may accept them into it.
    person_details = models.JSONField(default=dict, blank=True)
    details_reviewed_at = models.DateTimeField(null=True, blank=True)
    details_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    PERSONAL_DATA_FIELDS = ("notes", "person_details", "closure_summary", "reason")

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["service", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="referral_unique_idempotency_key",
            )
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} ({self.status})"

    @property
    def reference(self) -> str:
        """The reference people quote: the same in emails, on pages and in the API."""
        return str(self.uuid)[:8]

    @property
    def as_referred(self) -> SimpleNamespace:
        """Who the referrer said this is, as they said it: a referrer sees what they gave,
        never details another referral added to the person's record."""
        given = self.person_details or {}
        person = self.person
        birth_date = given.get("birth_date")
        return SimpleNamespace(
            given_name=given.get("given_name") or person.given_name,
            family_name=given.get("family_name") or person.family_name,
            birth_date=dt.date.fromisoformat(birth_date) if birth_date else person.birth_date,
            nhs_number=given.get("nhs_number", "") if given else person.nhs_number,
        )


class ReferralEvent(models.Model):
    """Each status change, timestamped and attributed (the history referrers see)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
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

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"


class ReferralCriteria(models.Model):
    """Who a social prescribing service takes; referrals outside are flagged at triage."""

    service = models.OneToOneField(
        "directory.Organisation", on_delete=models.CASCADE, related_name="referral_criteria"
    )
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    areas = models.ManyToManyField("places.Area", blank=True, related_name="+")
    registered_practices = models.ManyToManyField(
        "directory.Organisation", blank=True, related_name="+"
    )
    priority_groups = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "referral criteria"

    def __str__(self) -> str:
        return f"Referral criteria of {self.service}"

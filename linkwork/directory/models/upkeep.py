"""Keeping a listing true: claims by its organisation, reports from the public, capacity
changes and the service's notes."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from linkwork.directory.models.assets import Asset, CapacityStatus
from linkwork.directory.models.organisations import Organisation


class ListingClaim(models.Model):
    """Someone says they run a listing and asks to keep it up to date."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="claims")
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listing_claims"
    )
    role_in_group = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "claimant"],
                condition=models.Q(status="pending"),
                name="one_pending_claim_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"Claim of {self.asset_id} ({self.status})"


class ListingReport(models.Model):
    """A link worker's "this has closed / details are wrong", for the owner and reviewers."""

    class Problem(models.TextChoices):
        CLOSED = "closed", "It has closed"
        DETAILS_WRONG = "details_wrong", "Details are wrong"

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="reports")
    problem = models.CharField(max_length=16, choices=Problem.choices)
    details = models.TextField(blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Report on {self.asset_id}: {self.problem}"


class CapacityChange(models.Model):
    """One change of a listing's capacity, by hand or automatic, with its cause: the
    listing's capacity history, so nobody wonders why it went full."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="capacity_changes")
    at = models.DateTimeField(default=timezone.now)
    # Null for an automatic change, or someone since removed.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=16, choices=CapacityStatus.choices)
    to_status = models.CharField(max_length=16, choices=CapacityStatus.choices)
    from_places = models.PositiveIntegerField(null=True, blank=True)
    to_places = models.PositiveIntegerField(null=True, blank=True)
    # Never a person's name: groups and curators read this.
    cause = models.CharField(max_length=300)
    automatic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["asset", "-at"], name="capacity_change_asset_at")]

    def __str__(self) -> str:
        return f"Capacity of {self.asset_id}: {self.from_status} → {self.to_status}"

    @property
    def full_note(self) -> str:
        """What the group's page says when taking the last place made the listing full."""
        if not self.automatic or self.to_status != CapacityStatus.FULL:
            return ""
        return f"You are now full: {self.cause[:1].lower()}{self.cause[1:]}"


class ListingNote(models.Model):
    """What a social prescribing service's link workers know about a listing: a visit
    made, or who it suits or does not. Private to that service: never shown to the
    group, to residents or in the ORUK feed."""

    class Kind(models.TextChoices):
        VISIT = "visit", "Visit"
        NOTE = "note", "Note"

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="service_notes")
    # The service whose link workers wrote it and may read it.
    service = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField()
    visited_on = models.DateField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["service", "asset"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.asset_id}"

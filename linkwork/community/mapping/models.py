"""Citizen asset mapping: residents and panel members tell Linkwork about assets they
know (a bench group in the park, a café that welcomes people); each submission goes to
the review queue, and an accepted one becomes a listing crediting the submitter. A panel
can run a mapping walk for a neighbourhood and see what was added."""

from django.conf import settings
from django.db import models

# A photo is optional and small: kept in the database (no file storage to run), served
# only to reviewers and the person who sent it (it may show people or a home).
MAX_PHOTO_BYTES = 2 * 1024 * 1024


class MappingWalk(models.Model):
    neighbourhood = models.ForeignKey("places.Area", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    panel = models.ForeignKey(
        "community.Panel", null=True, blank=True, on_delete=models.SET_NULL, related_name="walks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    ACCEPTED = "accepted", "Accepted: now a listing"
    REJECTED = "rejected", "Not added"


class AssetSubmission(models.Model):
    name = models.CharField(max_length=200)
    description = models.TextField()
    # Where it is, in words ("the bench by the bowling green, Queen's Park").
    where = models.CharField(max_length=300)
    postcode = models.CharField(max_length=8, blank=True)
    activity = models.ForeignKey(
        "directory.TaxonomyTerm", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    neighbourhood = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    photo = models.BinaryField(null=True, blank=True, editable=False)
    photo_type = models.CharField(max_length=16, blank=True)
    # How the submitter would like to be credited ("Maureen from Tonge"); blank: not named.
    credit_name = models.CharField(max_length=100, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    walk = models.ForeignKey(
        MappingWalk, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    status = models.CharField(
        max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING
    )
    review_note = models.CharField(max_length=300, blank=True)
    asset = models.ForeignKey(
        "directory.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_DATA_FIELDS = ("photo", "credit_name")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

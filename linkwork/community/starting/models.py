"""From interest to a new group: a worker takes an emerging group through messaging the
people who asked (through Linkwork: nobody sees another's contact details), a first
meeting, who came, the new group's organisation and draft listing, and closing the
interests it answered (each person told)."""

from django.conf import settings
from django.db import models


class GroupStartStatus(models.TextChoices):
    GATHERING = "gathering", "Gathering interest"
    MEETING_PROPOSED = "meeting_proposed", "First meeting proposed"
    FOUNDED = "founded", "Group founded"
    CLOSED = "closed", "Closed"


class GroupStart(models.Model):
    activity = models.ForeignKey(
        "directory.TaxonomyTerm", on_delete=models.PROTECT, related_name="+"
    )
    # Null for a community of interest across the whole area.
    neighbourhood = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    community_of_interest = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=GroupStartStatus.choices, default=GroupStartStatus.GATHERING
    )
    # The first meeting, in words ("Tuesday 12 January, 10am, Tonge library").
    first_meeting = models.CharField(max_length=300, blank=True)
    # What it led to: the new group and its draft listing.
    organisation = models.ForeignKey(
        "directory.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asset = models.ForeignKey(
        "directory.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Starting {self.activity.name}"

    @property
    def is_finished(self) -> bool:
        """Founded or closed: nothing more to record on the path."""
        return self.status in (GroupStartStatus.FOUNDED, GroupStartStatus.CLOSED)


class GroupStartPerson(models.Model):
    """One interest in the start (a consented person, reached only through Linkwork)."""

    group_start = models.ForeignKey(GroupStart, on_delete=models.CASCADE, related_name="people")
    interest = models.ForeignKey("community.Interest", on_delete=models.CASCADE, related_name="+")
    messages_sent = models.PositiveIntegerField(default=0)
    # Whether they came to the first meeting (null: not recorded yet).
    attended = models.BooleanField(null=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group_start", "interest"], name="group_start_person_once"
            )
        ]

    def __str__(self) -> str:
        return f"Person {self.pk} in group start {self.group_start_id}"

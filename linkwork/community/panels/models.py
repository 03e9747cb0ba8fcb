"""Community panels and what they decide (DESIGN.md §3 "Panel decision").

A *panel* is an organisation of kind panel, with members (memberships with the panel
role) and the neighbourhoods or communities of interest it speaks for. It holds
*meetings*; a meeting agrees *priorities* and takes *decisions*. Each priority or
decision is linked to the *evidence* looked at: a snapshot of published figures (a gap
row, an emerging group, an evaluation figure, a funding round), copied when it was
looked at so the public log reads the same later, whatever the live figures do. The
snapshot names its source by kind and reference, never by foreign key: the funding
app's rounds, say, can change or go without changing what the panel saw.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Panel(models.Model):
    organisation = models.OneToOneField(
        "directory.Organisation", on_delete=models.PROTECT, related_name="panel"
    )
    # What the panel is for, in its own words (public).
    remit = models.TextField(blank=True)
    neighbourhoods = models.ManyToManyField(
        "places.Area",
        blank=True,
        related_name="panels",
        limit_choices_to={"area_type": "neighbourhood"},
    )
    # Communities of interest it speaks for ("women", "South Asian elders"), one a line.
    communities_of_interest = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def communities(self) -> list[str]:
        return [line.strip() for line in self.communities_of_interest.splitlines() if line.strip()]


class Meeting(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField()
    title = models.CharField(max_length=200)
    # Where it met ("Tonge library"), and a public summary of what was discussed.
    venue = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    # How many members took part (a number, not who).
    members_present = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%-d %B %Y})"


class PriorityStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    ACHIEVED = "achieved", "Achieved"
    DROPPED = "dropped", "Dropped"


class Priority(models.Model):
    """Something the panel wants to change, proposed by a member (often from an insight
    page, in one step) and agreed, or not, at a meeting."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="priorities")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    neighbourhood = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=PriorityStatus.choices, default=PriorityStatus.PROPOSED
    )
    # The meeting that agreed (or dropped) it; null while only proposed.
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="priorities"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.title

    @property
    def is_proposed(self) -> bool:
        """Still waiting for a meeting to agree or drop it."""
        return self.status == PriorityStatus.PROPOSED


class Decision(models.Model):
    """What a meeting decided, shown in the public decisions log with its evidence."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    title = models.CharField(max_length=200)
    # What was decided, and why, in words a resident can follow.
    decision = models.TextField()
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    # The neighbourhood it is about; null for the panel's whole area.
    neighbourhood = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meeting__held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class EvidenceKind(models.TextChoices):
    GAP = "gap", "A gap in provision"
    EMERGING_GROUP = "emerging_group", "An emerging group"
    EVALUATION = "evaluation", "An evaluation figure"
    FUNDING_ROUND = "funding_round", "A funding round"


class Evidence(models.Model):
    """A snapshot of published figures a panel looked at, attached to a priority or a
    decision. `figures` holds only what was published (counts through
    linkwork.disclosure: withheld ones are null and named in `suppressed`)."""

    kind = models.CharField(max_length=16, choices=EvidenceKind.choices)
    # What it was about, stable across time ("E05000650/need-loneliness", a round's id).
    reference = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    figures = models.JSONField(default=dict)
    suppressed = models.JSONField(default=list)
    # The evidence in words, as the source wrote it then (in English).
    summary = models.TextField(blank=True)
    # What the words are written from (names, codes, published counts), so a page writes
    # them again in its reader's language; empty for snapshots taken before it was kept.
    facts = models.JSONField(default=dict, blank=True)
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    captured_at = models.DateTimeField()

    class Meta:
        ordering = ["captured_at", "pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__isnull=False) | Q(decision__isnull=False),
                name="evidence_belongs_somewhere",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def words(self) -> str:
        """The summary in the reader's language (from `facts`; else as stored)."""
        # words.py imports insight, whose selectors import these models.
        from linkwork.community.panels.words import evidence_words

        return evidence_words(self)


class PanelMemberProfile(models.Model):
    """What a panel member chose to tell for the membership review (all optional), so a
    panel can "assess their degree of representation" against its area."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_profile"
    )
    age_band = models.CharField(max_length=8, blank=True)
    sex = models.CharField(max_length=8, blank=True)
    # The neighbourhood they live in (for the IMD of members' neighbourhoods).
    neighbourhood = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    PERSONAL_DATA_FIELDS = ("age_band", "sex", "neighbourhood")

    def __str__(self) -> str:
        return f"Panel profile of user {self.user_id}"

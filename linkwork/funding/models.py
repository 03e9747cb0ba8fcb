"""Funding: small-grant rounds decided with a community panel, and tariffs that pay a
group for each person who starts with it (micro-commissioning).

A *round* has a pot, priorities picked from the gap report (kept as they stood), its
own questions and a panel. Groups apply; panel members score (never seeing a person);
the funder decides within the pot, and each award becomes a community `Grant`, so the
ledger (/grants/) and the load view pick it up. A *tariff* turns people who started at
a group in a month into a *statement* the funder approves and pays.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for applications"
    SCORING = "scoring", "Being scored by the panel"
    DECIDED = "decided", "Decided"
    CLOSED = "closed", "Closed"


class SizeBand(models.TextChoices):
    """A group's size by yearly income (the bands funders commonly use)."""

    MICRO = "micro", "Micro: under £10,000 a year"
    SMALL = "small", "Small: £10,000 to £100,000 a year"
    MEDIUM = "medium", "Medium: £100,000 to £1 million a year"
    LARGE = "large", "Large: over £1 million a year"


class Round(models.Model):
    """A grant round: who funds it, the pot, the rules for applying and who decides."""

    funder = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="funding_rounds"
    )
    name = models.CharField(max_length=200)
    # Plain-language guidance shown to groups before they apply.
    guidance = models.TextField(blank=True)
    pot = models.DecimalField(max_digits=12, decimal_places=2)
    max_award = models.DecimalField(max_digits=10, decimal_places=2)
    opens = models.DateField()
    closes = models.DateField()
    status = models.CharField(
        max_length=8, choices=RoundStatus.choices, default=RoundStatus.DRAFT, db_index=True
    )
    # Who may apply. Empty lists mean anyone: areas are codes (places.Area), categories
    # taxonomy codes, size bands SizeBand values.
    areas = models.JSONField(default=list, blank=True)
    categories = models.JSONField(default=list, blank=True)
    size_bands = models.JSONField(default=list, blank=True)
    # Unconstituted groups may apply when a named holding organisation receives the money.
    unconstituted_allowed = models.BooleanField(default=True)
    # The round's own questions (3–6), in order; answers are keyed by the question text.
    questions = models.JSONField(default=list)
    # The community panel (an organisation whose members hold the panel role) that scores;
    # null: members of any panel may score.
    panel = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="panel_rounds",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(pot__gt=0), name="round_pot_positive"),
            models.CheckConstraint(
                condition=Q(max_award__gt=0) & Q(max_award__lte=models.F("pot")),
                name="round_max_award_within_pot",
            ),
            models.CheckConstraint(
                condition=Q(closes__gte=models.F("opens")), name="round_closes_after_opens"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RoundEvent(models.Model):
    """A round's history: each change of state, by whom and when."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=8, blank=True)
    to_status = models.CharField(max_length=8)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"


class Priority(models.Model):
    """One area × category row of the gap report, as it stood when the round was made:
    the evidence is a snapshot, so the published decision shows what was looked at."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="priorities")
    position = models.PositiveSmallIntegerField(default=0)
    area_code = models.CharField(max_length=32)
    area_name = models.CharField(max_length=200)
    category = models.CharField(max_length=64)
    category_name = models.CharField(max_length=200)
    # Published figures only (suppressed counts are null), as the gap report showed them.
    need = models.IntegerField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    evidence = models.TextField()
    snapshot_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "area_code", "category"], name="priority_once_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_name} in {self.area_name}"


class GroupSize(models.Model):
    """A group's size band, as it last told a funder (rounds and tariffs filter on it)."""

    organisation = models.OneToOneField(
        "directory.Organisation", on_delete=models.CASCADE, related_name="size"
    )
    size_band = models.CharField(max_length=8, choices=SizeBand.choices)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.size_band}"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft (not sent)"
    SUBMITTED = "submitted", "Submitted"
    AWARDED = "awarded", "Awarded"
    DECLINED = "declined", "Declined"


class Application(models.Model):
    """A group's application to a round: one per organisation per round."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="grant_applications"
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    purpose = models.TextField()
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    # {question text: answer}, for the round's questions.
    answers = models.JSONField(default=dict, blank=True)
    size_band = models.CharField(max_length=8, choices=SizeBand.choices, blank=True)
    # For an unconstituted group: the organisation that holds the money for it.
    holding_organisation = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The group's load, attached when it is submitted so no group has to count it:
    # people sent to it and people who started, published through linkwork.disclosure
    # (null = withheld, 1–7).
    load_referred = models.IntegerField(null=True, blank=True)
    load_started = models.IntegerField(null=True, blank=True)
    load_words = models.CharField(max_length=100, blank=True)
    # The funder's decision.
    decision_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The ledger row an award became.
    grant = models.OneToOneField(
        "community.Grant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="application_once_per_round"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="application_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"Application {self.pk}"

    @property
    def is_decided(self) -> bool:
        """Awarded or declined: the funder has recorded a decision."""
        return self.status in (ApplicationStatus.AWARDED, ApplicationStatus.DECLINED)


class ConflictOfInterest(models.Model):
    """A panel member declared an interest in an application: they may not score it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funding_conflicts"
    )
    reason = models.TextField(blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "member"], name="conflict_once_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"Conflict on application {self.application_id}"


class Score(models.Model):
    """One panel member's score of an application (0–5) against the round's criteria."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funding_scores"
    )
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "member"], name="score_once_per_member"),
            models.CheckConstraint(condition=Q(score__lte=5), name="score_zero_to_five"),
        ]

    def __str__(self) -> str:
        return f"Score {self.score} on application {self.application_id}"


class Payment(models.Model):
    """Money paid against an award (the funder's finance system takes these as CSV)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    reference = models.CharField(max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"£{self.amount} on {self.paid_on}"


class EndOfGrantReport(models.Model):
    """The only reporting asked of a group: what happened, and one story (told with the
    consent of anyone in it)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="report")
    what_happened = models.TextField()
    story = models.TextField(blank=True)
    story_consent = models.BooleanField(default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(story="") | Q(story_consent=True), name="story_only_with_consent"
            )
        ]

    def __str__(self) -> str:
        return f"Report on application {self.application_id}"


class Tariff(models.Model):
    """Funding that follows the person: £ `rate` for each person who starts at a group
    (their connection reaches attended_first), optionally only for some size bands,
    capped per group per quarter, from a pot."""

    funder = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="tariffs"
    )
    name = models.CharField(max_length=200)
    rate = models.DecimalField(max_digits=8, decimal_places=2)
    size_bands = models.JSONField(default=list, blank=True)
    cap_per_quarter = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    pot = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    starts = models.DateField()
    ends = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(rate__gt=0), name="tariff_rate_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class StatementStatus(models.TextChoices):
    DUE = "due", "Due (not yet approved)"
    APPROVED = "approved", "Approved"
    PAID = "paid", "Paid"


class Statement(models.Model):
    """What a tariff owes one group for one month. Recomputed while due; frozen once
    approved, so running the statements twice never pays twice."""

    tariff = models.ForeignKey(Tariff, on_delete=models.PROTECT, related_name="statements")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="tariff_statements"
    )
    month = models.DateField()  # the first day of the month
    people_started = models.PositiveIntegerField()
    # What the people started would earn, and what is due after the cap and the pot.
    uncapped_amount = models.DecimalField(max_digits=12, decimal_places=2)
    amount_due = models.DecimalField(max_digits=12, decimal_places=2)
    capped = models.BooleanField(default=False)
    status = models.CharField(
        max_length=8, choices=StatementStatus.choices, default=StatementStatus.DUE
    )
    computed_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-month", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tariff", "organisation", "month"], name="statement_once_per_month"
            )
        ]
        indexes = [models.Index(fields=["tariff", "month"])]

    def __str__(self) -> str:
        return f"Statement {self.month:%Y-%m} for {self.organisation_id}"

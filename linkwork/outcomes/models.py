"""Outcomes recorded on a referral: questionnaire responses, other outcomes (money,
volunteering, groups, healthcare use), the licensed wording a deployment imports, and the
one-use links people complete follow-up questionnaires through.

For the evaluation built on these (cohort statistics, exports):

- `Response` is one questionnaire at one timepoint. Use only `complete=True` rows for
  scores. `measures` holds every reported measure uniformly as
  `{measure_key: {"score": "21.54", "band": ""}}` (scores as strings of decimals): one key
  for SWEMWBS (`swemwbs`), UCLA-3 (`ucla3`), ONS loneliness (`ons_loneliness`) and goals
  (`goals`); four for ONS4 (`life_satisfaction`, `worthwhile`, `happiness`, `anxiety`).
  `raw`/`score`/`band` repeat the single-measure instruments' values in queryable
  columns (null for ONS4). Each measure's direction and change threshold are in
  `linkwork.outcomes.instruments` (`instrument(code).measure(key)`), and
  `linkwork.outcomes.scoring.classify_change` says improved / no change / worse.
- Baseline and closure happen once per referral and instrument (a complete one);
  follow-ups may repeat (6 and 12 weeks): "latest" is the last complete follow-up or
  closure by `completed_on`, then `recorded_at`. See `selectors.paired_scores`.
- `OtherOutcomes` is one row per referral; a null field was never recorded (not zero).
"""

from django.conf import settings
from django.db import models


class Timepoint(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    FOLLOW_UP = "follow_up", "Follow-up"
    CLOSURE = "closure", "Closure"


# Timepoints a referral has at most one complete response of, per instrument.
ONCE_ONLY = (Timepoint.BASELINE, Timepoint.CLOSURE)


class Response(models.Model):
    """One questionnaire answered at one timepoint, scored when complete."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="outcome_responses"
    )
    instrument = models.CharField(max_length=32, db_index=True)  # a code in instruments.py
    timepoint = models.CharField(max_length=16, choices=Timepoint.choices)
    # In item order; None for an item left unanswered (then complete is False).
    answers = models.JSONField(default=list)
    # The goal ladder's items: the plan's goals as they were worded when rated.
    goals = models.JSONField(default=list, blank=True)
    complete = models.BooleanField(default=False)
    raw = models.IntegerField(null=True, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    band = models.CharField(max_length=32, blank=True)
    measures = models.JSONField(default=dict, blank=True)
    completed_on = models.DateField()  # the day the person answered
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the person answered themselves through a questionnaire link.
    link = models.ForeignKey(
        "outcomes.QuestionnaireLink",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_DATA_FIELDS = ("answers", "goals", "raw", "score", "band", "measures")
    # Scores are de-identified once the person is erased; the goals' own words are not.
    KEPT_AFTER_ERASURE = ("answers", "raw", "score", "band", "measures")

    class Meta:
        ordering = ["completed_on", "recorded_at", "id"]
        indexes = [models.Index(fields=["referral", "instrument", "timepoint"])]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "instrument", "timepoint"],
                condition=models.Q(complete=True, timepoint__in=ONCE_ONLY),
                name="outcome_response_once_per_timepoint",
            )
        ]

    def __str__(self) -> str:
        return f"Response {self.pk} ({self.instrument} {self.timepoint})"

    @property
    def by_person(self) -> bool:
        return self.link_id is not None


class OtherOutcomes(models.Model):
    """Outcomes beyond questionnaires, kept up to date on the referral. Money in pounds."""

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="other_outcomes"
    )
    income_one_off = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    income_annual = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    debt_managed = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    debt_written_off = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    grants_obtained = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    volunteering_started = models.BooleanField(null=True, blank=True)
    group_joined = models.BooleanField(null=True, blank=True)
    group_started = models.BooleanField(null=True, blank=True)
    # Self-reported contacts in the 3 months before each timepoint.
    gp_contacts_baseline = models.PositiveSmallIntegerField(null=True, blank=True)
    gp_contacts_follow_up = models.PositiveSmallIntegerField(null=True, blank=True)
    ae_contacts_baseline = models.PositiveSmallIntegerField(null=True, blank=True)
    ae_contacts_follow_up = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    MONEY_FIELDS = (
        "income_one_off",
        "income_annual",
        "debt_managed",
        "debt_written_off",
        "grants_obtained",
    )
    FLAG_FIELDS = ("volunteering_started", "group_joined", "group_started")
    CONTACT_FIELDS = (
        "gp_contacts_baseline",
        "gp_contacts_follow_up",
        "ae_contacts_baseline",
        "ae_contacts_follow_up",
    )
    PERSONAL_DATA_FIELDS = MONEY_FIELDS + FLAG_FIELDS + CONTACT_FIELDS
    KEPT_AFTER_ERASURE = PERSONAL_DATA_FIELDS  # figures only, de-identified once erased

    class Meta:
        verbose_name_plural = "other outcomes"

    def __str__(self) -> str:
        return f"Other outcomes of referral {self.referral_id}"


class ItemWording(models.Model):
    """Licensed item wording (SWEMWBS) imported by a deploying organisation: never in git."""

    instrument = models.CharField(max_length=32)
    item_number = models.PositiveSmallIntegerField()
    wording = models.TextField()
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["instrument", "item_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "item_number"], name="outcome_item_wording_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} item {self.item_number}"


class QuestionnaireLink(models.Model):
    """A link sent to the person to answer follow-up questionnaires without signing in.
    Only the SHA-256 digest of its token is stored; it expires and works once."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="questionnaire_links"
    )
    instruments = models.JSONField(default=list)  # codes, in the order asked
    timepoint = models.CharField(
        max_length=16, choices=Timepoint.choices, default=Timepoint.FOLLOW_UP
    )
    token_digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Questionnaire link {self.pk}"


class QuestionnaireFact(models.Model):
    """What the evaluation counts from a referral's complete questionnaires, one row a
    figure: a paired measure's baseline and latest scores (in hundredths),
    and the bare facts "baseline", "paired" (any measure paired) and "improved" (any
    measure past its change threshold). The pairing rule is `evaluation.pairs`'s.

    Written only by database triggers on `Response` (`evaluation.pairs`), in the same
    statement as the response they follow, so it cannot disagree with the responses;
    `rebuild_questionnaire_facts()` after a load that bypasses triggers. No foreign
    keys: the ORM never reads it, and the triggers delete its rows (issue 19).
    """

    referral_id = models.BigIntegerField(db_index=True)
    key = models.CharField(max_length=32)
    baseline = models.IntegerField(null=True)
    latest = models.IntegerField(null=True)

    def __str__(self) -> str:
        return f"referral {self.referral_id}, {self.key}"


class EvaluationDataVersion(models.Model):
    """Tokens that change with every write the evaluation's figures are counted from
    (referrals, their reasons, people, areas, connections, responses, other outcomes),
    set by database triggers (`evaluation.cache`), one row a writing connection on
    PostgreSQL, so a cached report is used only while its data are unchanged. Not
    written by the ORM."""

    writer = models.BigIntegerField(unique=True)  # PostgreSQL: the backend's pid; else 0
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.writer}: {self.token}"

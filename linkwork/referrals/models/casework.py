"""What a link worker records on a case: the what-matters conversation, the plan, unmet
needs, follow-ups and the case notes."""

from django.conf import settings
from django.db import models

from linkwork.referrals.models.connections import Connection
from linkwork.referrals.models.referral import Referral


class Conversation(models.Model):
    """A "what matters to you" conversation."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="conversations")
    what_matters = models.TextField()
    strengths = models.TextField(blank=True)
    needs = models.JSONField(default=dict, blank=True)  # need code -> the person's words
    barriers = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_DATA_FIELDS = ("what_matters", "strengths", "needs", "barriers")

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return f"Conversation {self.pk}"


class Plan(models.Model):
    """The co-produced social prescription: goals in the person's own words."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="plan")
    goals = models.JSONField(default=list)
    agreed_at = models.DateTimeField(auto_now=True)

    PERSONAL_DATA_FIELDS = ("goals",)

    def __str__(self) -> str:
        return f"Plan for referral {self.referral_id}"


class UnmetReason(models.TextChoices):
    NONE_EXISTS = "none_exists", "No such group or service exists"
    FULL = "full", "Full"
    COST = "cost", "Cost"
    TRANSPORT = "transport", "Transport"
    TIMING = "timing", "Timing"
    LANGUAGE = "language", "Language"
    ACCESS = "access", "Access"
    NOT_SAFE_OR_SUITABLE = "not_safe_or_suitable", "Not safe or suitable"
    OTHER = "other", "Other"


class UnmetNeed(models.Model):
    """A need no connection could meet: the raw material of gap analysis."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="unmet_needs")
    category = models.ForeignKey(
        "directory.TaxonomyTerm", on_delete=models.PROTECT, related_name="unmet_needs"
    )
    reason = models.CharField(max_length=24, choices=UnmetReason.choices)
    area = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="unmet_needs"
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_DATA_FIELDS = ("notes",)

    def __str__(self) -> str:
        return f"Unmet need {self.pk} ({self.reason})"


class FollowUpKind(models.TextChoices):
    CONNECTION_REVIEW = "connection_review", "Check how a connection is going"
    SIX_WEEKS = "six_weeks", "Six-week review"
    TWELVE_WEEKS = "twelve_weeks", "Twelve-week review"


class FollowUpCancelled(models.TextChoices):
    """Why a review nobody did ended: the referral ended first."""

    CLOSED = "closed", "the referral was closed"
    DECLINED = "declined", "the referral was declined"
    RETURNED = "returned", "the referral was returned"


class FollowUpQuerySet(models.QuerySet):
    def pending(self) -> "FollowUpQuerySet":
        """Neither done nor cancelled: still to do."""
        return self.filter(completed_at__isnull=True, cancelled_at__isnull=True)

    def done(self) -> "FollowUpQuerySet":
        return self.filter(completed_at__isnull=False)

    def cancelled(self) -> "FollowUpQuerySet":
        return self.filter(cancelled_at__isnull=False)


class FollowUp(models.Model):
    """A review point. Done (completed_at, with what happened) means someone did it;
    cancelled (cancelled_at, with why) means the referral ended before anyone did."""

    PENDING, DONE, CANCELLED = "pending", "done", "cancelled"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="follow_ups")
    connection = models.ForeignKey(
        Connection, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    kind = models.CharField(max_length=24, choices=FollowUpKind.choices)
    due_on = models.DateField(db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.CharField(
        max_length=16, choices=FollowUpCancelled.choices, blank=True
    )

    objects = FollowUpQuerySet.as_manager()

    PERSONAL_DATA_FIELDS = ("outcome",)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(completed_at__isnull=True) | models.Q(cancelled_at__isnull=True),
                name="follow_up_done_or_cancelled_not_both",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on}"

    @property
    def state(self) -> str:
        """pending, done or cancelled."""
        if self.completed_at is not None:
            return self.DONE
        if self.cancelled_at is not None:
            return self.CANCELLED
        return self.PENDING


class CaseNoteKind(models.TextChoices):
    NOTE = "note", "Note"
    CALL_MADE = "call_made", "Phone call: spoke with them"
    NO_ANSWER = "no_answer", "Phone call: no answer"
    MESSAGE_LEFT = "message_left", "Phone call: message left"
    VISIT = "visit", "Visit"


# Attempts to reach someone that did not reach them; after enough in a row, the referral
# can be closed without an answer (settings.NO_ANSWER_ATTEMPTS_TO_CLOSE).
UNANSWERED_ATTEMPTS = (CaseNoteKind.NO_ANSWER, CaseNoteKind.MESSAGE_LEFT)

# Contact that reached the person: it starts the count of unanswered attempts again.
ANSWERED_CONTACT = (CaseNoteKind.CALL_MADE, CaseNoteKind.VISIT)

CASE_NOTE_MAX_LENGTH = 2000


class CaseNote(models.Model):
    """One line of the case's log: a note, a phone call (answered, not answered, message
    left) or a visit, dated when it happened and attributed to who recorded it. Notes are
    never edited or deleted; a correction is another note."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="case_notes")
    kind = models.CharField(max_length=16, choices=CaseNoteKind.choices)
    text = models.TextField(blank=True, max_length=CASE_NOTE_MAX_LENGTH)
    happened_at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_DATA_FIELDS = ("text",)

    class Meta:
        ordering = ["happened_at", "id"]
        indexes = [models.Index(fields=["referral", "happened_at"])]

    def __str__(self) -> str:
        return f"Case note {self.pk} ({self.kind})"  # never the text: str() can reach logs

    @property
    def is_attempt(self) -> bool:
        return self.kind in UNANSWERED_ATTEMPTS or self.kind in ANSWERED_CONTACT

"""Casework: people, referrals, what-matters conversations, plans, connections to assets,
unmet needs and follow-ups. Referrals are never deleted; every change is recorded."""

import datetime as dt
import uuid
from types import SimpleNamespace

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linkwork.referrals import transitions as t


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")


class Person(models.Model):
    """The minimum Linkwork holds about someone being supported."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    birth_date = models.DateField()
    postcode = models.CharField(max_length=8)
    # The LSOA the postcode falls in (the neighbourhood is its parent).
    area = models.ForeignKey(
        "places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    nhs_number = models.CharField(max_length=10, blank=True, db_index=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    preferred_contact_method = models.CharField(
        max_length=8, choices=ContactMethod.choices, default=ContactMethod.PHONE
    )
    contact_times = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=3, default="en")
    interpreter_needed = models.BooleanField(default=False)
    access_needs = models.TextField(blank=True)
    # Optional equality monitoring, used only de-identified for equity analysis.
    sex = models.CharField(max_length=16, blank=True)
    ethnicity = models.CharField(max_length=64, blank=True)
    # The practice the person is registered with (name or ODS code), as the referral says.
    gp_practice = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a link worker confirmed this record is the same person as another: the
    # record stays (so the merge can be undone) but holds no referrals and is matched no more.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    PERSONAL_DATA_FIELDS = (
        "given_name",
        "family_name",
        "birth_date",
        "postcode",
        "nhs_number",
        "phone",
        "email",
        "contact_times",
        "access_needs",
        "sex",
        "ethnicity",
        "gp_practice",
    )
    # Erasure (linkwork/privacy) blanks these; a date keeps only its year (age bands for
    # insight), and the LSOA (an area of ~1,500 people) stays.

    class Meta:
        indexes = [models.Index(fields=["family_name", "birth_date"])]

    def __str__(self) -> str:
        return f"Person {self.pk}"  # never a name: str() can reach logs


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


class PersonMerge(models.Model):
    """A link worker's confirmation that two records are one person: `merged` was folded
    into `kept`. What moved and what changed is kept, so the merge can be undone."""

    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_away")
    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_in")
    referral_ids = models.JSONField(default=list)
    # Field -> [value before, value after] on the kept record.
    changed = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    PERSONAL_DATA_FIELDS = ("changed",)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Merge {self.pk} of person {self.merged_id} into {self.kept_id}"


class NotDuplicate(models.Model):
    """Two records a link worker said are different people: never asked again. The pair
    is stored lowest id first."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="not_duplicate_once"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="not_duplicate_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"Persons {self.first_id} and {self.second_id} are different people"


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


class FeedbackNotSent(models.TextChoices):
    """Why the person was not sent a feedback link when their referral closed."""

    # Nor a text message: no mobile number, no agreement to texts, or texts not set up.
    NO_EMAIL = "no_email", "They have no email address, and no text message could be sent"
    NO_CONSENT = "no_consent", "They have not agreed to be contacted by email or text message"


class FeedbackRequest(models.Model):
    """The person's feedback at closure, asked by a link that works once, without signing
    in. Only a SHA-256 digest of the link's token is kept: the token itself is in the
    message to the person and nowhere else."""

    RATINGS = {
        1: _("Not at all helpful"),
        2: _("Not very helpful"),
        3: _("Quite helpful"),
        4: _("Helpful"),
        5: _("Very helpful"),
    }
    COMMENT_MAX_LENGTH = 1000

    referral = models.OneToOneField(
        Referral, on_delete=models.CASCADE, related_name="feedback_request"
    )
    # Null when no link was sent.
    digest = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    not_sent_reason = models.CharField(max_length=16, choices=FeedbackNotSent.choices, blank=True)
    # How the link went: "email" or "text" (a short link); blank when not sent.
    sent_by = models.CharField(max_length=8, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True, choices=RATINGS.items())
    comment = models.TextField(blank=True, max_length=COMMENT_MAX_LENGTH)

    PERSONAL_DATA_FIELDS = ("comment",)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"Feedback request {self.pk}"  # never the comment: str() can reach logs

    @property
    def state(self) -> str:
        """answered, not_sent, expired (unanswered) or waiting (for an answer)."""
        if self.answered_at is not None:
            return "answered"
        if self.sent_at is None:
            return "not_sent"
        if self.expires_at <= timezone.now():
            return "expired"
        return "waiting"


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

"""Each person's choice of how to hear about each kind of message, and the messages
held back for their digest (DESIGN.md §6: digests, not scattergun email).

A message kind a person has not chosen for takes the default (`preferences.default`):
group members get a weekly digest of everything but new referrals; everyone else hears
immediately. Urgent safety messages are always sent at once and cannot be turned off.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    NEW_REFERRAL = "new_referral", "New referrals to my group or service"
    REFERRAL_UPDATES = "referral_updates", "Updates on referrals I made"
    REMINDERS = "reminders", "Reminders about referrals waiting for an answer"
    LISTING_DUE = "listing_due", "My listings: due for checking, full or reported"
    FUNDING_ROUNDS = "funding_rounds", "Funding rounds"
    PANEL_DECISIONS = "panel_decisions", "Panel decisions"
    NETWORK_NOTICEBOARD = "network_noticeboard", "The network noticeboard"
    SAFETY = "safety", "Urgent safety messages"


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"
    NEVER = "never", "Never"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


# Urgent safety messages: always immediate, never a digest, never off.
FIXED_KINDS = frozenset({Kind.SAFETY})


class NotificationPreference(models.Model):
    """How one person hears about one kind of message (absent: the default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once"),
            models.CheckConstraint(
                condition=~Q(kind="safety") | Q(frequency="immediately"),
                name="notification_safety_always_immediate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.frequency} by {self.channel}"


class SmsNumber(models.Model):
    """The mobile number a person chose for text messages (only where SMS is available)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sms_number"
    )
    number = models.CharField(max_length=20)
    updated_at = models.DateTimeField(auto_now=True)

    PERSONAL_DATA_FIELDS = ("number",)

    def __str__(self) -> str:
        return f"SMS number of user {self.user_id}"  # never the number: str() can reach logs


class Digest(models.Model):
    """One digest sent to one person for one period ("2026-12-03" daily, "2026-W49"
    weekly). Unique per person, frequency and period: `send-digests` can run as often as
    cron likes and never sends a period's digest twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    period = models.CharField(max_length=10)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    message_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "frequency", "period"], name="digest_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.frequency} digest {self.period}"


class HeldMessage(models.Model):
    """A message waiting for the person's next daily or weekly digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="held_messages"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # The frequency chosen when it was held: it goes out with that digest.
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    # No personal data: the same words an immediate message would have carried.
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["digest", "frequency", "user"])]

    def __str__(self) -> str:
        return f"Held {self.kind} message {self.pk}"


class TextKind(models.TextChoices):
    """What a text message carried (the case page's words after "the text message with")."""

    FEEDBACK_LINK = "feedback_link", "the feedback link"
    QUESTIONNAIRE_LINK = "questionnaire_link", "the questionnaire link"
    PRESCRIPTION = "prescription", "their social prescription"
    SESSION_REMINDER = "session_reminder", "the reminder of their first session"
    NOTICE = "notice", "a notice"


class TextStatus(models.TextChoices):
    """GOV.UK Notify's statuses of a text message (delivery receipts move them)."""

    CREATED = "created", "Created"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    PERMANENT_FAILURE = "permanent-failure", "Not delivered: the number is wrong or not a mobile"
    TEMPORARY_FAILURE = "temporary-failure", "Not delivered: the phone was off or out of reach"
    TECHNICAL_FAILURE = "technical-failure", "Not delivered: a technical failure"


# A receipt never moves a message out of one of these (receipts may arrive out of order).
FINAL_TEXT_STATUSES = frozenset(
    {
        TextStatus.DELIVERED,
        TextStatus.PERMANENT_FAILURE,
        TextStatus.TEMPORARY_FAILURE,
        TextStatus.TECHNICAL_FAILURE,
    }
)


class TextMessage(models.Model):
    """One text message sent through GOV.UK Notify, and what became of it. Neither the
    words nor the number are kept: the words can carry a one-use link, and the number
    is in the person's record already."""

    kind = models.CharField(max_length=32, choices=TextKind.choices)
    # Ours, sent to Notify as the notification's reference and echoed in receipts.
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notification_id = models.UUIDField(null=True, blank=True, unique=True)
    status = models.CharField(max_length=20, choices=TextStatus.choices, default=TextStatus.CREATED)
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="text_messages",
    )
    person = models.ForeignKey(
        "referrals.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="text_messages",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="text_messages",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    status_updated_at = models.DateTimeField(auto_now=True)

    PERSONAL_DATA_FIELDS = ()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["referral", "status"])]

    def __str__(self) -> str:
        return f"Text message {self.pk} ({self.kind}, {self.status})"

    @property
    def failed_for_good(self) -> bool:
        return self.status == TextStatus.PERMANENT_FAILURE

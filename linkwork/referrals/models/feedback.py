"""The person's feedback at closure, asked by a link that works once."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linkwork.referrals.models.referral import Referral


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

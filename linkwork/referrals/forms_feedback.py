"""The person's feedback form, opened from the link sent when their referral closed."""

from django import forms

from linkwork.errors import InvalidInput
from linkwork.pages import put_errors
from linkwork.referrals.models import FeedbackRequest

RATING_REQUIRED = "Choose how helpful the support was, from 1 to 5."


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How helpful was the support?",
        coerce=int,
        choices=[(n, f"{n} – {label}") for n, label in FeedbackRequest.RATINGS.items()],
        error_messages={"required": RATING_REQUIRED, "invalid_choice": RATING_REQUIRED},
    )
    comment = forms.CharField(
        label="Is there anything else you would like to tell us? (optional)",
        help_text="For example, what helped, or what could have been better.",
        widget=forms.Textarea,
        required=False,
        max_length=FeedbackRequest.COMMENT_MAX_LENGTH,
        error_messages={
            "max_length": (
                f"Your comment must be {FeedbackRequest.COMMENT_MAX_LENGTH:,} characters or fewer."
            )
        },
    )

    def apply_errors(self, error: InvalidInput) -> None:
        put_errors(self, error)

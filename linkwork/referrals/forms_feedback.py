"""The person's feedback form, opened from the link sent when their referral closed."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from linkwork.referrals.models import FeedbackRequest

RATING_REQUIRED = _("Choose how helpful the support was, from 1 to 5.")


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How helpful was the support?"),
        coerce=int,
        choices=[
            (n, format_lazy("{} – {}", n, label)) for n, label in FeedbackRequest.RATINGS.items()
        ],
        error_messages={"required": RATING_REQUIRED, "invalid_choice": RATING_REQUIRED},
    )
    comment = forms.CharField(
        label=_("Is there anything else you would like to tell us? (optional)"),
        help_text=_("For example, what helped, or what could have been better."),
        widget=forms.Textarea,
        required=False,
        max_length=FeedbackRequest.COMMENT_MAX_LENGTH,
        error_messages={
            "max_length": format_lazy(
                _("Your comment must be {limit} characters or fewer."),
                limit=f"{FeedbackRequest.COMMENT_MAX_LENGTH:,}",
            )
        },
    )

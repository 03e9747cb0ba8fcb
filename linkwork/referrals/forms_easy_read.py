"""The easy-read self-referral and feedback forms: the same fields, rules and messages
as the standard forms (they are subclasses), asked in short sentences, one idea each.
Only the words a person reads change, so nothing either page collects is lost."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from linkwork.referrals.forms_feedback import FeedbackForm
from linkwork.referrals.forms_referrer import SelfReferralForm


class EasyReadSelfReferralForm(SelfReferralForm):
    LABELS = {
        **SelfReferralForm.LABELS,
        "given_name": _("Your first name"),
        "family_name": _("Your last name"),
        "birth_date": _("When were you born?"),
        "postcode": _("Your postcode"),
        "nhs_number": _("Your NHS number. You can leave this empty."),
        "phone": _("Your phone number"),
        "email": _("Your email address"),
        "preferred_contact_method": _("How should we contact you?"),
        "contact_times": _("When is a good time to contact you? You can leave this empty."),
        "language": _("What language do you want to use?"),
        "interpreter_needed": _("I need an interpreter."),
        "access_needs": _("Do you need help to take part? You can leave this empty."),
        "reasons": _("What do you want help with?"),
        "notes": _("Do you want to tell us anything else? You can leave this empty."),
        "consent_to_refer": _("I agree to be sent to a link worker. They will contact me."),
        "consent_share_with_groups": _(
            "I agree my link worker can tell a group my first name, how to contact me, my "
            "language and the help I need to take part."
        ),
        "consent_contact_methods": _("Which ways are OK to contact you? You can leave this empty."),
        "service": _("Which service is nearest to you?"),
    }
    HELP_TEXTS = {
        "birth_date": _("Write the day, the month and the year. For example, 15 3 1984"),
        "contact_times": _("For example, in the morning."),
        "access_needs": _("For example, I use a wheelchair. Or I need big writing."),
    }


class EasyReadFeedbackForm(FeedbackForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].label = _(
            "Do you want to tell us anything else? You can leave this empty."
        )
        self.fields["comment"].help_text = _("For example, what helped. Or what could be better.")

"""Page forms for the community app: an interest, and a grant.

They parse what people type; the rules (what an interest needs, contact only with
consent, a grant's dates) are the services', whose InvalidInput errors come back onto
these fields through `linkwork.pages.put_errors`.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linkwork.community.models import ContactBy, ContactMethod
from linkwork.directory.models import Organisation, OrganisationKind, TaxonomyTerm, Vocabulary
from linkwork.places.selectors import neighbourhoods
from linkwork.referrals.forms_referrer import DateField
from linkwork.schemas import MAX_TEXT

# Organisations that receive small grants: community groups and voluntary organisations.
GRANTEE_KINDS = (OrganisationKind.VCFSE, OrganisationKind.UNCONSTITUTED_GROUP)


class InterestForm(forms.Form):
    """What someone would join if it existed, where, and whether they may be contacted."""

    activity = forms.ChoiceField(label=_("What kind of activity?"), required=False)
    description = forms.CharField(
        label=_("Tell us more about what you would like (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea,
        help_text=_("For example, a daytime sewing group, or a walking group for beginners."),
    )
    community_of_interest = forms.CharField(
        label=_("Is it for a particular group of people? (optional)"),
        required=False,
        max_length=200,
        help_text=_(
            "For example, women only, older people, carers or South Asian elders. "
            "Leave it empty if it is for anyone."
        ),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=10,
        help_text=_("So we know which area is missing it. We do not show it to anyone."),
    )
    neighbourhood = forms.ChoiceField(
        label=_("Or, if you would rather not give a postcode, choose your area"), required=False
    )
    consent_to_contact = forms.BooleanField(
        label=_(
            "I agree to be contacted if a group like this starts, or someone wants to start one"
        ),
        required=False,
    )
    contact_by = forms.ChoiceField(
        label=_("Who may contact you?"), choices=ContactBy.choices, required=False
    )
    contact_name = forms.CharField(label=_("Your name (optional)"), required=False, max_length=200)
    contact_method = forms.ChoiceField(
        label=_("How should they contact you?"), choices=ContactMethod.choices, required=False
    )
    contact_detail = forms.CharField(
        label=_("Phone number or email address"), required=False, max_length=254
    )
    contact_times = forms.CharField(
        label=_("Best times to contact you (optional)"),
        required=False,
        max_length=200,
        help_text=_("For example, weekday mornings."),
    )
    person_agreed = forms.BooleanField(
        label="The person agreed that I record this for them", required=False
    )
    # A honeypot: hidden from people and from assistive technology, so only robots fill it.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args: Any, on_behalf: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.on_behalf = on_behalf
        terms = TaxonomyTerm.objects.filter(vocabulary=Vocabulary.ACTIVITY).order_by("name")
        self.fields["activity"].choices = [
            ("", _("Something else (describe it below)")),
            *[(term.code, gettext(term.name)) for term in terms],
        ]
        self.fields["neighbourhood"].choices = [
            ("", _("Choose an area")),
            *[(area.code, area.name) for area in neighbourhoods()],
        ]
        if on_behalf:
            self.fields[
                "postcode"
            ].help_text = "Their postcode, so we know which area is missing it."
            self.fields["consent_to_contact"].label = (
                "They agree to be contacted if a group like this starts, or someone wants to "
                "start one"
            )
            self.fields["contact_name"].label = "Their name (optional)"
            self.fields["contact_times"].label = "Best times to contact them (optional)"
        else:
            del self.fields["person_agreed"]

    def is_from_a_robot(self) -> bool:
        return bool(str(self.data.get("website", "")).strip())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.on_behalf and not cleaned.get("person_agreed"):
            self.add_error("person_agreed", "Confirm that the person agreed to this.")
        return cleaned

    def interest(self) -> dict[str, Any]:
        """The interest, as services.register_interest takes it."""
        data = self.cleaned_data
        return {
            "activity_code": data["activity"],
            "description": data["description"],
            "community_of_interest": data["community_of_interest"],
            "postcode": data["postcode"],
            "neighbourhood_code": data["neighbourhood"],
            "consent_to_contact": data["consent_to_contact"],
            "contact": {
                key: data[key]
                for key in (
                    "contact_by",
                    "contact_name",
                    "contact_method",
                    "contact_detail",
                    "contact_times",
                )
            },
            "on_behalf": self.on_behalf,
        }


class GrantForm(forms.Form):
    """A grant to a community group: who, how much, from whom, for what, when."""

    organisation = forms.ChoiceField(label="Group or organisation")
    amount = forms.CharField(label="Amount (£)", max_length=20, help_text="For example, 750.")
    funder = forms.CharField(
        label="Funder", max_length=200, help_text="For example, Bolton Council Community Fund."
    )
    purpose = forms.CharField(max_length=MAX_TEXT, label="What is it for?", widget=forms.Textarea)
    period_start = DateField(label="Start date", help_text="For example, 1 4 2026")
    period_end = DateField(label="End date (optional)", required=False)
    achieved = forms.CharField(
        max_length=MAX_TEXT,
        label="What it achieved (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="You can add this later, in the group's words.",
    )

    required_messages = {
        "organisation": "Choose the group that received the grant.",
        "amount": "Enter the amount in pounds.",
        "funder": "Enter who gave the grant.",
        "purpose": "Say what the grant is for.",
        "period_start": "Enter the date the grant starts.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(kind__in=GRANTEE_KINDS).order_by("name")
        self.fields["organisation"].choices = [
            ("", "Choose a group"),
            *[(str(org.pk), org.name) for org in organisations],
        ]
        for name, message in self.required_messages.items():
            self.fields[name].error_messages["required"] = message

    def grant(self) -> dict[str, Any]:
        """The grant, as services.record_grant takes it."""
        data = self.cleaned_data
        return {
            "organisation": Organisation.objects.filter(
                pk=data["organisation"], kind__in=GRANTEE_KINDS
            ).first(),
            "amount": data["amount"],
            "funder": data["funder"],
            "purpose": data["purpose"],
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "achieved": data["achieved"],
        }

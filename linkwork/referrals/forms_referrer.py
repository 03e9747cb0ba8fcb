"""Page forms for making a referral: a referrer's form and the public self-referral form.

They parse what people type (a date in three boxes, ticks, choices) and ask for what a
page must have; the rules about people and referrals belong to the services, whose
InvalidInput errors come back onto these fields through `linkwork.pages.put_errors`.
"""

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linkwork.directory.models import Organisation, OrganisationKind, Vocabulary
from linkwork.directory.selectors import terms_by_vocabulary
from linkwork.referrals.models import ContactMethod, Source, Urgency
from linkwork.referrals.people import person_errors
from linkwork.schemas import MAX_TEXT

# Languages most asked for locally; the code is stored (ISO 639, at most three letters).
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("bn", _("Bengali")),
    ("bfi", _("British Sign Language")),
    ("zh", _("Chinese")),
    ("gu", _("Gujarati")),
    ("ku", _("Kurdish")),
    ("pl", _("Polish")),
    ("pa", _("Punjabi")),
    ("ro", _("Romanian")),
    ("so", _("Somali")),
    ("ti", _("Tigrinya")),
    ("ur", _("Urdu")),
    ("cy", _("Welsh")),
    ("mis", _("Another language (say which in the notes)")),
]

# The usual source for a referrer's kind of organisation (they can change it).
SOURCE_FOR_ORGANISATION = {
    OrganisationKind.GP_PRACTICE: Source.GP,
    OrganisationKind.VCFSE: Source.VCFSE,
    OrganisationKind.UNCONSTITUTED_GROUP: Source.VCFSE,
    OrganisationKind.COUNCIL: Source.SOCIAL_CARE,
}

# Where the services' error keys land on these forms.
FIELD_FOR_ERROR = {
    "consent.to_refer": "consent_to_refer",
    "consent.share_with_groups": "consent_share_with_groups",
    "consent.contact_methods": "consent_contact_methods",
    "service_id": "service",
}


EMAIL_INVALID = _("Enter an email address in the correct format, like name@example.com.")

# The parts of a date a message names as missing ("must include a day and a month").
DATE_PARTS = {"day": _("day"), "month": _("month"), "year": _("year")}


class DateWidget(forms.MultiWidget):
    """Day, month and year boxes, named birth_date_day and so on."""

    def __init__(self) -> None:
        super().__init__(
            widgets={"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}
        )

    def decompress(self, value: dt.date | None) -> list:
        return [value.day, value.month, value.year] if value else [None, None, None]

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else ""  # the error summary links to the first box


class DateField(forms.MultiValueField):
    """A date typed as day, month and year, with the NHS.UK service manual's messages."""

    widget = DateWidget

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        self.noun = label
        parts = (forms.CharField(max_length=4, required=False) for _ in range(3))
        super().__init__(fields=tuple(parts), require_all_fields=False, label=label, **kwargs)

    def compress(self, data_list: list) -> dt.date | None:
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            parts = gettext(" and ").join(str(DATE_PARTS[name]) for name in missing)
            raise forms.ValidationError(
                gettext("%(noun)s must include a %(parts)s.") % {"noun": self.noun, "parts": parts}
            )
        if not (day + month + year).isdigit():
            raise forms.ValidationError(
                gettext("%(noun)s must be a real date, in numbers.") % {"noun": self.noun}
            )
        if len(year) != 4:
            raise forms.ValidationError(gettext("Year must include 4 numbers."))
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                gettext("%(noun)s must be a real date.") % {"noun": self.noun}
            ) from None


class PersonFields(forms.Form):
    """Who the referral is for: the minimum Linkwork holds about someone."""

    # Messages in the second person on the self-referral form; the person is "their"
    # on a referrer's.
    required_messages = {
        "given_name": "Enter their first name.",
        "family_name": "Enter their last name.",
        "birth_date": "Enter their date of birth.",
        "postcode": "Enter their postcode.",
    }

    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    birth_date = DateField(label="Date of birth", help_text="For example, 15 3 1984")
    postcode = forms.CharField(label="Postcode", max_length=10)
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        required=False,
        max_length=12,
        help_text="10 digits, like 485 777 3456.",
    )
    phone = forms.CharField(label="Phone number (optional)", required=False, max_length=32)
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={"invalid": EMAIL_INVALID},
    )
    preferred_contact_method = forms.ChoiceField(
        label="How do they prefer to be contacted?",
        choices=ContactMethod.choices,
        initial=ContactMethod.PHONE,
    )
    contact_times = forms.CharField(
        label="Best times to contact (optional)",
        required=False,
        max_length=200,
        help_text="For example, weekday mornings.",
    )
    language = forms.ChoiceField(label="Preferred language", choices=LANGUAGES, initial="en")
    interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)
    access_needs = forms.CharField(
        max_length=MAX_TEXT,
        label="Access needs (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="For example, uses a wheelchair, or needs large print.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, message in self.required_messages.items():
            self.fields[name].error_messages["required"] = message

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # The person rules (a date of birth in the past, the NHS number's check digit)
        # are people.person_errors; asking here shows them with the other mistakes.
        for field, message in person_errors(self.person()).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def person(self) -> dict[str, Any]:
        """The person's details, as services.create_referral takes them."""
        return {name: self.cleaned_data.get(name) for name in PersonFields.base_fields}

    def field_for(self, key: str) -> str:
        """The field a service's error names (`linkwork.pages.put_errors` reads this)."""
        return FIELD_FOR_ERROR.get(key, key.removeprefix("person."))


class ReferralFields(PersonFields):
    """Why, how soon, and the person's consent: the rest of a referral."""

    reasons = forms.MultipleChoiceField(
        label="What would they like help with?",
        error_messages={"required": "Select at least one reason for the referral."},
    )
    notes = forms.CharField(
        max_length=MAX_TEXT,
        label="Anything the link worker should know (optional)",
        required=False,
        widget=forms.Textarea,
    )
    consent_to_refer = forms.BooleanField(
        label="They agree to be referred to a social prescribing link worker",
        error_messages={"required": "Confirm that they agree to be referred."},
    )
    consent_share_with_groups = forms.BooleanField(
        label=(
            "They agree that their link worker may tell groups they are connected to their "
            "first name, how to contact them, their language and access needs"
        ),
        required=False,
    )
    consent_contact_methods = forms.MultipleChoiceField(
        label="Ways they agree to be contacted (optional)",
        required=False,
        choices=ContactMethod.choices,
    )
    service = forms.TypedChoiceField(
        label="Which social prescribing service?",
        coerce=int,
        error_messages={"required": "Select a social prescribing service."},
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, services: Sequence[Organisation] = (), **kwargs: Any) -> None:
        """`services` to choose from when the receiving service is not obvious."""
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.services = {service.pk: service for service in services}
        if self.services:
            self.fields["service"].choices = [("", "")] + [
                (pk, service.name) for pk, service in self.services.items()
            ]
        else:
            del self.fields["service"]
        needs = terms_by_vocabulary()[Vocabulary.NEED]
        self.fields["reasons"].choices = [(term.code, term.name) for term in needs]
        self.reason_descriptions = {term.code: term.description for term in needs}

    def referral(self) -> dict[str, Any]:
        """Keyword arguments for services.create_referral (all but source and by)."""
        data = self.cleaned_data
        return {
            "person": self.person(),
            "reasons": data["reasons"],
            "urgency": data.get("urgency") or Urgency.ROUTINE,
            "notes": data["notes"],
            "consent_to_refer": data["consent_to_refer"],
            "share_with_groups": data["consent_share_with_groups"],
            "contact_methods": data["consent_contact_methods"],
            "service": self.services.get(data.get("service")),
            "idempotency_key": data["idempotency_key"],
        }


class ReferralForm(ReferralFields):
    """A referrer's form (GP, nurse, pharmacist, hospital, social care, housing, VCFSE)."""

    source = forms.ChoiceField(
        label="Where is the referral from?",
        choices=[(value, label) for value, label in Source.choices if value != Source.SELF],
    )
    urgency = forms.ChoiceField(
        label="How soon should a link worker get in touch?",
        choices=Urgency.choices,
        initial=Urgency.ROUTINE,
    )

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any):
        kind = organisation.kind if organisation else None
        kwargs.setdefault("initial", {}).setdefault(
            "source", SOURCE_FOR_ORGANISATION.get(kind, Source.GP)
        )
        super().__init__(*args, **kwargs)

    def referral(self) -> dict[str, Any]:
        return {**super().referral(), "source": self.cleaned_data["source"]}


class SelfReferralForm(ReferralFields):
    """Someone asking for a link worker themselves, without an account."""

    required_messages = {
        "given_name": _("Enter your first name."),
        "family_name": _("Enter your last name."),
        "birth_date": _("Enter your date of birth."),
        "postcode": _("Enter your postcode."),
    }
    # A honeypot: hidden from people and from assistive technology, so only robots fill it.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    LABELS = {
        "given_name": _("First name"),
        "family_name": _("Last name"),
        "birth_date": _("Date of birth"),
        "postcode": _("Postcode"),
        "nhs_number": _("NHS number (optional)"),
        "phone": _("Phone number"),  # one of the two is needed: the page says so
        "email": _("Email address"),
        "preferred_contact_method": _("How would you like us to contact you?"),
        "contact_times": _("Best times to contact (optional)"),
        "language": _("Preferred language"),
        "interpreter_needed": _("I need an interpreter"),
        "access_needs": _("Do you have any access needs? (optional)"),
        "reasons": _("What would you like help with?"),
        "notes": _("Anything else you would like to tell us (optional)"),
        "consent_to_refer": _(
            "I agree to be referred to a social prescribing link worker, who will contact me"
        ),
        "consent_share_with_groups": _(
            "I agree that my link worker may tell groups I am connected to my first name, how "
            "to contact me, my language and access needs"
        ),
        "consent_contact_methods": _("Ways you agree to be contacted (optional)"),
        "service": _("Which social prescribing service is nearest to you?"),
    }
    HELP_TEXTS = {
        "birth_date": _("For example, 15 3 1984"),
        "contact_times": _("For example, weekday mornings."),
        "access_needs": _("For example, uses a wheelchair, or needs large print."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # A form filled in Welsh starts with Welsh chosen (the person can change it):
        # messages to them then follow in the language they asked in.
        page = (translation.get_language() or "").split("-")[0]
        if page in dict(LANGUAGES) and page != "en":
            kwargs.setdefault("initial", {}).setdefault("language", page)
        super().__init__(*args, **kwargs)
        for name, label in self.LABELS.items():
            if name in self.fields:
                self.fields[name].label = label
        for name, text in self.HELP_TEXTS.items():
            self.fields[name].help_text = text
        self.fields["birth_date"].noun = self.fields["birth_date"].label
        self.fields["email"].error_messages["invalid"] = EMAIL_INVALID
        self.fields["reasons"].error_messages["required"] = _("Select at least one thing.")
        self.fields["consent_to_refer"].error_messages["required"] = _(
            "Confirm that you agree to be referred."
        )
        if "service" in self.fields:
            self.fields["service"].error_messages["required"] = _(
                "Select a social prescribing service."
            )
        # What someone may need help with, in the page's language (the taxonomy's words
        # are in the catalogues: babel.cfg extracts them from taxonomy.csv).
        self.fields["reasons"].choices = [
            (code, gettext(name)) for code, name in self.fields["reasons"].choices
        ]
        self.reason_descriptions = {
            code: gettext(text) for code, text in self.reason_descriptions.items() if text
        }

    def is_from_a_robot(self) -> bool:
        return bool(str(self.data.get("website", "")).strip())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # A link worker must be able to reach someone who refers themselves.
        given = (
            cleaned.get("phone") or cleaned.get("email") or {"phone", "email"} & set(self.errors)
        )
        if not given:
            self.add_error("phone", _("Enter a phone number or an email address."))
        return cleaned

    def referral(self) -> dict[str, Any]:
        return {**super().referral(), "source": Source.SELF}

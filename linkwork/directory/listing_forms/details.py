"""Every other section of the listing form: about, cost, where and online, first visit,
safeguarding, referrals and contact."""

from decimal import Decimal
from typing import Any

from django import forms

from linkwork.directory.listing_edit import clean_online
from linkwork.directory.models import (
    ACCESSIBILITY_FEATURES,
    Asset,
    AssetKind,
    CostKind,
    GenderSpace,
    ReferralMethod,
)
from linkwork.directory.selectors import terms_by_vocabulary
from linkwork.places.models import Area, AreaType
from linkwork.places.selectors import InvalidPostcode, UnknownPostcode, postcode_point
from linkwork.referrals.forms_referrer import DateField
from linkwork.schemas import MAX_TEXT

COST_CHOICES = [
    (CostKind.FREE, "Free"),
    (CostKind.DONATION, "Free, with a suggested donation"),
    (CostKind.PER_SESSION, "A charge per session"),
]


class ListingDetailsForm(forms.Form):
    """Every section but the sessions."""

    SECTIONS = {
        "about": [
            "name",
            "description",
            "kind",
            "categories",
            "who_for",
            "minimum_age",
            "maximum_age",
            "gender_space",
            "community_of_interest",
            "languages",
            "duration",
        ],
        "cost": ["cost_kind", "amount", "concession_amount", "cost_description"],
        "where": [
            "postcode",
            "travel_notes",
            "accessibility",
            "accessibility_notes",
            "online_url",
            "online_phone",
            "borough_wide",
            "neighbourhoods",
        ],
        "first_visit": ["first_visit", "taster_session", "welcome_contact_name"],
        "safeguarding": [
            "safeguarding_policy",
            "safeguarding_policy_reviewed_on",
            "dbs_checked_lead",
            "dbs_checked_on",
            "insurance",
            "insurance_until",
            "first_aid",
            "first_aid_until",
        ],
        "referrals": [
            "referral_method",
            "referral_form_url",
            "advance_information",
            "phone",
            "email",
            "url",
        ],
    }

    name = forms.CharField(label="Name of the activity or group", max_length=200)
    description = forms.CharField(max_length=MAX_TEXT, label="What happens", widget=forms.Textarea)
    kind = forms.ChoiceField(label="What kind of listing", choices=AssetKind.choices)
    categories = forms.MultipleChoiceField(label="What it helps with", required=False)
    who_for = forms.CharField(label="Who it is for", required=False, max_length=300)
    minimum_age = forms.IntegerField(label="Youngest age", required=False, min_value=0)
    maximum_age = forms.IntegerField(label="Oldest age", required=False, max_value=120)
    gender_space = forms.ChoiceField(
        label="Space", choices=GenderSpace.choices, required=False, widget=forms.RadioSelect
    )
    community_of_interest = forms.CharField(
        label="Community it is for (optional)", required=False, max_length=200
    )
    languages = forms.CharField(
        label="Languages spoken", required=False, help_text="Codes such as en, ur, pl."
    )
    duration = forms.CharField(
        label="How long it runs for a person",
        required=False,
        max_length=200,
        help_text="For example: a six-week course, or ongoing.",
    )
    cost_kind = forms.ChoiceField(
        label="Cost", choices=COST_CHOICES, widget=forms.RadioSelect, initial=CostKind.FREE
    )
    amount = forms.DecimalField(
        label="Amount in pounds (a charge or a suggested donation)",
        required=False,
        min_value=Decimal(0),
        decimal_places=2,
    )
    concession_amount = forms.DecimalField(
        label="Concession price in pounds (optional)",
        required=False,
        min_value=Decimal(0),
        decimal_places=2,
    )
    cost_description = forms.CharField(
        label="Anything else about cost", required=False, max_length=300
    )
    postcode = forms.CharField(label="Postcode where it happens", required=False, max_length=10)
    travel_notes = forms.CharField(
        max_length=MAX_TEXT, label="Getting there", required=False, widget=forms.Textarea
    )
    accessibility = forms.MultipleChoiceField(
        label="Accessibility", required=False, choices=list(ACCESSIBILITY_FEATURES.items())
    )
    accessibility_notes = forms.CharField(
        max_length=MAX_TEXT, label="More about access", required=False, widget=forms.Textarea
    )
    online_url = forms.CharField(
        label="Video link (if people can join online)", required=False, max_length=200
    )
    online_phone = forms.CharField(
        label="Phone number to join by phone", required=False, max_length=32
    )
    # Coverage: who may come, by where they live (the asset page says "Across the borough").
    borough_wide = forms.BooleanField(
        label="People from anywhere in the borough can come", required=False
    )
    neighbourhoods = forms.MultipleChoiceField(
        label="Neighbourhoods it serves",
        required=False,
        help_text="Leave these blank if it is for the whole borough.",
    )
    first_visit = forms.CharField(
        max_length=MAX_TEXT,
        label="What to expect on a first visit",
        widget=forms.Textarea,
        required=False,
    )
    taster_session = forms.BooleanField(label="People can come to a taster first", required=False)
    welcome_contact_name = forms.CharField(
        label="Who welcomes new people", required=False, max_length=200
    )
    safeguarding_policy = forms.BooleanField(label="We have a safeguarding policy", required=False)
    safeguarding_policy_reviewed_on = DateField(label="Policy last reviewed", required=False)
    dbs_checked_lead = forms.BooleanField(label="The lead is DBS-checked", required=False)
    dbs_checked_on = DateField(label="Date of the DBS check", required=False)
    insurance = forms.BooleanField(label="We have public liability insurance", required=False)
    insurance_until = DateField(label="Insurance valid until", required=False)
    first_aid = forms.BooleanField(label="A first aider is there", required=False)
    first_aid_until = DateField(label="First aid certificate valid until", required=False)
    referral_method = forms.ChoiceField(
        label="How people are referred", choices=ReferralMethod.choices
    )
    referral_form_url = forms.URLField(
        label="Address of your own referral form", required=False, assume_scheme="https"
    )
    advance_information = forms.CharField(
        max_length=MAX_TEXT,
        label="What you like to know before someone comes",
        widget=forms.Textarea,
        required=False,
    )
    phone = forms.CharField(label="Phone", required=False, max_length=32)
    email = forms.EmailField(label="Email", required=False)
    url = forms.URLField(label="Website", required=False, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [
            (t.code, t.name) for terms in terms_by_vocabulary().values() for t in terms
        ]
        self.fields["neighbourhoods"].choices = list(
            Area.objects.filter(area_type=AreaType.NEIGHBOURHOOD)
            .order_by("name")
            .values_list("code", "name")
        )

    def clean_postcode(self) -> str:
        """A new or changed postcode must be one we can place on the map."""
        postcode = (self.cleaned_data.get("postcode") or "").strip()
        if postcode and postcode != self.initial.get("postcode"):
            try:
                postcode_point(postcode)
            except (InvalidPostcode, UnknownPostcode) as error:
                raise forms.ValidationError(str(error)) from error
        return postcode

    def clean_online_url(self) -> str:
        url = (self.cleaned_data.get("online_url") or "").strip()
        problem = clean_online(url, None).get("online_url")
        if problem:
            raise forms.ValidationError(problem)
        return url

    def clean_online_phone(self) -> str:
        phone = (self.cleaned_data.get("online_phone") or "").strip()
        problem = clean_online(None, phone).get("online_phone")
        if problem:
            raise forms.ValidationError(problem)
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, amount = data.get("cost_kind"), data.get("amount")
        if kind == CostKind.PER_SESSION and not amount:
            self.add_error("amount", "Enter the charge per session, such as 2.50.")
        return data

    def cost_options(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        kind, amount = data["cost_kind"], data.get("amount")
        if kind == CostKind.FREE:
            options = [{"kind": kind, "option": "Free", "amount": 0}]
        else:
            options = [{"kind": kind, "option": CostKind(kind).label, "amount": amount}]
        if data.get("concession_amount") is not None and kind == CostKind.PER_SESSION:
            options.append(
                {
                    "kind": CostKind.CONCESSION,
                    "option": "Concessions",
                    "amount": data["concession_amount"],
                }
            )
        return options

    def details(self) -> dict[str, Any]:
        """The listing's fields as update_listing takes them."""
        data = dict(self.cleaned_data)
        for name in ("cost_kind", "amount", "concession_amount"):
            data.pop(name)
        data["languages"] = [c for c in data["languages"].replace(",", " ").split() if c]
        data["gender_space"] = data.get("gender_space") or ""
        # The place is looked up again only when its postcode changes.
        if not data.get("postcode") or data["postcode"] == self.initial.get("postcode"):
            data.pop("postcode", None)
        return data


def details_initial(asset: Asset) -> dict[str, Any]:
    place, online = asset.place, asset.online
    costs = list(asset.cost_options.all())
    main = next((c for c in costs if c.kind != CostKind.CONCESSION), None)
    concession = next((c for c in costs if c.kind == CostKind.CONCESSION), None)
    names = [n for fields in ListingDetailsForm.SECTIONS.values() for n in fields]
    initial = {n: getattr(asset, n) for n in names if hasattr(asset, n) and n != "languages"}
    initial.update(
        categories=[term.code for term in asset.terms.all()],
        languages=", ".join(asset.languages),
        accessibility=asset.accessibility,
        postcode=place.location.postcode if place else "",
        online_url=online.url if online else "",
        online_phone=online.phone if online else "",
        cost_kind=(main.kind if main else CostKind.FREE if asset.is_free else CostKind.PER_SESSION),
        amount=main.amount if main and main.amount else None,
        concession_amount=concession.amount if concession else None,
        neighbourhoods=[area.code for area in asset.coverage_areas.all()],
    )
    return initial

"""The listing form in sections, for a group to say everything its asset page shows.

One page of sections (about, sessions, cost, where and online, first visit,
safeguarding, referrals and contact), then "check your answers". Sessions are rows
of a formset: "Add another session" and "Remove" are ordinary buttons and
checkboxes, so it all works without JavaScript. Each session row is checked by the
same rules as the API (directory/schedules.py), so the messages match.
"""

from decimal import Decimal
from typing import Any

from django import forms

from linkwork.directory.listing_edit import clean_online
from linkwork.directory.models import (
    ACCESSIBILITY_FEATURES,
    ORDINALS,
    RFC5545_DAYS,
    Asset,
    AssetKind,
    CostKind,
    Frequency,
    GenderSpace,
    ReferralMethod,
    Weekday,
)
from linkwork.directory.schedules import clean_session
from linkwork.directory.selectors import terms_by_vocabulary
from linkwork.places.selectors import InvalidPostcode, UnknownPostcode, postcode_point
from linkwork.referrals.forms_referrer import DateField
from linkwork.schemas import MAX_TEXT

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M", "%I:%M%p", "%I%p", "%I.%M%p"]
PATTERNS = [
    ("weekly", "Every week"),
    ("every_n_weeks", "Every few weeks"),
    ("monthly", "Once a month, on a weekday (e.g. the first Friday)"),
    ("once", "One date only (an event)"),
]
# Where a session rule's problem (by its HSDS field) is shown on the row.
SESSION_FIELDS = {
    "freq": "pattern",
    "byday": "day",
    "interval": "interval",
    "dtstart": "date",
    "until": "until",
    "opens_at": "opens_at",
    "closes_at": "closes_at",
    "paused": "paused",
}
COST_CHOICES = [
    (CostKind.FREE, "Free"),
    (CostKind.DONATION, "Free, with a suggested donation"),
    (CostKind.PER_SESSION, "A charge per session"),
]


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label, input_formats=TIME_FORMATS, help_text="For example, 10:00 or 14:30."
    )


class SessionForm(forms.Form):
    pattern = forms.ChoiceField(label="How often", choices=PATTERNS, initial="weekly")
    day = forms.TypedChoiceField(
        label="Day of the week",
        choices=[("", "Choose a day"), *Weekday.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    week_of_month = forms.TypedChoiceField(
        label="Which week of the month (monthly only)",
        choices=[("", "Not monthly"), *((str(k), v.capitalize()) for k, v in ORDINALS.items())],
        coerce=int,
        required=False,
        empty_value=None,
    )
    interval = forms.IntegerField(
        label="How many weeks apart (every few weeks only)",
        min_value=1,
        max_value=52,
        required=False,
    )
    date = DateField(
        label="Date",
        required=False,
        help_text="The event's date; for every few weeks, the date of one session.",
    )
    opens_at = _time_field("Starts at")
    closes_at = _time_field("Ends at")
    until = DateField(label="Last date (if it ends)", required=False)
    term_time_only = forms.BooleanField(label="Term time only", required=False)
    paused = forms.CharField(
        max_length=MAX_TEXT,
        label="Dates it does not run",
        required=False,
        widget=forms.Textarea,
        help_text="One a line, as 21/12/2026 or 21/12/2026 to 4/1/2027 (school holidays).",
    )
    description = forms.CharField(label="Notes (optional)", required=False, max_length=300)

    def _paused_ranges(self) -> list[dict[str, str]]:
        ranges = []
        for line in (self.cleaned_data.get("paused") or "").splitlines():
            parts = [part.strip() for part in line.split(" to ") if part.strip()]
            dates = []
            for part in parts[:2]:
                try:
                    day, month, year = (int(x) for x in part.replace("-", "/").split("/"))
                    dates.append(f"{year:04d}-{month:02d}-{day:02d}")
                except ValueError:
                    self.add_error("paused", f"{part!r} is not a date: write it as 21/12/2026.")
                    return []
            if dates:
                ranges.append({"from": dates[0], "to": dates[-1]})
        return ranges

    def as_hsds(self) -> dict[str, Any]:
        data = self.cleaned_data
        pattern, day = data.get("pattern"), data.get("day")
        code = RFC5545_DAYS[day] if day is not None else ""
        session: dict[str, Any] = {
            "opens_at": data.get("opens_at"),
            "closes_at": data.get("closes_at"),
            "until": data.get("until"),
            "term_time_only": data.get("term_time_only"),
            "paused": self._paused_ranges(),
            "description": data.get("description"),
        }
        if pattern == "once":
            session["dtstart"] = data.get("date")
        elif pattern == "monthly":
            ordinal = data.get("week_of_month")
            session.update(freq="MONTHLY", byday=f"{ordinal}{code}" if ordinal and code else "")
        else:
            session.update(freq="WEEKLY", byday=code, dtstart=data.get("date"))
            session["interval"] = (data.get("interval") or 2) if pattern == "every_n_weeks" else 1
        return session

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors or data.get("DELETE"):
            return data
        if data.get("pattern") == "monthly" and not data.get("week_of_month"):
            self.add_error("week_of_month", "Choose which week of the month, such as first.")
            return data
        _, problems = clean_session(self.as_hsds(), field="s")
        for key, message in problems.items():
            name = key.removeprefix("s.").split("[")[0].split(".")[0]
            self.add_error(SESSION_FIELDS.get(name), message)
        return data


class BaseSessionFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this session"


SessionFormSet = forms.formset_factory(
    SessionForm, formset=BaseSessionFormSet, extra=0, can_delete=True
)
# A listing without sessions starts from one blank row, which may stay blank.
FirstSessionFormSet = forms.formset_factory(
    SessionForm, formset=BaseSessionFormSet, extra=1, can_delete=True
)


def session_initial(asset: Asset) -> list[dict[str, Any]]:
    rows = []
    for s in asset.schedules.all():
        once, monthly = s.freq == Frequency.ONCE, s.freq == Frequency.MONTHLY
        pattern = "once" if once else "monthly" if monthly else "weekly"
        if s.freq == Frequency.WEEKLY and s.interval > 1:
            pattern = "every_n_weeks"
        paused = [a if a == b else f"{a} to {b}" for a, b in s.paused or []]
        rows.append(
            {
                "pattern": pattern,
                "day": s.weekday,
                "week_of_month": s.ordinal,
                "interval": s.interval if pattern == "every_n_weeks" else None,
                "date": s.dtstart,
                "opens_at": s.opens_at.strftime("%H:%M"),
                "closes_at": s.closes_at.strftime("%H:%M"),
                "until": s.until if not once else None,
                "term_time_only": s.term_time_only,
                "paused": "\n".join(_uk_dates(p) for p in paused),
                "description": s.description,
            }
        )
    return rows


def _uk_dates(text: str) -> str:
    return " to ".join(
        "/".join(reversed(part.split("-"))) for part in text.split(" to ")
    )  # 2026-12-21 -> 21/12/2026


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
    )
    return initial

"""The sessions section: one formset row per session, checked by the same rules as the API
(directory/schedules.py), so the messages match."""

from typing import Any

from django import forms

from linkwork.directory.models import ORDINALS, RFC5545_DAYS, Asset, Frequency, Weekday
from linkwork.directory.schedules import clean_session
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

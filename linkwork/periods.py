"""Reporting periods: what `?period=` means, and how evidence names it.

Accepted forms (all calendar periods are whole days in the deployment's time zone):

| value           | period                                   | evidence says              |
| --------------- | ---------------------------------------- | -------------------------- |
| (blank)         | the last 12 months, up to now            | "in the last 12 months"    |
| `last-3-months` | the last N months (1–36), up to now      | "in the last 3 months"     |
| `2025`          | the calendar year                        | "in 2025"                  |
| `2025-Q1`       | a calendar quarter (Q1 = January–March)  | "in January to March 2025" |
| `2025-03`       | a calendar month                         | "in March 2025"            |
| `FY2024-25`     | an NHS financial year, April to March    | "in the 2024-25 financial year" |
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext, ngettext

from linkwork.errors import InvalidInput

# English month names for the signed-in pages' own labels (public words use MONTHS,
# translated).
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DEFAULT_PERIOD = "last-12-months"
PERIOD_HELP = (
    "Use last-N-months (e.g. last-12-months), a year (2025), a quarter (2025-Q1), "
    "a month (2025-03) or a financial year (FY2024-25)."
)


@dataclass(frozen=True)
class Period:
    """[start, end): aware datetimes. `code` is the canonical `?period=` value."""

    code: str
    start: dt.datetime
    end: dt.datetime

    @property
    def words(self) -> str:
        """ "in the last 12 months", in the language of the page reading it."""
        return period_words(self.code)

    @property
    def name(self) -> str:
        """ "The last 12 months", in the language of the page reading it."""
        return period_name(self.code)


def _parts(code: str) -> tuple[str, dict]:
    """Which kind of period a canonical code is, with what its words need."""
    if match := re.fullmatch(r"last-(\d+)-months", code):
        return "last", {"months": int(match[1])}
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", code):
        first = 3 * int(match[2]) - 2
        return "quarter", {"first": MONTHS[first], "last": MONTHS[first + 2], "year": match[1]}
    if match := re.fullmatch(r"(\d{4})-(\d{2})", code):
        return "month", {"month": MONTHS[int(match[2])], "year": match[1]}
    if match := re.fullmatch(r"FY(\d{4}-\d{2})", code):
        return "financial", {"years": match[1]}
    return "year", {"year": code}


def period_words(code: str) -> str:
    """How evidence names a period ("in March 2025"), from its canonical code: made when
    read, so each page says it in its own language."""
    kind, parts = _parts(code)
    if kind == "last":
        return (
            ngettext("in the last month", "in the last %(months)s months", parts["months"]) % parts
        )
    return {
        "quarter": gettext("in %(first)s to %(last)s %(year)s"),
        "month": gettext("in %(month)s %(year)s"),
        "financial": gettext("in the %(years)s financial year"),
        "year": gettext("in %(year)s"),
    }[kind] % parts


def period_name(code: str) -> str:
    """A period as a label ("The last 12 months", "January to March 2025")."""
    kind, parts = _parts(code)
    if kind == "last":
        return ngettext("The last month", "The last %(months)s months", parts["months"]) % parts
    return {
        "quarter": gettext("%(first)s to %(last)s %(year)s"),
        "month": gettext("%(month)s %(year)s"),
        "financial": gettext("The %(years)s financial year"),
        "year": "%(year)s",
    }[kind] % parts


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _month_start(year: int, month: int) -> dt.date:
    year += (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


def _calendar(code: str, first: dt.date, months: int) -> Period:
    last = _month_start(first.year, first.month + months)
    return Period(code=code, start=_midnight(first), end=_midnight(last))


def parse_period(value: str | None, *, now: dt.datetime | None = None) -> Period:
    """The period `value` names; InvalidInput naming `period` when it names none."""
    text = (value or "").strip() or DEFAULT_PERIOD
    now = now or timezone.now()
    if match := re.fullmatch(r"last-(\d{1,2})-months?", text, re.IGNORECASE):
        months = int(match[1])
        if 1 <= months <= 36:
            today = timezone.localdate(now)
            # The same day N months back (the 28th at most, so every month has it).
            start = _month_start(today.year, today.month - months).replace(day=min(today.day, 28))
            return Period(code=f"last-{months}-months", start=_midnight(start), end=now)
    elif match := re.fullmatch(r"(\d{4})", text):
        year = int(match[1])
        if 2000 <= year <= 2100:
            return _calendar(text, dt.date(year, 1, 1), 12)
    elif match := re.fullmatch(r"(\d{4})-Q([1-4])", text, re.IGNORECASE):
        year, quarter = int(match[1]), int(match[2])
        if 2000 <= year <= 2100:
            first = 3 * quarter - 2
            return _calendar(f"{year}-Q{quarter}", dt.date(year, first, 1), 3)
    elif match := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(match[1]), int(match[2])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return _calendar(text, dt.date(year, month, 1), 1)
    elif match := re.fullmatch(r"FY(\d{4})-(\d{2})", text, re.IGNORECASE):
        year = int(match[1])
        if 2000 <= year <= 2100 and int(match[2]) == (year + 1) % 100:
            code = f"FY{year}-{match[2]}"
            return _calendar(code, dt.date(year, 4, 1), 12)
    raise InvalidInput({"period": f"“{text[:40]}” is not a period we know. {PERIOD_HELP}"})

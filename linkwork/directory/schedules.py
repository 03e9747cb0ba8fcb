"""Sessions as people run them: recurrence rules, their next dates, and checking input.

A `Schedule` is one weekday's rule (HSDS schedule, RFC 5545 fields): weekly, every *n*
weeks from `dtstart`, monthly on the *n*th or last weekday (`BYDAY=1FR`, `-1TU`), or a
one-off dated event (`freq` ONCE; HSDS gives it a `dtstart` and no `freq`). Paused
dates (school holidays for a term-time group) are skipped. Dates are worked out in
Europe/London on wall-clock times, so a 10:00 session stays at 10:00 across the clock
changes; python-dateutil's `rrule` does the calendar arithmetic.
"""

import heapq
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.utils import dateformat
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext, gettext_lazy

from linkwork.directory.models import RFC5545_DAYS, Frequency, Schedule, Weekday

LONDON = ZoneInfo("Europe/London")
# Every-n-weeks rules imported without a start date count from a fixed Monday.
EPOCH = date(2001, 1, 1)
# How far ahead to look for a date before giving up (all paused, or ended).
HORIZON = timedelta(days=2 * 366)
RRULE_DAYS = [rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU]
BYDAY = re.compile(r"^(-1|\+?[1-4])?(MO|TU|WE|TH|FR|SA|SU)$")


@dataclass(frozen=True, order=True)
class Occurrence:
    starts: datetime
    ends: datetime
    schedule: Schedule


def _paused(schedule: Schedule, day: date) -> bool:
    return any(start <= day.isoformat() <= end for start, end in schedule.paused or [])


def _rule(schedule: Schedule, *, from_day: date) -> Iterable[datetime]:
    """Naive local start times of the schedule from `from_day` on."""
    opens = schedule.opens_at
    if schedule.freq == Frequency.ONCE:
        return [datetime.combine(schedule.dtstart, opens)] if schedule.dtstart else []
    day = RRULE_DAYS[schedule.weekday]
    weekly = schedule.freq == Frequency.WEEKLY
    anchor = schedule.dtstart or (EPOCH if weekly and schedule.interval > 1 else from_day)
    if schedule.interval == 1 or not weekly:
        # Interval-1 rules do not depend on where they started: begin near today.
        anchor = max(anchor, from_day - timedelta(days=1))
    return rrule.rrule(
        rrule.WEEKLY if weekly else rrule.MONTHLY,
        interval=schedule.interval if weekly else 1,
        byweekday=day(schedule.ordinal) if schedule.ordinal and not weekly else day,
        dtstart=datetime.combine(anchor, opens),
        until=datetime.combine(schedule.until, opens) if schedule.until else None,
        cache=False,
    )


def occurrences(schedule: Schedule, *, after: datetime) -> Iterator[Occurrence]:
    """The schedule's sessions starting after `after`, soonest first, paused dates left out."""
    local_after = after.astimezone(LONDON).replace(tzinfo=None)
    horizon = local_after + HORIZON
    for start in _rule(schedule, from_day=local_after.date()):
        if start > horizon:
            return
        if start <= local_after or _paused(schedule, start.date()):
            continue
        yield Occurrence(
            starts=start.replace(tzinfo=LONDON),
            ends=datetime.combine(start.date(), schedule.closes_at, tzinfo=LONDON),
            schedule=schedule,
        )


def next_dates(
    schedules: Iterable[Schedule], *, now: datetime | None = None, count: int = 3
) -> list[Occurrence]:
    """The next `count` sessions across all of a listing's schedules."""
    after = now or datetime.now(tz=LONDON)
    streams = [occurrences(schedule, after=after) for schedule in schedules]
    return list(islice(heapq.merge(*streams, key=lambda o: o.starts), count))


def between(schedules: Iterable[Schedule], *, start: datetime, end: datetime) -> list[Occurrence]:
    """Sessions starting in [start, end): the "what's on this week" view."""
    found = []
    for schedule in schedules:
        for occurrence in occurrences(schedule, after=start - timedelta(microseconds=1)):
            if occurrence.starts >= end:
                break
            found.append(occurrence)
    return sorted(found, key=lambda o: (o.starts, o.schedule.asset_id))


def _clock(moment: time) -> str:
    text = moment.strftime("%-I:%M%p").lower()
    return text.replace(":00", "")


# Each rule's sentence whole, so a language can order it its own way; the day's name
# is Django's (translated with it).
_MONTHLY_ORDINAL = {
    1: gettext_lazy("First %(day)s of the month"),
    2: gettext_lazy("Second %(day)s of the month"),
    3: gettext_lazy("Third %(day)s of the month"),
    4: gettext_lazy("Fourth %(day)s of the month"),
    -1: gettext_lazy("Last %(day)s of the month"),
}


def in_words(schedule: Schedule) -> str:
    """ "First Friday of the month, 10am to 12pm", as the asset page says it (in the
    active language: the person's copy of an offer is in theirs)."""
    day = str(WEEKDAYS[Weekday(schedule.weekday).value])
    times = gettext("%(start)s to %(end)s") % {
        "start": _clock(schedule.opens_at),
        "end": _clock(schedule.closes_at),
    }
    if schedule.freq == Frequency.ONCE:
        when = (
            dateformat.format(schedule.dtstart, "l j F Y")
            if schedule.dtstart
            else gettext("One-off")
        )
    elif schedule.freq == Frequency.MONTHLY and schedule.ordinal in _MONTHLY_ORDINAL:
        when = str(_MONTHLY_ORDINAL[schedule.ordinal]) % {"day": day}
    elif schedule.freq == Frequency.MONTHLY:
        when = gettext("%(day)ss, monthly") % {"day": day}
    elif schedule.interval > 1:
        when = gettext("Every %(count)s weeks on %(day)s") % {
            "count": schedule.interval,
            "day": day,
        }
    else:
        when = gettext("Every %(day)s") % {"day": day}
    extras = []
    if schedule.term_time_only:
        extras.append(gettext("term time only"))
    if schedule.until and schedule.freq != Frequency.ONCE:
        extras.append(
            gettext("until %(date)s") % {"date": dateformat.format(schedule.until, "j F Y")}
        )
    return f"{when}, {times}" + (f" ({', '.join(extras)})" if extras else "")


# --- Checking input -------------------------------------------------------------------


def _parse_time(value: Any) -> time | None:
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def _parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value not in (None, "") else None
    except ValueError:
        return None


def _days(raw: str, *, monthly: bool) -> tuple[list[tuple[int, int | None]], str]:
    """(weekday, ordinal) pairs from an RFC 5545 BYDAY list, or a reason it is wrong."""
    pairs = []
    for token in [part.strip().upper() for part in str(raw or "").split(",") if part.strip()]:
        match = BYDAY.match(token)
        if not match:
            return [], f"{token!r} is not a day: use MO, TU ... SU, or 1FR, -1TU for monthly."
        ordinal = int(match.group(1)) if match.group(1) else None
        if monthly and ordinal is None:
            return [], "Say which week of the month, e.g. 1FR (first Friday), -1TU (last Tuesday)."
        if not monthly and ordinal is not None:
            return [], "Week-of-the-month days (1FR, -1TU) need a monthly rule."
        pairs.append((RFC5545_DAYS.index(match.group(2)), ordinal))
    if not pairs:
        return [], "Say which day of the month, e.g. 1FR." if monthly else "Choose the day."
    return pairs, ""


def _paused_ranges(raw: Any, field: str, errors: dict[str, str]) -> list[list[str]]:
    ranges = []
    for n, item in enumerate(raw or []):
        item = item if isinstance(item, dict) else {}
        start, end = _parse_date(item.get("from")), _parse_date(item.get("to") or item.get("from"))
        if start is None:
            errors[f"{field}[{n}].from"] = "Enter the first date it does not run, as 2026-12-21."
        elif end is None or end < start:
            errors[f"{field}[{n}].to"] = "The last paused date must be on or after the first."
        else:
            ranges.append([start.isoformat(), end.isoformat()])
    return ranges


def clean_session(
    data: dict[str, Any], *, field: str, today: date | None = None
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Schedule rows (one per weekday) from one HSDS-shaped session, or errors by field.

    `freq` WEEKLY or MONTHLY with `byday`; no `freq` (or ONCE) is a one-off event on
    `dtstart`, which must not be in the past.
    """
    today = today or datetime.now(tz=LONDON).date()
    errors: dict[str, str] = {}
    freq = str(data.get("freq") or Frequency.ONCE).upper()
    if freq not in Frequency.values:
        errors[f"{field}.freq"] = "Use WEEKLY or MONTHLY, or leave it out for a one-off event."
    opens, closes = _parse_time(data.get("opens_at")), _parse_time(data.get("closes_at"))
    if opens is None:
        errors[f"{field}.opens_at"] = "Enter the start time, as 10:00."
    if closes is None:
        errors[f"{field}.closes_at"] = "Enter the end time, as 12:00."
    elif opens is not None and closes <= opens:
        errors[f"{field}.closes_at"] = "The end time must be after the start time."
    interval = data.get("interval") or 1
    if not isinstance(interval, int) or not 1 <= interval <= 52:
        errors[f"{field}.interval"] = "Give how many weeks apart, from 1 to 52."
        interval = 1
    dtstart, until = _parse_date(data.get("dtstart")), _parse_date(data.get("until"))
    if data.get("dtstart") and dtstart is None:
        errors[f"{field}.dtstart"] = "Enter the date as 2026-12-04."
    if data.get("until") and until is None:
        errors[f"{field}.until"] = "Enter the date as 2026-12-04."
    if data.get("bymonthday"):
        errors[f"{field}.bymonthday"] = (
            "Monthly by date is not offered: give the weekday of the month in byday, e.g. 1FR."
        )
    pairs: list[tuple[int, int | None]] = []
    if freq == Frequency.ONCE:
        if dtstart is None and f"{field}.dtstart" not in errors:
            errors[f"{field}.dtstart"] = "Enter the date of the event."
        elif dtstart is not None and dtstart < today:
            errors[f"{field}.dtstart"] = "The date of a one-off event cannot be in the past."
        elif dtstart is not None:
            pairs = [(dtstart.weekday(), None)]
    elif freq in Frequency.values:
        pairs, problem = _days(data.get("byday") or "", monthly=freq == Frequency.MONTHLY)
        if problem:
            errors[f"{field}.byday"] = problem
    if freq == Frequency.WEEKLY and interval > 1 and dtstart is None:
        errors.setdefault(
            f"{field}.dtstart", "Give the date of one session, so the weeks are known."
        )
    if dtstart and until and until < dtstart:
        errors[f"{field}.until"] = "The last date must be on or after the first date."
    paused = _paused_ranges(data.get("paused"), f"{field}.paused", errors)
    if errors:
        return [], errors
    common = {
        "opens_at": opens,
        "closes_at": closes,
        "freq": freq,
        "interval": interval if freq == Frequency.WEEKLY else 1,
        "dtstart": dtstart,
        "until": dtstart if freq == Frequency.ONCE else until,
        "term_time_only": bool(data.get("term_time_only")),
        "paused": paused,
        "description": str(data.get("description") or "").strip()[:300],
    }
    return [{**common, "weekday": day, "ordinal": ordinal} for day, ordinal in pairs], {}


def clean_sessions(
    sessions: Iterable[dict[str, Any]], *, field: str = "schedules", today: date | None = None
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """All sessions checked together: every problem named, or every row to write."""
    rows, errors = [], {}
    for n, session in enumerate(sessions):
        cleaned, problems = clean_session(session, field=f"{field}[{n}]", today=today)
        rows += cleaned
        errors.update(problems)
    return ([] if errors else rows), errors


def as_hsds(schedule: Schedule) -> dict[str, Any]:
    """The session in HSDS 3.0 field names (the API's and ORUK's shape)."""
    once = schedule.freq == Frequency.ONCE
    return {
        "id": str(schedule.uuid),
        "freq": None if once else schedule.freq,
        "interval": None if once else schedule.interval,
        "byday": schedule.byday,
        "bymonthday": None,
        "dtstart": schedule.dtstart,
        "until": schedule.until,
        "opens_at": schedule.opens_at,
        "closes_at": schedule.closes_at,
        "description": schedule.description,
        "term_time_only": schedule.term_time_only,
        "paused": [{"from": start, "to": end} for start, end in schedule.paused or []],
        "in_words": in_words(schedule),
    }

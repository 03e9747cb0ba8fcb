"""A record's schedules: RFC 5545 rules and times as Linkwork's sessions."""

import re
from datetime import date, time
from typing import Any

from linkwork.directory.models import RFC5545_DAYS, Frequency
from linkwork.interop.imports.parsing.records import IncomingSchedule
from linkwork.interop.imports.parsing.values import (
    RecordRejected,
    _blank,
    _objects,
    _optional_date,
    _shown,
    _unique,
    _whole_number,
    clip,
    text,
)

BYDAY_PATTERN = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
TIME_PATTERN = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


# --- Schedules -----------------------------------------------------------------------


def _schedules(record: dict) -> list[IncomingSchedule]:
    """Sessions by weekday. Schedules with no weekday or no times (e.g. "by appointment")
    are skipped: Linkwork's schedules are weekly or monthly sessions at set times."""
    raw = _objects(record, "schedules")
    for at_location in _objects(record, "service_at_locations"):
        raw += _objects(at_location, "schedules")
    sessions = []
    for schedule in raw:
        sessions += _sessions(schedule)
    return _unique(sessions)


def _sessions(schedule: dict) -> list[IncomingSchedule]:
    named = text(schedule.get("id")) or text(schedule.get("byday"))
    label = f"schedule {clip(named, 60)}".rstrip()
    opens = _time(schedule.get("opens_at"), label, "opens_at")
    closes = _time(schedule.get("closes_at"), label, "closes_at")
    byday = [day.strip().upper() for day in text(schedule.get("byday")).split(",") if day.strip()]
    if opens and closes and closes <= opens:
        raise RecordRejected(
            f"{label}: closes_at {closes:%H:%M} is not after opens_at {opens:%H:%M}"
        )
    dtstart, until = _rule_dates(schedule, label)
    # HSDS: a schedule with a start date and no freq is a one-off event.
    freq = text(schedule.get("freq")).upper() or (Frequency.ONCE if dtstart else Frequency.WEEKLY)
    if freq not in Frequency.values:
        raise RecordRejected(f"{label}: freq {_shown(freq)} is not WEEKLY or MONTHLY")
    interval = _whole_number(schedule.get("interval"), f"{label}: interval", minimum=1)
    weekdays = []
    for day in byday:
        match = BYDAY_PATTERN.match(day)
        if not match:
            raise RecordRejected(f"{label}: byday {_shown(day)} is not a day such as MO or 1MO")
        weekdays.append((RFC5545_DAYS.index(match.group(2)), _ordinal(match.group(1), freq)))
    if freq == Frequency.ONCE and dtstart and not weekdays:
        weekdays = [(dtstart.weekday(), None)]
    if not (opens and closes and weekdays):
        return []
    description = clip(text(schedule.get("description")), 300)
    return [
        IncomingSchedule(
            day, opens, closes, freq, interval or 1, description, ordinal, dtstart, until
        )
        for day, ordinal in weekdays
    ]


def _ordinal(raw: str | None, freq: str) -> int | None:
    """A monthly rule's week of the month (1..4, or -1 for the last); weekly rules have none."""
    number = int(raw) if raw else None
    return number if freq == Frequency.MONTHLY and number in (1, 2, 3, 4, -1) else None


def _rule_dates(schedule: dict, label: str) -> tuple[date | None, date | None]:
    """dtstart and until (HSDS 3.0; ORUK's valid_from/valid_to when those are missing)."""
    start = _optional_date(schedule.get("dtstart") or schedule.get("valid_from"), "dtstart")
    end = _optional_date(schedule.get("until") or schedule.get("valid_to"), "until")
    if start and end and end < start:
        raise RecordRejected(f"{label}: until {end} is before dtstart {start}")
    return start, end


def _time(raw: Any, label: str, name: str) -> time | None:
    if _blank(raw):
        return None
    match = TIME_PATTERN.match(text(raw))
    hour, minute, second = (int(part or 0) for part in match.groups()[:3]) if match else (99, 0, 0)
    if hour > 23 or minute > 59 or second > 59:
        raise RecordRejected(f"{label}: {name} {_shown(raw)} is not a time such as 10:00")
    return time(hour, minute, second)

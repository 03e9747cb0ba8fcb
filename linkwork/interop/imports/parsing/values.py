"""Reading one raw value of a feed record: text, numbers, dates, with the reason when it
cannot be read."""

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

MAX_AGE = 120


class RecordRejected(Exception):
    """This record cannot be stored; `reason` says why, for the import report."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- Small parsers -------------------------------------------------------------------


def text(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def clip(value: str, length: int) -> str:
    """Free text longer than a field is shortened, marked with an ellipsis."""
    return value if len(value) <= length else value[: length - 1].rstrip() + "\u2026"


def _shown(value: Any) -> str:
    """A value quoted for a report line, shortened when long."""
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_obj(value: Any) -> bool:
    return isinstance(value, dict)


def _objects(record: dict, key: str) -> list[dict]:
    value = record.get(key)
    return [item for item in value if _is_obj(item)] if isinstance(value, list) else []


def _unique(items: Any) -> list:
    return list(dict.fromkeys(items))


def _first_phone(raw: Any) -> str:
    for phone in raw if isinstance(raw, list) else []:
        if _is_obj(phone) and text(phone.get("number")):
            return text(phone.get("number"))
    return ""


def _whole_number(raw: Any, label: str, *, minimum: int = 0) -> int | None:
    if _blank(raw):
        return None
    try:
        number = Decimal(text(raw))
    except InvalidOperation:
        number = Decimal("NaN")
    if isinstance(raw, bool) or not number.is_finite() or number != int(number):
        raise RecordRejected(f"{label} {_shown(raw)} is not a whole number")
    if number < minimum:
        raise RecordRejected(f"{label} {_shown(raw)} must be {minimum} or more")
    return int(number)


def _age(raw: Any, name: str) -> int | None:
    age = _whole_number(raw, name)
    if age is not None and age > MAX_AGE:
        raise RecordRejected(f"{name} {_shown(raw)} must be between 0 and {MAX_AGE}")
    return age


def _optional_date(raw: Any, name: str) -> date | None:
    if _blank(raw):
        return None
    try:
        return date.fromisoformat(text(raw)[:10])
    except ValueError:
        raise RecordRejected(f"{name} {_shown(raw)} is not a date such as 2025-01-31") from None


def midnight(day: date) -> datetime:
    """The start of a feed's date (e.g. assured_date) in the deployment's time zone."""
    return timezone.make_aware(datetime.combine(day, time()))

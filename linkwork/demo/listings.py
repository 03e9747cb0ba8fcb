"""Demo directory listings, read from `data/listings.json` (fictional groups at real
Bolton postcodes; see places/data/README.md).

The file is data: each listing names only what differs from `DEFAULTS`, sessions and
costs in HSDS 3.0 field names (as `POST /api/v1/services` takes them), and dates as days
from the day the demo loads, so a one-off event is always ahead and a DBS check is
always some months old.
"""

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from linkwork.directory.models import CapacityStatus

DATA = Path(__file__).resolve().parent / "data" / "listings.json"

DEFAULTS: dict[str, Any] = {
    "organisation": None,
    "neighbourhoods": [],
    "schedules": [],
    "cost_options": [{"option": "Free", "kind": "free", "amount": "0.00"}],
    "cost_description": "",
    "duration": "",
    "who_for": "",
    "first_visit": "",
    "travel_notes": "",
    "advance_information": "",
    "taster_session": False,
    "welcome_contact_name": "",
    "phone": "",
    "email": "",
    "url": "",
    "online_url": "",
    "online_phone": "",
    "safeguarding": {},
    "borough_wide": False,
    "community_of_interest": "",
    "languages": ["en"],
    "accessibility": [],
    "gender_space": "",
    "referral_method": "linkwork",
    "referral_form_url": "",
    "capacity_note": "",
    "publication": "published",
    "minimum_age": 18,
    "maximum_age": None,
    "capacity": {"status": CapacityStatus.OPEN, "places": None, "period": "week"},
}
# Each safeguarding check is held when its date is given.
SAFEGUARDING = {
    "safeguarding_policy": "safeguarding_policy_reviewed_on",
    "dbs_checked_lead": "dbs_checked_on",
    "insurance": "insurance_until",
    "first_aid": "first_aid_until",
}


def _with_defaults(listing: dict[str, Any]) -> dict[str, Any]:
    full = {**DEFAULTS, **listing}
    capacity = full["capacity"]
    full.update(
        capacity_status=capacity["status"],
        places=capacity["places"],
        places_period=capacity["period"],
        is_free=all(cost["kind"] in ("free", "donation") for cost in full["cost_options"]),
    )
    return full


@cache
def _read() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def organisations() -> list[tuple[str, str]]:
    """(name, kind) of the demo's groups that are not in dataset.ORGANISATIONS."""
    return [(row["name"], row["kind"]) for row in _read()["organisations"]]


def listings() -> list[dict[str, Any]]:
    """Every demo listing with every key (defaults filled in)."""
    return [_with_defaults(listing) for listing in _read()["listings"]]


def _day(days: int | str | None, today: dt.date) -> str | None:
    return None if days is None else (today + dt.timedelta(days=int(days))).isoformat()


def schedules_on(listing: dict[str, Any], today: dt.date) -> list[dict[str, Any]]:
    """The listing's sessions with their day offsets made dates."""
    sessions = []
    for session in listing["schedules"]:
        session = dict(session)
        for key in ("dtstart", "until"):
            if key in session:
                session[key] = _day(session[key], today)
        session["paused"] = [
            {"from": _day(p["from"], today), "to": _day(p["to"], today)}
            for p in session.get("paused", [])
        ]
        sessions.append(session)
    return sessions


def safeguarding_on(listing: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """The four checks and their dates, as the listing's fields."""
    given = listing["safeguarding"]
    fields: dict[str, Any] = {}
    for check, date_field in SAFEGUARDING.items():
        fields[check] = date_field in given
        days = given.get(date_field)
        fields[date_field] = dt.date.fromisoformat(_day(days, today)) if days is not None else None
    return fields


NEW_ORGANISATIONS = organisations()
LISTINGS = listings()

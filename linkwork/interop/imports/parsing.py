"""One HSDS 3.0 / ORUK 3.0 service record → the values Linkwork stores, or a reason why not.

Pure: no database. Anything that cannot be stored faithfully raises `RecordRejected`
with a reason a person can act on (the field, the value, what was expected).
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from linkwork.directory.models import RFC5545_DAYS, Frequency, ReferralMethod, Vocabulary
from linkwork.interop.openreferral import listing_facts
from linkwork.places.postcodes import InvalidPostcode, normalise_postcode

MAX_AGE = 120
ARCHIVED_STATUSES = {"inactive", "defunct"}
STATUSES = {"active", "temporarily closed", *ARCHIVED_STATUSES}
BYDAY_PATTERN = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
TIME_PATTERN = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
REFERRAL_FORM = re.compile(r"Referral form: (https?://\S+)")


class RecordRejected(Exception):
    """This record cannot be stored; `reason` says why, for the import report."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IncomingOrganisation:
    source_id: str
    name: str = ""  # blank when the feed names the organisation only by id
    description: str = ""
    email: str = ""
    website: str = ""
    registered_number: str = ""


@dataclass(frozen=True)
class IncomingLocation:
    name: str
    address_1: str
    city: str
    postcode: str
    latitude: float | None
    longitude: float | None
    accessibility_notes: str
    # An online option: HSDS location_type "virtual", with its link or phone.
    location_type: str = "physical"
    url: str = ""
    phone: str = ""


@dataclass(frozen=True, order=True)
class IncomingSchedule:
    weekday: int
    opens_at: time
    closes_at: time
    freq: str
    interval: int
    description: str
    # RFC 5545 fields beyond the weekday: "first Friday" (1), a one-off event's date.
    ordinal: int | None = None
    dtstart: date | None = None
    until: date | None = None


@dataclass(frozen=True, order=True)
class IncomingContact:
    name: str
    title: str
    phone: str
    email: str


@dataclass(frozen=True, order=True)
class IncomingCost:
    option: str
    amount: Decimal | None
    amount_description: str


@dataclass(frozen=True)
class IncomingTerm:
    id: str
    code: str
    name: str
    description: str
    taxonomy_id: str = ""
    taxonomy_name: str = ""
    taxonomy_description: str = ""
    taxonomy_uri: str = ""
    taxonomy_version: str = ""
    vocabulary: str = ""  # "need" or "activity" when the attribute's link_type says


@dataclass
class IncomingService:
    source_id: str
    # Asset fields the feed owns: an import overwrites them. Fields the feed cannot
    # express (capacity, safeguarding, first visit...) are left as curators set them.
    values: dict[str, Any]
    archived: bool = False
    # referral_method and referral_form_url when the feed says; otherwise the listing keeps
    # its own (new listings: phone first).
    referral: dict[str, str] = field(default_factory=dict)
    verified_on: date | None = None
    organisation: IncomingOrganisation | None = None
    locations: list[IncomingLocation] = field(default_factory=list)
    schedules: list[IncomingSchedule] = field(default_factory=list)
    contacts: list[IncomingContact] = field(default_factory=list)
    cost_options: list[IncomingCost] = field(default_factory=list)
    terms: list[IncomingTerm] = field(default_factory=list)


def record_id(record: Any, position: int) -> str:
    """How the report names a record: its id, or its place in the feed."""
    if isinstance(record, dict) and text(record.get("id")):
        return clip(text(record.get("id")), 100)
    return f"record {position}"


def parse_service(record: Any) -> IncomingService:
    """The listing this service record describes. Raises RecordRejected."""
    if not isinstance(record, dict):
        raise RecordRejected("a service must be a JSON object")
    source_id = text(record.get("id"))
    if not source_id:
        raise RecordRejected("id is required")
    name = text(record.get("name"))
    if not name:
        raise RecordRejected("name is required")
    description = text(record.get("description"))
    if not description:
        raise RecordRejected("description is required: a listing needs a sentence or two")
    status = text(record.get("status")).lower() or "active"
    if status not in STATUSES:
        raise RecordRejected(f"status {_shown(status)} is not one of {', '.join(sorted(STATUSES))}")
    cost_options = _unique(_cost_option(option) for option in _objects(record, "cost_options"))
    return IncomingService(
        source_id=source_id,
        values={
            **_asset_values(record, name, description, cost_options),
            **listing_facts.read(_objects(record, "attributes")),
        },
        archived=status in ARCHIVED_STATUSES,
        referral=_referral(record.get("application_process")),
        verified_on=_optional_date(record.get("assured_date"), "assured_date"),
        organisation=_organisation(record),
        locations=_locations(record),
        schedules=_schedules(record),
        contacts=_contacts(record.get("contacts")),
        cost_options=cost_options,
        terms=_terms(record),
    )


def _asset_values(
    record: dict, name: str, description: str, costs: list[IncomingCost]
) -> dict[str, Any]:
    minimum = _age(record.get("minimum_age"), "minimum_age")
    maximum = _age(record.get("maximum_age"), "maximum_age")
    if minimum is not None and maximum is not None and minimum > maximum:
        raise RecordRejected(f"maximum_age {maximum} is below minimum_age {minimum}")
    values = {
        "name": name,
        "description": description,
        "url": text(record.get("url")),
        "email": text(record.get("email")),
        "minimum_age": minimum,
        "maximum_age": maximum,
        # Free unless some option costs money (or costs an amount the feed does not give).
        "is_free": all(cost.amount == 0 for cost in costs),
        "cost_description": clip(
            text(record.get("fees_description")) or text(record.get("fees")), 300
        ),
    }
    # The UK profile has no service phones or eligibility: a record without them leaves
    # the listing's own; one with them (HSDS 3.0, a data package) sets them, even to blank.
    if "phones" in record:
        values["phone"] = _first_phone(record.get("phones"))
    if "eligibility_description" in record:
        values["who_for"] = clip(text(record.get("eligibility_description")), 300)
    languages = _language_codes(record.get("languages"))
    if languages:
        values["language_codes"] = languages
    return values


def _referral(raw: Any) -> dict[str, str]:
    """Linkwork's own feed and exports say how to refer in application_process:
    "Phone first." or "Their own referral form. Referral form: https://...". Other
    feeds' words are left alone (the listing keeps its method)."""
    words = text(raw)
    for method in ReferralMethod:
        if words.lower() == method.value or words.lower().startswith(method.label.lower()):
            form = REFERRAL_FORM.search(words) if method == ReferralMethod.OWN_FORM else None
            return {"referral_method": method.value, "referral_form_url": form[1] if form else ""}
    return {}


def _organisation(record: dict) -> IncomingOrganisation | None:
    nested = record.get("organization")
    if isinstance(nested, dict) and text(nested.get("id")):
        name = text(nested.get("name"))
        if not name:
            raise RecordRejected(f"organization {text(nested.get('id'))}: name is required")
        identifiers = [i for i in nested.get("organization_identifiers") or [] if _is_obj(i)]
        return IncomingOrganisation(
            source_id=text(nested.get("id")),
            name=name,
            description=text(nested.get("description")),
            email=text(nested.get("email")),
            website=text(nested.get("website")),
            registered_number=text(identifiers[0].get("identifier")) if identifiers else "",
        )
    if text(record.get("organization_id")):
        return IncomingOrganisation(source_id=text(record.get("organization_id")))
    return None


# --- Locations -----------------------------------------------------------------------


def _locations(record: dict) -> list[IncomingLocation]:
    found = []
    for at_location in _objects(record, "service_at_locations"):
        location = at_location.get("location")
        if _is_obj(location) and location.get("location_type") == "virtual":
            found.append(_virtual_location(location))
        elif _is_obj(location):
            found.append(_location(location))
    return _unique(found)


def _location(location: dict) -> IncomingLocation:
    label = clip(text(location.get("name")) or text(location.get("id")) or "a location", 60)
    addresses = _objects(location, "addresses")
    physical = [a for a in addresses if text(a.get("address_type")) in ("", "physical")]
    address = (physical or addresses or [{}])[0]
    postcode = text(address.get("postal_code"))
    if postcode:
        try:
            postcode = normalise_postcode(postcode)
        except InvalidPostcode:
            raise RecordRejected(
                f"location {label!r}: postcode {_shown(postcode)} is not a valid UK postcode"
            ) from None
    street = ", ".join(p for p in (text(address.get(k)) for k in ("address_1", "address_2")) if p)
    notes = [
        " ".join(p for p in (text(a.get("description")), text(a.get("details"))) if p)
        for a in _objects(location, "accessibility")
    ]
    latitude = _coordinate(location.get("latitude"), 90, label, "latitude")
    longitude = _coordinate(location.get("longitude"), 180, label, "longitude")
    if (latitude is None) != (longitude is None):
        raise RecordRejected(f"location {label!r}: give both latitude and longitude, or neither")
    return IncomingLocation(
        name=text(location.get("name")),
        address_1=street,
        city=text(address.get("city")),
        postcode=postcode,
        latitude=latitude,
        longitude=longitude,
        accessibility_notes="\n".join(note for note in notes if note),
    )


def _virtual_location(location: dict) -> IncomingLocation:
    """An online option: its link (HSDS 3.0 `url`, https only) and any phone number
    Linkwork's own feed puts in the description ("By phone: 01204 ...")."""
    label = clip(text(location.get("name")) or text(location.get("id")) or "a location", 60)
    url = text(location.get("url"))
    if url and not re.match(r"^https://[^\s/]+\.[^\s]+$", url):
        raise RecordRejected(f"location {label!r}: url {_shown(url)} is not a secure https link")
    phone = re.search(r"By phone: ([0-9 +()-]{6,32})", text(location.get("description")))
    return IncomingLocation(
        name=clip(text(location.get("name")), 200) or "Online",
        address_1="",
        city="",
        postcode="",
        latitude=None,
        longitude=None,
        accessibility_notes="",
        location_type="virtual",
        url=clip(url, 200),
        phone=phone.group(1).strip() if phone else "",
    )


def _coordinate(raw: Any, limit: int, label: str, name: str) -> float | None:
    if _blank(raw):
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise RecordRejected(f"location {label!r}: {name} {_shown(raw)} is not a number") from None
    if not -limit <= value <= limit:
        raise RecordRejected(f"location {label!r}: {name} {_shown(raw)} is not between ±{limit}")
    return value


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


# --- Contacts, costs, languages and terms -------------------------------------------


def _contacts(raw: Any) -> list[IncomingContact]:
    contacts = []
    for contact in raw if isinstance(raw, list) else []:
        if not _is_obj(contact):
            continue
        name = text(contact.get("name")) or text(contact.get("title")) or "Contact"
        contacts.append(
            IncomingContact(
                name=name,
                title=text(contact.get("title")),
                phone=_first_phone(contact.get("phones")),
                email=text(contact.get("email")),
            )
        )
    return _unique(contacts)


def _cost_option(option: dict) -> IncomingCost:
    label = clip(text(option.get("option")) or text(option.get("id")) or "cost option", 60)
    amount = None
    if not _blank(option.get("amount")):
        try:
            amount = Decimal(text(option.get("amount")))
            if not amount.is_finite():
                raise InvalidOperation
            amount = amount.quantize(Decimal("0.01"), ROUND_HALF_UP)
        except InvalidOperation:
            raise RecordRejected(
                f"cost option {label!r}: amount {_shown(option.get('amount'))} is not a number"
            ) from None
        if amount < 0:
            raise RecordRejected(f"cost option {label!r}: amount {amount} is negative")
        if amount >= 1_000_000:
            raise RecordRejected(f"cost option {label!r}: amount {amount} is too large")
    return IncomingCost(
        option=clip(text(option.get("option")), 200) or ("Free" if amount == 0 else "Cost"),
        amount=amount,
        amount_description=clip(text(option.get("amount_description")), 200),
    )


def _language_codes(raw: Any) -> str:
    codes = []
    for language in raw if isinstance(raw, list) else []:
        code = text(language.get("code")).lower() if _is_obj(language) else ""
        if LANGUAGE_CODE.match(code) and code not in codes:
            codes.append(code)
    return f",{','.join(codes)}," if codes else ""


def _terms(record: dict) -> list[IncomingTerm]:
    terms = []
    for attribute in _objects(record, "attributes"):
        if text(attribute.get("link_entity")) not in ("", "service"):
            continue
        if listing_facts.fact_of(attribute):  # read into the listing's own fields
            continue
        term = attribute.get("taxonomy_term") if _is_obj(attribute.get("taxonomy_term")) else {}
        detail = term.get("taxonomy_detail") if _is_obj(term.get("taxonomy_detail")) else {}
        link_type = text(attribute.get("link_type")).lower()
        incoming = IncomingTerm(
            id=text(term.get("id")) or text(attribute.get("taxonomy_term_id")),
            code=text(term.get("code")),
            name=text(term.get("name")) or text(term.get("term")),
            description=text(term.get("description")),
            taxonomy_id=text(detail.get("id")) or text(term.get("taxonomy_id")),
            taxonomy_name=text(detail.get("name")) or text(term.get("taxonomy")),
            taxonomy_description=text(detail.get("description")),
            taxonomy_uri=text(detail.get("uri")),
            taxonomy_version=text(detail.get("version")),
            vocabulary=link_type if link_type in Vocabulary.values else "",
        )
        if incoming.id or incoming.code or incoming.name:
            terms.append(incoming)
    return _unique(terms)


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

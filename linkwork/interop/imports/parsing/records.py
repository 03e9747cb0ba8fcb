"""What one service record becomes: the values Linkwork stores, as plain data."""

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from typing import Any


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

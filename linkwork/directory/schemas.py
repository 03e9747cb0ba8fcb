"""API shapes for the directory (DESIGN.md §9: /api/v1/services)."""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

CapacityStatusIn = Literal["open", "waitlist", "full", "paused"]
ReferralMethodIn = Literal["linkwork", "phone_first", "own_form", "drop_in"]


GenderSpaceIn = Literal["", "women", "men"]


class ScheduleIn(Schema):
    """A session in HSDS 3.0 schedule field names (RFC 5545 rules). Values are checked
    in directory/schedules.py so each problem is named as `schedules[n].field`."""

    freq: str | None = None
    interval: int | None = None
    byday: str | None = None
    bymonthday: str | int | None = None
    dtstart: str | None = None
    until: str | None = None
    opens_at: str | None = None
    closes_at: str | None = None
    description: str | None = None
    term_time_only: bool = False
    paused: list[dict[str, Any]] = Field(default_factory=list)


class CostOptionIn(Schema):
    """An HSDS cost option; `kind` (free, donation, per_session, concession, other) is
    read from `option` when left out."""

    amount: Decimal | str | None = None
    currency: str | None = "GBP"
    option: str | None = None
    amount_description: str | None = None
    kind: str | None = None


class ScheduleOut(Schema):
    id: str
    freq: str | None
    interval: int | None
    byday: str
    bymonthday: str | None
    dtstart: date | None
    until: date | None
    opens_at: time
    closes_at: time
    description: str
    term_time_only: bool
    paused: list[dict[str, str]]
    in_words: str


class CostOptionOut(Schema):
    kind: str
    option: str
    amount: Decimal | None
    currency: str
    amount_description: str
    in_words: str


class ServiceOut(Schema):
    id: int
    name: str
    description: str
    kind: str
    organization_id: int | None
    organization_name: str | None
    categories: list[str]
    postcode: str | None
    borough_wide: bool
    community_of_interest: str
    referral_method: str
    capacity_status: str
    places: int | None
    places_period: str
    last_verified: datetime | None
    stale: bool
    publication: str
    distance_km: float | None = None
    # Everything the asset page shows (issue 13).
    url: str = ""
    email: str = ""
    phone: str = ""
    who_for: str = ""
    gender_space: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    is_free: bool = True
    cost_description: str = ""
    cost_options: list[CostOptionOut] = []
    languages: list[str] = []
    accessibility: list[str] = []
    accessibility_notes: str = ""
    first_visit: str = ""
    taster_session: bool = False
    welcome_contact_name: str = ""
    travel_notes: str = ""
    duration: str = ""
    online_url: str = ""
    online_phone: str = ""
    safeguarding_policy: bool = False
    safeguarding_policy_reviewed_on: date | None = None
    dbs_checked_lead: bool = False
    dbs_checked_on: date | None = None
    insurance: bool = False
    insurance_until: date | None = None
    first_aid: bool = False
    first_aid_until: date | None = None
    referral_form_url: str = ""
    advance_information: str = ""
    neighbourhoods: list[str] = []
    schedules: list[ScheduleOut] = []
    next_dates: list[datetime] = []


class ServicePage(Schema):
    count: int
    page: int
    per_page: int
    results: list[ServiceOut]


class ServiceIn(Schema):
    organization_id: int
    name: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1)
    categories: list[str] = Field(default_factory=list)
    postcode: str | None = None
    borough_wide: bool = False
    referral_method: ReferralMethodIn = "linkwork"
    referral_form_url: str = ""
    kind: Literal["activity", "group", "advice", "venue", "green_space", "skill"] = "activity"
    community_of_interest: str = ""
    is_free: bool = True
    minimum_age: int | None = Field(None, ge=0, le=120)
    maximum_age: int | None = Field(None, ge=0, le=120)
    languages: list[str] | None = None
    accessibility: list[str] | None = None
    neighbourhoods: list[str] | None = None
    url: str | None = None
    email: str | None = None
    phone: str | None = Field(None, max_length=32)
    who_for: str | None = Field(None, max_length=300)
    gender_space: GenderSpaceIn | None = None
    cost_description: str | None = Field(None, max_length=300)
    cost_options: list[CostOptionIn] | None = None
    accessibility_notes: str | None = None
    first_visit: str | None = None
    taster_session: bool | None = None
    welcome_contact_name: str | None = Field(None, max_length=200)
    travel_notes: str | None = None
    duration: str | None = Field(None, max_length=200)
    online_url: str | None = None
    online_phone: str | None = Field(None, max_length=32)
    safeguarding_policy: bool | None = None
    safeguarding_policy_reviewed_on: date | None = None
    dbs_checked_lead: bool | None = None
    dbs_checked_on: date | None = None
    insurance: bool | None = None
    insurance_until: date | None = None
    first_aid: bool | None = None
    first_aid_until: date | None = None
    advance_information: str | None = None
    schedules: list[ScheduleIn] | None = None


class ServicePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, min_length=1)
    categories: list[str] | None = None
    postcode: str | None = None
    borough_wide: bool | None = None
    referral_method: ReferralMethodIn | None = None
    referral_form_url: str | None = None
    community_of_interest: str | None = None
    is_free: bool | None = None
    minimum_age: int | None = Field(None, ge=0, le=120)
    maximum_age: int | None = Field(None, ge=0, le=120)
    languages: list[str] | None = None
    accessibility: list[str] | None = None
    neighbourhoods: list[str] | None = None
    url: str | None = None
    email: str | None = None
    kind: Literal["activity", "group", "advice", "venue", "green_space", "skill"] | None = None
    phone: str | None = Field(None, max_length=32)
    who_for: str | None = Field(None, max_length=300)
    gender_space: GenderSpaceIn | None = None
    cost_description: str | None = Field(None, max_length=300)
    cost_options: list[CostOptionIn] | None = None
    accessibility_notes: str | None = None
    first_visit: str | None = None
    taster_session: bool | None = None
    welcome_contact_name: str | None = Field(None, max_length=200)
    travel_notes: str | None = None
    duration: str | None = Field(None, max_length=200)
    online_url: str | None = None
    online_phone: str | None = Field(None, max_length=32)
    safeguarding_policy: bool | None = None
    safeguarding_policy_reviewed_on: date | None = None
    dbs_checked_lead: bool | None = None
    dbs_checked_on: date | None = None
    insurance: bool | None = None
    insurance_until: date | None = None
    first_aid: bool | None = None
    first_aid_until: date | None = None
    advance_information: str | None = None
    schedules: list[ScheduleIn] | None = None


class CapacityIn(Schema):
    status: CapacityStatusIn
    places: int | None = Field(None, ge=0)
    note: str | None = Field(None, max_length=300)

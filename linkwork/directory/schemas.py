"""API shapes for the directory (DESIGN.md §9: /api/v1/services)."""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from linkwork.paging import PageParams
from linkwork.schemas import MAX_LIST, Code, Input, Name, Note, NotNull, Patch

CapacityStatusIn = Literal["open", "waitlist", "full", "paused"]
ReferralMethodIn = Literal["linkwork", "phone_first", "own_form", "drop_in"]


GenderSpaceIn = Literal["", "women", "men"]


class ScheduleIn(Input):
    """A session in HSDS 3.0 schedule field names (RFC 5545 rules). Values are checked
    in directory/schedules.py so each problem is named as `schedules[n].field`; unknown
    fields are still refused here."""

    freq: str | None = Field(None, max_length=16)
    interval: int | None = Field(None, ge=1, le=52)
    byday: str | None = Field(None, max_length=100)
    # The length applies to the text form only (a number has none: a 500 found by fuzzing).
    bymonthday: Annotated[str, Field(max_length=100)] | int | None = None
    dtstart: str | None = Field(None, max_length=32)
    until: str | None = Field(None, max_length=32)
    opens_at: str | None = Field(None, max_length=16)
    closes_at: str | None = Field(None, max_length=16)
    description: str | None = Field(None, max_length=500)
    term_time_only: bool = False
    paused: list[dict[str, Any]] = Field(default_factory=list, max_length=100)


class CostOptionIn(Input):
    """An HSDS cost option; `kind` (free, donation, per_session, concession, other) is
    read from `option` when left out."""

    amount: Decimal | str | None = None  # checked in directory/listing_edit.py
    currency: str | None = Field("GBP", max_length=3)
    option: str | None = Field(None, max_length=200)
    amount_description: str | None = Field(None, max_length=300)
    kind: str | None = Field(None, max_length=16)


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
    may_reopen_on: date | None = None
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


class SearchParams(PageParams):
    q: str = Field("", max_length=200)
    postcode: str = Field("", max_length=10)
    within_km: float | None = Field(None, gt=0, le=100)
    category: list[Code] = Field([], max_length=MAX_LIST)
    activity: list[Code] = Field([], max_length=MAX_LIST)
    day: int | None = Field(None, ge=0, le=6, description="0 Monday to 6 Sunday")
    time_of_day: Literal["", "morning", "afternoon", "evening"] = ""
    free_only: bool = False
    accessibility: list[Code] = Field([], max_length=MAX_LIST)
    language: str = Field("", max_length=3)
    community: str = Field("", max_length=200)
    open_only: bool = False
    include_stale: bool = True


Codes = list[Code]


class ListingDetailsIn(Schema):
    """Everything else the asset page shows, the same in a new listing and a change to
    one: each optional, and left as it is when not given."""

    url: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=32)
    who_for: str | None = Field(None, max_length=300)
    gender_space: GenderSpaceIn | None = None
    cost_description: str | None = Field(None, max_length=300)
    cost_options: list[CostOptionIn] | None = Field(None, max_length=20)
    accessibility_notes: Note | None = None
    first_visit: Note | None = None
    taster_session: bool | None = None
    welcome_contact_name: str | None = Field(None, max_length=200)
    travel_notes: Note | None = None
    duration: str | None = Field(None, max_length=200)
    online_url: str | None = Field(None, max_length=500)
    online_phone: str | None = Field(None, max_length=32)
    safeguarding_policy: bool | None = None
    safeguarding_policy_reviewed_on: date | None = None
    dbs_checked_lead: bool | None = None
    dbs_checked_on: date | None = None
    insurance: bool | None = None
    insurance_until: date | None = None
    first_aid: bool | None = None
    first_aid_until: date | None = None
    advance_information: Note | None = None
    schedules: list[ScheduleIn] | None = Field(None, max_length=50)


class ServiceIn(Input, ListingDetailsIn):
    organization_id: int
    name: Name
    description: Note = Field(..., min_length=1)
    categories: Codes = Field([], max_length=MAX_LIST)
    postcode: str | None = Field(None, max_length=10)
    borough_wide: bool = False
    referral_method: ReferralMethodIn = "linkwork"
    referral_form_url: str = Field("", max_length=200)
    kind: Literal["activity", "group", "advice", "venue", "green_space", "skill"] = "activity"
    community_of_interest: str = Field("", max_length=200)
    is_free: bool = True
    minimum_age: int | None = Field(None, ge=0, le=120)
    maximum_age: int | None = Field(None, ge=0, le=120)
    languages: Codes | None = Field(None, max_length=MAX_LIST)
    accessibility: Codes | None = Field(None, max_length=MAX_LIST)
    neighbourhoods: Codes | None = Field(None, max_length=MAX_LIST)


class ServicePatch(Patch, ListingDetailsIn):
    """Only the fields given change. The listing's own columns cannot be emptied with
    null (a 422 naming the field); null for a list or the postcode leaves it unchanged."""

    name: Name = NotNull()
    description: Note = NotNull(min_length=1)
    categories: Codes | None = Field(None, max_length=MAX_LIST)
    postcode: str | None = Field(None, max_length=10)
    borough_wide: bool = NotNull()
    referral_method: ReferralMethodIn = NotNull()
    referral_form_url: str = NotNull(max_length=200)
    community_of_interest: str = NotNull(max_length=200)
    is_free: bool = NotNull()
    minimum_age: int | None = Field(None, ge=0, le=120)
    maximum_age: int | None = Field(None, ge=0, le=120)
    languages: Codes | None = Field(None, max_length=MAX_LIST)
    accessibility: Codes | None = Field(None, max_length=MAX_LIST)
    neighbourhoods: Codes | None = Field(None, max_length=MAX_LIST)
    kind: Literal["activity", "group", "advice", "venue", "green_space", "skill"] | None = None


class CapacityIn(Input):
    status: CapacityStatusIn
    places: int | None = Field(None, ge=0, le=100_000)
    note: str | None = Field(None, max_length=300)
    # When a full or paused listing may take people again (cleared on opening).
    may_reopen_on: date | None = None

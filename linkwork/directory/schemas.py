"""API shapes for the directory (DESIGN.md §9: /api/v1/services)."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from linkwork.paging import PageParams
from linkwork.schemas import MAX_LIST, Code, Input, Name, Note, NotNull, Patch

CapacityStatusIn = Literal["open", "waitlist", "full", "paused"]
ReferralMethodIn = Literal["linkwork", "phone_first", "own_form", "drop_in"]


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


class ServiceIn(Input):
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


class ServicePatch(Patch):
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


class CapacityIn(Input):
    status: CapacityStatusIn
    places: int | None = Field(None, ge=0, le=100_000)
    note: str | None = Field(None, max_length=300)

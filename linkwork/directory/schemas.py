"""API shapes for the directory (DESIGN.md §9: /api/v1/services)."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

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


class CapacityIn(Schema):
    status: CapacityStatusIn
    places: int | None = Field(None, ge=0)
    note: str | None = Field(None, max_length=300)

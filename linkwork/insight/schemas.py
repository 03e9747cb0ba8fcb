"""API shapes for insight (DESIGN.md §9). Counts of people are published figures: null
when withheld, and the field is then named in `suppressed`."""

from ninja import Field, Schema

from linkwork.paging import PageParams


class GapParams(PageParams):
    area: str = Field("", max_length=32, description="Any area code: LSOA, neighbourhood, ward...")
    category: str = Field("", max_length=64, description="A need category or activity type code.")
    period: str = Field(
        "", max_length=20, description="last-12-months (default), 2025, 2025-Q1, 2025-03, FY2024-25"
    )
    level: str = Field(
        "",
        max_length=16,
        description="lsoa or neighbourhood (default: the area's own, else neighbourhood)",
    )
    limit: int | None = Field(None, ge=1, le=10_000, description="Keep only the top rows.")


class GapOut(Schema):
    rank: int
    area_code: str
    area_name: str
    category: str
    category_name: str
    demand: int | None
    supply: int
    unmet: int | None
    waitlisted: int | None
    interests: int | None
    need: int | None
    score: float | None
    open_listings: int
    open_sessions_per_week: float
    stale_listings: int
    imd_weight: float
    evidence: str
    suppressed: list[str]

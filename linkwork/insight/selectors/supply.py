"""Supply: listings, sessions a week and open places by area and category (a listing
serves its coverage area; borough-wide listings serve every area)."""

from dataclasses import dataclass

from linkwork.insight.selectors.scope import (
    NO_SUPPLY,
    InsightScope,
)

# --- Supply -----------------------------------------------------------------------------


@dataclass(slots=True)
class SupplyRow:
    """Published listings serving one area × category now (not about people: exact).

    listings: published listings serving the area by coverage, address or borough-wide
    (borough_wide_listings of them); open_listings taking new people; closed_listings
    full, paused or with a waiting list; sessions_per_week timetabled; open sessions a week
    (a listing with no timetable counts as one); open places a week; stale_listings not
    verified within LISTING_STALE_AFTER_DAYS."""

    area_code: str
    area_name: str
    category: str
    category_name: str
    vocabulary: str
    listings: int
    borough_wide_listings: int
    open_listings: int
    closed_listings: int
    sessions_per_week: float
    open_sessions_per_week: float
    open_places_per_week: int
    stale_listings: int


def supply(scope: InsightScope) -> list[SupplyRow]:
    """Every area × category in scope that at least one listing serves."""
    borough_wide = scope.borough_wide_supply
    terms = [scope.category.id] if scope.category else list(scope.categories)
    rows = []
    for area_id, area in sorted(scope.areas.items(), key=lambda item: item[1].name):
        for term in terms:
            figures = scope.supply_for((area_id, term))
            if not figures.listings:
                continue
            category = scope.categories[term]
            rows.append(
                SupplyRow(
                    area_code=area.code,
                    area_name=area.name,
                    category=category.code,
                    category_name=category.name,
                    vocabulary=category.vocabulary,
                    listings=figures.listings,
                    borough_wide_listings=borough_wide.get(term, NO_SUPPLY).listings,
                    open_listings=figures.open_listings,
                    closed_listings=figures.closed_listings,
                    sessions_per_week=figures.sessions_per_week,
                    open_sessions_per_week=figures.open_sessions_per_week,
                    open_places_per_week=figures.open_places_per_week,
                    stale_listings=figures.stale_listings,
                )
            )
    return rows

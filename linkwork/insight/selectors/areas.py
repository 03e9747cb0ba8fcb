"""Values per area for the map: a gap score or a published count of people."""

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from linkwork.disclosure import (
    publish_rate,
)
from linkwork.errors import InvalidInput
from linkwork.insight.geography import AreaInfo
from linkwork.insight.selectors.gaps import (
    GapRow,
    gaps,
)
from linkwork.insight.selectors.scope import (
    InsightScope,
    _cell,
)

# --- Map --------------------------------------------------------------------------------


# English for the API; the pages show them through gettext (marked here).
MAP_MEASURES = {
    "gap_score": gettext_noop("Gap score (the biggest gap in the area)"),
    "need": gettext_noop("Unmet, waiting or interested people"),
    "people_referred": gettext_noop("People referred"),
    "referral_rate": gettext_noop("People referred per 1,000 residents"),
    "referred": gettext_noop("People referred with this need"),
    "unmet": gettext_noop("Unmet needs"),
    "waitlisted": gettext_noop("People put on a waiting list"),
    "interests": gettext_noop("Open interests"),
    "listings": gettext_noop("Listings serving the area"),
    "open_sessions_per_week": gettext_noop("Open sessions a week"),
}


@dataclass(slots=True)
class AreaValue:
    """One area's value of a map measure (None = withheld; `category`: for the gap score
    without a category, the category of the area's biggest gap)."""

    area_code: str
    area_name: str
    value: float | int | None
    category: str | None = None


def measure_by_area(scope: InsightScope, measure: str) -> list[AreaValue]:
    """A value per area in scope, for a choropleth. Measures: MAP_MEASURES. Without a
    category, people measures are totals over categories (needs, not people) and supply
    measures count a listing once per category it is in."""
    if measure not in MAP_MEASURES:
        raise InvalidInput({"measure": f"Choose one of: {', '.join(MAP_MEASURES)}."})
    if measure in ("gap_score", "need"):
        return _gap_measure(scope, measure)
    if measure in ("people_referred", "referral_rate"):
        return _people_measure(scope, measure)
    values: dict[int, float | int | None] = {}
    for area_id in scope.areas:
        terms = [scope.category.id] if scope.category else list(scope.categories)
        if measure in ("listings", "open_sessions_per_week"):
            total = sum(getattr(scope.supply_for((area_id, t)), measure) for t in terms)
            values[area_id] = round(total, 2) if isinstance(total, float) else total
        else:
            table = getattr(scope.published, measure)
            values[area_id] = (
                _cell(table, area_id, scope.category.id)
                if scope.category
                else table.row_totals.get(area_id, 0)
            )
    return [AreaValue(info.code, info.name, values[pk]) for pk, info in _by_name(scope)]


def _by_name(scope: InsightScope) -> list[tuple[int, AreaInfo]]:
    return sorted(scope.areas.items(), key=lambda item: item[1].name)


def _gap_measure(scope: InsightScope, measure: str) -> list[AreaValue]:
    top: dict[str, GapRow] = {}
    for row in gaps(scope):  # ranked: the first row seen for an area is its biggest gap
        top.setdefault(row.area_code, row)
    result = []
    for _, info in _by_name(scope):
        row = top.get(info.code)
        value = getattr(row, "score" if measure == "gap_score" else measure) if row else 0
        result.append(AreaValue(info.code, info.name, value, row.category if row else None))
    return result


def _people_measure(scope: InsightScope, measure: str) -> list[AreaValue]:
    table, raw = scope.published.people, scope.demand_counts.people
    result = []
    for pk, info in _by_name(scope):
        count = table.row_totals.get(pk, 0)
        if measure == "referral_rate":
            rate = (
                None
                if count is None
                else publish_rate(raw.get(pk, 0), info.population or 0, rule=scope.rule)
            )
            result.append(AreaValue(info.code, info.name, rate))
        else:
            result.append(AreaValue(info.code, info.name, count))
    return result

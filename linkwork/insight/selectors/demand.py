"""Demand: people referred, declined, returned, needs unmet, waiting lists and interests
by area and category, published."""

from dataclasses import dataclass

from linkwork.insight import queries
from linkwork.insight.selectors.gaps import (
    _gap_keys,
)
from linkwork.insight.selectors.scope import (
    InsightScope,
    _cell,
)
from linkwork.periods import Period

# --- Demand -----------------------------------------------------------------------------


@dataclass(slots=True)
class DemandRow:
    """Published counts of people for one area × category in the period.

    referred: referred with this need; declined / returned: of them, referrals the service
    declined or returned (their free-text reasons are never published: they are about
    one person); unmet: unmet needs, and `unmet_by_reason` {reason code: count};
    waitlisted: put on a waiting list; interests: open interests in an activity type.
    """

    area_code: str
    area_name: str
    category: str
    category_name: str
    vocabulary: str
    referred: int | None
    declined: int | None
    returned: int | None
    unmet: int | None
    unmet_by_reason: dict[str, int | None]
    waitlisted: int | None
    interests: int | None
    suppressed: tuple[str, ...]


DEMAND_MEASURES = ("referred", "declined", "returned", "unmet", "waitlisted", "interests")


@dataclass(frozen=True)
class DemandReport:
    """rows: every area × category in scope with any demand.
    people_by_area: {area code: people referred for anything} (each person once).
    totals_by_category: {category code: {measure: total over the areas in scope}}.
    totals_by_area: {area code: {measure: total over categories}} — a person referred for
    two needs counts under both, so these count needs, not people.
    total_people: everyone referred in scope (each person once)."""

    level: str
    period: Period
    rows: list[DemandRow]
    people_by_area: dict[str, int | None]
    total_people: int | None
    totals_by_category: dict[str, dict[str, int | None]]
    totals_by_area: dict[str, dict[str, int | None]]


def demand(scope: InsightScope) -> DemandReport:
    """Demand by area × category in the period (see `DemandRow`)."""
    published = scope.published
    tables = {name: getattr(published, name) for name in DEMAND_MEASURES}
    rows = []
    for key in sorted(_gap_keys(scope), key=lambda k: (scope.areas[k[0]].name, k[1])):
        area, category = scope.areas[key[0]], scope.categories[key[1]]
        values = {name: _cell(table, *key) for name, table in tables.items()}
        by_reason = {
            reason: _cell(published.unmet_by_reason, key, reason)
            for reason in queries.UNMET_REASONS
            if scope.demand_counts.unmet_by_reason.get((key[0], key[1], reason))
        }
        rows.append(
            DemandRow(
                area_code=area.code,
                area_name=area.name,
                category=category.code,
                category_name=category.name,
                vocabulary=category.vocabulary,
                unmet_by_reason=by_reason,
                suppressed=tuple(name for name, value in values.items() if value is None),
                **values,
            )
        )
    by_category = {
        category.code: {name: table.column_totals.get(pk, 0) for name, table in tables.items()}
        for pk, category in scope.categories.items()
    }
    by_area = {
        area.code: {name: table.row_totals.get(pk, 0) for name, table in tables.items()}
        for pk, area in scope.areas.items()
    }
    people = published.people
    return DemandReport(
        level=scope.level,
        period=scope.period,
        rows=rows,
        people_by_area={
            area.code: people.row_totals.get(pk, 0) for pk, area in scope.areas.items()
        },
        total_people=people.grand_total if people.rows else 0,
        totals_by_category=by_category,
        totals_by_area=by_area,
    )

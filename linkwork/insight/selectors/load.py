"""Load and investment: referrals each group received against the grants it had."""

from dataclasses import dataclass

from linkwork.directory.models import Organisation
from linkwork.insight import queries
from linkwork.insight.selectors.areas import (
    MAP_MEASURES,
    AreaValue,
    measure_by_area,
)
from linkwork.insight.selectors.demand import (
    DemandReport,
    DemandRow,
    demand,
)
from linkwork.insight.selectors.equity import (
    EquityReport,
    EquityRow,
    equity,
)
from linkwork.insight.selectors.gaps import (
    GapRow,
    gap_score,
    gaps,
)
from linkwork.insight.selectors.scope import (
    Category,
    InsightScope,
    _cell,
    _publish,
    categories,
    insight_scope,
    parse_category,
)
from linkwork.insight.selectors.supply import (
    SupplyRow,
    supply,
)

# --- Load and investment ----------------------------------------------------------------


@dataclass(frozen=True)
class GroupLoadRow:
    """One group (organisation with listings) in the period.

    referrals_received: people sent to its listings; accepted: of them, accepted;
    attending: of them, went at least once (published counts of people). grants_total:
    pounds of grants running in the period, and how many (`grants`): not about people.
    unfunded_with_load: no grant in the period, yet a published (≥ threshold) number of
    people were sent to it — the groups carrying load with no funding."""

    organisation_id: int
    organisation_name: str
    referrals_received: int | None
    accepted: int | None
    attending: int | None
    grants_total: float
    grants: int
    unfunded_with_load: bool
    suppressed: tuple[str, ...]


LOAD_MEASURES = ("referrals_received", "accepted", "attending")


def group_load(scope: InsightScope) -> list[GroupLoadRow]:
    """Load and investment per group: unfunded groups carrying load first, then by load.
    With an area in scope, only people living there count (grants are the group's)."""
    load = queries.group_load_counts(scope.period, scope.lsoa_ids)
    grants = queries.grants_by_organisation(scope.period)
    organisation_ids = set(load) | set(grants)
    names = dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("id", "name"))
    tables = {
        measure: _publish({(org, measure): n[i] for org, n in load.items()}, scope.rule)
        for i, measure in enumerate(LOAD_MEASURES)
    }
    rows = []
    for org in organisation_ids:
        values = {m: _cell(tables[m], org, m) for m in LOAD_MEASURES}
        pounds, count = grants.get(org, (0.0, 0))
        received = values["referrals_received"]
        rows.append(
            GroupLoadRow(
                organisation_id=org,
                organisation_name=names.get(org, ""),
                grants_total=round(pounds, 2),
                grants=count,
                unfunded_with_load=count == 0 and bool(received),
                suppressed=tuple(m for m, v in values.items() if v is None),
                **values,
            )
        )
    rows.sort(
        key=lambda r: (not r.unfunded_with_load, -(r.referrals_received or 0), r.organisation_name)
    )
    return rows


__all__ = [
    "AreaValue",
    "Category",
    "DemandReport",
    "DemandRow",
    "EquityReport",
    "EquityRow",
    "GapRow",
    "GroupLoadRow",
    "InsightScope",
    "MAP_MEASURES",
    "SupplyRow",
    "categories",
    "demand",
    "equity",
    "gap_score",
    "gaps",
    "group_load",
    "insight_scope",
    "measure_by_area",
    "parse_category",
    "supply",
]

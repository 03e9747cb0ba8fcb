"""Reads for neighbourhood intelligence: demand, supply, gaps, equity, load and investment.

How to use (views, API, CSV):

    scope = insight_scope(level="neighbourhood", period="2025-Q1", area="E01004817",
                          category="need-money-debt")   # raw query values; 422 naming a field
    rows = gaps(scope)                                    # GapRows: GapRow each, ranked
    report = demand(scope)                                # DemandReport
    listings = supply(scope)                              # list[SupplyRow]
    table = equity(scope, "imd_decile")                   # EquityReport
    groups = group_load(scope)                            # list[GroupLoadRow]
    values = measure_by_area(scope, "gap_score")          # list[AreaValue], for the map

One `InsightScope` caches its SQL aggregates, so a page that shows gaps, demand and the
map from one scope runs each aggregate once.

Disclosure control: every count of people returned here has been through
`linkwork.disclosure` (0 stays 0; 1–7 is None; 8+ is rounded to the nearest 5;
totals from unrounded values). The counts of each measure are published as one table over
the areas in scope × every category (`suppress_table`), so a cell reads the same in a gap
row, a demand row and a total, and no total gives a withheld cell away. Rates and scores
are computed from published counts and are None when their count is withheld. Each row
names its withheld fields in `suppressed`. Counts that are not about people (listings,
sessions, places, grants in pounds, residents from the census) are shown as they are.
No person-level data leaves this module: the queries return counts only.

Areas: `level` is "lsoa" or "neighbourhood"; `area` (any area code: LSOA, neighbourhood,
ward, local authority...) limits the report to areas of that level equal to or inside it.
"""

from linkwork.insight.selectors.areas import (
    MAP_MEASURES,
    AreaValue,
    measure_by_area,
)
from linkwork.insight.selectors.demand import (
    DEMAND_MEASURES,
    DemandReport,
    DemandRow,
    demand,
)
from linkwork.insight.selectors.equity import (
    EQUITY_MEASURES,
    RATE_NAMES,
    EquityReport,
    EquityRow,
    equity,
    improved_people,
)
from linkwork.insight.selectors.gaps import (
    PEOPLE_FIELDS,
    GapRow,
    gap_score,
    gaps,
)
from linkwork.insight.selectors.load import (
    LOAD_MEASURES,
    GroupLoadRow,
    group_load,
)
from linkwork.insight.selectors.scope import (
    CATEGORY_VOCABULARIES,
    NO_SUPPLY,
    Category,
    InsightScope,
    Key,
    PublishedDemand,
    _on_own_connection,
    categories,
    insight_scope,
    parse_category,
)
from linkwork.insight.selectors.supply import (
    SupplyRow,
    supply,
)

__all__ = [
    "Key",
    "NO_SUPPLY",
    "CATEGORY_VOCABULARIES",
    "Category",
    "InsightScope",
    "_on_own_connection",
    "insight_scope",
    "parse_category",
    "categories",
    "PublishedDemand",
    "GapRow",
    "PEOPLE_FIELDS",
    "gap_score",
    "gaps",
    "DemandRow",
    "DEMAND_MEASURES",
    "DemandReport",
    "demand",
    "SupplyRow",
    "supply",
    "MAP_MEASURES",
    "AreaValue",
    "measure_by_area",
    "EquityRow",
    "EquityReport",
    "EQUITY_MEASURES",
    "RATE_NAMES",
    "improved_people",
    "equity",
    "GroupLoadRow",
    "LOAD_MEASURES",
    "group_load",
]

"""The raw SQL aggregates insight rests on: GROUP BY in the database, one statement each.

What these functions return are *unpublished* counts (exact, including 1–7). They
never leave the insight app: `selectors` passes every count of people through
`linkwork.disclosure` before anything is returned to a view, the API or a CSV.

Portable SQL (SQLite and PostgreSQL): recursive CTEs, CASE, COUNT(DISTINCT ...).
Table names come from the models so a renamed table cannot silently break a query.

One module per measure (demand, supply, equity, load; what they share in `sql`); this
package re-exports their names.
"""

from linkwork.insight.queries.demand import DemandCounts, demand_counts, demand_params, demand_sql
from linkwork.insight.queries.equity import (
    DIMENSIONS,
    NOT_KNOWN,
    Dimension,
    equity_counts,
    population_by,
)
from linkwork.insight.queries.load import grants_by_organisation, group_load_counts
from linkwork.insight.queries.sql import (
    ACCEPTED_STATES,
    ATTENDED_STATES,
    NEVER_SENT_STATES,
    NO_PLACE_NOW,
    OPEN,
    UNMET_REASONS,
    Key,
    run_sql,
)
from linkwork.insight.queries.supply import SupplyCounts, supply_counts, supply_params, supply_sql

__all__ = [
    "ATTENDED_STATES",
    "ACCEPTED_STATES",
    "NEVER_SENT_STATES",
    "OPEN",
    "NO_PLACE_NOW",
    "UNMET_REASONS",
    "Key",
    "run_sql",
    "DemandCounts",
    "demand_sql",
    "demand_params",
    "demand_counts",
    "SupplyCounts",
    "supply_sql",
    "supply_params",
    "supply_counts",
    "Dimension",
    "DIMENSIONS",
    "NOT_KNOWN",
    "equity_counts",
    "population_by",
    "group_load_counts",
    "grants_by_organisation",
]

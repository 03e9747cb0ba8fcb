"""Supply: listings, open and closed, sessions a year, weekly places and stale listings, per
area and category, in one statement."""


# ruff: noqa: S608 — the SQL text holds only table names and constants; values are %s parameters.

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connections, transaction

from linkwork.insight import supply_facts
from linkwork.insight.geography import LEVELS
from linkwork.insight.models import SupplyFact, SupplyTotal
from linkwork.insight.queries.sql import Key, _area_params, _t, _when, run_sql
from linkwork.operations.replicas import insight_database


@dataclass(slots=True)
class SupplyCounts:
    """What serves one (area, term): not about people, so published as it is."""

    listings: int = 0
    open_listings: int = 0
    closed_listings: int = 0  # full, waiting list or paused
    sessions_per_week: float = 0.0  # all the listings' timetabled sessions
    open_sessions_per_week: float = 0.0  # of open listings; no timetable counts as one
    open_places_per_week: int = 0
    stale_listings: int = 0

    @classmethod
    def from_row(cls, values: Iterable[int]) -> "SupplyCounts":
        """From `supply_sql`'s seven figures (sessions counted a year)."""
        listings, open_, closed, sessions, open_sessions, places, stale = map(int, values)
        return cls(
            listings,
            open_,
            closed,
            round(sessions / 52, 2),
            round(open_sessions / 52, 2),
            places,
            stale,
        )

    def __add__(self, other: "SupplyCounts") -> "SupplyCounts":
        if not other.listings:
            return self
        if not self.listings:
            return other
        return SupplyCounts(
            self.listings + other.listings,
            self.open_listings + other.open_listings,
            self.closed_listings + other.closed_listings,
            self.sessions_per_week + other.sessions_per_week,
            self.open_sessions_per_week + other.open_sessions_per_week,
            self.open_places_per_week + other.open_places_per_week,
            self.stale_listings + other.stale_listings,
        )


def supply_sql(level: str, areas: int | None = None) -> str:
    """(area id, or NULL for borough-wide listings, term id, listings, open, closed,
    sessions a year, open sessions a year, open weekly places, stale) per area × term.

    Read from tables kept ahead (`insight.supply_facts`: the coverage walk is done when
    the directory or geography changes, not per report): `SupplyTotal`'s figures per
    area × term, beside the listings of `SupplyFact` verified before the stale time
    (staleness moves with the clock, so it is the one thing counted here). `level`: one
    of `LEVELS`; `areas`: limited to that many areas (given as %s parameters, twice).
    Sessions are counted a year in integers (weekly: 52 ÷ interval; monthly: 12 ÷
    interval); an open listing with no timetable counts as one session a week."""
    if level not in LEVELS:  # written into the text: a constant, never input
        raise ValueError(level)
    facts, totals = _t(SupplyFact), _t(SupplyTotal)
    marks = ", ".join(["%s"] * max(areas or 0, 1))
    within = "" if areas is None else f"AND area_id IN ({marks})"
    figures = (
        "t.listings, t.open_listings, t.closed_listings, t.sessions, t.open_sessions, "
        "t.open_places, COALESCE(s.n, 0)"
    )
    stale = (
        f"(SELECT area_id, term_id, COUNT(*) AS n FROM {facts} "
        "WHERE level = '{level}' AND verified_at < %s {within} GROUP BY area_id, term_id)"
    )
    return f"""
SELECT t.area_id, t.term_id, {figures}
  FROM {totals} t
  LEFT JOIN {stale.format(level=level, within=within)} s
    ON s.area_id = t.area_id AND s.term_id = t.term_id
 WHERE t.level = '{level}' {within.replace("area_id", "t.area_id")}
UNION ALL
SELECT NULL, t.term_id, {figures}
  FROM {totals} t
  LEFT JOIN {stale.format(level="", within="")} s ON s.term_id = t.term_id
 WHERE t.level = ''
"""


def supply_params(stale_before: dt.datetime, area_ids: Sequence[int] | None = None) -> list[object]:
    """The parameters of `supply_sql`, in the order they appear in it."""
    when, areas = _when(stale_before), _area_params(area_ids)
    return [when, *areas, *areas, when]


def supply_counts(
    level: str, stale_before: dt.datetime, area_ids: Sequence[int] | None = None
) -> tuple[dict[Key, tuple[int, ...]], dict[int, tuple[int, ...]]]:
    """({(area id, term id): local supply}, {term id: borough-wide supply}) for the areas
    given (every area when None), each as `supply_sql`'s seven figures: make them
    `SupplyCounts.from_row` when read (a whole ICB's LSOAs have 26,000 of them, and a
    gap report reads about half).

    Borough-wide listings serve every area: add them to each area's local supply.
    """
    params = supply_params(stale_before, area_ids)
    areas = None if area_ids is None else len(_area_params(area_ids))
    using = _refreshed()
    local: dict[Key, tuple[int, ...]] = {}
    borough_wide: dict[int, tuple[int, ...]] = {}
    for row in run_sql(supply_sql(level, areas), params, using=using):
        # (area id, term id, figures...): the figures as a slice, one tuple made per row.
        if row[0] is None:
            borough_wide[row[1]] = tuple(row[2:])
        else:
            local[(row[0], row[1])] = tuple(row[2:])
    return local, borough_wide


def _refreshed() -> str:
    """The database to read `SupplyFact` from, with every queued change applied.

    Nothing queued (the usual case): the insight database. Otherwise the queued
    listings' rows are refreshed on the primary and read from there this once (a replica
    cannot be written, and sees the refresh only after a lag)."""
    if not supply_facts.supply_pending(connections[insight_database()]):
        return insight_database()
    with transaction.atomic(using="default"):
        supply_facts.refresh_supply_facts(connections["default"])
    return "default"

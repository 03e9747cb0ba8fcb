"""The supply statement as it was before `SupplyFact` (issue 19): listing coverage walked
(recursive CTE over areas, locations, neighbourhood membership) and timetables summed at
report time. Kept verbatim as the reference the tests compare the maintained table with,
on random worlds: the figures must be the same."""

# ruff: noqa: S608 — the SQL text holds only table names and constants; values are %s parameters.

import datetime as dt
from collections.abc import Sequence

from linkwork.directory.models import Asset, AssetLocation, Location, Schedule
from linkwork.insight.geography import area_edges_sql
from linkwork.insight.queries.sql import (
    NO_PLACE_NOW,
    OPEN,
    _area_params,
    _in,
    _level_map,
    _m2m,
    _t,
    _when,
)


def reference_supply_sql(level: str, areas: int | None = None) -> str:
    """(area id, or NULL for borough-wide listings, term id, listings, open, closed,
    sessions a year, open sessions a year, open weekly places, stale) per area × term.

    Sessions are counted a year in integers (weekly: 52 ÷ interval; monthly: 12 ÷
    interval) so the sums stay integer arithmetic (cast back from PostgreSQL's numeric
    sum of bigints, which psycopg would read as slow Decimals); an open listing with no timetable
    counts as one session a week. Each listing's figures are worked out once (`facts`)
    before they are summed over the areas it serves.

    Coverage is resolved by walking *up* from each LSOA in scope to every area containing
    it (`anc`: a few rows per LSOA), then matching listings' coverage and location areas
    against those: the recursion is over areas, never over listings × areas."""
    asset, terms = _t(Asset), _m2m(Asset, "terms")
    published = "a.publication = 'published' AND a.borough_wide = %s"
    return f"""
WITH RECURSIVE {_level_map(level, areas)},
edges(parent_id, child_id) AS ({area_edges_sql()}),
anc(lsoa_id, area_id) AS (
    SELECT lsoa_id, lsoa_id FROM m
    UNION
    SELECT anc.lsoa_id, edges.parent_id FROM anc JOIN edges ON edges.child_id = anc.area_id
),
cover(asset_id, lsoa_id) AS (
    SELECT c.asset_id, anc.lsoa_id FROM {_m2m(Asset, "coverage_areas")} c
      JOIN anc ON anc.area_id = c.area_id
      JOIN {asset} a ON a.id = c.asset_id WHERE {published}
    UNION ALL
    SELECT al.asset_id, anc.lsoa_id FROM {_t(AssetLocation)} al
      JOIN {_t(Location)} l ON l.id = al.location_id
      JOIN anc ON anc.area_id = l.area_id
      JOIN {asset} a ON a.id = al.asset_id WHERE {published}
),
served AS (
    SELECT DISTINCT m.area_id, cover.asset_id
      FROM cover JOIN m ON m.lsoa_id = cover.lsoa_id
),
sessions AS (
    SELECT asset_id,
           SUM(CASE WHEN freq = 'MONTHLY' THEN 12 ELSE 52 END
               / CASE WHEN "interval" > 1 THEN "interval" ELSE 1 END) AS a_year
      FROM {_t(Schedule)} GROUP BY asset_id
),
facts AS (
    SELECT a.id, a.borough_wide,
           CASE WHEN a.capacity_status = '{OPEN}' THEN 1 ELSE 0 END AS is_open,
           CASE WHEN a.capacity_status IN {_in(NO_PLACE_NOW)} THEN 1 ELSE 0 END AS is_closed,
           COALESCE(s.a_year, 0) AS sessions,
           CASE WHEN a.capacity_status = '{OPEN}' THEN COALESCE(s.a_year, 52) ELSE 0 END
               AS open_sessions,
           CASE WHEN a.capacity_status = '{OPEN}' AND a.places_period = 'week'
                THEN COALESCE(a.places, 0) ELSE 0 END AS open_places,
           CASE WHEN COALESCE(a.last_verified_at, a.created_at) < %s THEN 1 ELSE 0 END
               AS is_stale
      FROM {asset} a LEFT JOIN sessions s ON s.asset_id = a.id
     WHERE a.publication = 'published'
)
SELECT served.area_id, at.taxonomyterm_id, COUNT(*), SUM(f.is_open), SUM(f.is_closed),
       CAST(SUM(f.sessions) AS BIGINT),
       CAST(SUM(f.open_sessions) AS BIGINT), SUM(f.open_places), SUM(f.is_stale)
  FROM served
  JOIN facts f ON f.id = served.asset_id
  JOIN {terms} at ON at.asset_id = served.asset_id
 GROUP BY served.area_id, at.taxonomyterm_id
UNION ALL
SELECT NULL, at.taxonomyterm_id, COUNT(*), SUM(f.is_open), SUM(f.is_closed),
       CAST(SUM(f.sessions) AS BIGINT),
       CAST(SUM(f.open_sessions) AS BIGINT), SUM(f.open_places), SUM(f.is_stale)
  FROM facts f JOIN {terms} at ON at.asset_id = f.id
 WHERE f.borough_wide = %s
 GROUP BY at.taxonomyterm_id
"""


def reference_supply_params(
    stale_before: dt.datetime, area_ids: Sequence[int] | None = None
) -> list[object]:
    """The parameters of `supply_sql`, in the order they appear in it."""
    return [*_area_params(area_ids), False, False, _when(stale_before), True]

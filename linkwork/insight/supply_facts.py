"""`SupplyFact`: what each published listing offers, per area it serves and category,
worked out ahead of the report (issue 19), so the supply statement is a plain GROUP BY.

The rows follow from ~8 directory and geography tables, so they are kept in two steps:

- **Triggers only queue** (both engines, every way of writing: services, imports,
  `QuerySet.update`, bulk loads): a change to a listing, its categories, coverage,
  locations, a location's area or its timetable queues that listing's id in
  `SupplyPending`; a change to the geography (an area added, moved, retyped or removed;
  a neighbourhood membership) queues NULL, "everything". A trigger does no more than
  one small insert, so a bulk write of 100,000 timetables stays a bulk write.
- **The reader refreshes what is queued** (`refresh_supply_facts`, called by
  `queries.supply_counts` before it reads): the queued listings' rows are worked out
  again from the directory (the coverage walk of the old statement, limited to them),
  or every row when the geography changed or many listings did. Refreshers are
  serialised (an advisory lock on PostgreSQL; SQLite has one writer).

Staleness is not stored: the rows keep when the listing was last verified and the
statement compares it with the clock, so time passing needs no refresh.
"""

# ruff: noqa: S608 — the SQL text holds only table names and constants; ids are %s parameters.

from collections.abc import Sequence

from django.db.backends.base.base import BaseDatabaseWrapper

from linkwork import triggers
from linkwork.directory.models import Asset, AssetLocation, Location, Schedule
from linkwork.insight.geography import area_edges_sql, lsoa_to_level_sql
from linkwork.insight.models import SupplyFact, SupplyPending, SupplyTotal
from linkwork.insight.queries.sql import NO_PLACE_NOW, OPEN, _in, _m2m, _t
from linkwork.places.models import Area, NeighbourhoodMembership
from linkwork.triggers import RowTrigger

COLUMNS = (
    "level, area_id, term_id, asset_id, is_open, is_closed, sessions, open_sessions, "
    "open_places, verified_at"
)
LOCK = 190_301  # pg_advisory_xact_lock key: one refresher at a time
MAX_LISTINGS = 2_000  # queued listings refreshed one by one; more: rebuild every row
EVERY_ROW = None  # a queued NULL: the geography changed


def _names() -> dict[str, str]:
    return {
        "pending": _t(SupplyPending),
        "asset": _t(Asset),
        "terms": _m2m(Asset, "terms"),
        "coverage": _m2m(Asset, "coverage_areas"),
        "asset_location": _t(AssetLocation),
        "location": _t(Location),
        "schedule": _t(Schedule),
        "area": _t(Area),
        "membership": _t(NeighbourhoodMembership),
    }


def _queue(value: str) -> str:
    return f"INSERT INTO {{pending}} (asset_id) VALUES ({value});"


def _triggers(vendor: str) -> dict[str, tuple[str, str, str]]:
    """{name: (event, WHEN condition or "", body)} with NEW / OLD as both engines name them."""
    changed = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    triggers: dict[str, tuple[str, str, str]] = {
        "asset_ins": ("AFTER INSERT ON {asset}", "", _queue("NEW.id")),
        "asset_upd": ("AFTER UPDATE ON {asset}", "", _queue("NEW.id") + _queue("OLD.id")),
        "asset_del": ("AFTER DELETE ON {asset}", "", _queue("OLD.id")),
        "location_upd": (
            "AFTER UPDATE OF area_id ON {location}",
            "",
            "INSERT INTO {pending} (asset_id) SELECT asset_id FROM {asset_location} "
            "WHERE location_id = NEW.id;",
        ),
        "area_ins": ("AFTER INSERT ON {area}", "", _queue("NULL")),
        "area_upd": (
            "AFTER UPDATE ON {area}",
            f"OLD.parent_id {changed} NEW.parent_id OR OLD.area_type {changed} NEW.area_type "
            f"OR OLD.id {changed} NEW.id",
            _queue("NULL"),
        ),
        "area_del": ("AFTER DELETE ON {area}", "", _queue("NULL")),
    }
    for table in ("terms", "coverage", "asset_location", "schedule"):
        triggers[f"{table}_ins"] = (f"AFTER INSERT ON {{{table}}}", "", _queue("NEW.asset_id"))
        triggers[f"{table}_upd"] = (
            f"AFTER UPDATE ON {{{table}}}",
            "",
            _queue("NEW.asset_id") + _queue("OLD.asset_id"),
        )
        triggers[f"{table}_del"] = (f"AFTER DELETE ON {{{table}}}", "", _queue("OLD.asset_id"))
    for event in ("INSERT", "UPDATE", "DELETE"):
        triggers[f"membership_{event.lower()[:3]}"] = (
            f"AFTER {event} ON {{membership}}",
            "",
            _queue("NULL"),
        )
    return triggers


def _row_triggers(vendor: str) -> list[RowTrigger]:
    names = _names()
    return [
        RowTrigger(f"insight_supply_{name}", event.format(**names), body.format(**names), when)
        for name, (event, when, body) in _triggers(vendor).items()
    ]


def create_triggers_sql(vendor: str) -> list[str]:
    return triggers.create_sql(_row_triggers(vendor), vendor)


def drop_triggers_sql(vendor: str) -> list[str]:
    return triggers.drop_sql(_row_triggers(vendor), vendor)


def fill_sql(listings: int | None = None) -> str:
    """INSERT the rows of every published listing, or of `listings` of them (that many
    %s ids, given twice: once for the listings, once for their timetables).

    The coverage of the statement this replaces, walked the other way: from each
    listing's coverage and location areas *down* (children and neighbourhood members)
    to every area below; a listing serves an LSOA of a level's map when the LSOA is one
    of those, which is exactly when one of its areas is above the LSOA (or is it)."""
    n = _names()
    only = "" if listings is None else "AND a.id IN ({})".format(", ".join(["%s"] * listings))
    timetables = (
        "" if listings is None else "WHERE asset_id IN ({})".format(", ".join(["%s"] * listings))
    )
    local = f"a.publication = 'published' AND NOT a.borough_wide {only}"
    return f"""
INSERT INTO {_t(SupplyFact)} ({COLUMNS})
WITH RECURSIVE
edges(parent_id, child_id) AS ({area_edges_sql()}),
src(asset_id, area_id) AS (
    SELECT c.asset_id, c.area_id FROM {n["coverage"]} c
      JOIN {n["asset"]} a ON a.id = c.asset_id WHERE {local}
    UNION
    SELECT al.asset_id, l.area_id FROM {n["asset_location"]} al
      JOIN {n["location"]} l ON l.id = al.location_id
      JOIN {n["asset"]} a ON a.id = al.asset_id WHERE {local}
),
down(asset_id, area_id) AS (
    SELECT asset_id, area_id FROM src
    UNION
    SELECT down.asset_id, edges.child_id FROM down JOIN edges ON edges.parent_id = down.area_id
),
served(level, area_id, asset_id) AS (
    SELECT DISTINCT 'lsoa', m.area_id, down.asset_id
      FROM down JOIN ({lsoa_to_level_sql("lsoa")}) m ON m.lsoa_id = down.area_id
    UNION ALL
    SELECT DISTINCT 'neighbourhood', m.area_id, down.asset_id
      FROM down JOIN ({lsoa_to_level_sql("neighbourhood")}) m ON m.lsoa_id = down.area_id
    UNION ALL
    SELECT '', NULL, a.id FROM {n["asset"]} a
     WHERE a.publication = 'published' AND a.borough_wide {only}
),
sessions AS (
    SELECT asset_id,
           SUM(CASE WHEN freq = 'MONTHLY' THEN 12 ELSE 52 END
               / CASE WHEN "interval" > 1 THEN "interval" ELSE 1 END) AS a_year
      FROM {n["schedule"]} {timetables} GROUP BY asset_id
)
SELECT served.level, served.area_id, at.taxonomyterm_id, a.id,
       CASE WHEN a.capacity_status = '{OPEN}' THEN 1 ELSE 0 END,
       CASE WHEN a.capacity_status IN {_in(NO_PLACE_NOW)} THEN 1 ELSE 0 END,
       COALESCE(s.a_year, 0),
       CASE WHEN a.capacity_status = '{OPEN}' THEN COALESCE(s.a_year, 52) ELSE 0 END,
       CASE WHEN a.capacity_status = '{OPEN}' AND a.places_period = 'week'
            THEN COALESCE(a.places, 0) ELSE 0 END,
       COALESCE(a.last_verified_at, a.created_at)
  FROM served
  JOIN {n["asset"]} a ON a.id = served.asset_id
  JOIN {n["terms"]} at ON at.asset_id = served.asset_id
  LEFT JOIN sessions s ON s.asset_id = a.id
"""


def _fill_params(listings: Sequence[int]) -> list[object]:
    # The ids appear in `fill_sql`: twice in `src`, once in `served`, once for timetables.
    return [*listings, *listings, *listings, *listings]


TOTALS = (
    "level, area_id, term_id, listings, open_listings, closed_listings, sessions, "
    "open_sessions, open_places"
)


def _add_up(where: str = "") -> str:
    """INSERT the totals of the `SupplyFact` rows matching `where` (all when blank)."""
    return (
        f"INSERT INTO {_t(SupplyTotal)} ({TOTALS}) SELECT level, area_id, term_id, COUNT(*), "
        "SUM(is_open), SUM(is_closed), SUM(sessions), SUM(open_sessions), SUM(open_places) "
        f"FROM {_t(SupplyFact)} {where} GROUP BY level, area_id, term_id"
    )


def rebuild_supply_facts(connection: BaseDatabaseWrapper) -> None:
    """Every row afresh from the directory (after a load that skipped triggers)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_t(SupplyPending)}")
        _rebuild(cursor)


def _rebuild(cursor) -> None:
    cursor.execute(f"DELETE FROM {_t(SupplyFact)}")
    cursor.execute(fill_sql())
    cursor.execute(f"DELETE FROM {_t(SupplyTotal)}")
    cursor.execute(_add_up())


def supply_pending(connection: BaseDatabaseWrapper) -> bool:
    """Whether any change is queued (then `refresh_supply_facts` before reading)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {_t(SupplyPending)} LIMIT 1")
        return cursor.fetchone() is not None


def refresh_supply_facts(connection: BaseDatabaseWrapper) -> None:
    """Bring the rows of every queued listing up to date; call inside a transaction.

    The queue is claimed by deleting it (`RETURNING`), so a change committed meanwhile
    stays queued for the next refresh rather than being lost. The totals of every area
    a refreshed listing served before or serves now are added up again."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])
        cursor.execute(f"DELETE FROM {_t(SupplyPending)} RETURNING asset_id")
        queued = {row[0] for row in cursor.fetchall()}
        if not queued:
            return
        if EVERY_ROW in queued or len(queued) > MAX_LISTINGS:
            _rebuild(cursor)
            return
        listings = sorted(queued)
        marks = ", ".join(["%s"] * len(listings))
        areas = f"SELECT DISTINCT level, area_id FROM {_t(SupplyFact)} WHERE asset_id IN ({marks})"
        cursor.execute(areas, listings)
        touched = set(cursor.fetchall())
        cursor.execute(f"DELETE FROM {_t(SupplyFact)} WHERE asset_id IN ({marks})", listings)
        cursor.execute(fill_sql(len(listings)), _fill_params(listings))
        cursor.execute(areas, listings)
        touched.update(cursor.fetchall())
        _add_up_again(cursor, touched)


def _add_up_again(cursor, touched: set[tuple[str, int | None]]) -> None:
    """The totals of these (level, area) pairs made afresh from `SupplyFact`."""
    totals = _t(SupplyTotal)
    for level in sorted({level for level, _ in touched}):
        ids = sorted(area for lvl, area in touched if lvl == level and area is not None)
        if not ids:  # borough-wide listings: no area
            cursor.execute(f"DELETE FROM {totals} WHERE level = %s", [level])
            cursor.execute(_add_up("WHERE level = %s"), [level])
            continue
        for start in range(0, len(ids), 500):  # within every engine's parameter limit
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            where = f"WHERE level = %s AND area_id IN ({marks})"
            cursor.execute(f"DELETE FROM {totals} {where}", [level, *chunk])
            cursor.execute(_add_up(where), [level, *chunk])

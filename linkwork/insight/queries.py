"""The raw SQL aggregates insight rests on: GROUP BY in the database, one statement each.

What these functions return are *unpublished* counts (exact, including 1–7). They
never leave the insight app: `selectors.py` passes every count of people through
`linkwork.disclosure` before anything is returned to a view, the API or a CSV.

Portable SQL (SQLite and PostgreSQL): recursive CTEs, CASE, COUNT(DISTINCT ...).
Table names come from the models so a renamed table cannot silently break a query.
"""

# ruff: noqa: S608 — the SQL text holds only table names and constants; values are %s parameters.

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection, connections, transaction
from django.db.models import Sum

from linkwork.community.models import Grant, Interest
from linkwork.directory.models import Asset, AssetLocation, CapacityStatus, Location, Schedule
from linkwork.insight.geography import area_edges_sql, lsoa_to_level_sql
from linkwork.operations.replicas import insight_database
from linkwork.periods import Period
from linkwork.places.models import SEX_WORDS, Area, AreaPopulation
from linkwork.referrals import transitions as t
from linkwork.referrals.models import (
    Connection,
    ConnectionEvent,
    Person,
    Referral,
    UnmetNeed,
    UnmetReason,
)

ATTENDED_STATES = t.ATTENDED
ACCEPTED_STATES = t.GROUP_ACCEPTED
NEVER_SENT_STATES = t.NEVER_SENT
# Capacity: open, and no place free now (a waiting list counts: nobody starts straight away).
OPEN = CapacityStatus.OPEN
NO_PLACE_NOW = CapacityStatus.NO_PLACE_NOW

UNMET_REASONS = tuple(UnmetReason.values)

Key = tuple[int, int]  # (area id, taxonomy term id)


def _t(model) -> str:
    return model._meta.db_table


def _m2m(model, name: str) -> str:
    return model._meta.get_field(name).remote_field.through._meta.db_table


def _when(value: dt.datetime) -> object:
    return connection.ops.adapt_datetimefield_value(value)


def _in(values: Sequence[str]) -> str:
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"  # constants, never input


def run_sql(sql: str, params: Sequence[object]) -> list[tuple]:
    """Every row of one aggregate statement.

    On PostgreSQL without JIT: the planner's estimate for the recursive coverage CTE is
    far above `jit_above_cost`, and compiling the statement took 3.7 s to save
    milliseconds (measured in bench/insight.py). SET LOCAL needs a transaction.
    """
    db = connections[insight_database()]  # the read replica, when one is configured
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        if db.vendor == "postgresql":
            # Room to sort and hash the aggregates in memory rather than on disk.
            cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- Demand ---------------------------------------------------------------------------


@dataclass
class DemandCounts:
    """Unpublished counts of people per (area id, term id) in one period."""

    people: dict[int, int] = field(default_factory=dict)  # referred for anything, by area
    referred: dict[Key, int] = field(default_factory=dict)
    declined: dict[Key, int] = field(default_factory=dict)
    returned: dict[Key, int] = field(default_factory=dict)
    unmet: dict[Key, int] = field(default_factory=dict)
    unmet_by_reason: dict[tuple[int, int, str], int] = field(default_factory=dict)
    waitlisted: dict[Key, int] = field(default_factory=dict)
    interests: dict[Key, int] = field(default_factory=dict)


def _level_map(level: str, areas: int | None) -> str:
    """The (lsoa_id, area_id) mapping, limited to `areas` areas (given as that many %s
    parameters, first in the statement) when a report covers only some areas."""
    if areas is None:
        return f"m(lsoa_id, area_id) AS ({lsoa_to_level_sql(level)})"
    marks = ", ".join(["%s"] * max(areas, 1))
    return (
        f"m(lsoa_id, area_id) AS (SELECT lsoa_id, area_id FROM ({lsoa_to_level_sql(level)}) x "
        f"WHERE x.area_id IN ({marks}))"
    )


def _area_params(area_ids: Sequence[int] | None) -> list[object]:
    return [] if area_ids is None else (list(area_ids) or [0])


def demand_sql(level: str, areas: int | None = None) -> str:
    """One statement: (measure, area id, term id, reason, n1, n2, n3) rows.

    - people: people referred in the period for anything (term NULL);
    - referred: people referred in the period with the term as a reason (n1), of
      them declined (n2) and returned (n3) by the service;
    - unmet: people with an unmet need in the term recorded in the period, in total
      (reason '') and by reason;
    - waitlisted: people put on a waiting list in the period by a listing with the term;
    - interest: open interests in the term (an activity type) registered in the period.

    `areas`: how many area ids limit the report (None: every area). Parameters:
    `demand_params(period, area_ids)`. Distinct people are found by grouping once
    (hash aggregates) rather than with COUNT(DISTINCT ...) over each join.
    """
    interest_area = "m.area_id" if level == "lsoa" else "COALESCE(m.area_id, i.neighbourhood_id)"
    return f"""
WITH {_level_map(level, areas)},
ref AS (
    SELECT r.id, r.person_id, r.status, m.area_id
      FROM {_t(Referral)} r
      JOIN {_t(Person)} p ON p.id = r.person_id
      JOIN m ON m.lsoa_id = p.area_id
     WHERE r.received_at >= %s AND r.received_at < %s
),
asked AS (
    SELECT ref.area_id, rr.taxonomyterm_id AS term_id, ref.person_id,
           MAX(CASE WHEN ref.status = '{t.DECLINED}' THEN 1 ELSE 0 END) AS declined,
           MAX(CASE WHEN ref.status = '{t.RETURNED}' THEN 1 ELSE 0 END) AS returned
      FROM ref JOIN {_m2m(Referral, "reasons")} rr ON rr.referral_id = ref.id
     GROUP BY ref.area_id, rr.taxonomyterm_id, ref.person_id
),
unmet AS (
    SELECT DISTINCT m.area_id, u.category_id AS term_id, u.reason, r.person_id
      FROM {_t(UnmetNeed)} u
      JOIN {_t(Referral)} r ON r.id = u.referral_id
      JOIN m ON m.lsoa_id = u.area_id
     WHERE u.recorded_at >= %s AND u.recorded_at < %s
),
waiting AS (
    SELECT DISTINCT m.area_id, at.taxonomyterm_id AS term_id, r.person_id
      FROM {_t(ConnectionEvent)} e
      JOIN {_t(Connection)} c ON c.id = e.connection_id
      JOIN {_t(Referral)} r ON r.id = c.referral_id
      JOIN {_t(Person)} p ON p.id = r.person_id
      JOIN m ON m.lsoa_id = p.area_id
      JOIN {_m2m(Asset, "terms")} at ON at.asset_id = c.asset_id
     WHERE e.to_status = '{t.WAITLISTED}' AND e.at >= %s AND e.at < %s
)
SELECT 'people', area_id, NULL, '', COUNT(DISTINCT person_id), 0, 0
  FROM ref GROUP BY area_id
UNION ALL
SELECT 'referred', area_id, term_id, '', COUNT(*), SUM(declined), SUM(returned)
  FROM asked GROUP BY area_id, term_id
UNION ALL
SELECT 'unmet', area_id, term_id, '', COUNT(DISTINCT person_id), 0, 0
  FROM unmet GROUP BY area_id, term_id
UNION ALL
SELECT 'unmet', area_id, term_id, reason, COUNT(*), 0, 0
  FROM unmet GROUP BY area_id, term_id, reason
UNION ALL
SELECT 'waitlisted', area_id, term_id, '', COUNT(*), 0, 0
  FROM waiting GROUP BY area_id, term_id
UNION ALL
SELECT 'interest', {interest_area}, i.activity_id, '', COUNT(*), 0, 0
  FROM {_t(Interest)} i
  LEFT JOIN m ON m.lsoa_id = i.lsoa_id
 WHERE i.status = 'open' AND i.activity_id IS NOT NULL
   AND i.created_at >= %s AND i.created_at < %s
 GROUP BY {interest_area}, i.activity_id
"""


def demand_params(period: Period, area_ids: Sequence[int] | None = None) -> list[object]:
    """The parameters of `demand_sql`: the areas, then the period's bounds for each of its
    four sources."""
    return [*_area_params(area_ids), *[_when(period.start), _when(period.end)] * 4]


def demand_counts(
    level: str, period: Period, area_ids: Sequence[int] | None = None
) -> DemandCounts:
    """Every demand measure for every (area, term) of `level` in `period`, in one query
    (only for the areas given, if any)."""
    counts = DemandCounts()
    for measure, area_id, term_id, reason, n1, n2, n3 in run_sql(
        demand_sql(level, None if area_ids is None else len(_area_params(area_ids))),
        demand_params(period, area_ids),
    ):
        if area_id is None:
            continue
        key = (area_id, term_id)
        if measure == "people":
            counts.people[area_id] = n1
        elif measure == "referred":
            counts.referred[key] = n1
            if n2:
                counts.declined[key] = n2
            if n3:
                counts.returned[key] = n3
        elif measure == "unmet" and reason:
            counts.unmet_by_reason[(area_id, term_id, reason)] = n1
        elif measure == "unmet":
            counts.unmet[key] = n1
        elif measure == "waitlisted":
            counts.waitlisted[key] = n1
        else:
            counts.interests[key] = n1
    return counts


# --- Supply ---------------------------------------------------------------------------


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


def supply_params(stale_before: dt.datetime, area_ids: Sequence[int] | None = None) -> list[object]:
    """The parameters of `supply_sql`, in the order they appear in it."""
    return [*_area_params(area_ids), False, False, _when(stale_before), True]


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
    local: dict[Key, tuple[int, ...]] = {}
    borough_wide: dict[int, tuple[int, ...]] = {}
    for area_id, term_id, *values in run_sql(supply_sql(level, areas), params):
        if area_id is None:
            borough_wide[term_id] = tuple(values)
        else:
            local[(area_id, term_id)] = tuple(values)
    return local, borough_wide


# --- Equity ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str


DIMENSIONS = {
    "imd_decile": Dimension("imd_decile", "IMD decile (1 = most deprived)"),
    "age_band": Dimension("age_band", "Age band"),
    "sex": Dimension("sex", "Sex"),
    "ethnicity": Dimension("ethnicity", "Ethnicity (where recorded)"),
}
NOT_KNOWN = "not_known"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _group_expression(dimension: str, age_bands: Sequence[str], on: dt.date) -> tuple[str, list]:
    """SQL for the group a referred person falls in, with its parameters."""
    if dimension == "imd_decile":
        return "CAST(l.imd_decile AS TEXT)", []
    if dimension == "sex":
        whens = " ".join(
            f"WHEN LOWER(TRIM(p.sex)) IN {_in(words)} THEN '{sex}'"
            for sex, words in SEX_WORDS.items()
        )
        return f"CASE {whens} WHEN TRIM(p.sex) = '' THEN NULL ELSE 'other' END", []
    if dimension == "ethnicity":
        return "NULLIF(TRIM(p.ethnicity), '')", []
    # Age on the last day of the period: younger than the band's lower bound of the
    # next band means born after that many years before.
    whens, params = [], []
    for band, following in zip(age_bands, age_bands[1:], strict=False):
        whens.append(f"WHEN p.birth_date > %s THEN '{band}'")
        params.append(_years_before(on, int(following.split("-")[0].rstrip("+"))))
    return f"CASE {' '.join(whens)} ELSE '{age_bands[-1]}' END", params


def equity_counts(
    dimension: str,
    period: Period,
    lsoa_ids: Iterable[int] | None,
    age_bands: Sequence[str],
    improved: Collection[int] | None,
) -> dict[str, tuple[int, int, int]]:
    """{group: (people referred, of them connected, of them improved)} in the period.

    Connected: went to a group at least once. Improved: among the person ids given
    (0 when None). A person with no known group is `NOT_KNOWN`.
    """
    on = (period.end - dt.timedelta(microseconds=1)).date()
    group, params = _group_expression(dimension, age_bands, on)
    where, where_params = "", []
    if lsoa_ids is not None:
        ids = list(lsoa_ids) or [0]
        where = f"AND p.area_id IN ({', '.join(['%s'] * len(ids))})"
        where_params = ids
    improved_count, improved_params = "0", []
    if improved:
        if connection.vendor == "postgresql":
            test, improved_params = "r.person_id = ANY(%s)", [list(improved)]
        else:
            test, improved_params = (
                f"r.person_id IN ({', '.join(['%s'] * len(improved))})",
                [*improved],
            )
        improved_count = f"COUNT(DISTINCT CASE WHEN {test} THEN r.person_id END)"
    sql = f"""
SELECT {group} AS grp, COUNT(DISTINCT r.person_id),
       COUNT(DISTINCT CASE WHEN x.referral_id IS NOT NULL THEN r.person_id END),
       {improved_count}
  FROM {_t(Referral)} r
  JOIN {_t(Person)} p ON p.id = r.person_id
  LEFT JOIN {_t(Area)} l ON l.id = p.area_id
  LEFT JOIN (SELECT DISTINCT referral_id FROM {_t(Connection)}
              WHERE status IN {_in(ATTENDED_STATES)}) x ON x.referral_id = r.id
 WHERE r.received_at >= %s AND r.received_at < %s {where}
 GROUP BY 1
"""
    rows = run_sql(
        sql,
        [*params, *improved_params, _when(period.start), _when(period.end), *where_params],
    )
    return {(grp if grp is not None else NOT_KNOWN): (a, b, c) for grp, a, b, c in rows}


def population_by(dimension: str, lsoa_ids: Iterable[int] | None) -> dict[str, int]:
    """Usual residents in each group (census or ONS estimates), over the LSOAs given
    (every LSOA when None). Empty when no such figures are loaded (e.g. ethnicity)."""
    lsoas = Area.objects.filter(area_type="lsoa")
    if lsoa_ids is not None:
        lsoas = lsoas.filter(pk__in=list(lsoa_ids))
    if dimension == "imd_decile":
        rows = _sum_by(lsoas.exclude(imd_decile=None), "imd_decile", "population_total")
        return {str(decile): total for decile, total in rows}
    if dimension in ("age_band", "sex"):
        population = AreaPopulation.objects.filter(area__in=lsoas)
        return dict(_sum_by(population, dimension, "count"))
    return {}


def _sum_by(queryset, group: str, value: str) -> list[tuple[object, int]]:

    rows = queryset.values_list(group).order_by().annotate(total=Sum(value))
    return [(key, total) for key, total in rows if total]


# --- Load and investment --------------------------------------------------------------


def group_load_counts(
    period: Period, lsoa_ids: Iterable[int] | None
) -> dict[int, tuple[int, int, int]]:
    """{organisation id: (people sent to its listings, accepted, attended)} in the period
    (connections sent in the period; people living in the LSOAs given, if any)."""
    where, where_params = "", []
    if lsoa_ids is not None:
        ids = list(lsoa_ids) or [0]
        where = f"AND p.area_id IN ({', '.join(['%s'] * len(ids))})"
        where_params = ids
    sql = f"""
SELECT a.organisation_id, COUNT(DISTINCT r.person_id),
       COUNT(DISTINCT CASE WHEN c.status IN {_in(ACCEPTED_STATES)} THEN r.person_id END),
       COUNT(DISTINCT CASE WHEN c.status IN {_in(ATTENDED_STATES)} THEN r.person_id END)
  FROM {_t(Connection)} c
  JOIN {_t(Asset)} a ON a.id = c.asset_id
  JOIN {_t(Referral)} r ON r.id = c.referral_id
  JOIN {_t(Person)} p ON p.id = r.person_id
 WHERE c.status NOT IN {_in(NEVER_SENT_STATES)} AND a.organisation_id IS NOT NULL
   AND c.sent_at >= %s AND c.sent_at < %s {where}
 GROUP BY a.organisation_id
"""
    rows = run_sql(sql, [_when(period.start), _when(period.end), *where_params])
    return {org: (sent, accepted, attended) for org, sent, accepted, attended in rows}


def grants_by_organisation(period: Period) -> dict[int, tuple[float, int]]:
    """{organisation id: (pounds, number of grants)} for grants running in the period
    (a grant with no end date is a one-off payment: it counts when it was made)."""
    sql = f"""
SELECT organisation_id, SUM(amount), COUNT(*) FROM {_t(Grant)}
 WHERE period_start <= %s AND COALESCE(period_end, period_start) >= %s
 GROUP BY organisation_id
"""
    last_day = (period.end - dt.timedelta(microseconds=1)).date()
    rows = run_sql(sql, [last_day, period.start.date()])
    return {org: (float(amount), n) for org, amount, n in rows}

"""Demand: people referred, by reason; unmet needs; waiting lists; interests, per area
and category in a period, in one statement."""


# ruff: noqa: S608 — the SQL text holds only table names and constants; values are %s parameters.

from collections.abc import Sequence
from dataclasses import dataclass, field

from linkwork.community.models import Interest
from linkwork.directory.models import Asset
from linkwork.insight.models import ReferralFact
from linkwork.insight.queries.sql import Key, _area_params, _level_map, _m2m, _t, _when, run_sql
from linkwork.periods import Period
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, ConnectionEvent, Person, Referral, UnmetNeed


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

    def merged(self, need: "DemandCounts") -> "DemandCounts":
        """These counts of people referred with `need`'s unmet needs, waiting lists and
        interests: the two parts of a fetch side by side (`PARTS`) made one."""
        return DemandCounts(
            people=self.people,
            referred=self.referred,
            declined=self.declined,
            returned=self.returned,
            unmet=need.unmet,
            unmet_by_reason=need.unmet_by_reason,
            waitlisted=need.waitlisted,
            interests=need.interests,
        )


# A report on PostgreSQL fetches demand as two statements side by side (beside supply):
# people referred, the heaviest, and the need behind the gap score (unmet needs, waiting
# lists, interests). None: both in one statement, as on SQLite and inside a transaction.
PARTS = ("referred", "need")


def demand_sql(level: str, areas: int | None = None, part: str | None = None) -> str:
    """One statement: (measure, area id, term id, reason, n1, n2, n3) rows.

    - people: people referred in the period for anything (term NULL);
    - referred: people referred in the period with the term as a reason (n1), of
      them declined (n2) and returned (n3) by the service;
    - unmet: people with an unmet need in the term recorded in the period, in total
      (reason '') and by reason;
    - waitlisted: people put on a waiting list in the period by a listing with the term;
    - interest: open interests in the term (an activity type) registered in the period.

    `areas`: how many area ids limit the report (None: every area). `part`: "referred"
    (people and referred rows only), "need" (the others) or None (all). Parameters:
    `demand_params(period, area_ids, part)`. People referred come from `ReferralFact` (a
    row per referral and per reason with the person's LSOA, kept by triggers: no join to
    people or reasons at report time), "anything" (term NULL) in the same scan as the
    reasons (see `_referred`); the other measures join the casework they count.
    """
    if part not in (None, *PARTS):
        raise ValueError(part)
    mapping = f"WITH {_level_map(level, areas)}"
    if part == "referred":
        return f"{mapping}{_referred(level, limited=areas is not None)}"
    interest_area = "m.area_id" if level == "lsoa" else "COALESCE(m.area_id, i.neighbourhood_id)"
    referred = "" if part == "need" else f"{_referred(level, limited=areas is not None)}\nUNION ALL"
    return f"""
{mapping},
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
{referred}
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


def _referred(level: str, *, limited: bool) -> str:
    """The 'people' (term NULL) and 'referred' rows: people counted once per area × term,
    of them any of whose referrals in the period was declined or returned.

    At LSOA level each LSOA is its own area (and only its own), so the facts are grouped
    in two levels, by LSOA × term × person and then by LSOA × term, in the order of the
    `(lsoa_id, term_id, person_id)` index: a stream, no sort or hash table of millions of
    rows (measured in insight/README.md). Elsewhere an area holds many LSOAs and a person
    whose facts lie in two of them must count once: COUNT(DISTINCT) per area × term,
    which the planner does with one sort (two levels would hash millions of groups).
    """
    declined, returned = (f"CASE WHEN f.status = '{status}'" for status in (t.DECLINED, t.RETURNED))
    period = "f.received_at >= %s AND f.received_at < %s"
    measure = "CASE WHEN {term} IS NULL THEN 'people' ELSE 'referred' END"
    if level == "lsoa":
        # Counted per LSOA before the join to the level's map (1:1 at this level), which
        # then only drops facts outside it; a report of some areas limits the scan.
        within = "AND f.lsoa_id IN (SELECT lsoa_id FROM m)" if limited else ""
        return f"""
SELECT {measure.format(term="y.term_id")}, m.area_id, y.term_id, '', y.n, y.declined, y.returned
  FROM (SELECT x.lsoa_id, x.term_id, COUNT(*) AS n, SUM(x.declined) AS declined,
               SUM(x.returned) AS returned
          FROM (SELECT f.lsoa_id, f.term_id, f.person_id,
                       MAX({declined} THEN 1 ELSE 0 END) AS declined,
                       MAX({returned} THEN 1 ELSE 0 END) AS returned
                  FROM {_t(ReferralFact)} f
                 WHERE {period} {within}
                 GROUP BY f.lsoa_id, f.term_id, f.person_id) x
         GROUP BY x.lsoa_id, x.term_id) y
  JOIN m ON m.lsoa_id = y.lsoa_id"""
    return f"""
SELECT {measure.format(term="f.term_id")}, m.area_id, f.term_id, '',
       COUNT(DISTINCT f.person_id), COUNT(DISTINCT {declined} THEN f.person_id END),
       COUNT(DISTINCT {returned} THEN f.person_id END)
  FROM {_t(ReferralFact)} f JOIN m ON m.lsoa_id = f.lsoa_id
 WHERE {period}
 GROUP BY m.area_id, f.term_id"""


def demand_params(
    period: Period, area_ids: Sequence[int] | None = None, part: str | None = None
) -> list[object]:
    """The parameters of `demand_sql`: the areas, then the period's bounds for each of its
    scans (the CTEs unmet and waiting, then referred, interests; those of `part`)."""
    bounds = [_when(period.start), _when(period.end)]
    scans = 1 if part == "referred" else 3 if part == "need" else 4
    return [*_area_params(area_ids), *bounds * scans]


def demand_counts(
    level: str, period: Period, area_ids: Sequence[int] | None = None, part: str | None = None
) -> DemandCounts:
    """Every demand measure for every (area, term) of `level` in `period`, in one query
    (only for the areas given, if any; only the measures of `part`, if given: see
    `PARTS`, and `DemandCounts.merged` to put two parts together)."""
    areas = None if area_ids is None else len(_area_params(area_ids))
    # Both parts in one: called as before a part existed (tests put the statement that
    # joined casework in its place).
    whole = part is None
    sql = demand_sql(level, areas) if whole else demand_sql(level, areas, part)
    params = demand_params(period, area_ids) if whole else demand_params(period, area_ids, part)
    # At LSOA level people referred are grouped in index order (see `_referred`): on
    # PostgreSQL the planner would hash a whole ICB's 80,000 groups instead (measured in
    # insight/README.md), so hashing is turned off for the statement.
    rows = run_sql(sql, params, stream=level == "lsoa" and part != "need")
    counts = DemandCounts()
    # Each measure's dict bound once (tens of thousands of rows for a whole ICB's LSOAs).
    people, referred, declined = counts.people, counts.referred, counts.declined
    returned, unmet, by_reason = counts.returned, counts.unmet, counts.unmet_by_reason
    waitlisted, interests = counts.waitlisted, counts.interests
    for measure, area_id, term_id, reason, n1, n2, n3 in rows:
        if area_id is None:
            continue
        if measure == "referred":
            key = (area_id, term_id)
            referred[key] = n1
            if n2:
                declined[key] = n2
            if n3:
                returned[key] = n3
        elif measure == "unmet":
            if reason:
                by_reason[(area_id, term_id, reason)] = n1
            else:
                unmet[(area_id, term_id)] = n1
        elif measure == "people":
            people[area_id] = n1
        elif measure == "waitlisted":
            waitlisted[(area_id, term_id)] = n1
        else:
            interests[(area_id, term_id)] = n1
    return counts

"""The demand statement as it was before `ReferralFact` (issue 19): referrals joined to
their people and reasons at report time. Kept as the reference the tests compare the
fact-table statement with, on random worlds: the figures must be the same."""

# ruff: noqa: S608 — the SQL text holds only table names and constants; values are %s parameters.

from linkwork.community.models import Interest
from linkwork.directory.models import Asset
from linkwork.insight.queries.sql import _area_params, _level_map, _m2m, _t, _when
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, ConnectionEvent, Person, Referral, UnmetNeed


def reference_demand_params(period, area_ids=None) -> list[object]:
    return [*_area_params(area_ids), *[_when(period.start), _when(period.end)] * 4]


def reference_demand_sql(level: str, areas: int | None = None) -> str:
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

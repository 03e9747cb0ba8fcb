"""Load and investment: the people sent to, accepted and attending each organisation's
listings, and the grants it holds."""


# ruff: noqa: S608 — the SQL text holds only table names and constants; values are %s parameters.

import datetime as dt
from collections.abc import Iterable

from django.db.models import Sum

from linkwork.community.models import Grant
from linkwork.directory.models import Asset
from linkwork.insight.queries.sql import (
    ACCEPTED_STATES,
    ATTENDED_STATES,
    NEVER_SENT_STATES,
    _in,
    _t,
    _when,
    run_sql,
)
from linkwork.periods import Period
from linkwork.referrals.models import Connection, Person, Referral


def _sum_by(queryset, group: str, value: str) -> list[tuple[object, int]]:

    rows = queryset.values_list(group).order_by().annotate(total=Sum(value))
    return [(key, total) for key, total in rows if total]


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

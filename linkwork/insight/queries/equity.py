"""Equity: people referred, connected and improved, by IMD decile, age band, sex or
ethnicity, and the population of each group."""


# ruff: noqa: S608 — the SQL text holds only table names and constants; values are %s parameters.

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext_noop

from linkwork.insight.queries.load import _sum_by
from linkwork.insight.queries.sql import ATTENDED_STATES, _in, _t, _when, run_sql
from linkwork.periods import Period
from linkwork.places.models import SEX_WORDS, Area, AreaPopulation
from linkwork.referrals.models import Connection, Person, Referral


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str


DIMENSIONS = {
    "imd_decile": Dimension("imd_decile", gettext_noop("IMD decile (1 = most deprived)")),
    "age_band": Dimension("age_band", gettext_noop("Age band")),
    "sex": Dimension("sex", gettext_noop("Sex")),
    "ethnicity": Dimension("ethnicity", gettext_noop("Ethnicity (where recorded)")),
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

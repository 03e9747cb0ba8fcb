"""The counts a report is published from, computed in the database: one SQL statement
per report, returning a few hundred plain rows whatever the number of referrals.

Everything a report shows is a function of small tallies, so no row per referral
leaves the database:

- for each measure, how many people (each at their latest referral with the measure)
  had each (baseline, latest) pair of scores: the means, the confidence interval, the
  verdicts and the distributions all follow from that histogram;
- for each figure (a measure, a money key, a flag, "referred", "had a baseline", ...),
  how many distinct people have it in the cohort and in each cohort with one filter
  fewer (what differencing compares);
- for each money key, how many referrals recorded each amount (the total is summed in
  Python, exactly as before);
- for a breakdown, the same per group of the dimension.

Pairing is `episodes._add_responses`'s rule in SQL, done when a response is written:
triggers keep each referral's paired scores in `QuestionnaireFact` (`pairs`), so a
report reads them instead of ranking every response of the period. Scores travel as
whole hundredths (the `score` column and the scores in `measures` have two decimal
places), so SQLite's floating point never decides a verdict. A person with one
referral in the period (`solo`, most people) has one fact a key, so their facts are
counted without DISTINCT or ranking; only the others' are sorted.
"""

# ruff: noqa: S608 — the SQL text holds only table names and constants; values are %s parameters.

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction

from linkwork.outcomes.evaluation import cache
from linkwork.outcomes.evaluation.cohorts import CONTACT_MEASURES, MONEY, NOT_KNOWN, Filters
from linkwork.outcomes.evaluation.facts import (
    ANY,
    IMPROVED,
    NO_AMOUNT,
    NO_SCORE,
    NO_TEXT,
    PAIRED,
    age_band_sql,
    condition,
    ep_columns,
    facts_sql,
    questionnaire_measures,
    referrals_sql,
    table,
)
from linkwork.referrals.models import Referral

NUMERIC_DIMENSIONS = ("service", "neighbourhood", "imd_decile", "reason")
Variant = frozenset[str]  # the filters dropped from the cohort


@dataclass
class Tallies:
    """Plain values from the database (see the module docstring)."""

    people: dict[tuple[Variant, str], int] = field(default_factory=dict)
    pairs: dict[tuple[Variant, str], Counter] = field(default_factory=dict)
    amounts: dict[str, Counter] = field(default_factory=dict)
    improved: int = 0
    part_people: dict[tuple[Variant, object], int] = field(default_factory=dict)
    part_pairs: dict[object, Counter] = field(default_factory=dict)
    parts: list[object] = field(default_factory=list)

    def count(self, variant: Variant, key: str) -> int:
        return self.people.get((variant, key), 0)

    def pairs_of(self, variant: Variant, key: str) -> Counter:
        return self.pairs.get((variant, key), Counter())


def _where(variant: Variant, active: list[str]) -> str:
    kept = [f"e.p_{name} = 1" for name in active if name not in variant]
    return " AND ".join(kept) or "1 = 1"


def tallies(
    filters: Filters,
    services: frozenset[int] | None,
    *,
    by: str | None,
    measure: str,
) -> Tallies:
    """Everything `report.evaluate` publishes, in one statement."""
    active = list(filters.active)
    needed = ep_columns([*active, *([by] if by else [])])
    episodes, episode_params = referrals_sql(filters, services, needed)
    facts, fact_params = facts_sql()
    flags, flag_params = [], []
    for name, selected in filters.active.items():
        sql, params = condition(name, selected.key)
        flags.append(f"CASE WHEN {sql} THEN 1 ELSE 0 END AS p_{name}")
        flag_params += params
    # `solo`: the person's only referral in the period. Their facts need no ranking or
    # DISTINCT (one row a key a referral), in any cohort: only the others' are sorted.
    solo = "CASE WHEN COUNT(*) OVER (PARTITION BY ep.person_id) = 1 THEN 1 ELSE 0 END"
    columns = f"ep.*, {solo} AS solo" + "".join(f", {f}" for f in flags)
    names = ", ".join(["id", "person_id", "received_at", *needed])
    ctes = [(f"ep0({names}) AS MATERIALIZED ({episodes})", list(episode_params))]
    if "age" in needed:
        band, band_params = age_band_sql("age")
        kept = ", ".join(c if c != "age" else f"{band} AS age_band" for c in names.split(", "))
        ctes.append((f"ep AS MATERIALIZED (SELECT {kept} FROM ep0)", band_params))
    else:
        ctes.append(("ep AS (SELECT * FROM ep0)", []))
    ctes += [
        # The referrals with a flag for each filter they pass.
        (f"ec AS MATERIALIZED (SELECT {columns} FROM ep)", flag_params),
        # Each fact with its referral's person, date and filters, joined once.
        (facts, fact_params),
    ]
    variants: list[Variant] = [frozenset()] + [frozenset([name]) for name in active]
    base: Variant = frozenset([by]) & frozenset(active) if by else frozenset()
    if by:
        variants += [base] + [base | {name} for name in active if name != by]
    variants = list(dict.fromkeys(variants))
    selects: list[tuple[str, list]] = []
    for number, variant in enumerate(variants):
        where = _where(variant, active)
        selects += [
            (
                f"SELECT 'people', {number}, {NO_TEXT}, e.key, {NO_SCORE}, {NO_SCORE}, "
                f"COUNT(*), {NO_AMOUNT} FROM fx e WHERE e.solo = 1 AND {where} GROUP BY e.key",
                [],
            ),
            (
                f"SELECT 'people', {number}, NULL, e.key, NULL, NULL, "
                f"COUNT(DISTINCT e.person_id), NULL FROM fx e WHERE e.solo = 0 AND {where} "
                "GROUP BY e.key",
                [],
            ),
        ]
        selects.append(
            (
                f"SELECT 'people', {number}, NULL, %s, NULL, NULL, COUNT(DISTINCT e.person_id), "
                f"NULL FROM ec e WHERE {where}",
                [ANY],
            )
        )
    histogram_keys = [key for _, key, _, _ in questionnaire_measures()] + list(CONTACT_MEASURES)
    for variant, keys in [(frozenset(), histogram_keys)] + (
        [(base, [measure])] if by and base else []
    ):
        marks = ", ".join(["%s"] * len(keys))
        selects += [
            (
                f"SELECT 'pairs', {variants.index(variant)}, NULL, e.key, e.b, e.l, COUNT(*), "
                f"NULL FROM fx e WHERE e.solo = 1 AND {_where(variant, active)} "
                f"AND e.key IN ({marks}) GROUP BY e.key, e.b, e.l",
                keys,
            ),
            (
                f"SELECT 'pairs', {variants.index(variant)}, NULL, key, b, l, COUNT(*), NULL "
                "FROM (SELECT e.key, e.b, e.l, ROW_NUMBER() OVER (PARTITION BY e.key, "
                "e.person_id ORDER BY e.received_at DESC, e.id DESC) AS rn FROM fx e "
                f"WHERE e.solo = 0 AND {_where(variant, active)} "
                f"AND e.key IN ({marks})) x WHERE rn = 1 GROUP BY key, b, l",
                keys,
            ),
        ]
    marks = ", ".join(["%s"] * len(MONEY))
    selects.append(
        (
            "SELECT 'money', 0, NULL, e.key, NULL, NULL, COUNT(*), e.amount FROM fx e "
            f"WHERE {_where(frozenset(), active)} "
            f"AND e.key IN ({marks}) GROUP BY e.key, e.amount",
            list(MONEY),
        )
    )
    selects.append(
        (
            "SELECT 'improved', 0, NULL, NULL, NULL, NULL, COUNT(*), NULL FROM ("
            "SELECT e.id, ROW_NUMBER() OVER (PARTITION BY e.person_id ORDER BY "
            "e.received_at DESC, e.id DESC) AS rn FROM fx e "
            f"WHERE e.key = %s AND {_where(frozenset(), active)}) x "
            "JOIN fx g ON g.id = x.id AND g.key = %s WHERE x.rn = 1",
            [PAIRED, IMPROVED],
        )
    )
    if by:
        ctes.append(_parts_cte(by))
        selects += _part_selects(by, measure, base, variants, active)
    with_sql = "WITH " + ", ".join(sql for sql, _ in ctes)
    params = [p for _, ps in ctes for p in ps]
    body = " UNION ALL ".join(sql for sql, _ in selects)
    params += [p for _, ps in selects for p in ps]
    rows = _rows(f"{with_sql} {body}", params, filters.period.end)
    return _read(rows, variants, by)


def _rows(sql: str, params: list, end) -> list[tuple]:
    """The statement's rows, from the cache while the data have not changed (`cache`)."""
    with transaction.atomic(), connection.cursor() as cursor:
        token = cache.data_version(cursor)
        name = cache.key(sql, params, end)
        found = cache.cached_rows(name, token, end) if token else None
        if found is not None:
            return found
        if connection.vendor == "postgresql":
            # The planner has no statistics for the CTEs and guesses a handful of rows,
            # so it would loop over tens of thousands for each: hash joins instead. Then
            # the costs look huge, and compiling the plan (JIT) would take seconds.
            cursor.execute("SET LOCAL enable_nestloop = off")
            cursor.execute("SET LOCAL jit = off")
            # Sorting 100,000 facts spills to disk at the default 4 MB.
            cursor.execute("SET LOCAL work_mem = '32MB'")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_nestloop TO DEFAULT")
            cursor.execute("SET LOCAL jit TO DEFAULT")
            cursor.execute("SET LOCAL work_mem TO DEFAULT")
        if token:
            cache.store(name, token, end, rows)
    return rows


def _parts_cte(by: str) -> tuple[str, list]:
    """`ecd`: the cohort's referrals with their value of the dimension (a referral with
    several reasons once for each)."""
    if by == "reason":
        through = table(Referral.reasons.through)
        return (
            "ecd AS MATERIALIZED (SELECT e.*, t.taxonomyterm_id AS dim FROM ec e "
            f"JOIN {through} t ON t.referral_id = e.id)",
            [],
        )
    column = {"service": "service_id", "neighbourhood": "neighbourhood_id"}.get(by, by)
    return (f"ecd AS MATERIALIZED (SELECT e.*, e.{column} AS dim FROM ec e)", [])


def _part_facts(by: str) -> str:
    """The facts with their referral's value of the dimension, as `e`. A referral's own
    column is already in `fx` (no join); reasons need `ecd`, a referral once a reason."""
    if by == "reason":
        return "(SELECT f.key, f.b, f.l, d.* FROM fx f JOIN ecd d ON d.id = f.id) e"
    column = {"service": "service_id", "neighbourhood": "neighbourhood_id"}.get(by, by)
    return f"(SELECT f.*, f.{column} AS dim FROM fx f) e"


def _part_selects(
    by: str, measure: str, base: Variant, variants: list[Variant], active: list[str]
) -> list[tuple[str, list]]:
    number = variants.index(base)
    where = _where(base, active)
    dim = "CAST(dim AS TEXT)"
    facts = _part_facts(by)
    selects = [
        (
            f"SELECT 'present', {number}, {dim}, NULL, NULL, NULL, COUNT(*), NULL FROM ecd e "
            f"WHERE {where} GROUP BY dim",
            [],
        ),
        (
            f"SELECT 'part_pairs', {number}, {dim}, NULL, b, l, COUNT(*), NULL FROM ("
            "SELECT e.dim, e.b, e.l, ROW_NUMBER() OVER (PARTITION BY e.dim, e.person_id "
            f"ORDER BY e.received_at DESC, e.id DESC) AS rn FROM {facts} "
            f"WHERE e.key = %s AND {where}) x WHERE rn = 1 "
            "GROUP BY dim, b, l",
            [measure],
        ),
    ]
    for variant in [base] + [base | {name} for name in active if name != by]:
        selects.append(
            (
                f"SELECT 'part_people', {variants.index(variant)}, {dim}, NULL, NULL, NULL, "
                f"COUNT(DISTINCT e.person_id), NULL FROM {facts} "
                f"WHERE e.key = %s AND {_where(variant, active)} "
                "GROUP BY dim",
                [measure],
            )
        )
    return selects


def _dimension_value(by: str, raw: str | None) -> object:
    if raw is None:
        return NOT_KNOWN
    return int(raw) if by in NUMERIC_DIMENSIONS else raw


def _score(hundredths: int) -> Decimal:
    return Decimal(int(hundredths)).scaleb(-2)


def _read(rows: list[tuple], variants: list[Variant], by: str | None) -> Tallies:
    found = Tallies()
    pairs: dict[tuple[Variant, str], Counter] = defaultdict(Counter)
    amounts: dict[str, Counter] = defaultdict(Counter)
    part_pairs: dict[object, Counter] = defaultdict(Counter)
    for kind, number, dim, key, before, after, n, amount in rows:
        variant = variants[number]
        if kind == "people":
            found.people[(variant, key)] = found.people.get((variant, key), 0) + n
        elif kind == "pairs":
            pairs[(variant, key)][(_score(before), _score(after))] += n
        elif kind == "money":
            amounts[key][float(amount)] += n
        elif kind == "improved":
            found.improved = n
        elif kind == "present":
            found.parts.append(_dimension_value(by, dim))
        elif kind == "part_pairs":
            part_pairs[_dimension_value(by, dim)][(_score(before), _score(after))] += n
        elif kind == "part_people":
            found.part_people[(variant, _dimension_value(by, dim))] = n
    found.pairs, found.amounts, found.part_pairs = dict(pairs), dict(amounts), dict(part_pairs)
    return found

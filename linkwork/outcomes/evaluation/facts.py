"""The rows the tallies are counted from, as SQL for the CTEs of `tallies.tallies`:
`ep`, the referrals in the period with each filter's value; `resp`, their complete
questionnaires ranked latest first per (referral, instrument, baseline or later); and
`facts`, one row a figure a referral has (a paired measure's two scores in hundredths,
a money amount, a flag, a baseline, any pair, any improvement)."""

# ruff: noqa: S608 — the SQL text holds only table names and constants; values are %s parameters.

from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    F,
    FloatField,
    IntegerField,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.fields.json import KT
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    RowNumber,
    TruncDate,
)

from linkwork.outcomes.evaluation.cohorts import (
    ATTENDED_STATES,
    CONTACT_MEASURES,
    FLAGS,
    MONEY,
    Filters,
)
from linkwork.outcomes.instruments import ordered
from linkwork.outcomes.models import OtherOutcomes, Response, Timepoint
from linkwork.places.models import AGE_BANDS, AreaType
from linkwork.referrals.models import Connection, Referral

ANY, BASELINE, PAIRED, IMPROVED = "any", "baseline", "paired", "improved"
# PostgreSQL takes a bare NULL in a UNION (or under DISTINCT) for text: say the type.
NO_TEXT, NO_SCORE, NO_AMOUNT = (
    "CAST(NULL AS TEXT)",
    "CAST(NULL AS INTEGER)",
    "CAST(NULL AS NUMERIC)",
)
BARE = f"{NO_SCORE}, {NO_SCORE}, {NO_AMOUNT}"  # a fact with no scores and no amount


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def questionnaire_measures() -> list[tuple[str, str, object]]:
    """(instrument code, measure key, column in `resp`) of every questionnaire measure."""
    found = []
    for instrument in ordered():
        several = len(instrument.measures) > 1
        for measure in instrument.measures:
            column = f"m_{measure.key}" if several else "score"
            found.append((instrument.code, measure.key, column, measure))
    return found


def _age():
    """The person's age in whole years on the (local) day of referral."""
    late = Q(r_month__lt=F("b_month")) | Q(r_month=F("b_month"), r_day__lt=F("b_day"))
    return (
        F("r_year")
        - F("b_year")
        - Case(When(late, then=Value(1)), default=Value(0), output_field=IntegerField())
    )


def age_band_sql(column: str) -> tuple[str, list]:
    """SQL for the AGE_BANDS band of an age (`cohorts.age_band`'s rule). Written over a
    column of a CTE: as an ORM annotation the age expression would be repeated in each
    WHEN, converting the time zone dozens of times a row."""
    whens = " ".join(
        f"WHEN {column} >= {int(band.split('-')[0].rstrip('+'))} THEN %s"
        for band in reversed(AGE_BANDS)
    )
    return f"CASE {whens} ELSE %s END", [*reversed(AGE_BANDS), AGE_BANDS[0]]


def referrals_sql(filters: Filters, services: frozenset[int] | None) -> tuple[str, tuple]:
    period = filters.period
    referrals = Referral.objects.filter(received_at__gte=period.start, received_at__lt=period.end)
    if services is not None:
        referrals = referrals.filter(service_id__in=services)
    in_neighbourhood = Q(
        person__area__area_type=AreaType.LSOA,
        person__area__parent__area_type=AreaType.NEIGHBOURHOOD,
    )
    found = (
        referrals.annotate(received_on=TruncDate("received_at"))
        .annotate(
            r_year=ExtractYear("received_on"),
            r_month=ExtractMonth("received_on"),
            r_day=ExtractDay("received_on"),
            b_year=ExtractYear("person__birth_date"),
            b_month=ExtractMonth("person__birth_date"),
            b_day=ExtractDay("person__birth_date"),
        )
        .annotate(age_years=_age())
        .annotate(
            hood=Coalesce(
                F("person__area__neighbourhood_membership__neighbourhood_id"),
                Case(When(in_neighbourhood, then=F("person__area__parent_id"))),
                output_field=IntegerField(),
            ),
        )
        .order_by()
        .values_list(
            "id",
            "person_id",
            "received_at",
            "service_id",
            "source",
            "age_years",
            "hood",
            "person__area__imd_decile",
        )
    )
    return found.query.sql_with_params()


def responses_sql(filters: Filters, services: frozenset[int] | None) -> tuple[str, tuple]:
    known = [instrument.code for instrument in ordered()]
    several = [key for _, key, column, _ in questionnaire_measures() if column != "score"]
    period = filters.period
    rows = Response.objects.filter(
        complete=True,
        instrument__in=known,
        referral__received_at__gte=period.start,
        referral__received_at__lt=period.end,
    )
    if services is not None:
        rows = rows.filter(referral__service_id__in=services)
    is_base = Case(
        When(timepoint=Timepoint.BASELINE, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    found = (
        rows.annotate(
            is_base=is_base,
            rn=Window(
                RowNumber(),
                partition_by=[F("referral_id"), F("instrument"), is_base],
                order_by=[F("completed_on").desc(), F("recorded_at").desc(), F("id").desc()],
            ),
            **{f"m_{key}": Cast(KT(f"measures__{key}__score"), FloatField()) for key in several},
        )
        .order_by()
        .values_list(
            "referral_id",
            "instrument",
            "is_base",
            "completed_on",
            "rn",
            "score",
            *(f"m_{key}" for key in several),
        )
    )
    sql, params = found.query.sql_with_params()
    return (
        sql,
        params,
        ["referral_id", "instrument", "is_base", "completed_on", "rn", "score"]
        + [f"m_{key}" for key in several],
    )


def _hundredths(column: str) -> str:
    return f"CAST(ROUND({column} * 100) AS INTEGER)"


def facts_sql() -> tuple[str, list]:
    """(referral_id, key, b, l, amount) rows: a paired measure's two scores in
    hundredths, a money amount, or the bare fact (a flag, a baseline, any pair)."""
    parts, params = [], []
    improved: list[str] = []
    improved_params: list[str] = []
    for code, key, column, measure in questionnaire_measures():
        parts.append(
            f"SELECT referral_id, %s, {_hundredths('b_' + column)}, "
            f"{_hundredths('l_' + column)}, {NO_AMOUNT} FROM pair WHERE instrument = %s "
            f"AND b_{column} IS NOT NULL AND l_{column} IS NOT NULL"
        )
        params += [key, code]
        better = "(l - b)" if measure.higher_is_better else "(b - l)"
        if measure.change_threshold is None:
            improved.append(f"(key = %s AND {better} > 0)")
        else:
            threshold = int(Decimal(measure.change_threshold) * 100)
            improved.append(f"(key = %s AND {better} >= {threshold})")
        improved_params.append(key)
    other = table(OtherOutcomes)
    for key in CONTACT_MEASURES:
        parts.append(
            f"SELECT referral_id, %s, {key}_baseline * 100, {key}_follow_up * 100, {NO_AMOUNT} "
            f"FROM {other} WHERE {key}_baseline IS NOT NULL AND {key}_follow_up IS NOT NULL"
        )
        params.append(key)
    for key in MONEY:
        parts.append(
            f"SELECT referral_id, %s, {NO_SCORE}, {NO_SCORE}, {key} FROM {other} "
            f"WHERE {key} IS NOT NULL"
        )
        params.append(key)
    for key in FLAGS:
        parts.append(f"SELECT referral_id, %s, {BARE} FROM {other} WHERE {key}")
        params.append(key)
    parts.append(f"SELECT DISTINCT referral_id, %s, {BARE} FROM resp WHERE is_base = 1")
    params.append(BASELINE)
    facts = " UNION ALL ".join(parts)
    questionnaire = [key for _, key, _, _ in questionnaire_measures()]
    marks = ", ".join(["%s"] * len(questionnaire))
    improved_sql = " OR ".join(improved)
    scores = sorted({column for _, _, column, _ in questionnaire_measures()})
    sql = (
        # One row a (referral, instrument, timepoint kind) has rn = 1, so MAX picks it.
        "pair AS MATERIALIZED (SELECT referral_id, instrument"
        + "".join(
            f", MAX(CASE WHEN is_base = 1 THEN {c} END) AS b_{c}"
            f", MAX(CASE WHEN is_base = 0 THEN {c} END) AS l_{c}"
            for c in scores
        )
        + " FROM resp WHERE rn = 1 GROUP BY referral_id, instrument "
        "HAVING MAX(CASE WHEN is_base = 0 THEN completed_on END) "
        ">= MAX(CASE WHEN is_base = 1 THEN completed_on END)), "
        f"measured(referral_id, key, b, l, amount) AS MATERIALIZED ({facts}), "
        "facts(referral_id, key, b, l, amount) AS MATERIALIZED ("
        "SELECT * FROM measured UNION ALL "
        f"SELECT DISTINCT referral_id, %s, {BARE} FROM measured WHERE key IN ({marks}) "
        "UNION ALL "
        f"SELECT DISTINCT referral_id, %s, {BARE} FROM measured WHERE {improved_sql})"
    )
    return sql, [*params, PAIRED, *questionnaire, IMPROVED, *improved_params]


def condition(name: str, key: object) -> tuple[str, list]:
    """SQL true when referral `ep.id` passes one filter."""
    if name == "reason":
        through = Referral.reasons.through
        return (
            f"EXISTS (SELECT 1 FROM {table(through)} t WHERE t.referral_id = ep.id "
            "AND t.taxonomyterm_id = %s)",
            [key],
        )
    if name == "asset":
        marks = ", ".join(["%s"] * len(ATTENDED_STATES))
        return (
            f"EXISTS (SELECT 1 FROM {table(Connection)} c WHERE c.referral_id = ep.id "
            f"AND c.asset_id = %s AND c.status IN ({marks}))",
            [key, *ATTENDED_STATES],
        )
    column = {"service": "service_id", "neighbourhood": "neighbourhood_id"}.get(name, name)
    return f"ep.{column} = %s", [key]

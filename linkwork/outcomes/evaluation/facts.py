"""The rows the tallies are counted from, as SQL for the CTEs of `tallies.tallies`:
`ep`, the referrals in the period with the value of each filter (or dimension) asked
for; and `facts`, one row a figure a referral has (a paired measure's two scores in
hundredths, a money amount, a flag, a baseline, any pair, any improvement). The
questionnaire facts are read from `QuestionnaireFact`, which triggers keep (`pairs`)."""

# ruff: noqa: S608 — the SQL text holds only table names and constants; values are %s parameters.

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    TruncDate,
)

from linkwork.outcomes.evaluation.cohorts import (
    ATTENDED_STATES,
    CONTACT_MEASURES,
    FLAGS,
    MONEY,
    Filters,
)
from linkwork.outcomes.evaluation.pairs import BASELINE, IMPROVED, PAIRED, questionnaire_measures
from linkwork.outcomes.models import OtherOutcomes, QuestionnaireFact
from linkwork.places.models import AGE_BANDS, AreaType
from linkwork.referrals.models import Connection, Referral

__all__ = ["BASELINE", "IMPROVED", "PAIRED", "questionnaire_measures"]

ANY = "any"
# PostgreSQL takes a bare NULL in a UNION (or under DISTINCT) for text: say the type.
NO_TEXT, NO_SCORE, NO_AMOUNT = (
    "CAST(NULL AS TEXT)",
    "CAST(NULL AS INTEGER)",
    "CAST(NULL AS NUMERIC)",
)
BARE = f"{NO_SCORE}, {NO_SCORE}, {NO_AMOUNT}"  # a fact with no scores and no amount
# The columns of `ep` beyond (id, person_id, received_at), in order: each is fetched
# only when a filter or the breakdown needs it (the age and area need the person).
EP_COLUMNS = ("service_id", "source", "age", "neighbourhood_id", "imd_decile")
NEEDS = {
    "service": "service_id",
    "source": "source",
    "age_band": "age",
    "neighbourhood": "neighbourhood_id",
    "imd_decile": "imd_decile",
}


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


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


def ep_columns(names) -> list[str]:
    """The optional `ep` columns the filters or dimensions `names` read, in order."""
    wanted = {NEEDS[name] for name in names if name in NEEDS}
    return [column for column in EP_COLUMNS if column in wanted]


def referrals_sql(
    filters: Filters, services: frozenset[int] | None, columns: list[str]
) -> tuple[str, tuple]:
    """(id, person_id, received_at, *columns) of the referrals in the period."""
    period = filters.period
    referrals = Referral.objects.filter(received_at__gte=period.start, received_at__lt=period.end)
    if services is not None:
        referrals = referrals.filter(service_id__in=services)
    if "age" in columns:
        referrals = (
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
        )
    if "neighbourhood_id" in columns:
        in_neighbourhood = Q(
            person__area__area_type=AreaType.LSOA,
            person__area__parent__area_type=AreaType.NEIGHBOURHOOD,
        )
        referrals = referrals.annotate(
            hood=Coalesce(
                F("person__area__neighbourhood_membership__neighbourhood_id"),
                Case(When(in_neighbourhood, then=F("person__area__parent_id"))),
                output_field=IntegerField(),
            ),
        )
    fields = {
        "age": "age_years",
        "neighbourhood_id": "hood",
        "imd_decile": "person__area__imd_decile",
    }
    found = referrals.order_by().values_list(
        "id", "person_id", "received_at", *(fields.get(c, c) for c in columns)
    )
    return found.query.sql_with_params()


def facts_sql() -> tuple[str, list]:
    """The `fx` CTE: each fact of a referral in `ec` with the referral's columns and
    (key, b, l, amount): a paired measure's two scores in hundredths and the bare
    "baseline", "paired" and "improved" (kept by triggers in `QuestionnaireFact`, see
    `pairs`), a contact measure's two counts, a money amount, or a flag. Joined from
    `ec` to each table's referral index, so a small cohort reads only its own rows
    (SQLite would otherwise loop over every fact for each referral)."""
    other = table(OtherOutcomes)
    keys = [*CONTACT_MEASURES, *MONEY, *FLAGS]
    kinds = " UNION ALL ".join(["SELECT %s AS key"] * len(keys))
    wanted = [
        *(
            f"(k.key = %s AND o.{c}_baseline IS NOT NULL AND o.{c}_follow_up IS NOT NULL)"
            for c in CONTACT_MEASURES
        ),
        *(f"(k.key = %s AND o.{c} IS NOT NULL)" for c in MONEY),
        *(f"(k.key = %s AND o.{c})" for c in FLAGS),
    ]
    baseline = " ".join(f"WHEN %s THEN o.{c}_baseline * 100" for c in CONTACT_MEASURES)
    latest = " ".join(f"WHEN %s THEN o.{c}_follow_up * 100" for c in CONTACT_MEASURES)
    amount = " ".join(f"WHEN %s THEN o.{c}" for c in MONEY)
    body = (
        f"SELECT e.*, q.key, q.baseline AS b, q.latest AS l, {NO_AMOUNT} AS amount FROM ec e "
        f"JOIN {table(QuestionnaireFact)} q ON q.referral_id = e.id UNION ALL "
        # Other outcomes: one row a referral, one fact a key it records.
        f"SELECT e.*, k.key, CASE k.key {baseline} END, CASE k.key {latest} END, "
        f"CASE k.key {amount} END FROM ec e JOIN {other} o ON o.referral_id = e.id "
        f"CROSS JOIN ({kinds}) k WHERE {' OR '.join(wanted)}"
    )
    params = [*CONTACT_MEASURES, *CONTACT_MEASURES, *MONEY, *keys, *keys]
    return f"fx AS MATERIALIZED ({body})", params


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

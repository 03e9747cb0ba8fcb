"""`QuestionnaireFact` kept in step with questionnaire responses by database triggers
(PostgreSQL and SQLite), so the evaluation's statement reads each referral's paired
scores instead of ranking and pairing every response of the period (issue 19).

The pairing rule (the reference is `episodes._add_responses`): per referral and
instrument, the last complete baseline and the last complete later questionnaire by
(completed_on, recorded_at, id), compared when the later one is not dated before the
baseline; a measure is paired when both have its score. Per referral the table holds:

- a row per paired measure with both scores in whole hundredths (`baseline`, `latest`);
- "paired" when any questionnaire measure is paired, "improved" when any passes its
  change threshold in its better direction (`scoring.classify_change`'s rule);
- "baseline" when it has any complete baseline of a known instrument.

A response inserted, changed or deleted recomputes its referral's rows (both
referrals' when it moved). The SQL is generated from `instruments` at migration time:
a change to the instruments, their measures or thresholds comes with a migration that
re-creates the triggers and rebuilds (`tests/outcomes/test_questionnaire_facts.py`
fails until then). A load that bypasses triggers calls `rebuild_questionnaire_facts()`.
"""

# ruff: noqa: S608 — the SQL text holds only table names and constants from the code.

import hashlib
from decimal import Decimal

from django.db.backends.base.base import BaseDatabaseWrapper

from linkwork import triggers
from linkwork.outcomes.instruments import ordered
from linkwork.outcomes.models import QuestionnaireFact, Response, Timepoint
from linkwork.triggers import RowTrigger

PAIRED, IMPROVED, BASELINE = "paired", "improved", "baseline"
NO_SCORE = "CAST(NULL AS INTEGER)"  # PostgreSQL takes a bare NULL under DISTINCT for text


def questionnaire_measures() -> list[tuple[str, str, str, object]]:
    """(instrument code, measure key, column in `resp`, measure) of every measure."""
    found = []
    for instrument in ordered():
        several = len(instrument.measures) > 1
        for measure in instrument.measures:
            column = f"m_{measure.key}" if several else "score"
            found.append((instrument.code, measure.key, column, measure))
    return found


def _literal(text: str) -> str:
    if not text.replace("_", "").isalnum():
        raise ValueError(f"not a plain key: {text!r}")
    return f"'{text}'"


def _value(vendor: str, key: str, column: str) -> str:
    """The measure's score in a response row, as Django's Cast(KT(...)) reads it."""
    if column == "score":
        return "score"
    if vendor == "postgresql":
        return f"CAST((measures #>> '{{{key},score}}') AS DOUBLE PRECISION)"
    path = f'\'$."{key}"."score"\''
    kind = f"JSON_TYPE(measures, {path})"
    return (
        f"CAST((CASE WHEN {kind} IN ('null','false','true') THEN {kind} "
        f"ELSE JSON_EXTRACT(measures, {path}) END) AS REAL)"
    )


def _improved(measure, key: str) -> str:
    better = "(latest - baseline)" if measure.higher_is_better else "(baseline - latest)"
    if measure.change_threshold is None:
        return f"(key = {_literal(key)} AND {better} > 0)"
    threshold = int(Decimal(measure.change_threshold) * 100)
    return f"(key = {_literal(key)} AND {better} >= {threshold})"


def refresh_sql(vendor: str, where: str) -> list[str]:
    """Statements replacing the rows of the referrals `where` selects (a condition on
    `referral_id`, e.g. "referral_id = NEW.referral_id", or "1 = 1" for all)."""
    fact, response = QuestionnaireFact._meta.db_table, Response._meta.db_table
    columns = "referral_id, key, baseline, latest"
    base = _literal(Timepoint.BASELINE)
    statements = [f"DELETE FROM {fact} WHERE {where};"]
    for code, key, column, _ in questionnaire_measures():
        statements.append(
            f"INSERT INTO {fact} ({columns}) SELECT referral_id, {_literal(key)}, "
            "CAST(ROUND(b * 100) AS INTEGER), CAST(ROUND(l * 100) AS INTEGER) FROM ("
            "SELECT referral_id, MAX(CASE WHEN is_base = 1 THEN v END) AS b, "
            "MAX(CASE WHEN is_base = 0 THEN v END) AS l FROM ("
            "SELECT referral_id, is_base, completed_on, v, ROW_NUMBER() OVER ("
            "PARTITION BY referral_id, is_base "
            "ORDER BY completed_on DESC, recorded_at DESC, id DESC) AS rn FROM ("
            f"SELECT referral_id, CASE WHEN timepoint = {base} THEN 1 ELSE 0 END AS is_base, "
            f"completed_on, recorded_at, id, {_value(vendor, key, column)} AS v "
            f"FROM {response} WHERE complete AND instrument = {_literal(code)} "
            f"AND {where}) r) ranked WHERE rn = 1 GROUP BY referral_id "
            "HAVING MAX(CASE WHEN is_base = 0 THEN completed_on END) "
            ">= MAX(CASE WHEN is_base = 1 THEN completed_on END)) pair "
            "WHERE b IS NOT NULL AND l IS NOT NULL;"
        )
    keys = ", ".join(_literal(key) for _, key, _, _ in questionnaire_measures())
    improved = " OR ".join(_improved(m, key) for _, key, _, m in questionnaire_measures())
    known = ", ".join(_literal(instrument.code) for instrument in ordered())
    statements += [
        f"INSERT INTO {fact} ({columns}) SELECT DISTINCT referral_id, {_literal(PAIRED)}, "
        f"{NO_SCORE}, {NO_SCORE} FROM {fact} WHERE key IN ({keys}) AND {where};",
        f"INSERT INTO {fact} ({columns}) SELECT DISTINCT referral_id, {_literal(IMPROVED)}, "
        f"{NO_SCORE}, {NO_SCORE} FROM {fact} WHERE ({improved}) AND {where};",
        f"INSERT INTO {fact} ({columns}) SELECT DISTINCT referral_id, {_literal(BASELINE)}, "
        f"{NO_SCORE}, {NO_SCORE} FROM {response} WHERE complete AND instrument IN ({known}) "
        f"AND timepoint = {base} AND {where};",
    ]
    return statements


def _bodies(vendor: str) -> dict[str, tuple[str, list[str]]]:
    """{trigger: (event, statements)}, with NEW / OLD as both engines name the rows."""
    moved = "referral_id = OLD.referral_id AND OLD.referral_id <> NEW.referral_id"
    return {
        "ins": ("AFTER INSERT", refresh_sql(vendor, "referral_id = NEW.referral_id")),
        "upd": (
            "AFTER UPDATE",
            refresh_sql(vendor, moved) + refresh_sql(vendor, "referral_id = NEW.referral_id"),
        ),
        "del": ("AFTER DELETE", refresh_sql(vendor, "referral_id = OLD.referral_id")),
    }


def _triggers(vendor: str) -> list[RowTrigger]:
    table = Response._meta.db_table
    return [
        RowTrigger(f"evaluation_fact_{name}", f"{event} ON {table}", " ".join(body))
        for name, (event, body) in _bodies(vendor).items()
    ]


def create_triggers_sql(vendor: str) -> list[str]:
    """The statements creating the three triggers on this engine."""
    return triggers.create_sql(_triggers(vendor), vendor)


def drop_triggers_sql(vendor: str) -> list[str]:
    return triggers.drop_sql(_triggers(vendor), vendor)


def rebuild_questionnaire_facts(connection: BaseDatabaseWrapper) -> None:
    """Fill `QuestionnaireFact` afresh from the responses (after a load without triggers)."""
    from linkwork.outcomes.evaluation import cache

    with connection.cursor() as cursor:
        for statement in refresh_sql(connection.vendor, "1 = 1"):
            cursor.execute(statement.rstrip(";"))
        # The version triggers are on responses, not on this table: cached tallies go
        # (outcomes.0002 rebuilds before the version table exists).
        if cache.version_table() in connection.introspection.table_names(cursor):
            cursor.execute(cache.bump_sql(connection.vendor))


def triggers_digest() -> str:
    """sha256 of the trigger SQL on both engines (what a migration installed)."""
    text = "\n".join(create_triggers_sql("postgresql") + create_triggers_sql("sqlite"))
    return hashlib.sha256(text.encode()).hexdigest()

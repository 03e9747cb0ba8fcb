"""`ReferralFact` kept in step with casework by database triggers (PostgreSQL and SQLite).

Why triggers, not services: casework is written in many places (services, imports,
bulk loads, the tests' builders, `QuerySet.update`), and a trigger runs in the same
statement as every one of them, so the table cannot drift from what it copies and
needs no code in the referrals app. What each trigger keeps:

- a referral inserted: its row for "anything" (term NULL); deleted: all its rows;
  its person, status or received time changed: all its rows follow;
- a reason added to a referral: its row; removed: that row;
- a person's area changed (they moved, or were erased): their rows follow.

A load that bypasses triggers (the bench's COPY with `session_replication_role =
replica`) calls `rebuild_referral_facts()` after.
"""

# ruff: noqa: S608 — the SQL text holds only table names; no value is interpolated.

from django.db.backends.base.base import BaseDatabaseWrapper

from linkwork import triggers
from linkwork.insight.models import ReferralFact
from linkwork.referrals.models import Person, Referral
from linkwork.triggers import RowTrigger

COLUMNS = "referral_id, term_id, person_id, lsoa_id, received_at, status"


def _names() -> dict[str, str]:
    return {
        "fact": ReferralFact._meta.db_table,
        "referral": Referral._meta.db_table,
        "reasons": Referral._meta.get_field("reasons").remote_field.through._meta.db_table,
        "person": Person._meta.db_table,
    }


def _bodies(new: str, old: str) -> dict[str, tuple[str, str]]:
    """{trigger: (event, body statements)}: the same statements on both engines, with
    `new` / `old` as each names the changed row."""
    return {
        "referral_ins": (
            "AFTER INSERT ON {referral}",
            f"INSERT INTO {{fact}} ({COLUMNS}) SELECT {new}.id, NULL, {new}.person_id, "
            f"p.area_id, {new}.received_at, {new}.status FROM {{person}} p "
            f"WHERE p.id = {new}.person_id;",
        ),
        "referral_upd": (
            "AFTER UPDATE OF person_id, status, received_at ON {referral}",
            f"UPDATE {{fact}} SET person_id = {new}.person_id, status = {new}.status, "
            f"received_at = {new}.received_at, "
            f"lsoa_id = (SELECT area_id FROM {{person}} WHERE id = {new}.person_id) "
            f"WHERE referral_id = {new}.id;",
        ),
        "referral_del": (
            "AFTER DELETE ON {referral}",
            f"DELETE FROM {{fact}} WHERE referral_id = {old}.id;",
        ),
        "reason_ins": (
            "AFTER INSERT ON {reasons}",
            f"INSERT INTO {{fact}} ({COLUMNS}) SELECT r.id, {new}.taxonomyterm_id, "
            f"r.person_id, p.area_id, r.received_at, r.status FROM {{referral}} r "
            f"JOIN {{person}} p ON p.id = r.person_id WHERE r.id = {new}.referral_id;",
        ),
        "reason_del": (
            "AFTER DELETE ON {reasons}",
            f"DELETE FROM {{fact}} WHERE referral_id = {old}.referral_id "
            f"AND term_id = {old}.taxonomyterm_id;",
        ),
        "reason_upd": (
            "AFTER UPDATE ON {reasons}",
            f"UPDATE {{fact}} SET referral_id = {new}.referral_id, "
            f"term_id = {new}.taxonomyterm_id, "
            f"person_id = (SELECT person_id FROM {{referral}} WHERE id = {new}.referral_id), "
            f"received_at = (SELECT received_at FROM {{referral}} WHERE id = {new}.referral_id), "
            f"status = (SELECT status FROM {{referral}} WHERE id = {new}.referral_id), "
            f"lsoa_id = (SELECT p.area_id FROM {{referral}} r JOIN {{person}} p "
            f"ON p.id = r.person_id WHERE r.id = {new}.referral_id) "
            f"WHERE referral_id = {old}.referral_id AND term_id = {old}.taxonomyterm_id;",
        ),
        "person_upd": (
            "AFTER UPDATE OF area_id ON {person}",
            f"UPDATE {{fact}} SET lsoa_id = {new}.area_id WHERE person_id = {new}.id;",
        ),
    }


def _triggers() -> list[RowTrigger]:
    names = _names()
    return [
        RowTrigger(f"insight_fact_{name}", event.format(**names), body.format(**names))
        for name, (event, body) in _bodies("NEW", "OLD").items()
    ]


def create_triggers_sql(vendor: str) -> list[str]:
    """The statements creating every trigger on this engine."""
    return triggers.create_sql(_triggers(), vendor)


def drop_triggers_sql(vendor: str) -> list[str]:
    return triggers.drop_sql(_triggers(), vendor)


def rebuild_sql() -> list[str]:
    """Empty the table and fill it from casework (a referral row, and one per reason)."""
    n = _names()
    return [
        f"DELETE FROM {n['fact']}",
        f"INSERT INTO {n['fact']} ({COLUMNS}) SELECT r.id, NULL, r.person_id, p.area_id, "
        f"r.received_at, r.status FROM {n['referral']} r JOIN {n['person']} p "
        f"ON p.id = r.person_id",
        f"INSERT INTO {n['fact']} ({COLUMNS}) SELECT r.id, rr.taxonomyterm_id, r.person_id, "
        f"p.area_id, r.received_at, r.status FROM {n['reasons']} rr "
        f"JOIN {n['referral']} r ON r.id = rr.referral_id "
        f"JOIN {n['person']} p ON p.id = r.person_id",
    ]


def rebuild_referral_facts(connection: BaseDatabaseWrapper) -> None:
    """Fill `ReferralFact` afresh from casework (after a load that skipped triggers)."""
    with connection.cursor() as cursor:
        for statement in rebuild_sql():
            cursor.execute(statement)

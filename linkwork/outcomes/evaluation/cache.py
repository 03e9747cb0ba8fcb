"""The tallies of a report, cached until the data they are counted from change.

The statement of `tallies` takes ~0.4 s at 30,000 referrals; the page, its CSV and the
report ask for the same figures, and commissioners reopen them. So its rows are kept
in Django's `default` cache (the database, or Redis with CACHE_URL: shared by every
worker), one entry a filter set and viewer's scope, named by the statement's text and
parameters (the period's start, each filter's value, the services in the viewer's
scope, the breakdown and its measure: all but the period's end; new code never reads
an old entry). An entry serves a request only when

- it was made from the same data: its version is the one in `EvaluationDataVersion`,
  whose tokens database triggers set afresh on every statement writing a table the figures
  are counted from (`versioned_models`: inserts, updates, deletes, PostgreSQL's
  TRUNCATE; `QuerySet.update`, bulk writes and raw SQL included, which no Django signal
  would see). `QuestionnaireFact` is written only by the triggers on responses, which
  are watched (and `pairs.rebuild_questionnaire_facts` sets a token itself); a trigger
  on the facts table would fire once for each response of a bulk load;
- and no referral was received between its period's end and the request's (a period
  ending "now" ends at another instant each request): it holds the last referral
  before its end and the first after, from when it was made.

Tokens are random, not counters, so a database restored from a backup (or a test
rolled back) never meets an entry made from other data with the same version. It is read
before the statement, in the same transaction: an entry is never older than its token.
The disclosure rule and the names of groups are applied after, from live data.

The token is kept per connection on PostgreSQL (`bump_sql`): with one shared row every
writer would hold its lock until commit, queueing writers and turning two transactions
that wait for each other's rows in turn into a deadlock.
"""

# ruff: noqa: S608 — the SQL text holds only table names from the models.

import hashlib
import pickle
import zlib

from django.core.cache import caches
from django.db import connection

from linkwork.outcomes.models import EvaluationDataVersion, OtherOutcomes, Response
from linkwork.places.models import Area, NeighbourhoodMembership
from linkwork.referrals.models import Connection, Person, Referral

CACHE = "default"
TIMEOUT = 24 * 3600
FORMAT = "1"  # the layout of an entry
WRITERS_KEPT = 64  # rows of tokens (PostgreSQL: one a connection) before pruning


def versioned_models() -> list:
    return [
        Referral,
        Referral.reasons.through,
        Person,
        Area,
        NeighbourhoodMembership,
        Connection,
        OtherOutcomes,
        Response,
    ]


def tables() -> list[str]:
    return [model._meta.db_table for model in versioned_models()]


def version_table() -> str:
    return EvaluationDataVersion._meta.db_table


def new_token_sql(vendor: str) -> str:
    if vendor == "postgresql":
        return "md5(random()::text || clock_timestamp()::text)"
    return "lower(hex(randomblob(16)))"


def bump_sql(vendor: str) -> str:
    """A new token. On PostgreSQL each connection (backend) writes its own row, so
    concurrent writers never wait on one another for it; SQLite has one writer at a
    time and one row."""
    if vendor == "postgresql":
        return (
            f"INSERT INTO {version_table()} (writer, token) VALUES (pg_backend_pid(), "
            f"{new_token_sql(vendor)}) ON CONFLICT (writer) DO UPDATE SET token = EXCLUDED.token"
        )
    return f"UPDATE {version_table()} SET token = {new_token_sql(vendor)}"


def create_triggers_sql(vendor: str) -> list[str]:
    statements = []
    if vendor == "postgresql":
        statements.append(
            "CREATE OR REPLACE FUNCTION evaluation_data_changed() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {bump_sql(vendor)}; RETURN NULL; END $$"
        )
        for table in tables():
            statements.append(
                f"CREATE TRIGGER evaluation_version_{table} AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION "
                "evaluation_data_changed()"
            )
    else:
        # SQLite has row triggers only (an UPDATE of one row in place each: cheap).
        for table in tables():
            for event in ("INSERT", "UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER evaluation_version_{table}_{event.lower()} AFTER {event} "
                    f"ON {table} FOR EACH ROW BEGIN {bump_sql(vendor)}; END"
                )
    return statements


def drop_triggers_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        statements = [
            f"DROP TRIGGER IF EXISTS evaluation_version_{table} ON {table}" for table in tables()
        ]
        return [*statements, "DROP FUNCTION IF EXISTS evaluation_data_changed()"]
    return [
        f"DROP TRIGGER IF EXISTS evaluation_version_{table}_{event}"
        for table in tables()
        for event in ("insert", "update", "delete")
    ]


def data_changed(cursor) -> None:
    """A new token, for a write the triggers do not see."""
    cursor.execute(bump_sql(connection.vendor))


def _read_version(cursor) -> tuple[int, str | None]:
    if connection.vendor == "postgresql":
        joined = "string_agg(writer || ':' || token, ',' ORDER BY writer)"
    else:
        joined = "group_concat(writer || ':' || token, ',')"
    cursor.execute(f"SELECT COUNT(*), {joined} FROM {version_table()}")
    count, text = cursor.fetchone()
    return count, (hashlib.sha256(text.encode()).hexdigest()[:32] if text else None)


def data_version(cursor) -> str | None:
    """The data's version: every writer's token together. The first row comes back
    after a flush emptied the table. Rows of connections that have gone are deleted now
    and then (PostgreSQL), and this connection's token renewed with them: without it,
    the tokens left could be a set seen before, from other data."""
    count, version = _read_version(cursor)
    if version is None:
        cursor.execute(
            f"INSERT INTO {version_table()} (writer, token) "
            f"VALUES (0, {new_token_sql(connection.vendor)}) ON CONFLICT (writer) DO NOTHING"
        )
        count, version = _read_version(cursor)
    elif count > WRITERS_KEPT and connection.vendor == "postgresql":
        cursor.execute(
            f"DELETE FROM {version_table()} WHERE writer <> 0 AND writer NOT IN "
            "(SELECT pid FROM pg_stat_activity)"
        )
        cursor.execute(bump_sql(connection.vendor))
        count, version = _read_version(cursor)
    return version


def key(sql: str, params: list, end) -> str:
    """The entry's name: everything the rows depend on but the data and the period's end
    (one entry a filter set and scope, overwritten when the data change)."""
    # As the ORM passed it: SQLite's backend gives the datetime as text.
    ends = [end, connection.ops.adapt_datetimefield_value(end)]
    kept = ["<end>" if any(type(p) is type(e) and p == e for e in ends) else p for p in params]
    text = repr((FORMAT, sql, kept))
    return "evaluation-tallies:" + hashlib.sha256(text.encode()).hexdigest()


def edges(end) -> tuple:
    """When the last referral before `end` and the first at or after it were received."""
    received = Referral.objects.order_by().values_list("received_at", flat=True)
    before = received.filter(received_at__lt=end).order_by("-received_at").first()
    return before, received.filter(received_at__gte=end).order_by("received_at").first()


def _fits(entry: tuple, token: str, end) -> bool:
    """Whether an entry holds for these data and a period ending at `end`."""
    form, made_from, computed_end, before, after, _ = entry
    if form != FORMAT or made_from != token:
        return False
    if end >= computed_end:
        return after is None or after >= end
    return before is None or before < end


def cached_rows(name: str, token: str, end) -> list[tuple] | None:
    entry = caches[CACHE].get(name)
    if entry is None or not _fits(entry, token, end):
        return None
    return pickle.loads(zlib.decompress(entry[-1]))  # noqa: S301 (our own entry)


def store(name: str, token: str, end, rows: list[tuple]) -> None:
    """Keep the rows (compressed: ~200 kB pickled at 30,000 referrals, ~10x less)."""
    before, after = edges(end)
    packed = zlib.compress(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
    caches[CACHE].set(name, (FORMAT, token, end, before, after, packed), TIMEOUT)

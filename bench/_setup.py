"""A throwaway database for a benchmark run: SQLite in a temp folder unless DATABASE_URL is set."""

import contextlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable

from bench.targets import percentile_95

_prepared = False


def test_environment() -> None:
    """Django's test environment (mail kept in memory, rendered templates recorded), set up
    once in a run of several benchmarks (Django refuses a second set-up)."""
    from django.test.utils import setup_test_environment

    with contextlib.suppress(RuntimeError):
        setup_test_environment()


def django_with_fresh_database() -> None:
    """Migrated, empty tables. The first call refuses a database that already holds data
    (DATABASE_URL is not the bench's to wipe: give it a new, empty one); a later call in
    the same run empties what the earlier benchmark left."""
    global _prepared
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres") and not _prepared:
        create_postgres_database(url)
    if not url and not _prepared:
        os.environ["SQLITE_PATH"] = os.path.join(tempfile.mkdtemp(prefix="linkwork-bench-"), "b.db")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linkwork.settings")
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if _prepared:
        call_command("flush", verbosity=0, interactive=False)
    else:
        # Content types, permissions and the evaluation's data version are what
        # migrating itself writes.
        holding = [
            model._meta.label
            for model in apps.get_models()
            if model._meta.app_label not in ("contenttypes", "auth")
            and model._meta.label != "outcomes.EvaluationDataVersion"
            and model._base_manager.exists()
        ]
        if holding:
            raise SystemExit(
                f"The benchmark database already holds data ({', '.join(holding[:3])}, ...): "
                "point DATABASE_URL at a new, empty database (dropdb, then createdb)."
            )
    _prepared = True


def create_postgres_database(url: str) -> None:
    """CREATE DATABASE for a PostgreSQL `url` naming one that does not exist yet (a new,
    empty database is what a benchmark wants); nothing when it exists or the server does
    not answer (Django then says why)."""
    import psycopg

    server, name = url.split("?", 1)[0].rsplit("/", 1)
    with (
        contextlib.suppress(psycopg.OperationalError),
        psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3) as db,
    ):
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(f'CREATE DATABASE "{name}"')


def timings(action: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock seconds of each of `repeat` runs, after one warm-up run."""
    action()
    result = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        result.append(time.perf_counter() - started)
    return result


def interleaved_timings(
    actions: dict[str, Callable[[], object]], repeat: int
) -> dict[str, list[float]]:
    """`timings` of several actions taken in turn (one of each, `repeat` times, after a
    warm-up of each): on a shared machine a busy spell then slows every action alike,
    so their ratios stay fair."""
    for action in actions.values():
        action()
    result: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            result[name].append(time.perf_counter() - started)
    return result


def summary(name: str, seconds: list[float]) -> dict:
    """Median and p95 (nearest rank; "max of n" when there are too few runs for one)."""
    p95, label = percentile_95(seconds)
    median = statistics.median(seconds)
    print(f"  {name:<40} median {median * 1000:8.2f} ms   {label} {p95 * 1000:8.2f} ms")
    return {"median": median, "p95": p95, "p95_label": label}


@contextlib.contextmanager
def explicit_timestamps():
    """Keep the historical times given to bulk_create (auto_now_add would stamp today):
    for the casework models a benchmark writes with made-up dates."""
    from linkwork.referrals import models as m

    fields = [
        m.Person._meta.get_field("created_at"),
        m.Referral._meta.get_field("received_at"),
        m.ReferralEvent._meta.get_field("at"),
        m.Connection._meta.get_field("created_at"),
        m.Connection._meta.get_field("updated_at"),
        m.ConnectionEvent._meta.get_field("at"),
        m.UnmetNeed._meta.get_field("recorded_at"),
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add

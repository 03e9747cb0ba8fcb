"""Monthly tariff statements at scale (issue 15): 5,000 groups and 90,000 people who
started at one of them in the month, on PostgreSQL.

A tariff (£25 a person, micro and small groups only, a cap per quarter and a pot) is
worked out for the month three ways: the first run (every statement written), a rerun
with nothing changed (idempotent: nothing written), and a rerun after a tenth of the
groups' statements were approved (those are left alone). It reports the median time of
each and the number of SQL statements, at 500 groups (9,000 people) and at 5,000 groups
(90,000 people), so the query count can be seen to be flat in groups. Budget: < 2 s.

Rows are written with COPY (bench.insight.Copier). Each scale runs in a child process on
its own database (FUNDING_BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/linkwork_bench_funding); without a reachable
PostgreSQL it says so and skips.
"""

import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/linkwork_bench_funding"
SCALES = {"small": (500, 9_000), "icb": (5_000, 90_000)}
MONTH = dt.date(2026, 10, 1)
SEED = 15
REPEAT = 3


def main() -> None:
    from bench.insight import _drop_database, _fresh_database

    url = os.environ.get("FUNDING_BENCH_DATABASE_URL", DEFAULT_URL)
    print("Funding statements benchmark (PostgreSQL)")
    for scale in SCALES:
        if not _fresh_database(url):
            print(f"  PostgreSQL at {url.rsplit('/', 1)[0]} is not reachable: skipped")
            return
        env = {**os.environ, "DATABASE_URL": url}
        subprocess.run(
            [sys.executable, "-m", "bench.funding_statements", scale], env=env, check=True
        )
    _drop_database(url)


def build(groups: int, people: int, rng: random.Random) -> None:
    from bench.insight import Copier
    from linkwork.directory.models import Asset, Organisation
    from linkwork.funding.models import GroupSize
    from linkwork.referrals.models import Connection, ConnectionEvent, Person, Referral

    copier = Copier()
    copier.copy(
        Organisation,
        ["id", "name", "kind"],
        [(1, "Bench Links", "sp_service"), (2, "Bench ICB", "icb")]
        + [(pk, f"Bench Group {pk}", "vcfse") for pk in range(3, groups + 3)],
    )
    copier.copy(
        Asset,
        ["id", "organisation_id", "name", "description", "publication"],
        (
            (pk, pk + 2, f"Bench activity {pk}", "A weekly session.", "published")
            for pk in range(1, groups + 1)
        ),
    )
    bands = rng.choices(["micro", "small", "medium", "large"], [40, 40, 15, 5], k=groups)
    copier.copy(
        GroupSize,
        ["organisation_id", "size_band", "updated_at"],
        ((pk + 3, bands[pk], copier.now) for pk in range(groups)),
    )
    born = dt.date(1950, 1, 1)
    copier.copy(
        Person,
        ["id", "given_name", "family_name", "birth_date", "postcode"],
        ((i, "Bench", "Person", born, "BL1 1AA") for i in range(1, people + 1)),
    )
    sent = dt.datetime.combine(MONTH - dt.timedelta(days=20), dt.time(9), tzinfo=dt.UTC)
    copier.copy(
        Referral,
        [
            "id",
            "person_id",
            "service_id",
            "source",
            "status",
            "consent_to_refer",
            "consent_recorded_at",
            "received_at",
            "first_contact_due",
        ],
        (
            (i, i, 1, "gp", "in_progress", True, sent, sent, sent.date())
            for i in range(1, people + 1)
        ),
    )
    asset_of = [rng.randrange(1, groups + 1) for _ in range(people)]
    copier.copy(
        Connection,
        ["id", "referral_id", "asset_id", "status", "sent_at", "created_at", "updated_at"],
        ((i, i, asset_of[i - 1], "attending", sent, sent, sent) for i in range(1, people + 1)),
    )
    start = dt.datetime.combine(MONTH, dt.time(0), tzinfo=dt.UTC)

    def events():
        for i in range(1, people + 1):
            first = start + dt.timedelta(minutes=rng.randrange(30 * 24 * 60))
            yield i, "sent", "accepted", sent + dt.timedelta(days=2)
            yield i, "accepted", "attended_first", first
            yield i, "attended_first", "attending", first + dt.timedelta(days=7)

    copier.copy(ConnectionEvent, ["connection_id", "from_status", "to_status", "at"], events())


def run(scale_name: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linkwork.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from linkwork.funding.models import Statement, StatementStatus, Tariff
    from linkwork.funding.services import compute_statements

    assert connection.vendor == "postgresql", "the funding bench runs on PostgreSQL"
    call_command("migrate", verbosity=0, interactive=False)
    groups, people = SCALES[scale_name]
    started = time.perf_counter()
    build(groups, people, random.Random(SEED))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"  {groups:,} groups, {people:,} people started in {MONTH:%B %Y} "
        f"(loaded in {time.perf_counter() - started:.1f} s)"
    )
    tariffs = [
        Tariff.objects.create(
            funder_id=2,
            name=f"Per person {i}",
            rate="25.00",
            size_bands=["micro", "small"],
            cap_per_quarter="500.00",
            pot="1000000.00",
            starts=dt.date(2026, 1, 1),
        )
        for i in range(REPEAT)
    ]

    def measured(action):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            action()
            return time.perf_counter() - began, len(queries)

    first = [
        measured(lambda t=t: compute_statements(tariff=t, month=MONTH, by=None)) for t in tariffs
    ]
    again = [
        measured(lambda: compute_statements(tariff=tariffs[0], month=MONTH, by=None))
        for _ in range(REPEAT)
    ]
    statements = Statement.objects.filter(tariff=tariffs[0])
    approve = list(statements.values_list("pk", flat=True)[: max(1, statements.count() // 10)])
    statements.filter(pk__in=approve).update(status=StatementStatus.APPROVED)
    after = [
        measured(lambda: compute_statements(tariff=tariffs[0], month=MONTH, by=None))
        for _ in range(REPEAT)
    ]
    written = statements.count()
    for name, runs in (
        ("first run (writes every statement)", first),
        ("rerun, nothing changed", again),
        ("rerun after a tenth approved", after),
    ):
        seconds = sorted(s for s, _ in runs)
        print(
            f"    {name}: median {statistics.median(seconds):.3f} s, "
            f"worst {seconds[-1]:.3f} s, {runs[0][1]} queries"
        )
    print(
        f"    {written:,} statements for the month (eligible groups with people started); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    run(sys.argv[1])

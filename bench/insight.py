"""Neighbourhood intelligence at scale: the gap report against the SQL it rests on.

Two synthetic worlds, each in its own PostgreSQL database (dropped and made afresh;
INSIGHT_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/linkwork_bench_insight):

- ICB: 1.5 million residents in 800 LSOAs and 80 neighbourhoods, 5,000 listings,
  90,000 referrals over three years with their people, reasons, connections (and each
  connection's status history), unmet needs; interests and grants.
- National: 33,755 LSOAs in 3,376 neighbourhoods, 100,000 listings, 1.3 million referrals
  in a year.

For each world and level (neighbourhood, LSOA), over the last 12 months, it reports the
median and p95 of the raw SQL aggregates (the demand statements, people referred and
need, and supply, fetched one after the other, and side by side on three connections as
the report runs them) and
of the whole gap report (`insight.selectors.gaps`: the same SQL, then suppression, score,
evidence and ranking), and their ratio; for the national world, the time and the peak
Python memory of the report. Budgets (issue 7): ICB gap report < 0.5 s and within 3× the
raw SQL; national < 60 s.

Rows are written with COPY (psycopg), not the ORM, with foreign-key triggers off for the
load. On two shared cores the ICB world takes about 1.5 minutes; the national one about
15 (2 to load, the rest timing the all-England reports three times each) and 3.5 GB of
memory: `INSIGHT_BENCH_SCALES=icb` runs only the ICB. `INSIGHT_BENCH_KEEP=1` keeps each
scale's world in a database of its own (the URL's name + `_icb` / `_national`) and reuses
it on the next run rather than building it again (for iterating; `bench/insight_steps.py`
times the report's steps on a kept world).
Runs in a child process so it needs PostgreSQL whatever database `make bench` uses;
without a reachable PostgreSQL it says so and skips.
"""

import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
import tracemalloc
import uuid
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

from linkwork.referrals import transitions as t

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/linkwork_bench_insight"
SCALES = {
    "icb": SimpleNamespace(
        name="ICB",
        lsoas=800,
        per_neighbourhood=10,
        residents=1_500_000,
        assets=5_000,
        groups=1_500,
        referrals=90_000,
        days=3 * 365,
        interests=3_000,
        grants=400,
        repeat=20,
    ),
    "national": SimpleNamespace(
        name="National",
        lsoas=33_755,
        per_neighbourhood=10,
        residents=56_500_000,
        assets=100_000,
        groups=30_000,
        referrals=1_300_000,
        days=365,
        interests=50_000,
        grants=8_000,
        repeat=2,
    ),
}
SEED = 7
GAP_REPORT_TARGETS = {("ICB", "lsoa", None): 0.3, ("National", "lsoa", None): 10.0}  # seconds
REFERRAL_STATUS = {
    "received": 4,
    "accepted": 4,
    "contacted": 6,
    "in_progress": 30,
    "closed": 44,
    "declined": 6,
    "returned": 6,
}
CONNECTION_STATUS = {
    "sent": 8,
    "waitlisted": 8,
    "accepted": 8,
    "attended_first": 8,
    "attending": 30,
    "completed": 18,
    "stopped": 8,
    "did_not_start": 5,
    "declined": 7,
}
CONNECTION_PATHS = {
    "sent": ["sent"],
    "waitlisted": ["sent", "waitlisted"],
    "declined": ["sent", "declined"],
    "accepted": ["sent", "accepted"],
    "attended_first": ["sent", "accepted", "attended_first"],
    "attending": ["sent", "accepted", "attended_first", "attending"],
    "completed": ["sent", "accepted", "attended_first", "attending", "completed"],
    "stopped": ["sent", "accepted", "attended_first", "stopped"],
    "did_not_start": ["sent", "accepted", "did_not_start"],
}
UNMET_REASONS = {
    "none_exists": 35,
    "full": 20,
    "cost": 10,
    "transport": 15,
    "timing": 10,
    "language": 3,
    "access": 4,
    "not_safe_or_suitable": 3,
}
AGE_BANDS = ["0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"]
AGE_SHARE = [20, 9, 13, 13, 13, 12, 10, 7, 3]


def main() -> None:
    """Run each scale in a child process on its own PostgreSQL database."""
    url = os.environ.get("INSIGHT_BENCH_DATABASE_URL", DEFAULT_URL)
    scales = os.environ.get("INSIGHT_BENCH_SCALES", "icb,national").split(",")
    keep = bool(os.environ.get("INSIGHT_BENCH_KEEP"))
    print("Insight benchmark (gap report, PostgreSQL)")
    for scale in scales:
        scale_url = kept_url(url, scale) if keep else url
        if not _fresh_database(scale_url, keep=keep):
            print(f"  PostgreSQL at {url.rsplit('/', 1)[0]} is not reachable: skipped")
            return
        env = {**os.environ, "DATABASE_URL": scale_url}
        subprocess.run([sys.executable, "-m", "bench.insight", scale], env=env, check=True)
    if not keep:
        _drop_database(url)  # the national world takes a few gigabytes of disk


def kept_url(url: str, scale: str) -> str:
    """The database a kept world of `scale` lives in (INSIGHT_BENCH_KEEP)."""
    return f"{url}_{scale}"


def _drop_database(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _fresh_database(url: str, *, keep: bool = False) -> bool:
    """An empty database at `url` (with `keep`: the one there, if it exists)."""
    import psycopg

    server, name = url.rsplit("/", 1)
    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3) as db:
            exists = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if keep and exists:
                return True
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        return False
    return True


def run(scale_name: str) -> None:
    measure(load(scale_name))


def load(scale_name: str):
    """The world of `scale_name` in DATABASE_URL: built, unless a kept one is there."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linkwork.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from linkwork.referrals.models import Referral

    assert connection.vendor == "postgresql", "the insight bench runs on PostgreSQL"
    call_command("migrate", verbosity=0, interactive=False)
    scale = SCALES[scale_name]
    if os.environ.get("INSIGHT_BENCH_KEEP") and Referral.objects.exists():
        print(f"  {scale.name}: the world kept from an earlier run (INSIGHT_BENCH_KEEP)")
        return scale
    started = time.perf_counter()
    counts = build(scale, random.Random(SEED))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"  {scale.name}: {scale.lsoas:,} LSOAs, {counts['neighbourhoods']:,} neighbourhoods, "
        f"{scale.residents:,} residents, {counts['assets']:,} listings, "
        f"{counts['referrals']:,} referrals, {counts['connections']:,} connections, "
        f"{counts['events']:,} connection events, {counts['unmet']:,} unmet needs "
        f"(loaded in {time.perf_counter() - started:.0f} s)"
    )
    return scale


# --- Generating ------------------------------------------------------------------------


class Copier:
    """COPY rows into a model's table, filling every column not given with its default."""

    def __init__(self) -> None:
        from django.db import connection

        connection.ensure_connection()
        self.raw = connection.connection
        self.now = dt.datetime.now(dt.UTC)

    def copy(self, model, columns: list[str], rows) -> int:
        fields = [f for f in model._meta.concrete_fields if f.attname not in columns]
        extra_names, makers = [], []
        for f in fields:
            if f.primary_key:
                continue
            extra_names.append(f.column)
            makers.append(self._default(f))
        table = model._meta.db_table
        names = ", ".join(f'"{c}"' for c in [*columns, *extra_names])
        n = 0
        with self.raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row, *(make() for make in makers)))
                n += 1
        return n

    def through(self, model, field: str, columns: list[str], rows) -> int:
        through = model._meta.get_field(field).remote_field.through
        return self.copy(through, columns, rows)

    def _default(self, f):
        from django.db import models

        if isinstance(f, models.UUIDField):
            return uuid.uuid4
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return lambda: self.now
        if f.has_default():
            value = f.get_default()
            if isinstance(f, models.JSONField):
                value = json.dumps(value)
            return lambda: value
        if f.null:
            return lambda: None
        if isinstance(f, (models.CharField, models.TextField)):
            return lambda: ""
        raise ValueError(f"{f.model.__name__}.{f.name} needs a value")


def _picker(rng: random.Random, weights: dict[str, int], k: int) -> list[str]:
    return rng.choices(list(weights), list(weights.values()), k=k)


def build(scale, rng: random.Random) -> dict[str, int]:
    from django.db import transaction

    from linkwork.directory.models import TaxonomyTerm
    from linkwork.directory.services import load_default_taxonomy

    load_default_taxonomy(by=None)
    needs = list(TaxonomyTerm.objects.filter(vocabulary="need").values_list("pk", flat=True))
    activities = list(
        TaxonomyTerm.objects.filter(vocabulary="activity").values_list("pk", flat=True)
    )
    copier = Copier()
    with transaction.atomic():
        # The rows are consistent by construction: skip the foreign-key triggers (Django's
        # constraints are deferred, and checking millions of them at COMMIT took minutes).
        with copier.raw.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        world = _areas(scale, rng, copier)
        world.needs, world.activities = needs, activities
        _listings(scale, rng, copier, world)
        counts = _casework(scale, rng, copier, world)
        _community(scale, rng, copier, world)
        _reset_sequences()
        # COPY in replica mode skipped the triggers that keep insight's referral and supply facts.
        from django.db import connection

        from linkwork.insight.facts import rebuild_referral_facts
        from linkwork.insight.supply_facts import rebuild_supply_facts

        rebuild_referral_facts(connection)
        rebuild_supply_facts(connection)
    return {"neighbourhoods": len(world.neighbourhoods), "assets": scale.assets, **counts}


def _areas(scale, rng, copier) -> SimpleNamespace:
    from linkwork.places.models import Area, AreaPopulation, NeighbourhoodMembership

    n_hoods = -(-scale.lsoas // scale.per_neighbourhood)
    # One ICB over local authorities of about 110 LSOAs each (England: 33,755 in 296).
    n_las = max(1, scale.lsoas // 110)
    icb, las = 1, list(range(2, 2 + n_las))
    first_hood = 2 + n_las
    hoods = list(range(first_hood, first_hood + n_hoods))
    first_lsoa = first_hood + n_hoods
    lsoas = list(range(first_lsoa, first_lsoa + scale.lsoas))
    per_lsoa = scale.residents // scale.lsoas
    deciles = {pk: 1 + (i * 7919) % 10 for i, pk in enumerate(lsoas)}
    population = {pk: int(per_lsoa * rng.uniform(0.8, 1.2)) for pk in lsoas}
    copier.copy(
        Area,
        [
            "id",
            "code",
            "name",
            "area_type",
            "parent_id",
            "vintage",
            "imd_decile",
            "population_total",
        ],
        [(icb, "E54000099", "Bench ICB", "icb", None, "2023", None, None)]
        + [
            (
                pk,
                f"E0800{pk:04d}",
                f"Bench borough {pk}",
                "local_authority",
                icb,
                "2023",
                None,
                None,
            )
            for pk in las
        ]
        + [
            (
                pk,
                f"NH{pk:06d}",
                f"Neighbourhood {pk - first_hood + 1}",
                "neighbourhood",
                None,
                "",
                None,
                None,
            )
            for pk in hoods
        ]
        + [
            (
                pk,
                f"E0{pk:07d}",
                f"Bench {i // 5 + 1:03d}{'ABCDE'[i % 5]}",
                "lsoa",
                las[i * len(las) // len(lsoas)],
                "2021",
                deciles[pk],
                population[pk],
            )
            for i, pk in enumerate(lsoas)
        ],
    )
    copier.copy(
        NeighbourhoodMembership,
        ["neighbourhood_id", "lsoa_id"],
        ((hoods[i // scale.per_neighbourhood], pk) for i, pk in enumerate(lsoas)),
    )
    total_share = sum(AGE_SHARE)
    copier.copy(
        AreaPopulation,
        ["area_id", "age_band", "sex", "count"],
        (
            (pk, band, sex, per_lsoa * share // total_share // 2)
            for pk in lsoas
            for band, share in zip(AGE_BANDS, AGE_SHARE, strict=True)
            for sex in ("female", "male")
        ),
    )
    # More deprived LSOAs refer more people: decile 1 three times as often as decile 10.
    weights = [4 - 0.3 * deciles[pk] for pk in lsoas]
    return SimpleNamespace(
        icb=icb,
        las=las,
        neighbourhoods=hoods,
        lsoas=lsoas,
        lsoa_weights=weights,
        population=population,
        hood_of={pk: hoods[i // scale.per_neighbourhood] for i, pk in enumerate(lsoas)},
    )


def _listings(scale, rng, copier, world) -> None:
    from linkwork.directory.models import Asset, AssetLocation, Location, Organisation, Schedule

    services = list(range(1, 31))
    groups = list(range(31, 31 + scale.groups))
    copier.copy(
        Organisation,
        ["id", "name", "kind"],
        [(pk, f"Bench Links {pk}", "sp_service") for pk in services]
        + [(pk, f"Bench Group {pk}", "vcfse") for pk in groups],
    )
    world.services, world.groups = services, groups
    stale = copier.now - dt.timedelta(days=300)
    fresh = copier.now - dt.timedelta(days=30)
    capacity = _picker(rng, {"open": 70, "waitlist": 12, "full": 12, "paused": 6}, scale.assets)
    assets = list(range(1, scale.assets + 1))
    world.asset_org = {pk: rng.choice(groups) for pk in assets}
    copier.copy(
        Asset,
        [
            "id",
            "organisation_id",
            "name",
            "description",
            "publication",
            "capacity_status",
            "places",
            "borough_wide",
            "last_verified_at",
            "created_at",
            "updated_at",
        ],
        (
            (
                pk,
                world.asset_org[pk],
                f"Bench activity {pk}",
                "A weekly session.",
                "published" if rng.random() < 0.95 else "draft",
                capacity[pk - 1],
                rng.choice([None, 8, 12, 20]),
                rng.random() < 0.05,
                stale if rng.random() < 0.2 else fresh,
                stale,
                fresh,
            )
            for pk in assets
        ),
    )
    world.asset_terms = {
        pk: rng.sample(world.needs, rng.choice([1, 1, 2])) + rng.sample(world.activities, 1)
        for pk in assets
    }
    copier.through(
        Asset,
        "terms",
        ["asset_id", "taxonomyterm_id"],
        ((pk, term) for pk, terms in world.asset_terms.items() for term in terms),
    )
    home = {pk: rng.choice(world.lsoas) for pk in assets}
    copier.copy(
        Location,
        ["id", "name", "postcode", "latitude", "longitude", "area_id"],
        (
            (pk, f"Venue {pk}", "BL1 1AA", 53.5 + rng.random(), -2.5 + rng.random(), home[pk])
            for pk in assets
        ),
    )
    copier.copy(AssetLocation, ["asset_id", "location_id"], ((pk, pk) for pk in assets))

    def coverage(pk: int) -> list[int]:
        roll = rng.random()
        if roll < 0.6:
            return [world.hood_of[home[pk]]]  # its neighbourhood
        if roll < 0.8:
            return rng.sample(world.lsoas, rng.choice([1, 2, 3]))
        if roll < 0.85:
            return [rng.choice(world.las)]  # a whole local authority
        return []  # only where it is

    copier.through(
        Asset,
        "coverage_areas",
        ["asset_id", "area_id"],
        ((pk, area) for pk in assets for area in coverage(pk)),
    )
    copier.copy(
        Schedule,
        ["asset_id", "weekday", "opens_at", "closes_at", "freq", "interval"],
        (
            (pk, day, dt.time(10), dt.time(12), "WEEKLY" if rng.random() < 0.85 else "MONTHLY", 1)
            for pk in assets
            for day in rng.sample(range(7), rng.choice([0, 1, 1, 2, 3]))
        ),
    )


def _casework(scale, rng, copier, world) -> dict[str, int]:
    from linkwork.referrals.models import (
        Connection,
        ConnectionEvent,
        Person,
        Referral,
        UnmetNeed,
    )

    n = scale.referrals
    people = int(n * 0.9)  # some people are referred more than once
    lsoa_of = rng.choices(world.lsoas, world.lsoa_weights, k=people)
    sexes = _picker(rng, {"female": 55, "male": 43, "": 2}, people)
    ethnicity = _picker(
        rng,
        {
            "White British": 70,
            "Asian British": 12,
            "Black British": 5,
            "Mixed": 3,
            "Other": 2,
            "": 8,
        },
        people,
    )
    born = dt.date(1930, 1, 1)
    copier.copy(
        Person,
        [
            "id",
            "given_name",
            "family_name",
            "birth_date",
            "postcode",
            "area_id",
            "sex",
            "ethnicity",
        ],
        (
            (
                i + 1,
                "Bench",
                "Person",
                born + dt.timedelta(days=rng.randrange(33_000)),
                "BL1 1AA",
                lsoa_of[i],
                sexes[i],
                ethnicity[i],
            )
            for i in range(people)
        ),
    )
    statuses = _picker(rng, REFERRAL_STATUS, n)
    person_of = [i + 1 if i < people else rng.randrange(1, people + 1) for i in range(n)]
    received = [copier.now - dt.timedelta(days=rng.uniform(0, scale.days)) for _ in range(n)]
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
            (
                i + 1,
                person_of[i],
                world.services[i % len(world.services)],
                "gp",
                statuses[i],
                True,
                received[i],
                received[i],
                received[i].date(),
            )
            for i in range(n)
        ),
    )
    reasons = [rng.sample(world.needs, rng.choice([1, 1, 2, 2, 3])) for _ in range(n)]
    copier.through(
        Referral,
        "reasons",
        ["referral_id", "taxonomyterm_id"],
        ((i + 1, term) for i in range(n) for term in reasons[i]),
    )
    # Connections for referrals that reached in_progress or closed: to listings offering
    # one of the reasons where there is one.
    by_term: dict[int, list[int]] = {}
    for pk, terms in world.asset_terms.items():
        for term in terms:
            by_term.setdefault(term, []).append(pk)
    connections, unmet = [], []
    for i in range(n):
        if statuses[i] not in t.CLOSING:
            continue
        for _ in range(rng.choice([0, 1, 1, 2])):
            status = rng.choices(list(CONNECTION_STATUS), list(CONNECTION_STATUS.values()))[0]
            asset = rng.choice(by_term.get(reasons[i][0]) or [1])
            connections.append((len(connections) + 1, i + 1, asset, status, received[i]))
        if rng.random() < 0.12:
            reason = rng.choices(list(UNMET_REASONS), list(UNMET_REASONS.values()))[0]
            unmet.append((i + 1, reasons[i][0], reason, lsoa_of[person_of[i] - 1], received[i]))
    copier.copy(
        Connection,
        ["id", "referral_id", "asset_id", "status", "sent_at", "created_at", "updated_at"],
        ((pk, ref, asset, status, at, at, at) for pk, ref, asset, status, at in connections),
    )
    n_events = copier.copy(
        ConnectionEvent,
        ["connection_id", "from_status", "to_status", "at"],
        (
            (pk, before, after, at + dt.timedelta(days=step))
            for pk, _, _, status, at in connections
            for step, (before, after) in enumerate(
                zip([t.PROPOSED, *CONNECTION_PATHS[status]], CONNECTION_PATHS[status], strict=False)
            )
        ),
    )
    copier.copy(
        UnmetNeed,
        ["referral_id", "category_id", "reason", "area_id", "recorded_at"],
        unmet,
    )
    return {
        "referrals": n,
        "connections": len(connections),
        "events": n_events,
        "unmet": len(unmet),
    }


def _community(scale, rng, copier, world) -> None:
    from linkwork.community.models import Grant, Interest

    copier.copy(
        Interest,
        ["activity_id", "description", "lsoa_id", "neighbourhood_id", "status", "created_at"],
        (
            (
                rng.choice(world.activities),
                "",
                lsoa,
                world.hood_of[lsoa],
                "open" if rng.random() < 0.8 else "closed",
                copier.now - dt.timedelta(days=rng.uniform(0, scale.days)),
            )
            for lsoa in rng.choices(world.lsoas, world.lsoa_weights, k=scale.interests)
        ),
    )
    copier.copy(
        Grant,
        ["organisation_id", "amount", "funder", "purpose", "period_start", "period_end"],
        (
            (
                rng.choice(world.groups),
                rng.choice([250, 500, 1000, 2500, 5000]),
                "Bench fund",
                "Sessions",
                (copier.now - dt.timedelta(days=rng.uniform(0, scale.days))).date(),
                None,
            )
            for _ in range(scale.grants)
        ),
    )


def _reset_sequences() -> None:
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models = list(apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


# --- Measuring -------------------------------------------------------------------------


def measure(scale) -> None:
    from bench._setup import timings
    from linkwork.insight.queries import run_sql

    probe = timings(lambda: run_sql("SELECT count(*) FROM generate_series(1, 1000000)", []), 5)
    print(
        f"    machine: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        f"PostgreSQL counts a million rows in {sorted(probe)[2] * 1000:.0f} ms "
        "(for comparing runs on other machines)"
    )
    for level in ("neighbourhood", "lsoa"):
        _measure_level(scale, level)
    # What one place in a national deployment sees: its local authority's LSOAs.
    _measure_level(scale, "lsoa", area="E08000002")
    print(f"    process peak RSS {_peak_rss_mib():,.0f} MiB (including generating the data)")


def _measure_level(scale, level: str, area: str | None = None) -> None:
    from bench._setup import summary, timings
    from bench.targets import record
    from linkwork.insight import queries
    from linkwork.insight.queries.demand import PARTS
    from linkwork.insight.selectors import _on_own_connection, gaps, insight_scope

    scope = insight_scope(level=level, area=area)
    name = f"{level}, in {area}" if area else level
    period, stale = scope.period, dt.datetime.now(dt.UTC) - dt.timedelta(days=182)
    ids = scope.area_ids
    n = None if ids is None else len(ids)
    supply_sql, supply_params = queries.supply_sql(level, n), queries.supply_params(stale, ids)
    # As the report runs them on PostgreSQL: demand in two parts (people referred; need),
    # then supply, each as `queries.demand_counts` runs it.
    statements = [
        (
            queries.demand_sql(level, n, part),
            queries.demand_params(period, ids, part),
            level == "lsoa" and part == "referred",
        )
        for part in PARTS
    ] + [(supply_sql, supply_params, False)]

    def raw_sql() -> int:
        return sum(len(queries.run_sql(sql, p, stream=stream)) for sql, p, stream in statements)

    def raw_sql_side_by_side() -> int:
        # As the report fetches them: each on a connection of its own.
        with ThreadPoolExecutor(max_workers=len(statements)) as pool:
            fetched = [
                pool.submit(
                    _on_own_connection,
                    lambda sql=sql, p=p, stream=stream: queries.run_sql(sql, p, stream=stream),
                )
                for sql, p, stream in statements
            ]
            return sum(len(rows.result()) for rows in fetched)

    def report() -> list:
        return gaps(insight_scope(level=level, area=area))

    def report_in_words() -> list:
        # What GET /insight/gaps without a limit returns: every row's evidence written.
        return [row.evidence for row in report()]

    rows = report()
    print(f"    {name}: {len(scope.areas):,} areas, {len(rows):,} gap rows")
    sql = summary(f"raw SQL aggregates ({name})", timings(raw_sql, scale.repeat))
    both = summary(f"  side by side ({name})", timings(raw_sql_side_by_side, scale.repeat))
    summary(
        f"  supply statement ({name})",
        timings(lambda: queries.run_sql(supply_sql, supply_params), scale.repeat),
    )
    gap = summary(f"gap report ({name})", timings(report, scale.repeat))
    worded = summary(f"  and every row's evidence ({name})", timings(report_in_words, scale.repeat))
    tracemalloc.start()  # a separate run: tracing slows Python down
    report()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    ratio, worded_ratio = gap["median"] / sql["median"], worded["median"] / sql["median"]
    goal = GAP_REPORT_TARGETS.get((scale.name, level, area))
    if goal:
        record(
            f"gap report, {scale.name} {name} ({len(scope.areas):,} areas)",
            f"{gap['p95']:.3f} s ({gap['p95_label']}; median {gap['median']:.3f} s)",
            gap["p95"] < goal,
            item="3",
            engine="postgresql",
            goal=f"< {goal:g} s",
        )
    print(
        f"    gap report / raw SQL: {ratio:.2f}x ({gap['median'] / both['median']:.2f}x the "
        f"statements side by side), with every row's evidence {worded_ratio:.2f}x "
        f"(medians); peak Python memory of a report {peak / 2**20:,.0f} MiB"
    )


def _peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    if len(sys.argv) > 1:
        run(sys.argv[1])
    else:
        main()

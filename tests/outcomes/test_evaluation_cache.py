"""The evaluation's cached tallies (`evaluation.cache`): after random writes of every
kind the figures count from, the tallies served equal a fresh computation; every such
write changes the data's version; the statement reads no table the triggers do not
watch; and the installed triggers are the code's."""

import dataclasses
import datetime as dt
import random
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linkwork.outcomes import evaluation
from linkwork.outcomes.evaluation import cache, pairs
from linkwork.outcomes.evaluation.tallies import tallies
from linkwork.outcomes.models import (
    EvaluationDataVersion,
    OtherOutcomes,
    QuestionnaireFact,
    Response,
    Timepoint,
)
from linkwork.places.models import Area, NeighbourhoodMembership
from linkwork.referrals.models import Connection, Person, Referral
from tests.outcomes.test_evaluation_figures import STATES, _cohorts, _world

pytestmark = pytest.mark.django_db


def _version() -> str | None:
    with connection.cursor() as cursor:
        return cache.data_version(cursor)


def _served(filters, services, by, measure):
    return tallies(filters, services, by=by, measure=measure)


def _fresh(filters, services, by, measure):
    caches[cache.CACHE].clear()
    return tallies(filters, services, by=by, measure=measure)


def _same(a, b) -> bool:
    a.parts.sort(key=str)
    b.parts.sort(key=str)
    return dataclasses.asdict(a) == dataclasses.asdict(b)


def _writes(rng: random.Random, world: dict) -> list:
    """One write of each kind that can move a figure, by the ORM, `.update()`, bulk
    writes and raw SQL."""
    referrals = lambda: list(Referral.objects.order_by("pk"))  # noqa: E731
    responses = lambda: list(Response.objects.order_by("pk"))  # noqa: E731

    def received_moved():
        Referral.objects.filter(pk=rng.choice(referrals()).pk).update(
            received_at=timezone.now() - dt.timedelta(days=rng.uniform(0, 900))
        )

    def service_changed():
        referral = rng.choice(referrals())
        referral.service = rng.choice(world["services"])
        referral.save()

    def source_changed():
        Referral.objects.filter(pk=rng.choice(referrals()).pk).update(source="self")

    def referral_added():
        person = rng.choice(list(Person.objects.all()))
        Referral.objects.create(
            person=person,
            service=rng.choice(world["services"]),
            source="gp",
            status="in_progress",
            consent_to_refer=True,
            consent_recorded_at=timezone.now(),
            first_contact_due=timezone.localdate(),
        )

    def referral_deleted():
        # Responses and connections protect their referral: one without (reasons go).
        kept = Referral.objects.exclude(pk__in=Response.objects.values("referral_id"))
        kept = list(kept.exclude(pk__in=Connection.objects.values("referral_id")))
        if not kept:
            referral_added()
            kept = [Referral.objects.order_by("pk").last()]
        before = _version()
        rng.choice(kept).delete()
        assert _version() != before

    def reason_added():
        for referral in rng.sample(referrals(), 20):
            missing = set(world["needs"]) - set(referral.reasons.all())
            if missing:
                referral.reasons.add(rng.choice(sorted(missing, key=lambda t: t.pk)))
                return

    def reason_removed():
        through = Referral.reasons.through
        row = through.objects.order_by("?").first()
        through.objects.filter(pk=row.pk).delete()

    def birth_date_changed():
        Person.objects.filter(pk=rng.choice(list(Person.objects.all())).pk).update(
            birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
        )

    def person_moved():
        person = rng.choice(list(Person.objects.all()))
        person.area = rng.choice([*Area.objects.filter(area_type="lsoa"), None])
        person.save()

    def deprivation_changed():
        Area.objects.filter(area_type="lsoa").update(imd_decile=rng.randint(1, 10))

    def parent_changed():
        lsoa = Area.objects.filter(area_type="lsoa").order_by("?").first()
        lsoa.parent = rng.choice([*world["hoods"], None])
        lsoa.save()

    def membership_changed():
        NeighbourhoodMembership.objects.order_by("?").first().delete()

    def connection_changed():
        Connection.objects.filter(pk=Connection.objects.order_by("?").first().pk).update(
            status=rng.choice(STATES)
        )

    def connection_added():
        Connection.objects.create(
            referral=rng.choice(referrals()),
            asset=rng.choice(world["assets"]),
            status=rng.choice(STATES),
            shared_fields=[],
        )

    def response_saved():
        response = rng.choice(responses())
        response.completed_on += dt.timedelta(days=rng.randint(-20, 20))
        response.save()

    def score_changed():
        scored = [r for r in responses() if r.score is not None]
        Response.objects.filter(pk=rng.choice(scored).pk).update(score=Decimal("1.00"))

    def responses_bulk_added():
        copies = []
        for found in rng.sample(responses(), 3):
            fields = {
                f.attname: getattr(found, f.attname)
                for f in Response._meta.concrete_fields
                if not f.primary_key
            }
            fields.update(
                timepoint=Timepoint.FOLLOW_UP,
                completed_on=found.completed_on + dt.timedelta(days=50),
                referral_id=rng.choice(referrals()).pk,
            )
            copies.append(Response(**fields))
        Response.objects.bulk_create(copies)

    def response_deleted():
        Response.objects.filter(pk=rng.choice(responses()).pk).delete()

    def other_outcomes_changed():
        OtherOutcomes.objects.filter(pk=OtherOutcomes.objects.order_by("?").first().pk).update(
            gp_contacts_follow_up=rng.randint(0, 9), income_annual=Decimal("1234.00")
        )

    def other_outcomes_deleted():
        OtherOutcomes.objects.order_by("?").first().delete()

    def raw_sql():
        table = connection.ops.quote_name(Referral._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET service_id = %s WHERE id = %s",  # noqa: S608
                [rng.choice(world["services"]).pk, rng.choice(referrals()).pk],
            )

    return [
        received_moved,
        service_changed,
        source_changed,
        referral_added,
        referral_deleted,
        reason_added,
        reason_removed,
        birth_date_changed,
        person_moved,
        deprivation_changed,
        parent_changed,
        membership_changed,
        connection_changed,
        connection_added,
        response_saved,
        score_changed,
        responses_bulk_added,
        response_deleted,
        other_outcomes_changed,
        other_outcomes_deleted,
        raw_sql,
    ]


@pytest.mark.parametrize("seed", [4, 5])
def test_after_writes_of_every_kind_the_cache_serves_a_fresh_computation(seed):
    rng = random.Random(seed)  # noqa: S311 (made-up data)
    world = _world(rng, referrals=90)
    services = frozenset(s.pk for s in world["services"][:2])
    cohorts = [
        (evaluation.parse_filters({"period": "last-24-months", **values}, None), None, by, m)
        for values, by, m in _cohorts(world)
    ] + [
        (
            evaluation.parse_filters({"period": "last-24-months"}, services),
            services,
            "service",
            "swemwbs",
        )
    ]
    for cohort in cohorts:
        _served(*cohort)  # every cohort has an entry
    writes = _writes(rng, world)
    for round_ in range(2):
        rng.shuffle(writes)
        for write in writes:
            before = _version()
            write()
            assert _version() != before, write.__name__
            for cohort in rng.sample(cohorts, 6):
                served = _served(*cohort)
                assert _same(served, _fresh(*cohort)), (round_, write.__name__, cohort[2:])
    # and the figures published from the cache are the fresh ones (then the reference's:
    # test_evaluation_figures asks each cohort twice, the second time from the cache)
    filters, _, by, measure = cohorts[0]
    fresh = evaluation.evaluate(filters, None, by=by, measure=measure)
    served = evaluation.evaluate(filters, None, by=by, measure=measure)
    assert dataclasses.replace(served, generated_at=None) == dataclasses.replace(
        fresh, generated_at=None
    )


def test_unchanged_data_are_served_without_the_statement_and_rebuilding_changes_them():
    rng = random.Random(8)  # noqa: S311 (made-up data)
    _world(rng, referrals=30)
    filters = evaluation.parse_filters({"period": "last-24-months"}, None)
    first = _served(filters, None, "service", "swemwbs")
    with CaptureQueriesContext(connection) as queries:
        again = _served(filters, None, "service", "swemwbs")
    assert _same(first, again)
    assert not any("WITH ep0" in q["sql"] for q in queries.captured_queries)
    before = _version()
    pairs.rebuild_questionnaire_facts(connection)
    assert _version() != before
    assert QuestionnaireFact.objects.exists()


def test_a_period_ending_now_is_served_only_while_no_referral_falls_between_the_ends():
    rng = random.Random(9)  # noqa: S311 (made-up data)
    _world(rng, referrals=30)
    later = Referral.objects.order_by("pk").first()
    later.person = Person.objects.create(
        given_name="Ali", family_name="Later", birth_date=dt.date(1960, 1, 1), postcode="BL1 1AA"
    )
    later.save()
    Referral.objects.filter(pk=later.pk).update(received_at=timezone.now() + dt.timedelta(hours=1))
    filters = evaluation.parse_filters({"period": "last-24-months"}, None)
    first = _served(filters, None, None, "swemwbs")
    # Past the referral received "in an hour": no longer the same cohort.
    moved = dataclasses.replace(
        filters,
        period=dataclasses.replace(filters.period, end=timezone.now() + dt.timedelta(hours=2)),
    )
    served = _served(moved, None, None, "swemwbs")
    assert served.count(frozenset(), "any") == first.count(frozenset(), "any") + 1
    assert _same(served, _fresh(moved, None, None, "swemwbs"))
    # A second later (no referral in between): the entry made at the first end serves.
    near = dataclasses.replace(
        filters,
        period=dataclasses.replace(
            filters.period, end=filters.period.end + dt.timedelta(seconds=1)
        ),
    )
    _fresh(filters, None, None, "swemwbs")
    with CaptureQueriesContext(connection) as queries:
        again = _served(near, None, None, "swemwbs")
    assert not any("WITH ep0" in q["sql"] for q in queries.captured_queries)
    assert _same(again, first)
    assert _same(again, _fresh(near, None, None, "swemwbs"))


def test_the_statement_reads_only_tables_the_triggers_watch():
    rng = random.Random(10)  # noqa: S311 (made-up data)
    world = _world(rng, referrals=10)
    service, asset, hood, need = (
        world["services"][0],
        world["assets"][0],
        world["hoods"][0],
        world["needs"][0],
    )
    every = {
        "period": "last-24-months",
        "service": str(service.pk),
        "asset": str(asset.pk),
        "neighbourhood": hood.code,
        "reason": need.code,
        "source": "gp",
        "age_band": "55-64",
        "imd_decile": "2",
    }
    filters = evaluation.parse_filters(every, None)
    read = set()
    for by in (None, *evaluation.DIMENSIONS):
        caches[cache.CACHE].clear()
        with CaptureQueriesContext(connection) as queries:
            tallies(filters, None, by=by, measure="swemwbs")
        statement = next(q["sql"] for q in queries.captured_queries if "WITH ep0" in q["sql"])
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if f'"{table}"' in statement or f" {table} " in statement:
                read.add(table)
    watched = set(cache.tables()) | {QuestionnaireFact._meta.db_table}
    assert read - watched == set()
    assert {Referral._meta.db_table, QuestionnaireFact._meta.db_table} <= read


def test_the_installed_triggers_are_the_codes():
    vendor = connection.vendor
    expected = {
        s.split("TRIGGER ", 1)[1].split()[0]
        for s in cache.create_triggers_sql(vendor)
        if " TRIGGER " in s
    }
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'evaluation_version_%%'"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'evaluation_version_%'"
            )
        installed = {row[0] for row in cursor.fetchall()}
    assert installed == expected


def test_after_a_flush_the_version_comes_back_with_a_new_token():
    rng = random.Random(11)  # noqa: S311 (made-up data)
    _world(rng, referrals=20)
    filters = evaluation.parse_filters({"period": "last-24-months"}, None)
    first = _served(filters, None, "service", "swemwbs")
    before = _version()
    EvaluationDataVersion.objects.all().delete()  # as `flush` empties every table
    Referral.objects.filter(pk=Referral.objects.order_by("pk").first().pk).update(source="self")
    served = _served(filters, None, "service", "swemwbs")
    assert EvaluationDataVersion.objects.exists()
    assert _version() not in (before, None)
    assert _same(served, _fresh(filters, None, "service", "swemwbs"))
    assert _same(first, _fresh(filters, None, "service", "swemwbs"))  # only the source


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one row a connection there")
def test_rows_of_gone_connections_are_pruned_into_a_version_never_seen():
    table = cache.version_table()
    seen = {_version()}
    with connection.cursor() as cursor:
        cursor.execute(cache.bump_sql("postgresql"))  # this connection's own row
        seen.add(_version())
        # Writers that have gone (no such backends), each with data written.
        for pid in range(cache.WRITERS_KEPT + 1):
            cursor.execute(
                f"INSERT INTO {table} (writer, token) VALUES (%s, %s)",  # noqa: S608
                [-1 - pid, f"gone{pid}"],
            )
            seen.add(cache._read_version(cursor)[1])  # as it was, before pruning
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        assert cursor.fetchone()[0] > cache.WRITERS_KEPT
        with connection.cursor() as reading:
            pruned = cache.data_version(reading)
        # Every gone writer's row is deleted; this connection's stays (so may the rows of
        # other live backends: an earlier test's connection still open in this process).
        cursor.execute(f"SELECT writer FROM {table}")  # noqa: S608
        writers = {writer for (writer,) in cursor.fetchall()}
        assert not {writer for writer in writers if writer < 0}
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] in writers
    assert pruned not in seen

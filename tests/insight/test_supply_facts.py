"""Supply read from `SupplyFact` (kept by triggers and refreshed before reading) gives the
same figures as the statement that walked coverage at report time, on random worlds
where the directory and geography are written every way they can be: saves, `update()`,
bulk inserts, coverage, locations, timetables and memberships changed, listings
unpublished and deleted, and time passing."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.utils import timezone

from linkwork.directory.models import Asset, AssetLocation, Location, Schedule
from linkwork.insight import queries, supply_facts
from linkwork.insight.models import SupplyFact, SupplyPending, SupplyTotal
from linkwork.insight.selectors import gaps, insight_scope
from linkwork.places.models import Area, AreaType, NeighbourhoodMembership
from tests.factories import LocationFactory, ScheduleFactory
from tests.insight.reference_supply import reference_supply_params, reference_supply_sql
from tests.insight.test_referral_facts import _random_world as _random_casework
from tests.places.factories import AreaFactory, neighbourhood

TERMS = ["need-loneliness", "need-money-debt", "need-food", "activity-walking"]
CAPACITY = ["open", "open", "open", "waitlist", "full", "paused"]


def reference_supply_counts(level, stale_before, area_ids=None):
    """`queries.supply_counts` as it was: the old statement, the same dictionaries."""
    n = None if area_ids is None else max(len(area_ids), 1)
    sql = reference_supply_sql(level, n)
    local, borough_wide = {}, {}
    for row in queries.run_sql(sql, reference_supply_params(stale_before, area_ids)):
        if row[0] is None:
            borough_wide[row[1]] = tuple(map(int, row[2:]))
        else:
            local[(row[0], row[1])] = tuple(map(int, row[2:]))
    return local, borough_wide


def _as_ints(counts):
    local, borough_wide = counts
    return (
        {key: tuple(map(int, row)) for key, row in local.items()},
        {key: tuple(map(int, row)) for key, row in borough_wide.items()},
    )


def _random_directory(build, rng: random.Random) -> dict:
    """A borough with a ward, LSOAs in neighbourhoods (one by its parent, one in none),
    and 30 listings covering and located at random places."""
    borough = Area.objects.filter(area_type=AreaType.LOCAL_AUTHORITY).first() or AreaFactory(
        code="E08000001", name="Bolton", area_type=AreaType.LOCAL_AUTHORITY
    )
    ward = AreaFactory(code="E05000001", name="Central", area_type=AreaType.WARD, parent=borough)
    lsoas = list(Area.objects.filter(area_type=AreaType.LSOA))
    for lsoa in rng.sample(lsoas, 3):
        lsoa.parent = ward
        lsoa.save()
    old_style = neighbourhood("N-OLD", "Old style", parent=borough)
    late = build.lsoa("Late 009A")
    Area.objects.filter(pk=late.pk).update(parent=old_style)  # a neighbourhood by parent
    lsoas.append(late)
    places = [*lsoas, ward, borough, *Area.objects.filter(area_type=AreaType.NEIGHBOURHOOD)]
    assets = []
    for i in range(30):
        fields = {
            "capacity_status": rng.choice(CAPACITY),
            "places": rng.choice([None, 0, 8, 12]),
            "places_period": rng.choice(["week", "week", "total"]),
            "borough_wide": rng.random() < 0.15,
            "publication": rng.choice(["published"] * 5 + ["draft"]),
            "last_verified_at": rng.choice(
                [None, build.now - dt.timedelta(days=rng.uniform(0, 400))]
            ),
        }
        asset = build.asset(
            f"Listing {i}",
            rng.sample(TERMS, rng.randint(1, 3)),
            lsoa=rng.choice([*lsoas, ward, None]),
            coverage=rng.sample(places, rng.choice([0, 0, 1, 2])),
            **fields,
        )
        for _ in range(rng.choice([0, 0, 1, 2])):
            ScheduleFactory(
                asset=asset,
                weekday=rng.randint(0, 6),
                freq=rng.choice(["WEEKLY", "WEEKLY", "MONTHLY"]),
                interval=rng.choice([1, 1, 2, 3]),
            )
        assets.append(asset)
    return {"assets": assets, "lsoas": lsoas, "places": places, "ward": ward}


def _edit(build, rng: random.Random, world: dict) -> None:
    """Every kind of write the figures depend on, by save, update() and bulk."""
    assets, lsoas, places = world["assets"], world["lsoas"], world["places"]
    a, b, c, d, e, f, g, h = rng.sample(assets, 8)
    a.capacity_status = rng.choice(CAPACITY)  # edited through save()
    a.places = rng.choice([None, 5, 30])
    a.save()
    Asset.objects.filter(pk=b.pk).update(capacity_status="full", places=40)  # update()
    Asset.objects.filter(pk=c.pk).update(publication="draft")  # unpublished
    Asset.objects.filter(pk=d.pk).update(borough_wide=not d.borough_wide)
    Asset.objects.filter(pk=e.pk).update(last_verified_at=build.now - dt.timedelta(days=300))
    f.coverage_areas.set(rng.sample(places, 2))  # coverage changed
    g.terms.set([build.term(code) for code in rng.sample(TERMS, 2)])  # categories changed
    Schedule.objects.filter(asset=h).delete()  # timetable changed: removed, added, edited
    Schedule.objects.bulk_create(
        [
            Schedule(asset=h, weekday=day, opens_at=dt.time(9), closes_at=dt.time(10))
            for day in (1, 3)
        ]
    )
    Schedule.objects.filter(asset__in=rng.sample(assets, 5)).update(interval=2)
    # Locations: one moved to another area (update), one added, one removed.
    Location.objects.filter(asset_locations__asset=a).update(area=rng.choice(lsoas))
    AssetLocation.objects.create(asset=b, location=LocationFactory(area=rng.choice(lsoas)))
    AssetLocation.objects.filter(asset=c).delete()
    rng.choice([x for x in assets if x not in (a, b, c, d, e, f, g, h)]).delete()  # deleted


def _edit_geography(rng: random.Random, world: dict) -> None:
    lsoas = world["lsoas"]
    # Geography: a membership moved, one removed, an LSOA moved under the ward.
    membership = NeighbourhoodMembership.objects.order_by("?").first()
    others = Area.objects.filter(area_type=AreaType.NEIGHBOURHOOD).exclude(
        pk=membership.neighbourhood_id
    )
    NeighbourhoodMembership.objects.filter(pk=membership.pk).update(neighbourhood=others.first())
    NeighbourhoodMembership.objects.exclude(pk=membership.pk).order_by("?").first().delete()
    Area.objects.filter(pk=rng.choice(lsoas).pk).update(parent=world["ward"])


def _assert_same(stale_before, scopes):
    for level, area in scopes:
        scope = insight_scope(level=level, area=area)
        fast = _as_ints(queries.supply_counts(level, stale_before, scope.area_ids))
        assert fast == reference_supply_counts(level, stale_before, scope.area_ids), (level, area)


SCOPES = [("lsoa", None), ("neighbourhood", None), ("lsoa", "N-ONE"), ("neighbourhood", "N-TWO")]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_supply_from_the_table_matches_the_statement_it_replaced(build, seed):
    rng = random.Random(seed)
    _random_casework(build, seed)
    world = _random_directory(build, rng)
    now = timezone.now()
    # Time passing: the same rows read later, when more listings have turned stale.
    moments = [now - dt.timedelta(days=182), now - dt.timedelta(days=30), now]
    for stale_before in moments:
        _assert_same(stale_before, SCOPES)
    assert reference_supply_counts("lsoa", moments[0])[0]  # not empty: the test means something
    _edit(build, rng, world)  # listings only: refreshed listing by listing
    assert None not in set(SupplyPending.objects.values_list("asset_id", flat=True))
    for stale_before in moments:
        _assert_same(stale_before, SCOPES)
    _edit_geography(rng, world)  # the geography: every row rebuilt
    assert SupplyPending.objects.filter(asset_id=None).exists()  # the triggers queued it
    for stale_before in moments:
        _assert_same(stale_before, SCOPES)
    assert not SupplyPending.objects.exists()  # and reading applied it


COLUMNS = ("level", "area_id", "term_id", "asset_id", "is_open", "is_closed", "sessions")


def _rows() -> tuple[list[tuple], list[tuple]]:
    facts = SupplyFact.objects.values_list(*COLUMNS, "open_places", "verified_at")
    totals = SupplyTotal.objects.values_list(
        "level",
        "area_id",
        "term_id",
        "listings",
        "open_listings",
        "closed_listings",
        "sessions",
        "open_sessions",
        "open_places",
    )
    return sorted(facts, key=repr), sorted(totals, key=repr)


@pytest.mark.parametrize("seed", [5, 6])
def test_listing_by_listing_refreshes_match_rebuilding_from_scratch(build, seed):
    rng = random.Random(seed)
    _random_casework(build, seed)
    world = _random_directory(build, rng)
    supply_facts.refresh_supply_facts(connection)
    # Listing edits only (no geography change): refreshed listing by listing.
    a, b, c = rng.sample(world["assets"], 3)
    Asset.objects.filter(pk=a.pk).update(capacity_status="paused")
    b.coverage_areas.add(world["ward"])
    Schedule.objects.filter(asset=c).update(freq="MONTHLY")
    queued = set(SupplyPending.objects.values_list("asset_id", flat=True))
    assert queued and None not in queued
    supply_facts.refresh_supply_facts(connection)
    kept = _rows()
    supply_facts.rebuild_supply_facts(connection)
    assert kept == _rows()


@pytest.mark.parametrize("seed", [7, 8])
def test_the_gap_report_reads_the_same_as_before(build, monkeypatch, seed):
    rng = random.Random(seed)
    _random_casework(build, seed)
    world = _random_directory(build, rng)
    _edit(build, rng, world)
    _edit_geography(rng, world)
    for level in ("lsoa", "neighbourhood"):
        fast = gaps(insight_scope(level=level))
        with monkeypatch.context() as patched:
            patched.setattr(queries, "supply_counts", reference_supply_counts)
            reference = gaps(insight_scope(level=level))
        assert fast == reference
        assert [row.evidence for row in fast] == [row.evidence for row in reference]
        assert fast

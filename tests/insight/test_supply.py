"""Supply by area × category: listings serving an area by coverage, sessions, capacity."""

import datetime as dt

from django.utils import timezone

from linkwork.insight.selectors import insight_scope, supply


def supply_of(level: str, area_code: str, category: str):
    rows = [
        r
        for r in supply(insight_scope(level=level))
        if (r.area_code, r.category) == (area_code, category)
    ]
    return rows[0] if rows else None


def test_a_listing_serves_the_lsoas_of_the_neighbourhood_it_covers(build, town):
    build.asset("Debt advice", ["need-money-debt"], coverage=[town.northfield])

    assert supply_of("lsoa", town.north_a.code, "need-money-debt").listings == 1
    assert supply_of("lsoa", town.north_b.code, "need-money-debt").listings == 1
    assert supply_of("lsoa", town.south.code, "need-money-debt") is None
    assert supply_of("neighbourhood", "N-NORTH", "need-money-debt").listings == 1


def test_a_listing_serves_where_it_is_even_without_coverage(build, town):
    build.asset("Drop-in", ["need-food"], lsoa=town.north_b)

    assert supply_of("lsoa", town.north_b.code, "need-food").listings == 1
    assert supply_of("lsoa", town.north_a.code, "need-food") is None
    assert supply_of("neighbourhood", "N-NORTH", "need-food").listings == 1


def test_covering_a_local_authority_serves_every_lsoa_below_it(build, town):
    build.asset("Carers' centre", ["need-carers"], coverage=[town.borough])

    for lsoa in (town.north_a, town.north_b, town.south):
        assert supply_of("lsoa", lsoa.code, "need-carers").listings == 1
    assert supply_of("neighbourhood", "N-SOUTH", "need-carers").listings == 1


def test_borough_wide_listings_count_for_every_area(build, town):
    build.asset("Women's circle", ["need-loneliness"], borough_wide=True)
    build.asset("Walk", ["need-loneliness"], lsoa=town.south)

    for code in (town.north_a.code, town.north_b.code):
        row = supply_of("lsoa", code, "need-loneliness")
        assert (row.listings, row.borough_wide_listings) == (1, 1)
    assert supply_of("lsoa", town.south.code, "need-loneliness").listings == 2


def test_a_listing_serving_an_area_twice_counts_once(build, town):
    build.asset(
        "Choir", ["need-arts-culture"], lsoa=town.north_a, coverage=[town.northfield, town.north_a]
    )

    assert supply_of("neighbourhood", "N-NORTH", "need-arts-culture").listings == 1
    assert supply_of("lsoa", town.north_a.code, "need-arts-culture").listings == 1


def test_only_published_listings_count(build, town):
    build.asset("Draft", ["need-food"], lsoa=town.south, publication="draft")
    build.asset("Archived", ["need-food"], lsoa=town.south, publication="archived")

    assert supply_of("lsoa", town.south.code, "need-food") is None


def test_sessions_a_week_from_timetables(build, town):
    from tests.factories import ScheduleFactory

    weekly = build.asset("Weekly", ["need-physical-activity"], lsoa=town.south, sessions=2)
    monthly = build.asset("Monthly", ["need-physical-activity"], lsoa=town.south)
    ScheduleFactory(asset=monthly, freq="MONTHLY")
    fortnightly = build.asset("Fortnightly", ["need-physical-activity"], lsoa=town.south)
    ScheduleFactory(asset=fortnightly, interval=2)
    build.asset("Phone line", ["need-physical-activity"], lsoa=town.south)  # no timetable
    build.asset(
        "Full", ["need-physical-activity"], lsoa=town.south, sessions=3, capacity_status="full"
    )
    del weekly

    row = supply_of("lsoa", town.south.code, "need-physical-activity")

    assert row.listings == 5
    assert row.open_listings == 4
    assert row.closed_listings == 1
    # 2 + 12/52 + 1/2 + 3 timetabled; open: the same without the full one, plus one for
    # the open listing with no timetable.
    assert row.sessions_per_week == 5.73
    assert row.open_sessions_per_week == 3.73


def test_open_places_and_stale_listings(build, town):
    old = timezone.now() - dt.timedelta(days=400)
    build.asset("Garden", ["need-nature"], lsoa=town.south, places=12)
    build.asset("Allotment", ["need-nature"], lsoa=town.south, places=6, last_verified_at=old)
    build.asset("Paused", ["need-nature"], lsoa=town.south, places=20, capacity_status="paused")

    row = supply_of("lsoa", town.south.code, "need-nature")

    assert row.open_places_per_week == 18
    assert row.stale_listings == 1
    assert row.closed_listings == 1


def test_a_category_limits_the_rows(build, town):
    build.asset("Advice", ["need-money-debt", "activity-advice"], lsoa=town.south)

    rows = supply(insight_scope(level="lsoa", category="activity-advice"))

    assert [(r.area_code, r.category) for r in rows] == [(town.south.code, "activity-advice")]

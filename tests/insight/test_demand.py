"""Demand by area × category × period: who asked for what, and what could not be met."""

from linkwork.insight.selectors import demand, insight_scope


def row(report, area_code: str, category: str):
    found = [r for r in report.rows if (r.area_code, r.category) == (area_code, category)]
    assert len(found) == 1, (area_code, category, report.rows)
    return found[0]


def test_people_referred_count_in_their_neighbourhood_rounded_to_five(build, town):
    build.refer(9, town.north_a, ["need-money-debt"])
    build.refer(5, town.north_b, ["need-money-debt"])
    build.refer(12, town.south, ["need-money-debt"])

    report = demand(insight_scope(level="neighbourhood"))

    assert row(report, "N-NORTH", "need-money-debt").referred == 15  # 14
    assert row(report, "N-SOUTH", "need-money-debt").referred == 10  # 12
    assert report.people_by_area == {"N-NORTH": 15, "N-SOUTH": 10}
    assert report.totals_by_category["need-money-debt"]["referred"] == 25  # 26
    assert report.total_people == 25


def test_lsoa_level_counts_each_lsoa_and_withholds_small_numbers(build, town):
    build.refer(9, town.north_a, ["need-money-debt"])
    build.refer(5, town.north_b, ["need-money-debt"])
    build.refer(12, town.south, ["need-money-debt"])

    report = demand(insight_scope(level="lsoa"))

    small = row(report, town.north_b.code, "need-money-debt")
    assert small.referred is None
    assert small.suppressed == ("referred",)
    # The total over the three LSOAs is published, so a second cell is withheld with the
    # small one: otherwise 25 − 10 − 10 would give the small one away.
    assert report.totals_by_category["need-money-debt"]["referred"] == 25
    assert row(report, town.north_a.code, "need-money-debt").referred is None
    assert row(report, town.south.code, "need-money-debt").referred == 10


def test_someone_referred_twice_for_the_same_need_counts_once(build, town):
    people = build.people(10, town.south)
    build.refer(10, town.south, ["need-housing"], people=people, days_ago=50)
    build.refer(10, town.south, ["need-housing"], people=people, days_ago=20)

    report = demand(insight_scope(level="neighbourhood"))

    assert row(report, "N-SOUTH", "need-housing").referred == 10


def test_only_referrals_received_in_the_period_count(build, town):
    build.refer(10, town.south, ["need-food"], days_ago=400)
    build.refer(20, town.south, ["need-food"], days_ago=45)

    this_year = demand(insight_scope(level="neighbourhood"))
    last_month = demand(insight_scope(level="neighbourhood", period="last-1-months"))

    assert row(this_year, "N-SOUTH", "need-food").referred == 20
    assert last_month.rows == []


def test_declined_and_returned_referrals_are_counted_without_their_reasons(build, town):
    build.refer(10, town.south, ["need-housing"], status="declined")
    build.refer(13, town.south, ["need-housing"], status="returned")
    build.refer(20, town.south, ["need-housing"], status="accepted")

    cell = row(demand(insight_scope(level="neighbourhood")), "N-SOUTH", "need-housing")

    assert (cell.referred, cell.declined, cell.returned) == (45, 10, 15)
    assert not hasattr(cell, "reason")


def test_unmet_needs_are_counted_by_reason(build, town):
    build.unmet(10, town.north_a, "need-money-debt", "none_exists")
    build.unmet(8, town.north_a, "need-money-debt", "cost")

    cell = row(demand(insight_scope(level="neighbourhood")), "N-NORTH", "need-money-debt")

    assert cell.unmet == 20  # 18
    assert cell.unmet_by_reason == {"none_exists": 10, "cost": 10}


def test_waiting_lists_count_under_each_category_of_the_listing(build, town):
    club = build.asset("Lunch club", ["need-loneliness", "activity-cooking"], lsoa=town.south)
    build.waitlist(11, town.south, club)
    build.waitlist(2, town.south, club, days_ago=500)  # waiting long before the period

    report = demand(insight_scope(level="neighbourhood"))

    assert row(report, "N-SOUTH", "need-loneliness").waitlisted == 10
    assert row(report, "N-SOUTH", "activity-cooking").waitlisted == 10


def test_open_interests_in_the_period_count_in_their_neighbourhood(build, town):
    build.interests(9, "activity-walking", lsoa=town.north_a)
    build.interests(4, "activity-walking", neighbourhood=town.northfield)  # no postcode given
    build.interests(6, "activity-walking", lsoa=town.north_a, status="closed")
    build.interests(6, "activity-walking", lsoa=town.north_a, days_ago=500)

    by_neighbourhood = demand(insight_scope(level="neighbourhood"))
    by_lsoa = demand(insight_scope(level="lsoa"))

    assert row(by_neighbourhood, "N-NORTH", "activity-walking").interests == 15  # 13
    # Interests without a postcode have no LSOA.
    assert row(by_lsoa, town.north_a.code, "activity-walking").interests == 10  # 9


def test_an_area_limits_the_report_to_the_areas_inside_it(build, town):
    build.refer(10, town.north_a, ["need-food"])
    build.refer(10, town.south, ["need-food"])

    lsoas_of_northfield = demand(insight_scope(area="N-NORTH", level="lsoa"))
    neighbourhoods_of_borough = demand(insight_scope(area=town.borough.code))

    assert {r.area_code for r in lsoas_of_northfield.rows} == {town.north_a.code}
    assert set(lsoas_of_northfield.people_by_area) == {town.north_a.code, town.north_b.code}
    assert {r.area_code for r in neighbourhoods_of_borough.rows} == {"N-NORTH", "N-SOUTH"}


def test_an_lsoa_code_alone_reports_at_lsoa_level(build, town):
    build.refer(10, town.north_a, ["need-food"])

    scope = insight_scope(area=town.north_a.code)

    assert scope.level == "lsoa"
    assert [r.area_code for r in demand(scope).rows] == [town.north_a.code]


def test_people_with_no_known_area_are_in_no_area(build, town):
    build.refer(10, None, ["need-food"])

    report = demand(insight_scope(level="neighbourhood"))

    assert report.rows == []
    assert report.total_people == 0

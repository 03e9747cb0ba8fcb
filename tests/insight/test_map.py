"""A value per area for the choropleth map."""

import pytest

from linkwork.errors import InvalidInput
from linkwork.insight.selectors import MAP_MEASURES, insight_scope, measure_by_area


def values(level: str, measure: str, **scope) -> dict:
    found = measure_by_area(insight_scope(level=level, **scope), measure)
    return {v.area_code: (v.value, v.category) for v in found}


def test_the_gap_score_of_each_area_is_its_biggest_gap(build, town):
    build.unmet(10, town.south, "need-food")
    build.unmet(20, town.south, "need-housing")

    assert values("neighbourhood", "gap_score") == {
        "N-NORTH": (0, None),  # nobody asked for anything
        "N-SOUTH": (20.0, "need-housing"),
    }
    assert values("neighbourhood", "gap_score", category="need-food")["N-SOUTH"][0] == 10.0


def test_people_referred_per_thousand_residents(build, town):
    build.refer(30, town.north_a, ["need-food", "need-housing"])  # 1,500 residents

    rates = values("lsoa", "referral_rate")
    people = values("lsoa", "people_referred")
    needs = values("lsoa", "referred")

    assert rates[town.north_a.code] == (20.0, None)
    assert people[town.north_a.code] == (30, None)
    assert needs[town.north_a.code] == (60, None)  # each need counted: 30 + 30
    assert rates[town.south.code] == (0.0, None)


def test_listings_and_sessions_by_area(build, town):
    build.asset("Pantry", ["need-food"], coverage=[town.northfield], sessions=2)

    assert values("lsoa", "listings", category="need-food")[town.north_b.code] == (1, None)
    assert values("lsoa", "open_sessions_per_week")[town.north_a.code] == (2.0, None)
    assert values("lsoa", "listings")[town.south.code] == (0, None)


def test_every_measure_has_a_value_for_every_area(build, town):
    build.unmet(10, town.south, "need-food")
    for measure in MAP_MEASURES:
        assert set(values("lsoa", measure)) == {
            town.north_a.code,
            town.north_b.code,
            town.south.code,
        }


def test_an_unknown_measure_is_refused(db):
    with pytest.raises(InvalidInput) as error:
        measure_by_area(insight_scope(), "happiness")
    assert list(error.value.errors) == ["measure"]

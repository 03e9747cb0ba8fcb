import datetime as dt

import pytest
from django.utils import timezone

from linkwork.directory.models import CapacityStatus, Publication, TaxonomyTerm
from linkwork.directory.selectors import AssetFilters, search_assets
from linkwork.places.selectors import Point
from tests.factories import AssetFactory, LocationFactory, ScheduleFactory

pytestmark = pytest.mark.django_db

CENTRE = Point(53.577585, -2.425087)


def names(page) -> list[str]:
    return [result.asset.name for result in page.results]


def at(latitude: float, longitude: float):
    return LocationFactory(latitude=latitude, longitude=longitude)


def test_free_text_finds_words_and_prefixes_ranked_by_relevance(taxonomy):
    AssetFactory(name="Knit and natter", description="Knitting, crochet and a cup of tea.")
    AssetFactory(
        name="Walking for health", description="Walking every week; walking is good for you."
    )
    AssetFactory(name="Tea dance", description="A walk down memory lane with music.")
    result = search_assets(AssetFilters(text="walking"))
    assert names(result)[0] == "Walking for health"
    assert "Knit and natter" not in names(result)
    assert names(search_assets(AssetFilters(text="knit"))) == ["Knit and natter"]


def test_text_matches_taxonomy_terms_and_all_words_are_required(taxonomy):
    debt = TaxonomyTerm.objects.get(code="need-money-debt")
    AssetFactory(name="Thursday drop-in", description="Friendly help.", categories=[debt])
    AssetFactory(name="Debt clinic", description="Appointments only.")
    assert set(names(search_assets(AssetFilters(text="debt")))) == {
        "Thursday drop-in",
        "Debt clinic",
    }
    assert names(search_assets(AssetFilters(text="debt clinic"))) == ["Debt clinic"]


def test_text_with_no_searchable_words_is_ignored(taxonomy):
    AssetFactory(name="Choir")
    assert names(search_assets(AssetFilters(text="  ?! "))) == ["Choir"]


def test_search_survives_full_text_operators_in_input(taxonomy):
    AssetFactory(name="Choir")
    for text in ['"choir', "choir OR", "NEAR(choir)", "choir*", "-choir", "choir & !", "c:*"]:
        search_assets(AssetFilters(text=text))  # no exception, whatever it finds


def test_near_a_point_orders_by_distance_and_drops_those_out_of_reach(taxonomy):
    AssetFactory(name="Horwich", location=at(53.6005, -2.5494))  # ~8 km
    AssetFactory(name="Breightmet", location=at(53.5837, -2.3803))  # ~3 km
    AssetFactory(name="Centre", location=at(53.5780, -2.4260))
    result = search_assets(AssetFilters(point=CENTRE, within_km=5))
    assert names(result) == ["Centre", "Breightmet"]
    assert result.results[0].distance_km < 0.2
    assert 2.5 < result.results[1].distance_km < 3.5
    assert names(search_assets(AssetFilters(point=CENTRE, within_km=10)))[-1] == "Horwich"


def test_borough_wide_assets_appear_in_every_nearby_search_after_local_ones(taxonomy):
    AssetFactory(name="Chinese wellbeing circle", borough_wide=True, location=False)
    AssetFactory(name="Local group", location=at(53.5780, -2.4260))
    result = search_assets(AssetFilters(point=CENTRE, within_km=1))
    assert names(result) == ["Local group", "Chinese wellbeing circle"]
    assert result.results[1].distance_km is None


def test_only_published_listings_are_found(taxonomy):
    AssetFactory(name="Draft", publication=Publication.DRAFT)
    AssetFactory(name="In review", publication=Publication.IN_REVIEW)
    AssetFactory(name="Archived", publication=Publication.ARCHIVED)
    AssetFactory(name="Published")
    assert names(search_assets(AssetFilters())) == ["Published"]


def test_filters_by_category_day_time_cost_access_language_community_and_capacity(taxonomy):
    walking = TaxonomyTerm.objects.get(code="activity-walking")
    everything = AssetFactory(
        name="Everything",
        categories=[walking],
        is_free=True,
        accessibility_codes=",step_free,hearing_loop,",
        language_codes=",en,ur,",
        community_of_interest="South Asian women",
        capacity_status=CapacityStatus.OPEN,
    )
    ScheduleFactory(asset=everything, weekday=2, opens_at=dt.time(10), closes_at=dt.time(11))
    AssetFactory(
        name="Nothing",
        is_free=False,
        capacity_status=CapacityStatus.FULL,
        accessibility_codes="",
        language_codes=",en,",
    )
    for filters in [
        AssetFilters(activity_types=["activity-walking"]),
        AssetFilters(weekday=2),
        AssetFilters(weekday=2, time_of_day="morning"),
        AssetFilters(free_only=True),
        AssetFilters(accessibility=["step_free", "hearing_loop"]),
        AssetFilters(language="ur"),
        AssetFilters(community="south asian"),
        AssetFilters(open_only=True),
    ]:
        assert names(search_assets(filters)) == ["Everything"], filters
    assert names(search_assets(AssetFilters(weekday=2, time_of_day="evening"))) == []


def test_stale_listings_are_included_by_default_and_can_be_left_out(taxonomy):
    AssetFactory(name="Fresh")
    AssetFactory(name="Stale", last_verified_at=timezone.now() - dt.timedelta(days=400))
    assert names(search_assets(AssetFilters())) == ["Fresh", "Stale"]
    assert names(search_assets(AssetFilters(include_stale=False))) == ["Fresh"]
    stale = search_assets(AssetFilters()).results[1].asset
    assert stale.is_stale


def test_results_are_paged_with_a_total(taxonomy):
    for n in range(5):
        AssetFactory(name=f"Group {n}")
    page = search_assets(AssetFilters(), offset=2, limit=2)
    assert page.total == 5
    assert names(page) == ["Group 2", "Group 3"]

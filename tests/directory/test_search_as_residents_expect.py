"""Search as residents expect: miles, distance order with a postcode, open groups before
full ones, a full group saying when it may reopen, and a postcode from outside the area."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from linkwork.directory.models import CapacityStatus
from linkwork.directory.selectors import AssetFilters, search_assets
from linkwork.directory.services import set_capacity
from linkwork.errors import InvalidInput
from linkwork.places.models import Area
from linkwork.places.selectors import Point
from linkwork.words import distance_words
from tests.factories import AssetFactory, LocationFactory, PostcodeFactory

pytestmark = pytest.mark.django_db
CENTRE = Point(53.578, -2.429)


def at(name, latitude, **fields):
    return AssetFactory(
        name=name, location=LocationFactory(latitude=latitude, longitude=-2.429), **fields
    )


def names(page) -> list[str]:
    return [result.asset.name for result in page.results]


def test_with_a_postcode_open_groups_come_first_nearest_first():
    at("Far open", 53.600)
    at("Near full", 53.579, capacity_status=CapacityStatus.FULL)
    at("Near open", 53.580)
    at("Paused", 53.5785, capacity_status=CapacityStatus.PAUSED)
    found = names(search_assets(AssetFilters(point=CENTRE, within_km=5)))
    assert found == ["Near open", "Far open", "Paused", "Near full"]


def test_without_a_postcode_the_most_relevant_open_group_comes_first():
    at("Walking", 53.58, description="walking walking walking in the park")
    at(
        "Full walking",
        53.58,
        description="walking walking walking walking",
        capacity_status=CapacityStatus.FULL,
    )
    at("Choir", 53.58, description="singing, and a short walking warm-up")
    found = names(search_assets(AssetFilters(text="walking")))
    assert found[-1] == "Full walking"
    assert found.index("Walking") < found.index("Choir")


def test_distances_are_in_miles_unless_the_deployment_says_km(settings):
    assert distance_words(1.609344) == "1 mile"
    assert distance_words(0.8) == "0.5 miles"
    settings.DISTANCE_UNIT = "km"
    assert distance_words(0.8) == "0.8 km"


def test_the_search_page_offers_miles_and_shows_them(settings):
    area = Area.objects.create(code="E01000001", name="Bolton 001A", area_type="lsoa")
    PostcodeFactory(postcode="BL1 1AA", latitude=53.578, longitude=-2.429, lsoa=area)
    at("Near open", 53.585)
    page = Client().get("/directory/", {"postcode": "BL1 1AA", "within": "3"})
    text = page.content.decode()
    assert "Within 3 miles" in text and "miles away" in text and " km" not in text


def test_a_full_group_says_when_it_may_reopen():
    full = at("Knit and natter", 53.58)
    reopens = timezone.localdate() + dt.timedelta(days=30)
    set_capacity(asset=full, status=CapacityStatus.FULL, may_reopen_on=reopens, by=None)
    text = Client().get("/directory/", {"q": "knit"}).content.decode()
    assert f"May reopen on {reopens.day} {reopens:%B %Y}" in text
    # Opening again clears the date.
    set_capacity(asset=full, status=CapacityStatus.OPEN, by=None)
    full.refresh_from_db()
    assert full.may_reopen_on is None


def test_a_reopening_date_in_the_past_is_refused_naming_the_field():
    full = at("Knit and natter", 53.58)
    with pytest.raises(InvalidInput) as error:
        set_capacity(
            asset=full,
            status=CapacityStatus.FULL,
            may_reopen_on=timezone.localdate() - dt.timedelta(days=1),
            by=None,
        )
    assert "may_reopen_on" in error.value.errors


def test_a_postcode_outside_the_area_says_where_the_service_works(settings):
    settings.COVERAGE_AREA_NAME = "Bolton"
    area = Area.objects.create(code="E01000001", name="Bolton 001A", area_type="lsoa")
    PostcodeFactory(postcode="BL1 1AA", latitude=53.578, longitude=-2.429, lsoa=area)
    outside = Client().get("/directory/", {"postcode": "M1 1AE"}).content.decode()
    assert "Linkwork covers Bolton: try a postcode in Bolton, like BL1 1AA" in outside
    assert "could not find" not in outside
    # A postcode in a district the area covers, but not known: probably mistyped.
    unknown = Client().get("/directory/", {"postcode": "BL1 9ZZ"}).content.decode()
    assert "We could not find BL1 9ZZ" in unknown

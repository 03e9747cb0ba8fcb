"""Public pages come from the cache for visitors who are not signed in, follow a listing
change at once, and are never cached for signed-in people (linkwork/public_cache.py)."""

import re

import pytest
from django.test import Client

from linkwork.accounts.roles import Role
from linkwork.directory.listing_edit import update_listing
from linkwork.directory.services import update_asset
from linkwork.public_cache import CACHE_HEADER
from tests.factories import AssetFactory, LocationFactory, ScheduleFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def walking(taxonomy, postcodes):
    return AssetFactory(
        name="Walking for health",
        location=LocationFactory(latitude=53.5780, longitude=-2.4260, postcode="BL1 1AP"),
    )


def public_addresses(asset) -> list[str]:
    return [
        "/directory/?q=walking",
        f"/directory/assets/{asset.pk}/",
        "/directory/this-week/",
        "/openreferral/services",
        f"/openreferral/services/{asset.uuid}",
    ]


def test_a_second_anonymous_request_is_served_from_the_cache(
    walking, django_assert_max_num_queries
):
    for address in public_addresses(walking):
        first = Client().get(address)
        assert first.status_code == 200, address
        assert first[CACHE_HEADER] == "miss", address
        with django_assert_max_num_queries(1):  # the listings' version, in the shared cache
            second = Client().get(address)
        assert second[CACHE_HEADER] == "hit", address
        assert second.content == first.content or b"nonce" in first.content, address


def test_public_pages_say_how_long_they_may_be_kept(walking, settings):
    settings.PUBLIC_MAX_AGE_SECONDS = 60
    for visit in ("miss", "hit"):
        response = Client().get("/directory/?q=walking")
        assert response[CACHE_HEADER] == visit
        assert "public" in response["Cache-Control"]
        assert "max-age=60" in response["Cache-Control"]
        assert "no-store" not in response["Cache-Control"]
        assert "Cookie" in response["Vary"]


def test_a_listing_edit_shows_at_once(walking):
    address = f"/directory/assets/{walking.pk}/"
    assert b"Walking for health" in Client().get(address).content
    assert Client().get(address)[CACHE_HEADER] == "hit"
    update_asset(asset=walking, by=None, name="Walking for wellbeing")
    for page in (address, "/directory/?q=walking", "/openreferral/services"):
        response = Client().get(page)
        assert b"Walking for wellbeing" in response.content, page
        assert b"Walking for health" not in response.content, page


def test_new_sessions_written_in_bulk_show_at_once(walking):
    address = f"/directory/assets/{walking.pk}/"
    Client().get(address)
    session = {"freq": "WEEKLY", "byday": "WE", "opens_at": "10:00", "closes_at": "11:30"}
    update_listing(asset=walking, by=None, schedules=[session])
    response = Client().get(address)
    assert response[CACHE_HEADER] == "miss"
    assert b"11:30" in response.content


def test_a_deleted_session_shows_at_once(walking):
    session = ScheduleFactory(asset=walking)
    Client().get("/directory/this-week/")
    session.delete()
    assert Client().get("/directory/this-week/")[CACHE_HEADER] == "miss"


def test_signed_in_people_never_get_a_cached_page(walking):
    for address in public_addresses(walking):
        Client().get(address)  # stored for visitors
        signed_in = Client()
        signed_in.force_login(user_with_role(Role.LINK_WORKER))
        for _ in range(2):
            response = signed_in.get(address)
            assert response.status_code == 200, address
            assert CACHE_HEADER not in response, address
            assert "no-store" in response["Cache-Control"], address
            assert "public" not in response["Cache-Control"], address


def test_a_signed_in_page_is_not_given_to_visitors(walking):
    signed_in = Client()
    signed_in.force_login(user_with_role(Role.LINK_WORKER))
    signed_in.get("/directory/?q=walking")
    assert Client().get("/directory/?q=walking")[CACHE_HEADER] == "miss"


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(walking):
    Client().get("/directory/?q=walking")
    visitor = Client()
    visitor.cookies["messages"] = "anything"
    assert CACHE_HEADER not in visitor.get("/directory/?q=walking")


def test_the_cached_page_carries_this_responses_script_nonce(walking):
    Client().get("/directory/?q=walking")
    response = Client().get("/directory/?q=walking")
    assert response[CACHE_HEADER] == "hit"
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    found = set(re.findall(rb'nonce="([^"]+)"', response.content))
    assert found == {nonce.encode()}


def test_errors_and_other_addresses_are_not_stored(walking):
    for address in ("/directory/assets/999999/", "/openreferral/services?page=abc"):
        Client().get(address)
        assert CACHE_HEADER not in Client().get(address), address
    assert Client().get("/directory/?q=other")[CACHE_HEADER] == "miss"


def test_the_cache_can_be_turned_off(walking, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    Client().get("/directory/?q=walking")
    assert CACHE_HEADER not in Client().get("/directory/?q=walking")

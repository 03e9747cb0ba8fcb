"""The directory in a real browser: search with the map, an asset page, a group's listings."""

import re

import pytest

from linkwork.accounts.roles import Role
from linkwork.directory.models import CapacityStatus, Publication
from linkwork.directory.services import load_default_taxonomy
from tests.browser.conftest import check_accessibility
from tests.factories import (
    PASSWORD,
    AssetFactory,
    LocationFactory,
    OrganisationFactory,
    PostcodeFactory,
    ScheduleFactory,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory(settings):
    settings.MAP_TILE_URL = ""  # no network here: markers on a plain background
    load_default_taxonomy(by=None)
    PostcodeFactory(postcode="BL1 1AP", latitude=53.577585, longitude=-2.425087)
    organisation = OrganisationFactory(name="Tonge Walking for Health")
    walk = AssetFactory(
        organisation=organisation,
        name="Tuesday health walk",
        description="A gentle hour's walk around the park, then a cuppa.",
        first_visit="Meet at the park gates; wear comfy shoes.",
        welcome_contact_name="Jo (walk leader)",
        location=LocationFactory(name="Queen's Park gates", latitude=53.5795, longitude=-2.4420),
    )
    ScheduleFactory(asset=walk)
    AssetFactory(
        name="Great Lever walking netball",
        description="Walking netball for all abilities.",
        capacity_status=CapacityStatus.WAITLIST,
        location=LocationFactory(latitude=53.5650, longitude=-2.4300),
    )
    AssetFactory(name="In review", publication=Publication.IN_REVIEW)
    return {"organisation": organisation, "walk": walk}


def sign_in(page, base_url, user):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_a_resident_finds_a_walking_group_near_a_postcode_on_the_list_and_the_map(
    page, live_server, directory
):
    page.goto(f"{live_server.url}/directory/")
    page.get_by_label("What are you looking for?").fill("walking")
    page.get_by_label("Postcode").fill("bl1 1ap")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="2 results").is_visible()
    assert page.locator(".leaflet-marker-icon").count() == 2
    check_accessibility(page, "directory-search")
    assert page.console_errors == [], page.console_errors
    page.get_by_role("link", name="Tuesday health walk").click()
    page.wait_for_load_state()
    assert page.get_by_text("Jo (walk leader)").is_visible()
    check_accessibility(page, "directory-asset")


def test_the_search_list_works_without_javascript(browser, live_server, directory):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/directory/?q=netball")
    assert page.get_by_role("link", name="Great Lever walking netball").is_visible()
    context.close()


def test_a_group_sets_capacity_and_verifies_from_its_home(page, live_server, directory):
    user = user_with_role(Role.GROUP, organisation=directory["organisation"])
    sign_in(page, live_server.url, user)
    assert page.url.endswith("/group/")
    check_accessibility(page, "group-listings")
    page.get_by_role("button", name=re.compile(r"Set to full\W+Tuesday health walk")).click()
    page.get_by_text("Full", exact=True).wait_for()
    directory["walk"].refresh_from_db()
    assert directory["walk"].capacity_status == "full"
    # htmx swaps the card in place: wait for the server's answer before the test ends.
    with page.expect_response(lambda response: "/verify/" in response.url) as answer:
        page.get_by_role(
            "button", name=re.compile(r"This is still right\W+Tuesday health walk")
        ).click()
    assert answer.value.status == 200
    directory["walk"].refresh_from_db()
    assert directory["walk"].last_verified_by == user
    assert page.console_errors == [], page.console_errors


def test_a_link_worker_sees_the_review_queue(page, live_server, directory):
    sign_in(page, live_server.url, user_with_role(Role.LINK_WORKER))
    page.goto(f"{live_server.url}/directory/review/")
    assert page.get_by_role("link", name="In review").is_visible()
    check_accessibility(page, "directory-review")


def test_search_errors_are_shown_in_the_error_summary(page, live_server, directory):
    page.goto(f"{live_server.url}/directory/?postcode=ZZ9+9ZZ")
    assert "ZZ9 9ZZ is outside the area" in page.locator(".nhsuk-error-summary").inner_text()
    check_accessibility(page, "directory-search-error")

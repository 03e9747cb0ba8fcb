"""Neighbourhood intelligence in a real browser: a community panel member opens their
neighbourhood's profile and finds the top gaps with evidence, the map, equity by
deprivation and emerging groups; the profile prints; the public copy works without
JavaScript. Every page passes axe."""

import pytest

from linkwork.demo.services import load_demo
from linkwork.places.models import Area
from linkwork.places.selectors import lsoas_of
from tests.browser.conftest import SCREENSHOTS, check_accessibility
from tests.browser.test_pages import sign_in
from tests.worlds import Builder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tonge(settings):
    """The demo's places, listings, interests and accounts, and a few months of casework
    in Tonge and Breightmet: people with debt nobody could help, lonely people referred."""
    settings.MAP_TILE_URL = ""  # no network here: boundaries on a plain background
    load_demo(referrals=False)
    area = Area.objects.get(code="BOL-NBH-01")
    first, second, third = lsoas_of(area).order_by("code")[:3]
    build = Builder()
    build.unmet(12, first, "need-money-debt", "full")
    build.refer(9, second, ["need-money-debt"])
    build.refer(20, third, ["need-loneliness"])
    return area


def test_a_panel_member_opens_their_neighbourhoods_profile(page, live_server, tonge):
    sign_in(page, live_server.url, "panel@example.org")
    page.get_by_role("link", name="Neighbourhood insight").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Neighbourhood insight"
    assert page.locator("#insight-map path.leaflet-interactive").count() == 5
    check_accessibility(page, "insight-overview")

    page.get_by_role("link", name="Tonge and Breightmet").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Tonge and Breightmet"
    gaps = page.locator("section", has=page.get_by_role("heading", name="Top gaps in Tonge"))
    text = gaps.inner_text()
    assert "Money and debt" in text
    assert "20 people were referred for help with money and debt in Tonge and Breightmet" in text
    assert "10 could not be connected to anything suitable (10 because what exists was full)" in (
        text
    )
    # The map: every neighbourhood, this one drawn with a heavy outline, and the key.
    assert page.locator("#insight-map").is_visible()
    assert page.locator("#insight-map path.leaflet-interactive").count() == 5
    assert page.get_by_text("Contains ONS and OS data © Crown copyright").first.is_visible()
    equity = page.get_by_role("heading", name="Who is being reached: equity by deprivation")
    assert equity.is_visible()
    assert page.get_by_role("img", name="Referred and connected per 1,000 residents").is_visible()
    emerging = page.locator("section", has=page.get_by_role("heading", name="Emerging groups"))
    assert "Arts and crafts" in emerging.inner_text()
    assert page.get_by_role("button", name="Print this profile").is_visible()
    assert page.console_errors == [], page.console_errors
    check_accessibility(page, "insight-profile")

    # Printed for the panel meeting: no navigation or filters, the map and charts kept.
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Show").is_visible()
    assert page.locator("#insight-map").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "insight-profile-print.png"), full_page=True)
    page.pdf(path=str(SCREENSHOTS / "insight-profile.pdf"), format="A4", print_background=True)


def test_a_resident_sees_the_public_profile_without_javascript(browser, live_server, tonge):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/neighbourhoods/")
    assert page.locator("h1").inner_text() == "What your neighbourhood needs"
    assert not page.locator("#insight-map").is_visible()  # the table carries the figures
    assert page.get_by_role("row", name="Tonge and Breightmet").first.is_visible()
    page.get_by_role("link", name="Tonge and Breightmet").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Top gaps in Tonge and Breightmet").is_visible()
    assert not page.get_by_role("button", name="Print this profile").is_visible()  # needs JS
    assert "insight/load" not in page.content()
    page.screenshot(path=str(SCREENSHOTS / "public-profile-no-js.png"), full_page=True)
    profile_url = page.url
    context.close()
    # axe is a script, so it runs on the same page in a browser with JavaScript on
    # (page.evaluate never returns in a context with JavaScript off).
    context = browser.new_context()
    page = context.new_page()
    page.goto(profile_url)
    check_accessibility(page, "neighbourhood-profile-public")
    context.close()

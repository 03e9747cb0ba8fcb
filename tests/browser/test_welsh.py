"""A resident switches the directory and self-referral to Welsh and refers themselves
(issue 18: done when). axe at 1280 and 375 px on each page, in Welsh."""

import pytest

from linkwork.referrals.models import Referral
from tests.browser.conftest import check_accessibility
from tests.browser.test_insight import tonge  # noqa: F401 (fixture)
from tests.browser.test_referrer import practice  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_refers_themselves_in_welsh(page, live_server, practice):  # noqa: F811
    page.goto(f"{live_server.url}/directory/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Cymraeg").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("h1").inner_text() == "Dod o hyd i gymorth yn y gymuned"
    check_accessibility(page, "cy-directory")
    # The distance select ("Pellter") stays inside its quarter-width column at 1280 px.
    select = page.locator("#id_within").bounding_box()
    column = (
        page.locator("#id_within")
        .locator("xpath=ancestor::div[contains(@class, 'nhsuk-grid-column')]")
        .bounding_box()
    )
    assert select["x"] + select["width"] <= column["x"] + column["width"] + 0.5

    # The choice is remembered: the next page, opened without ?lang=, is in Welsh too.
    page.goto(f"{live_server.url}/self-referral/")
    assert page.locator("h1").inner_text() == "Gofyn i weithiwr cyswllt gysylltu â chi"
    check_accessibility(page, "cy-self-referral")
    page.get_by_role("button", name="Anfon").click()
    page.wait_for_load_state()
    summary = page.locator(".nhsuk-error-summary")
    assert "Mae problem wedi codi" in summary.inner_text()
    assert "Rhowch eich enw cyntaf." in summary.inner_text()
    check_accessibility(page, "cy-self-referral-errors")

    page.get_by_label("Enw cyntaf", exact=True).fill("Rhys")
    page.get_by_label("Cyfenw", exact=True).fill("Evans")
    page.get_by_label("Diwrnod", exact=True).fill("14")
    page.get_by_label("Mis", exact=True).fill("3")
    page.get_by_label("Blwyddyn", exact=True).fill("1956")
    page.get_by_label("Cod post", exact=True).fill("bl2 6lt")
    page.get_by_label("Rhif ffôn", exact=True).fill("07700 900456")
    page.get_by_label("Arian a dyled").check()
    page.get_by_label("Rwy'n cytuno i gael fy atgyfeirio").check()
    page.get_by_role("button", name="Anfon").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/self-referral/sent/"
    assert page.get_by_text("o fewn 5 diwrnod gwaith").is_visible()
    check_accessibility(page, "cy-self-referral-sent")

    # And back to English from the switcher.
    page.get_by_role("navigation", name="Iaith").get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Your request has been sent"
    assert page.console_errors == [], page.console_errors
    assert Referral.objects.get().person.given_name == "Rhys"


def test_a_resident_reads_their_neighbourhood_in_welsh(page, live_server, tonge):  # noqa: F811
    """The public neighbourhood pages in Welsh, the map's tooltip included (its words come
    from the page, not a catalogue the script fetches)."""
    page.goto(f"{live_server.url}/neighbourhoods/?lang=cy")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Beth sydd ei angen ar eich cymdogaeth"
    assert page.get_by_label("Lliwio'r map yn ôl").is_visible()
    assert page.locator("#insight-map path.leaflet-interactive").count() == 5
    assert page.get_by_role("list", name="Allwedd i'r map").is_visible()
    tips = []
    for area in page.locator("#insight-map path.leaflet-interactive").all():
        area.hover(force=True)
        tips.append(page.locator(".leaflet-tooltip").last.inner_text())
    assert any("Bwlch mwyaf: " in tip for tip in tips), tips
    assert not any("Biggest gap" in tip for tip in tips), tips
    check_accessibility(page, "cy-neighbourhoods")
    page.get_by_role("link", name="Tonge and Breightmet").first.click()
    page.wait_for_load_state("networkidle")
    heading = page.get_by_role(
        "heading", name="Pwy sy'n cael eu cyrraedd: tegwch yn ôl amddifadedd"
    )
    assert heading.is_visible()
    assert page.console_errors == [], page.console_errors
    check_accessibility(page, "cy-neighbourhood-profile")

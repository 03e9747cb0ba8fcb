"""A group member says when it meets and what it costs, in a real browser (issue 13)."""

import pytest

from linkwork.accounts.roles import Role
from linkwork.directory.services import load_default_taxonomy
from tests.browser.conftest import check_accessibility
from tests.browser.test_directory import sign_in
from tests.factories import AssetFactory, LocationFactory, OrganisationFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_a_group_member_adds_first_friday_and_sees_the_next_three_dates(page, live_server, width):
    load_default_taxonomy(by=None)
    organisation = OrganisationFactory(name="Halliwell Knitters")
    asset = AssetFactory(
        organisation=organisation,
        name="Knit and natter",
        location=LocationFactory(name="Halliwell library"),
    )
    member = user_with_role(Role.GROUP, organisation=organisation)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, member)

    page.goto(f"{live_server.url}/directory/assets/{asset.pk}/edit/")
    check_accessibility(page, f"listing-edit-{width}")
    session = page.locator("fieldset", has_text="Session 1")
    session.screenshot(path=f"screenshots/listing-edit-session-{width}.png")
    session.get_by_label("Once a month, on a weekday").check()
    session.get_by_label("Day of the week").select_option("Friday")
    session.get_by_label("Which week of the month").select_option("First")
    session.get_by_label("Starts at").fill("10:00")
    session.get_by_label("Ends at").fill("12:00")
    session.get_by_label("Notes (optional)").fill("Taster welcome")
    page.get_by_label("A charge per session").check()
    page.get_by_label("Amount in pounds").fill("2")
    page.get_by_label("People can come to a taster first").check()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/edit/check/")
    body = page.locator("main")
    assert "First Friday of the month, 10am to 12pm: Taster welcome" in body.inner_text()
    assert "£2 per session" in body.inner_text()
    check_accessibility(page, f"listing-check-{width}")
    page.get_by_role("button", name="Save these details").click()

    page.wait_for_url(f"**/directory/assets/{asset.pk}/")
    dates = page.locator("[data-next-dates] time")
    assert dates.count() == 3
    assert all(text.startswith("Friday") for text in dates.all_inner_texts())
    assert "10am to 12pm" in dates.first.inner_text()
    assert "You can come to a taster session first." in page.locator("main").inner_text()
    check_accessibility(page, f"listing-public-{width}")
    page.goto(f"{live_server.url}/directory/this-week/")
    check_accessibility(page, f"directory-this-week-{width}")
    assert not page.console_errors


def test_a_link_worker_records_a_visit_and_finds_it_again(page, live_server):
    load_default_taxonomy(by=None)
    asset = AssetFactory(name="Women's wellbeing group")
    worker = user_with_role(Role.LINK_WORKER, organisation=OrganisationFactory(name="Bolton SP"))
    sign_in(page, live_server.url, worker)
    page.goto(f"{live_server.url}/directory/assets/{asset.pk}/notes/")
    check_accessibility(page, "listing-note")
    page.get_by_label("A visit I made").check()
    page.get_by_label("What you found or know").fill("Step-free but noisy at lunchtime.")
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Save the note").click()
    page.wait_for_url(f"**/directory/assets/{asset.pk}/#service-notes")
    assert "Step-free but noisy at lunchtime." in page.locator("#service-notes ~ ul").inner_text()
    page.goto(f"{live_server.url}/directory/notes/?q=noisy")
    check_accessibility(page, "directory-notes")
    assert "Women's wellbeing group" in page.locator("main").inner_text()

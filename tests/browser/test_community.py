"""Community pages in a real browser: saying what is missing (with its error summary),
emerging groups and grants; every page passes axe."""

import pytest

from linkwork.community.models import Grant, Interest
from linkwork.demo.services import load_demo
from tests.browser.conftest import check_accessibility
from tests.browser.test_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_says_what_is_missing_after_fixing_a_mistake(page, live_server):
    load_demo(referrals=False)
    before = Interest.objects.count()
    page.goto(f"{live_server.url}/interests/new/")
    check_accessibility(page, "interest-form")
    page.get_by_label("What kind of activity?").select_option(label="Arts and crafts")
    page.get_by_label("Is it for a particular group of people? (optional)").fill("women")
    page.get_by_label("I agree to be contacted").check()
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    summary = page.locator(".nhsuk-error-summary")
    assert "Enter your postcode, or choose your area from the list." in summary.inner_text()
    assert "Say who may contact you." in summary.inner_text()
    check_accessibility(page, "interest-form-errors")
    page.get_by_label("Postcode", exact=True).fill("BL2 6LT")
    page.get_by_label("Either of these").check()
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Phone number or email address").fill("pat@example.com")
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Thank you: we have noted what is missing"
    check_accessibility(page, "interest-sent")
    assert Interest.objects.count() == before + 1


def test_the_panel_sees_the_demo_emerging_groups_without_names(page, live_server):
    load_demo(referrals=False)
    sign_in(page, live_server.url, "panel@example.org")
    page.get_by_role("link", name="Emerging groups").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Emerging groups"
    table = page.locator("table").inner_text()
    assert "Arts and crafts" in table and "Tonge and Breightmet" in table and "Women" in table
    assert "07700" not in page.content()
    check_accessibility(page, "emerging-groups")


def test_a_commissioner_records_a_grant(page, live_server):
    load_demo(referrals=False)
    before = Grant.objects.count()
    sign_in(page, live_server.url, "commissioner@example.org")
    page.get_by_role("link", name="Grants").first.click()
    page.wait_for_load_state()
    check_accessibility(page, "grants")
    page.get_by_role("button", name="Record a grant").click()
    page.wait_for_load_state()
    page.get_by_label("Group or organisation").select_option(label="Tonge Walking for Health")
    page.get_by_label("Amount (£)").fill("850")
    page.get_by_label("Funder").fill("Moorland ICB (demo)")
    page.get_by_label("What is it for?").fill("Walk leader training")
    page.locator("#id_period_start_day").fill("1")
    page.locator("#id_period_start_month").fill("5")
    page.locator("#id_period_start_year").fill("2026")
    page.locator("#id_period_end_year").fill("2027")
    page.get_by_role("button", name="Record the grant").click()
    page.wait_for_load_state()
    summary = page.locator(".nhsuk-error-summary")
    assert "End date (optional) must include a day and month." in summary.inner_text()
    check_accessibility(page, "grant-form-errors")
    page.locator("#id_period_end_year").fill("")
    page.get_by_role("button", name="Record the grant").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Grants to community groups"
    assert "Grant of £850.00 to Tonge Walking for Health recorded." in page.content()
    assert Grant.objects.count() == before + 1

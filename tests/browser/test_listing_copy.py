"""Issue 13 in a real browser: a new listing in sections, the person's social
prescription (printable, and sent by text), and the group's statistics; axe on each,
at desktop and phone widths."""

import pytest

from linkwork.accounts.roles import Role
from linkwork.directory.listing_edit import update_listing
from linkwork.directory.services import load_default_taxonomy
from linkwork.notifications import adapters
from linkwork.referrals.models import Person, Referral
from tests.browser.conftest import check_accessibility
from tests.browser.test_directory import sign_in
from tests.factories import OrganisationFactory, PostcodeFactory, user_with_role
from tests.referrals import conftest as casework
from tests.referrals.test_group_pages import connect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The casework tests' small world (a service, a group with a walk, a person's referral).
world = casework.world


@pytest.mark.parametrize("width", [1280, 375])
def test_a_group_adds_a_new_listing_in_sections(page, live_server, width):
    load_default_taxonomy(by=None)
    PostcodeFactory(postcode="BL1 1AP", latitude=53.577585, longitude=-2.425087)
    organisation = OrganisationFactory(name="Halliwell Crafters")
    sign_in(page, live_server.url, user_with_role(Role.GROUP, organisation=organisation))
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/directory/assets/new/")
    check_accessibility(page, f"listing-new-{width}")
    page.get_by_label("Name of the activity or group").fill("Friday crafts")
    page.get_by_label("What happens").fill("Make things and have a brew.")
    session = page.locator("fieldset", has_text="Session 1")
    session.get_by_label("Once a month, on a weekday").check()
    session.get_by_label("Day of the week").select_option("Friday")
    session.get_by_label("Which week of the month").select_option("First")
    session.get_by_label("Starts at").fill("10:00")
    session.get_by_label("Ends at").fill("12:00")
    page.get_by_label("A charge per session").check()
    page.get_by_label("Amount in pounds").fill("2")
    page.get_by_label("Postcode where it happens").fill("BL1 1AP")
    page.get_by_label("People can come to a taster first").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/directory/assets/new/check/")
    assert "First Friday of the month, 10am to 12pm" in page.locator("main").inner_text()
    check_accessibility(page, f"listing-new-check-{width}")
    page.get_by_role("button", name="Add the listing").click()
    page.wait_for_selector("[data-next-dates]")
    assert page.locator("[data-next-dates] time").count() == 3
    assert not page.console_errors


@pytest.mark.parametrize("width", [1280, 375])
def test_a_link_worker_prints_and_texts_a_social_prescription(
    page, live_server, world, settings, width
):
    settings.SMS_BACKEND = "locmem"
    adapters.sms_outbox.clear()
    update_listing(
        asset=world.walk,
        by=None,
        description="A gentle walk around the park, with tea after.",
        first_visit="Meet Jo at the gate.",
        welcome_contact_name="Jo (walk leader)",
        phone="01632 960101",
        schedules=[{"freq": "MONTHLY", "byday": "1FR", "opens_at": "10:00", "closes_at": "12:00"}],
        cost_options=[{"amount": "2.00", "option": "Per session"}],
    )
    connection = connect(world)
    Referral.objects.filter(pk=connection.referral_id).update(consent_contact_methods="text")
    Person.objects.filter(referrals=connection.referral_id).update(phone="07700 900123")
    sign_in(page, live_server.url, world.link_worker.user)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/casework/referrals/{connection.referral_id}/")
    page.get_by_role("link", name="Pat's social prescription for Health walk").click()
    page.wait_for_url("**/prescription/")
    check_accessibility(page, f"prescription-{width}")
    page.emulate_media(media="print")
    page.screenshot(path=f"screenshots/prescription-print-{width}.png", full_page=True)
    assert not page.get_by_role("button", name="Send the social prescription").is_visible()
    page.emulate_media(media="screen")
    page.get_by_label("Text message to").check()
    page.get_by_role("button", name="Send the social prescription").click()
    page.wait_for_selector("text=The social prescription was sent by text message.")
    assert len(adapters.sms_outbox) == 1
    assert not page.console_errors


@pytest.mark.parametrize("width", [1280, 375])
def test_a_group_sees_its_statistics(page, live_server, world, width):
    connect(world)
    sign_in(page, live_server.url, world.group.user)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/group/")
    page.get_by_role("link", name="Your statistics").click()
    page.wait_for_url("**/group/statistics/")
    assert "Referrals by month" in page.locator("main").inner_text()
    check_accessibility(page, f"group-statistics-{width}")
    assert not page.console_errors

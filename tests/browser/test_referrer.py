"""A GP refers someone and follows the referral; a resident refers themselves."""

import pytest
from django.core.cache import cache

from linkwork.accounts.roles import Role
from linkwork.directory.models import OrganisationKind
from linkwork.directory.services import load_default_taxonomy
from linkwork.places.models import Area
from linkwork.referrals import services
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Referral
from tests.browser.conftest import check_accessibility
from tests.browser.test_directory import sign_in
from tests.factories import (
    AssetFactory,
    OrganisationFactory,
    PostcodeFactory,
    user_with_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def practice(settings):
    settings.MAP_TILE_URL = ""
    cache.clear()  # the self-referral rate limit starts afresh
    load_default_taxonomy(by=None)
    lsoa = Area.objects.create(code="E01004800", name="Bolton 020A", area_type="lsoa")
    PostcodeFactory(postcode="BL2 6LT", latitude=53.5837, longitude=-2.3803, lsoa=lsoa)
    pcn = OrganisationFactory(name="Moor PCN", kind=OrganisationKind.PCN)
    surgery = OrganisationFactory(
        name="Brook Surgery", kind=OrganisationKind.GP_PRACTICE, parent=pcn
    )
    service = OrganisationFactory(
        name="Community Links", kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE, parent=pcn
    )
    return {
        "gp": user_with_role(Role.REFERRER, organisation=surgery, full_name="Dr Asha Patel"),
        "link_worker": user_with_role(Role.LINK_WORKER, organisation=service),
        "service": service,
    }


def fill_person(page, *, given: str, family: str) -> None:
    page.get_by_label("First name", exact=True).fill(given)
    page.get_by_label("Last name", exact=True).fill(family)
    page.get_by_label("Day", exact=True).fill("14")
    page.get_by_label("Month", exact=True).fill("3")
    page.get_by_label("Year", exact=True).fill("1956")
    page.get_by_label("Postcode", exact=True).fill("bl2 6lt")


def test_a_gp_refers_someone_and_sees_the_status_page(page, live_server, practice):
    sign_in(page, live_server.url, practice["gp"])
    page.get_by_role("link", name="Refer someone").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Refer someone to social prescribing"
    check_accessibility(page, "referral-new")

    # Sent empty: every problem in the error summary, each linked to its field.
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_load_state()
    summary = page.locator(".nhsuk-error-summary")
    assert "Enter their first name." in summary.inner_text()
    assert "Select at least one reason for the referral." in summary.inner_text()
    check_accessibility(page, "referral-new-errors")
    summary.get_by_role("link", name="Enter their date of birth.").click()
    assert page.evaluate("document.activeElement.id") == "id_birth_date_day"

    fill_person(page, given="Pat", family="Holden")
    page.get_by_label("NHS number (optional)").fill("943 476 5919")
    page.get_by_label("Phone number").fill("07700 900123")
    page.get_by_label("Loneliness and isolation").check()
    page.get_by_label("Physical activity").check()
    page.get_by_label("Anything the link worker should know (optional)").fill(
        "Recently bereaved; keen to get out more."
    )
    page.get_by_label("They agree to be referred to a social prescribing link worker").check()
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_load_state()

    referral = Referral.objects.get()
    assert page.url == f"{live_server.url}/referrals/{referral.pk}/"
    assert page.get_by_text("Your referral has been sent to Community Links").is_visible()
    assert page.locator("h1").inner_text() == "Pat Holden"
    check_accessibility(page, "referral-status")
    assert page.console_errors == [], page.console_errors

    page.get_by_role("link", name="Your referrals").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Pat Holden").is_visible()
    check_accessibility(page, "referral-list")


def test_the_gp_sees_the_closure_summary(page, live_server, practice):
    worker = practice["link_worker"]
    referral = services.create_referral(
        person={
            "given_name": "Pat",
            "family_name": "Holden",
            "birth_date": "1956-03-14",
            "postcode": "BL2 6LT",
        },
        source="gp",
        reasons=["need-loneliness"],
        consent_to_refer=True,
        by=practice["gp"],
    )
    services.transition_referral(referral=referral, to=t.ACCEPTED, by=worker)
    services.record_conversation(referral=referral, what_matters="Private words", by=worker)
    asset = AssetFactory(name="Tuesday health walk")
    connection = services.propose_connection(referral=referral, asset=asset, by=worker)
    services.send_connection(connection=connection, by=worker)
    services.record_unmet_need(
        referral=referral, category="need-money-debt", reason="none_exists", by=worker
    )
    services.transition_referral(
        referral=referral, to=t.CLOSED, summary="Walks every Tuesday now.", by=worker
    )
    sign_in(page, live_server.url, practice["gp"])
    page.goto(f"{live_server.url}/referrals/{referral.pk}/")
    assert page.get_by_text("Walks every Tuesday now.").is_visible()
    assert page.get_by_text("Private words").count() == 0
    check_accessibility(page, "referral-status-closed")
    assert page.console_errors == [], page.console_errors


def test_someone_refers_themselves_without_an_account(page, live_server, practice):
    page.goto(f"{live_server.url}/self-referral/")
    assert page.locator("h1").inner_text() == "Ask a link worker to contact you"
    assert not page.locator("#website").is_visible()  # the honeypot
    check_accessibility(page, "self-referral")
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    assert "Enter your first name." in page.locator(".nhsuk-error-summary").inner_text()
    check_accessibility(page, "self-referral-errors")

    fill_person(page, given="Alex", family="Rahman")
    page.get_by_label("Phone number").fill("07700 900456")
    page.get_by_label("Money and debt").check()
    page.get_by_label("I agree to be referred to a social prescribing link worker").check()
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/self-referral/sent/"
    assert page.get_by_text("within 5 working days").is_visible()
    check_accessibility(page, "self-referral-sent")
    assert page.console_errors == [], page.console_errors
    referral = Referral.objects.get()
    assert referral.source == "self" and referral.referrer is None


def test_the_forms_work_without_javascript(browser, live_server, practice):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/self-referral/")
    fill_person(page, given="Sam", family="Kay")
    page.get_by_label("Email address").fill("sam@example.test")
    page.get_by_label("Food").check()
    page.get_by_label("I agree to be referred to a social prescribing link worker").check()
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/self-referral/sent/"
    sign_in(page, live_server.url, practice["gp"])
    page.goto(f"{live_server.url}/referrals/new/")
    fill_person(page, given="Pat", family="Holden")
    page.get_by_label("Loneliness and isolation").check()
    page.get_by_label("They agree to be referred to a social prescribing link worker").check()
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Pat Holden"
    assert Referral.objects.count() == 2
    context.close()

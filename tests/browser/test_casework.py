"""A link worker's day in a real browser: triage, conversation, connections (one refused by
a full group, with alternatives), closure; every page passes axe with no console errors."""

import re

import pytest

from linkwork.accounts.roles import Role
from linkwork.directory.models import Asset, CapacityStatus, TaxonomyTerm
from linkwork.referrals import services
from linkwork.referrals.models import Connection, Referral
from tests.browser.conftest import check_accessibility
from tests.factories import (
    PASSWORD,
    AssetFactory,
    LocationFactory,
    OrganisationFactory,
    user_with_role,
)
from tests.worlds import surgery_and_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def casework(settings):
    settings.MAP_TILE_URL = ""
    start = surgery_and_service()
    practice, service = start.practice, start.service
    activity = TaxonomyTerm.objects.get(code="need-physical-activity")
    AssetFactory(
        organisation=OrganisationFactory(name="Tonge Walkers"),
        name="Tuesday health walk",
        categories=[activity],
        location=LocationFactory(latitude=53.584, longitude=-2.381),
    )
    AssetFactory(
        organisation=OrganisationFactory(name="Park Striders"),
        name="Park strollers",
        categories=[activity],
        capacity_status=CapacityStatus.FULL,
        location=LocationFactory(latitude=53.585, longitude=-2.382),
    )
    AssetFactory(
        organisation=OrganisationFactory(name="Breightmet Ramblers"),
        name="Sunday rambles",
        categories=[activity],
        location=LocationFactory(latitude=53.59, longitude=-2.39),
    )
    gp = user_with_role(Role.REFERRER, organisation=practice, full_name="Dr Amina Shah")
    link_worker = user_with_role(Role.LINK_WORKER, organisation=service, full_name="Jo Link")
    user_with_role(Role.LINK_WORKER, organisation=service, full_name="Sam Colleague")
    person = {
        "given_name": "Pat",
        "family_name": "Holden",
        "birth_date": "1956-03-14",
        "postcode": "BL2 6LT",
        "access_needs": "Uses a walking stick",
    }
    referral = services.create_referral(
        person=person,
        source="gp",
        reasons=["need-loneliness", "need-physical-activity"],
        consent_to_refer=True,
        share_with_groups=True,
        contact_methods=["phone"],
        notes="Recently bereaved; keen to get out more.",
        referrer_organisation=practice,
        by=gp,
    )
    overdue = services.create_referral(
        person={**person, "given_name": "Rita", "family_name": "Begum", "birth_date": "1940-01-02"},
        source="gp",
        reasons=["need-money-debt"],
        consent_to_refer=True,
        referrer_organisation=practice,
        by=gp,
    )
    Referral.objects.filter(pk=overdue.pk).update(
        first_contact_due="2020-01-06",
        eligibility_flags=["Over the service's maximum age of 80."],
    )
    return {"link_worker": link_worker, "referral": referral, "service": service}


def sign_in(page, base_url, user):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_a_link_worker_triages_talks_connects_and_closes(page, live_server, casework):
    base = live_server.url
    referral = casework["referral"]
    sign_in(page, base, casework["link_worker"])
    page.get_by_role("link", name="Referral queue").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Referral queue"
    rita = page.locator(".nhsuk-card", has_text="Rita Begum")
    assert rita.locator(".nhsuk-tag--red", has_text="Overdue").is_visible()
    assert "Outside the service's criteria" in rita.inner_text()
    check_accessibility(page, "casework-queue")

    page.get_by_role("button", name="Accept the referral of Pat Holden").click()
    page.wait_for_load_state()
    assert page.get_by_text("Referral accepted onto your caseload.").is_visible()
    page.goto(f"{base}/casework/")
    check_accessibility(page, "casework-caseload")
    page.get_by_role("link", name="Pat Holden").click()
    page.wait_for_load_state()
    check_accessibility(page, "casework-case-accepted")

    # The what-matters conversation: the first one counts as first contact.
    page.get_by_label("What matters to the person").fill("Seeing people again since Jim died.")
    page.get_by_label("Strengths and what they already have").fill("Loves gardening.")
    page.get_by_label("Loneliness and isolation").fill("I don't talk to anyone all week.")
    page.get_by_role("button", name="Save the conversation").click()
    page.wait_for_load_state()
    assert page.get_by_text("Conversation recorded.").is_visible()
    page.get_by_label("Goals, in the person's own words").fill(
        "Get out twice a week\nMake a friend"
    )
    page.get_by_role("button", name="Save the plan").click()
    page.wait_for_load_state()

    # A full group refuses, and the page offers the open group nearby instead.
    page.get_by_label("Park strollers").check()
    page.get_by_label("Someone will come with them to the first session").check()
    page.get_by_role("button", name="Propose the connection").click()
    page.wait_for_load_state()
    refused = page.locator("#connection-" + str(Connection.objects.get().pk))
    assert "Park strollers is full and cannot take anyone new" in refused.inner_text()
    assert refused.get_by_role("button", name="Send to Park strollers").count() == 0
    assert Connection.objects.get().status == "proposed"
    check_accessibility(page, "casework-full-group-alternatives")
    page.get_by_role(
        "button", name=re.compile("Connect to this instead.*Tuesday health walk")
    ).click()
    page.wait_for_load_state()
    assert page.get_by_text("Sent to Tuesday health walk").is_visible()
    assert Connection.objects.get(asset__name="Tuesday health walk").status == "sent"
    check_accessibility(page, "casework-case-connected")

    # The caseload filter updates the list in place (htmx) and the address follows.
    page.goto(f"{base}/casework/")
    page.evaluate("window.stayedOnPage = true")
    page.get_by_label("Status").select_option("in_progress")
    page.wait_for_url(re.compile(r"status=in_progress"))
    results = page.locator("#caseload-results")
    results.get_by_role("link", name="Pat Holden").wait_for()
    assert "Rita Begum" not in results.inner_text()
    assert page.evaluate("window.stayedOnPage") is True
    check_accessibility(page, "casework-caseload-filtered")

    results.get_by_role("link", name="Pat Holden").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Close the referral").click()
    page.wait_for_load_state()
    assert "Write a closing summary" in page.locator(".nhsuk-error-summary").inner_text()
    check_accessibility(page, "casework-close-error")
    page.get_by_label("Closing summary for the referrer").fill(
        "Pat joined the Tuesday walk and goes weekly."
    )
    page.get_by_role("button", name="Close the referral").click()
    page.wait_for_load_state()
    referral.refresh_from_db()
    assert referral.status == "closed"
    check_accessibility(page, "casework-case-closed")
    assert page.console_errors == [], page.console_errors


def test_a_group_that_fills_up_before_sending_is_refused_with_alternatives(
    page, live_server, casework
):
    referral, worker = casework["referral"], casework["link_worker"]
    services.accept_referral(referral=referral, link_worker=worker, by=worker)
    services.record_conversation(referral=referral, what_matters="Walking", by=worker)
    walk = Asset.objects.get(name="Tuesday health walk")
    connection = services.propose_connection(referral=referral, asset=walk, by=worker)
    sign_in(page, live_server.url, worker)
    page.goto(f"{live_server.url}/casework/referrals/{referral.pk}/#connections")
    Asset.objects.filter(pk=walk.pk).update(capacity_status=CapacityStatus.FULL)
    page.get_by_role("button", name="Send to Tuesday health walk").click()
    page.wait_for_load_state()
    summary = page.locator(".nhsuk-error-summary")
    assert "Tuesday health walk is full" in summary.inner_text()
    card = page.locator(f"#connection-{connection.pk}")
    assert card.get_by_role("button", name=re.compile("Connect to this instead.*Sunday")).count()
    connection.refresh_from_db()
    assert connection.status == "proposed"
    check_accessibility(page, "casework-send-refused")
    assert page.console_errors == [], page.console_errors


def test_triage_and_the_caseload_work_without_javascript(browser, live_server, casework):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, casework["link_worker"])
    page.goto(f"{live_server.url}/casework/queue/")
    # The overdue referral is first in the queue: choose on Pat's own card.
    pat = page.locator(f"#referral-{casework['referral'].pk}")
    pat.get_by_label("Assign to").select_option(label="Sam Colleague")
    page.get_by_role("button", name="Accept the referral of Pat Holden").click()
    page.wait_for_load_state()
    referral = casework["referral"]
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.assigned_to.full_name == "Sam Colleague"
    page.goto(f"{live_server.url}/casework/")
    page.get_by_label("Status").select_option("accepted")
    page.get_by_role("button", name="Show referrals").click()
    page.wait_for_load_state()
    assert "status=accepted" in page.url
    assert page.locator("#caseload-results").get_by_role("link", name="Pat Holden").is_visible()
    context.close()

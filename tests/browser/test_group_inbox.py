"""A community group answers referrals in a real browser: the inbox, accepting,
recording attendance (one click and the register), with and without JavaScript."""

import re

import pytest

from linkwork.accounts.roles import Role
from linkwork.directory.models import OrganisationKind
from linkwork.directory.services import load_default_taxonomy
from linkwork.referrals import services
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection
from tests.browser.conftest import check_accessibility
from tests.factories import (
    PASSWORD,
    AssetFactory,
    OrganisationFactory,
    PostcodeFactory,
    user_with_role,
)
from tests.referrals.conftest import REFERRAL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = [("Pat", "Holden"), ("Sam", "Okafor"), ("Ann", "Lee")]


@pytest.fixture
def inbox():
    """A walking group with three people referred to its health walk (all sent)."""
    load_default_taxonomy(by=None)
    PostcodeFactory(postcode="BL2 6LT", latitude=53.5837, longitude=-2.3803)
    service = OrganisationFactory(
        name="Community Links", kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE
    )
    group = OrganisationFactory(name="Tonge Walking for Health")
    walk = AssetFactory(organisation=group, name="Tuesday health walk", places=5)
    link_worker = user_with_role(Role.LINK_WORKER, organisation=service)
    connections = []
    for given, family in PEOPLE:
        referral = services.create_referral(
            person={
                **REFERRAL["person"],
                "given_name": given,
                "family_name": family,
                # Only Pat gives an NHS number (the same number would be the same person).
                "nhs_number": REFERRAL["person"]["nhs_number"] if given == "Pat" else "",
            },
            source="gp",
            reasons=REFERRAL["reasons"],
            consent_to_refer=True,
            share_with_groups=True,
            notes=REFERRAL["notes"],
            service=service,
            by=link_worker,
        )
        services.transition_referral(referral=referral, to=t.ACCEPTED, by=link_worker)
        services.transition_referral(referral=referral, to=t.CONTACTED, by=link_worker)
        connection = services.propose_connection(
            referral=referral,
            asset=walk,
            share=["first_name", "contact_preference", "access_needs", "accompanied"],
            first_session="Tuesday 10am at the park gates",
            by=link_worker,
        )
        connections.append(services.send_connection(connection=connection, by=link_worker))
    return {"member": user_with_role(Role.GROUP, organisation=group), "connections": connections}


def sign_in(page, base_url, user):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def card(page, connection):
    return page.locator(f"#connection-{connection.pk}")


def test_a_group_accepts_a_referral_and_records_attendance(page, live_server, inbox):
    pat, sam, ann = inbox["connections"]
    sign_in(page, live_server.url, inbox["member"])
    page.get_by_role("link", name="Referral inbox").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Referral inbox", level=1).is_visible()
    assert card(page, pat).get_by_text("Uses a walking stick").is_visible()
    for secret in ("Holden", "Okafor", "943 476 5919", "Recently bereaved", "BL2 6LT"):
        assert secret not in page.content()
    check_accessibility(page, "group-inbox")

    card(page, pat).get_by_role("button", name=re.compile(r"^Accept\W+Pat")).click()
    card(page, pat).get_by_text("You accepted the referral.").wait_for()
    assert Connection.objects.get(pk=pat.pk).status == t.ACCEPTED
    check_accessibility(page, "group-inbox-accepted")

    card(page, pat).get_by_role("button", name=re.compile(r"^Came to the first session")).click()
    card(page, pat).get_by_text("First session recorded.").wait_for()
    assert Connection.objects.get(pk=pat.pk).status == t.ATTENDED_FIRST

    card(page, pat).get_by_role("button", name=re.compile(r"^Yes\W+the referral of Pat")).click()
    card(page, pat).get_by_text("Thank you for saying.").wait_for()
    assert Connection.objects.get(pk=pat.pk).group_says_appropriate is True

    # Declining without a reason points at the missing reason, in the card.
    sam_card = card(page, sam)
    sam_card.locator("summary", has_text="Decline").click()
    sam_card.get_by_role("button", name=re.compile(r"^Decline\W+Sam")).click()
    sam_card.locator(".nhsuk-error-message").wait_for()
    assert Connection.objects.get(pk=sam.pk).status == t.SENT
    check_accessibility(page, "group-inbox-decline-error")
    # The page that asks for a reason (where a plain form post lands when one is missing).
    page.goto(f"{live_server.url}/group/referrals/{ann.pk}/decline/")
    page.get_by_role("button", name="Decline").click()
    page.wait_for_load_state()
    assert "Say why" in page.locator(".nhsuk-error-summary").inner_text()
    check_accessibility(page, "group-decline-reason")
    assert page.console_errors == [], page.console_errors


def test_a_group_records_a_session_on_the_register(page, live_server, inbox):
    pat, sam, ann = inbox["connections"]
    for connection in (pat, sam, ann):
        services.accept_connection(connection=connection, by=inbox["member"])
    sign_in(page, live_server.url, inbox["member"])
    page.goto(f"{live_server.url}/group/referrals/")
    page.get_by_role("link", name="Record who came to a session").click()
    page.wait_for_load_state()
    check_accessibility(page, "group-register")
    person = page.locator("fieldset", has=page.get_by_role("heading", name=f"Pat (ref. {pat.pk})"))
    person.get_by_label("Came to the first session").check()
    person = page.locator("fieldset", has=page.get_by_role("heading", name=f"Ann (ref. {ann.pk})"))
    person.get_by_label("Came to the first session").check()
    person = page.locator("fieldset", has=page.get_by_role("heading", name=f"Sam (ref. {sam.pk})"))
    person.get_by_label("If they did not start, why? (optional)").fill("Found work on Tuesdays")
    page.get_by_role("button", name="Save the register").click()
    page.wait_for_load_state()
    assert "register saved" in page.locator("main").inner_text()
    statuses = dict(Connection.objects.values_list("pk", "status"))
    assert statuses == {pat.pk: t.ATTENDED_FIRST, ann.pk: t.ATTENDED_FIRST, sam.pk: "did_not_start"}
    check_accessibility(page, "group-inbox-after-register")
    assert page.console_errors == [], page.console_errors


def test_answers_work_without_javascript(browser, live_server, inbox):
    pat, sam, _ = inbox["connections"]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, inbox["member"])
    page.goto(f"{live_server.url}/group/referrals/?status=sent")
    card(page, pat).get_by_role("button", name=re.compile(r"^Accept\W+Pat")).click()
    page.wait_for_load_state()
    assert page.url.endswith("/group/referrals/?status=sent")
    assert page.get_by_text("You accepted the referral.").is_visible()
    assert Connection.objects.get(pk=pat.pk).status == t.ACCEPTED
    # A missing reason is pointed out on a page of its own.
    card(page, sam).locator("summary", has_text="Decline").click()
    card(page, sam).get_by_role("button", name=re.compile(r"^Decline\W+Sam")).click()
    page.wait_for_load_state()
    assert "Say why" in page.locator(".nhsuk-error-summary").inner_text()
    page.get_by_label("Why can your group not take them?").fill("We are full on Tuesdays")
    page.get_by_role("button", name="Decline").click()
    page.wait_for_load_state()
    assert Connection.objects.get(pk=sam.pk).status == t.DECLINED
    context.close()

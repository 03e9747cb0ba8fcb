"""Outcomes in a real browser: a link worker records a baseline SWEMWBS and ONS4, sends a
questionnaire link, and the person answers the follow-up on a phone without signing in;
every page passes axe."""

import pytest
from django.core import mail

from linkwork.accounts.roles import Role
from linkwork.directory.models import OrganisationKind
from linkwork.directory.services import load_default_taxonomy
from linkwork.outcomes import services as outcome_services
from linkwork.outcomes.models import QuestionnaireLink, Response
from linkwork.places.models import Area
from linkwork.referrals import services
from tests.browser.conftest import check_accessibility
from tests.factories import PASSWORD, OrganisationFactory, PostcodeFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SWEMWBS_BASELINE = [
    "Rarely",
    "Rarely",
    "Some of the time",
    "Rarely",
    "Some of the time",
    "Rarely",
    "None of the time",
]
SWEMWBS_FOLLOW_UP = [
    "Some of the time",
    "Often",
    "Some of the time",
    "Often",
    "Often",
    "Some of the time",
    "Some of the time",
]


@pytest.fixture
def case(settings):
    settings.MAP_TILE_URL = ""
    load_default_taxonomy(by=None)
    lsoa = Area.objects.create(code="E01004800", name="Bolton 020A", area_type="lsoa")
    PostcodeFactory(postcode="BL2 6LT", latitude=53.5837, longitude=-2.3803, lsoa=lsoa)
    service = OrganisationFactory(
        name="Community Links", kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE
    )
    practice = OrganisationFactory(name="Brook Surgery", kind=OrganisationKind.GP_PRACTICE)
    gp = user_with_role(Role.REFERRER, organisation=practice, full_name="Dr Amina Shah")
    worker = user_with_role(Role.LINK_WORKER, organisation=service, full_name="Jo Link")
    referral = services.create_referral(
        person={
            "given_name": "Pat",
            "family_name": "Holden",
            "birth_date": "1956-03-14",
            "postcode": "BL2 6LT",
            "email": "pat@example.net",
        },
        source="gp",
        reasons=["need-loneliness"],
        consent_to_refer=True,
        contact_methods=["email"],
        referrer_organisation=practice,
        by=gp,
    )
    services.accept_referral(referral=referral, link_worker=worker, by=worker)
    services.record_conversation(referral=referral, what_matters="Company", by=worker)
    return {"worker": worker, "referral": referral}


def sign_in(page, base_url, user):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def answer(page, number: int, text: str, prefix: str = "") -> None:
    """Tick the answer of item `number` (its radio group is a fieldset)."""
    group = page.locator("fieldset", has=page.locator(f"input[name='{prefix}item_{number}']"))
    group.get_by_label(text, exact=True).check()


def test_baseline_by_the_link_worker_and_follow_up_by_link(page, browser, live_server, case):
    base, referral = live_server.url, case["referral"]
    sign_in(page, base, case["worker"])
    page.goto(f"{base}/casework/referrals/{referral.pk}/")
    page.get_by_role("link", name="Record and review Pat's outcomes").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Outcomes"
    check_accessibility(page, "outcomes-empty")

    # SWEMWBS before the organisation's licensed wording is imported: by number.
    page.get_by_role("link", name="Baseline SWEMWBS").click()
    page.wait_for_load_state()
    assert page.get_by_text("Licence needed for the wording").is_visible()
    assert page.get_by_label("Baseline").is_checked()
    check_accessibility(page, "outcomes-record-swemwbs-unlicensed")
    page.get_by_role("button", name="Save SWEMWBS").click()
    page.wait_for_load_state()
    assert "Answer at least one question." in page.locator(".nhsuk-error-summary").inner_text()
    check_accessibility(page, "outcomes-record-error")
    for number, text in enumerate(SWEMWBS_BASELINE, start=1):
        answer(page, number, text)
    page.get_by_role("button", name="Save SWEMWBS").click()
    page.wait_for_load_state()
    assert page.get_by_text("SWEMWBS baseline recorded: score 15.84.").is_visible()

    # ONS4: the ONS's own questions, 0 to 10.
    page.get_by_role("link", name="Baseline ONS4").click()
    page.wait_for_load_state()
    for number, value in enumerate(["4", "5", "3", "8"], start=1):
        answer(page, number, value)
    check_accessibility(page, "outcomes-record-ons4")
    page.get_by_role("button", name="Save ONS4").click()
    page.wait_for_load_state()
    assert page.get_by_text("ONS4 baseline recorded.").is_visible()
    assert Response.objects.filter(timepoint="baseline", complete=True).count() == 2

    # Once licensed wording is imported, SWEMWBS can go to the person by link too.
    outcome_services.import_wording(
        rows=[
            {
                "instrument": "swemwbs",
                "item_number": str(n),
                "wording": f"Licensed statement {n} (test wording)",
            }
            for n in range(1, 8)
        ],
        by=None,
    )
    page.reload()
    # Due again at follow-up: the questionnaires with a baseline.
    assert page.get_by_label("SWEMWBS: Short Warwick-Edinburgh Mental Wellbeing Scale").is_checked()
    assert page.get_by_label("ONS4: ONS personal well-being (ONS4)").is_checked()
    page.get_by_label("Email the link to pat@example.net").check()
    check_accessibility(page, "outcomes-baseline-recorded")
    mail.outbox.clear()
    page.get_by_role("button", name="Make the link").click()
    page.wait_for_load_state()
    url = page.locator("#questionnaire-url").inner_text()
    check_accessibility(page, "outcomes-link-made")
    assert mail.outbox[-1].to == ["pat@example.net"] and url in mail.outbox[-1].body

    # The person, on a phone, without signing in.
    phone = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    person = phone.new_page()
    person.goto(url)
    assert person.locator("h1").inner_text() == "A few questions about how you are"
    assert "Pat" not in person.content()
    assert person.get_by_text("Licensed statement 1 (test wording)").is_visible()
    for number, text in enumerate(SWEMWBS_FOLLOW_UP, start=1):
        answer(person, number, text, prefix="swemwbs-")
    for number, value in enumerate(["7", "7", "6", "3"], start=1):
        answer(person, number, value, prefix="ons4-")
    check_accessibility(person, "outcomes-questionnaire-phone")
    person.get_by_role("button", name="Send my answers").click()
    person.wait_for_load_state()
    assert person.locator("h1").inner_text() == "Thank you"
    check_accessibility(person, "outcomes-questionnaire-thanks")
    person.goto(url)
    assert person.locator("h1").inner_text() == "This link has already been used"
    check_accessibility(person, "outcomes-questionnaire-used")
    phone.close()
    assert QuestionnaireLink.objects.get().used_at is not None

    # Back with the link worker: the change since baseline, against each threshold.
    page.goto(f"{base}/casework/referrals/{referral.pk}/outcomes/")
    text = page.locator("table").first.inner_text()
    assert "15.84" in text and "21.54" in text and "+5.7" in text
    assert "Passes the threshold of 2.87 points" in text
    check_accessibility(page, "outcomes-change")
    assert page.console_errors == [], page.console_errors

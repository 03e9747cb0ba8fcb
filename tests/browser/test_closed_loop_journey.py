"""The closed loop as one journey in Chromium, each person in their own browser: a GP
refers; the link worker triages, holds the what-matters conversation, plans and proposes
two connections (one to a full group: refused with alternatives, then withdrawn; one
sent); the group accepts and records the first session; the link worker records an
unmet need; reviews fall due and are done; the link worker closes; the person answers
the feedback link on their phone; the GP sees the status, the summary and the rating.
Key pages pass axe and leave screenshots under screenshots/journey-*.png."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.directory.models import CapacityStatus, TaxonomyTerm
from linkwork.referrals import services
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, FeedbackRequest, FollowUp, Referral
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

EMAIL = "pat.holden@example.com"
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def borough(settings, live_server):
    settings.MAP_TILE_URL = ""
    settings.SITE_URL = live_server.url  # the feedback link points at this server
    cache.clear()
    start = surgery_and_service()
    practice, service = start.practice, start.service
    activity = TaxonomyTerm.objects.get(code="need-physical-activity")
    walkers = OrganisationFactory(name="Tonge Walkers")
    AssetFactory(
        organisation=walkers,
        name="Tuesday health walk",
        categories=[activity],
        places=6,
        location=LocationFactory(latitude=53.584, longitude=-2.381),
    )
    AssetFactory(
        organisation=OrganisationFactory(name="Park Striders"),
        name="Park strollers",
        categories=[activity],
        capacity_status=CapacityStatus.FULL,
        location=LocationFactory(latitude=53.585, longitude=-2.382),
    )
    return {
        "gp": user_with_role(Role.REFERRER, organisation=practice, full_name="Dr Amina Shah"),
        "link_worker": user_with_role(Role.LINK_WORKER, organisation=service, full_name="Jo Link"),
        "member": user_with_role(Role.GROUP, organisation=walkers, full_name="Val Walker"),
    }


def open_as(browser, base: str, user=None, *, viewport=None):
    """A browser of someone's own, signed in when they have an account."""
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    if user is not None:
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
    return context, page


def click(where, name, **kwargs) -> None:
    """Press a button (in a page, or a part of one) and wait for the page it leads to."""
    where.get_by_role("button", name=name, **kwargs).click()
    (where if hasattr(where, "wait_for_load_state") else where.page).wait_for_load_state()


def test_the_closed_loop_from_referral_to_summary(browser, live_server, borough):
    base = live_server.url
    contexts = []

    # --- The GP refers -----------------------------------------------------------------
    context, gp = open_as(browser, base, borough["gp"])
    contexts.append(context)
    gp.get_by_role("link", name="Refer someone").click()
    gp.wait_for_load_state()
    gp.get_by_label("First name", exact=True).fill("Pat")
    gp.get_by_label("Last name", exact=True).fill("Holden")
    gp.get_by_label("Day", exact=True).fill("14")
    gp.get_by_label("Month", exact=True).fill("3")
    gp.get_by_label("Year", exact=True).fill("1956")
    gp.get_by_label("Postcode", exact=True).fill("bl2 6lt")
    gp.get_by_label("Phone number (optional)").fill("07700 900123")
    gp.get_by_label("Email address (optional)").fill(EMAIL)
    gp.get_by_label("Access needs (optional)").fill("Uses a walking stick")
    gp.get_by_label("Loneliness and isolation").check()
    gp.get_by_label("Physical activity").check()
    gp.get_by_label("Anything the link worker should know (optional)").fill(
        "Recently bereaved; keen to get out more."
    )
    gp.get_by_label("They agree to be referred to a social prescribing link worker").check()
    gp.get_by_label(re.compile("may tell groups")).check()
    gp.get_by_role("radio", name="Email", exact=True).check()  # prefers email
    gp.get_by_role("checkbox", name="Phone call", exact=True).check()
    gp.get_by_role("checkbox", name="Email", exact=True).check()
    click(gp, "Send referral")
    referral = Referral.objects.get()
    assert gp.get_by_text("Your referral has been sent to Community Links").is_visible()
    assert "Received" in gp.locator("main").inner_text()
    check_accessibility(gp, "journey-01-gp-referred")

    # --- The link worker triages, talks with Pat and plans --------------------------------
    context, lw = open_as(browser, base, borough["link_worker"])
    contexts.append(context)
    lw.get_by_role("link", name="Referral queue").first.click()
    lw.wait_for_load_state()
    check_accessibility(lw, "journey-02-queue")
    click(lw, "Accept the referral of Pat Holden")
    assert lw.get_by_text("Referral accepted onto your caseload.").is_visible()
    case_url = f"{base}/casework/referrals/{referral.pk}/"
    lw.goto(case_url)
    lw.get_by_label("What matters to the person").fill("Seeing people again since Jim died.")
    lw.get_by_label("Strengths and what they already have").fill("Loves gardening.")
    lw.get_by_label("Loneliness and isolation").fill("I don't talk to anyone all week.")
    click(lw, "Save the conversation")
    assert lw.get_by_text("Conversation recorded.").is_visible()
    lw.get_by_label("Goals, in the person's own words").fill("Get out twice a week\nMake a friend")
    click(lw, "Save the plan")
    assert lw.get_by_text("Plan saved.").is_visible()

    # --- Two connections: the full group refuses with alternatives, and is withdrawn ------
    lw.get_by_label("Park strollers").check()
    lw.get_by_label("Someone will come with them to the first session").check()
    click(lw, "Propose the connection")
    full = Connection.objects.get(asset__name="Park strollers")
    card = lw.locator(f"#connection-{full.pk}")
    assert "Park strollers is full and cannot take anyone new" in card.inner_text()
    assert card.get_by_role("button", name=re.compile("Connect to this instead")).count() == 1
    assert card.get_by_role("button", name=re.compile("^Send")).count() == 0
    check_accessibility(lw, "journey-03-full-group-alternatives")
    card.locator("summary", has_text="Withdraw this connection").click()
    card.get_by_label("Why? (optional)").fill("Full until spring; Pat would rather not wait.")
    click(card, re.compile("Withdraw the connection"))
    assert lw.get_by_text("Connection to Park strollers withdrawn.").is_visible()
    withdrawn = lw.locator("#connection-" + str(full.pk))
    assert "Park strollers: withdrawn on" in withdrawn.inner_text()
    assert "rather not wait" in withdrawn.inner_text()
    assert Connection.objects.get(pk=full.pk).status == t.WITHDRAWN

    lw.get_by_label("Tuesday health walk").check()
    lw.get_by_label("Access needs", exact=True).check()  # the walk should know about the stick
    lw.get_by_label("Proposed first session (optional)").fill("Tuesday 10am at the park gates")
    click(lw, "Propose the connection")
    walk = Connection.objects.get(asset__name="Tuesday health walk")
    click(lw, re.compile("^Send.*Tuesday health walk"))
    assert lw.get_by_text("Sent to Tuesday health walk. The group has been told.").is_visible()
    assert Connection.objects.get(pk=walk.pk).status == t.SENT
    check_accessibility(lw, "journey-04-connections")

    # --- The group accepts and records the first session -----------------------------------
    context, group = open_as(browser, base, borough["member"])
    contexts.append(context)
    group.get_by_role("link", name="Referral inbox").click()
    group.wait_for_load_state()
    inbox = group.locator("main").inner_text()
    assert "Park strollers" not in inbox and "Holden" not in inbox  # never sent; no surname
    group_card = group.locator(f"#connection-{walk.pk}")
    assert "Uses a walking stick" in group_card.inner_text()
    check_accessibility(group, "journey-05-group-inbox")
    group_card.get_by_role("button", name=re.compile(r"^Accept\W+Pat")).click()
    group_card.get_by_text("You accepted the referral.").wait_for()
    group_card.get_by_role("button", name=re.compile("^Came to the first session")).click()
    group_card.get_by_text("First session recorded.").wait_for()
    assert Connection.objects.get(pk=walk.pk).status == t.ATTENDED_FIRST
    check_accessibility(group, "journey-06-group-attended")

    # --- The link worker records a need nothing could meet ---------------------------------
    lw.goto(case_url)
    assert "Went for the first time" in lw.locator(f"#connection-{walk.pk}").inner_text()
    lw.locator("summary", has_text="Record an unmet need").click()
    lw.get_by_label("Need that could not be met").select_option(label="Loneliness and isolation")
    lw.get_by_label("Why it could not be met").select_option("cost")
    lw.get_by_label("Notes (optional)").fill("The lunch club nearby costs £8 a week.")
    click(lw, "Record the unmet need")
    assert lw.get_by_text("Unmet need recorded.").is_visible()

    # --- Reviews fall due: the clock moves through the service, not the page ----------------
    today = timezone.localdate()
    for review in FollowUp.objects.filter(
        referral=referral, kind__in=["connection_review", "six_weeks"]
    ):
        services.reschedule_follow_up(follow_up=review, due_on=today, by=borough["link_worker"])
    lw.goto(f"{base}/casework/follow-ups/")  # follow-ups have their own list
    due = lw.locator(".nhsuk-card", has=lw.get_by_role("button", name=re.compile("Mark as done")))
    assert due.count() == 2
    check_accessibility(lw, "journey-07-follow-ups-due")
    review = lw.locator(".nhsuk-card", has_text="check how a connection is going")
    review.get_by_label("What happened").fill("Goes every Tuesday; has made a friend.")
    click(review, re.compile("Mark as done"))
    lw.wait_for_load_state()
    assert due.count() == 1
    review = lw.locator(".nhsuk-card", has_text="six-week review")
    review.get_by_label("What happened").fill("Feels less alone; wants a craft group.")
    click(review, re.compile("Mark as done"))
    lw.wait_for_load_state()
    assert due.count() == 0

    # --- The link worker closes with a summary --------------------------------------------
    lw.goto(case_url)
    lw.get_by_label("Closing summary for the referrer").fill(
        "Pat walks with Tonge Walkers every Tuesday and has made a friend. "
        "A lunch club was too costly; nothing else nearby."
    )
    click(lw, "Close the referral")
    assert lw.get_by_text("Referral closed.").is_visible()
    assert Referral.objects.get().status == t.CLOSED
    feedback = lw.locator("main").inner_text()
    assert "A feedback link was emailed to Pat" in feedback and "No answer yet" in feedback
    check_accessibility(lw, "journey-08-closed")

    # --- Pat answers the feedback link on their phone ---------------------------------------
    (message,) = [m for m in mail.outbox if m.to == [EMAIL]]
    link = re.search(r"http\S+/feedback/[\w-]+/", message.body).group(0)
    assert link.startswith(base)
    context, person = open_as(browser, base, viewport=PHONE)
    contexts.append(context)
    person.goto(link)
    assert person.locator("h1").inner_text() == "Tell us how the support went"
    assert "Holden" not in person.content()
    assert person.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_accessibility(person, "journey-09-feedback-phone")
    click(person, "Send your feedback")
    summary = person.locator(".nhsuk-error-summary")
    assert "Choose how helpful the support was, from 1 to 5." in summary.inner_text()
    check_accessibility(person, "journey-10-feedback-error")
    person.get_by_label("4 – Helpful").check()
    person.get_by_label(re.compile("Is there anything else")).fill(
        "Jo listened. The walk got me out of the house."
    )
    click(person, "Send your feedback")
    assert person.get_by_role("heading", name="Thank you for your feedback").is_visible()
    check_accessibility(person, "journey-11-feedback-thanks")
    used = person.goto(link)
    assert used.status == 410
    assert person.locator("h1").inner_text() == "You have already given your feedback"
    check_accessibility(person, "journey-12-feedback-used")
    assert FeedbackRequest.objects.get().rating == 4

    lw.goto(case_url)
    answered = lw.locator("main").inner_text()
    assert "4 out of 5: Helpful" in answered and "Jo listened." in answered

    # --- The GP sees the status, the summary and the rating -------------------------------
    gp.get_by_role("link", name="Your referrals").first.click()
    gp.wait_for_load_state()
    gp.get_by_role("link", name="Pat Holden").click()
    gp.wait_for_load_state()
    status = gp.locator("main").inner_text()
    assert "Closed" in status
    assert "Pat walks with Tonge Walkers every Tuesday" in status
    assert "Tuesday health walk: attended first" in status
    assert "Park strollers" not in status  # withdrawn: never a connection
    assert "Loneliness and isolation: cost" in status
    assert "4 out of 5" in status and "Jo listened" not in status
    assert "Jim" not in status and "gardening" not in status  # no case notes
    check_accessibility(gp, "journey-13-gp-summary")

    for page in (gp, lw, group):
        assert page.console_errors == [], page.console_errors
    # The browser reports the used link's 410, as it should; nothing else went wrong.
    assert [e for e in person.console_errors if "410 (Gone)" not in e] == []
    for context in contexts:
        context.close()

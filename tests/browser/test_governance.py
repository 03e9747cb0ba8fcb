"""Community-led, in a real browser: the panel proposes a priority from the evidence,
decides at a meeting and the decision shows on the public neighbourhood page; a link
worker takes the Tonge craft interests to a new group; a group member chooses weekly
digests and send-digests sends exactly one. Every page passes axe."""

import pytest
from django.core import mail

from linkwork.community.models import Decision, GroupStart, Interest
from linkwork.demo.services import load_demo
from linkwork.notifications.digests import send_digests
from tests.browser.conftest import check_accessibility
from tests.browser.test_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _go(page, name: str) -> None:
    page.wait_for_load_state()
    check_accessibility(page, name)


def test_the_panel_decides_with_evidence_and_the_public_sees_it(page, live_server):
    load_demo(referrals=False)
    sign_in(page, live_server.url, "panel@example.org")
    page.get_by_role("link", name="Emerging groups").first.click()
    page.get_by_role("button", name="Propose as a priority").first.click()
    _go(page, "panel-home")
    assert "proposed as a priority" in page.content()
    page.get_by_role("button", name="Record a meeting").click()
    _go(page, "panel-meeting-form")
    page.locator("#id_held_on_day").fill("1")
    page.locator("#id_held_on_month").fill("12")
    page.locator("#id_held_on_year").fill("2026")
    page.get_by_label("Title").fill("December panel meeting")
    page.get_by_role("button", name="Record the meeting").click()
    _go(page, "panel-meeting")
    page.get_by_role("button", name="Agree").first.click()
    page.wait_for_load_state()
    page.get_by_label("Decision, in a few words").fill("Find a free venue for a craft group")
    page.get_by_label("What was decided, and why").fill("Moorland Voluntary Action will help.")
    page.get_by_label("Which priority does it answer? (optional)").select_option(index=1)
    page.get_by_role("button", name="Record the decision").click()
    _go(page, "panel-meeting-decided")
    decision = Decision.objects.get(title="Find a free venue for a craft group")
    assert decision.evidence.exists()
    page.goto(f"{live_server.url}/neighbourhoods/BOL-NBH-01/decisions/")
    _go(page, "neighbourhood-decisions")
    assert "Find a free venue for a craft group" in page.content()
    page.get_by_text("An emerging group:").first.click()
    assert "withheld" in page.content() or "People" in page.content()


def test_a_link_worker_takes_the_craft_interests_to_a_new_group(page, live_server):
    load_demo(referrals=False)
    sign_in(page, live_server.url, "linkworker@example.org")
    page.goto(f"{live_server.url}/insight/emerging-groups/")
    assert page.locator("h1").inner_text() == "Emerging groups", page.url
    page.get_by_role("link", name="Start a group").first.click()
    _go(page, "group-start-new")
    page.get_by_role("button", name="Start").click()
    _go(page, "group-start")
    page.get_by_label("When and where").fill("Tuesday 12 January, 10am, Tonge library")
    page.get_by_role("button", name="Propose it and tell everyone").click()
    page.wait_for_load_state()
    page.locator("input[name=attended]").first.check()
    page.get_by_role("button", name="Save who came").click()
    page.wait_for_load_state()
    page.get_by_label("The group's name").fill("Tonge Women's Craft Circle")
    page.get_by_label("What the group does").fill("Sewing and crafts for women.")
    page.get_by_label("Founding member's email address").fill("founder@example.com")
    page.get_by_role("button", name="Set up the group").click()
    _go(page, "group-start-founded")
    start = GroupStart.objects.get()
    assert start.status == "founded" and start.asset.publication == "draft"
    assert not Interest.objects.filter(
        answered_by=None,
        status="open",
        activity__code="activity-arts-crafts",
        neighbourhood__code="BOL-NBH-01",
        community_of_interest__iexact="women",
    ).exists()


def test_a_group_member_sets_weekly_digests_and_gets_exactly_one(page, live_server):
    load_demo(referrals=False)
    sign_in(page, live_server.url, "group@example.org")
    page.get_by_role("link", name="How we contact you").first.click()
    _go(page, "notification-preferences")
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_label("Weekly digest").check()
    page.get_by_role("button", name="Save my choices").click()
    _go(page, "notification-preferences-saved")
    from linkwork.accounts.models import User
    from linkwork.notifications.services import tell

    user = User.objects.get(email="group@example.org")
    mail.outbox.clear()
    tell(users=[user], kind="new_referral", subject="Someone has been referred", body="x")
    tell(users=[user], kind="listing_due", subject="Is your listing right?", body="x")
    assert mail.outbox == []
    assert send_digests().digests >= 1  # every person with a digest due, one each
    assert send_digests().digests == 0  # never twice
    (digest,) = [m for m in mail.outbox if m.to == ["group@example.org"]]
    assert "Someone has been referred" in digest.body and "Is your listing right?" in digest.body

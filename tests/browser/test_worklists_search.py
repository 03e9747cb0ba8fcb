"""The lists of issue 14 item 2 that gained search, filters and counts, in a browser at
1280 and 375 px: a group searches its inbox, a reviewer filters the review queue, an
administrator reads the audit log's counts, and the commissioner's to-do home. Every
page passes axe and fits the phone."""

import pytest

from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.directory.models import Publication
from tests.browser.conftest import check_accessibility
from tests.browser.test_group_inbox import inbox, sign_in  # noqa: F401 (the fixture)
from tests.browser.test_workday import fits
from tests.factories import AssetFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_a_group_searches_its_inbox(page, live_server, inbox, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, inbox["member"])
    page.goto(f"{live_server.url}/group/referrals/")
    page.get_by_label("Search").fill("sam")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert "q=sam" in page.url
    cards = page.locator(".linkwork-connection")
    assert cards.count() == 1 and "Sam" in cards.first.inner_text()
    assert "matching your search" in page.content()
    check_accessibility(page, f"worklists-group-inbox-search-{width}")
    fits(page, width)
    page.get_by_label("Search").fill("Okafor")  # a family name: never shown to groups
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert "No referrals match your search" in page.content()


@pytest.mark.parametrize("width", [1280, 375])
def test_a_reviewer_filters_the_review_queue(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    AssetFactory(name="Suggested evening choir", publication=Publication.IN_REVIEW)
    AssetFactory(name="Suggested tea dance", publication=Publication.IN_REVIEW)
    AssetFactory(name="Forgotten health walk", last_verified_at=None)
    sign_in(page, live_server.url, user_with_role(Role.LINK_WORKER))
    page.goto(f"{live_server.url}/directory/review/")
    assert page.content().index("Forgotten health walk") < page.content().index("Suggested")
    page.get_by_label("Search by listing name").fill("choir")
    page.get_by_label("Show").select_option("listings")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    html = page.content()
    assert "Suggested evening choir" in html and "Suggested tea dance" not in html
    assert "New listings and suggestions (1)" in html
    check_accessibility(page, f"worklists-review-queue-{width}")
    fits(page, width)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_audit_log_counts_each_choice(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    for _ in range(3):
        AuditEvent.objects.create(action="asset_updated", object_type="asset")
    sign_in(page, live_server.url, user_with_role(Role.ADMIN))
    page.goto(f"{live_server.url}/audit/?object_type=asset")
    assert "asset_updated (3)" in page.get_by_label("Action").inner_text()
    check_accessibility(page, f"worklists-audit-{width}")
    fits(page, width)


def test_the_commissioner_home_is_accessible(page, live_server):
    sign_in(page, live_server.url, user_with_role(Role.COMMISSIONER))
    page.goto(f"{live_server.url}/commissioner/")
    assert "Coming soon" not in page.content()
    check_accessibility(page, "worklists-home-commissioner")


@pytest.mark.parametrize("width", [1280, 375])
def test_a_panel_members_home_lists_the_panels_work(page, live_server, width):
    import datetime as dt

    from django.utils import timezone

    from linkwork.community.panels import services as panels

    page.set_viewport_size({"width": width, "height": 900})
    panel = panels.create_panel(name="Tonge Panel", by=None)
    member = user_with_role(Role.PANEL, organisation=panel.organisation)
    panels.record_meeting(
        panel=panel,
        held_on=timezone.localdate() + dt.timedelta(days=3),
        title="Winter meeting",
        by=member,
    )
    panels.propose_priority(panel=panel, title="More walks", by=member)
    AssetFactory(name="Forgotten health walk", last_verified_at=None)
    sign_in(page, live_server.url, member)
    page.goto(f"{live_server.url}/panel/")
    todo = page.locator(".linkwork-todo").inner_text()
    assert todo.index("1 listing past due for checking") < todo.index("Tonge Panel meets on")
    assert "1 proposed priority waiting for a meeting to agree it" in todo
    check_accessibility(page, f"worklists-home-panel-{width}")
    fits(page, width)

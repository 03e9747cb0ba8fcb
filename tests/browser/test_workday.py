"""A working day in a browser, at 1280 and 375 px: the link worker's to-do home, finding
a person by NHS number, the follow-ups list, a contact attempt on the case's log, and
the referrer seeing a returned referral at once. Every page passes axe and fits."""

import pytest

from linkwork.accounts.roles import Role
from linkwork.referrals import services
from linkwork.referrals import transitions as t
from tests.browser.conftest import check_accessibility
from tests.browser.test_casework import casework, sign_in  # noqa: F401 (the fixture)
from tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page, width: int) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{page.url} is {wide} px wide at {width} px"


@pytest.mark.parametrize("width", [1280, 375])
def test_a_link_worker_works_the_day_from_home(page, live_server, casework, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    base = live_server.url
    referral = casework["referral"]
    services.accept_referral(
        referral=referral, link_worker=casework["link_worker"], by=casework["link_worker"]
    )
    services.record_conversation(
        referral=referral, what_matters="Getting out", by=casework["link_worker"]
    )
    sign_in(page, base, casework["link_worker"])
    page.goto(f"{base}/link-worker/")
    todo = page.locator("#todo + ul")
    assert "1 first contact overdue" in todo.inner_text()
    check_accessibility(page, f"workday-link-worker-home-{width}")
    fits(page, width)

    page.goto(f"{base}/casework/")
    page.get_by_label("Search").fill("Holden")
    page.get_by_role("button", name="Show referrals").click()
    page.wait_for_url("**q=Holden**")
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Pat Holden").is_visible()
    check_accessibility(page, f"workday-caseload-search-{width}")
    fits(page, width)

    page.goto(f"{base}/casework/follow-ups/?window=all")
    assert "six-week review" in page.content()
    check_accessibility(page, f"workday-follow-ups-{width}")
    fits(page, width)

    page.goto(f"{base}/casework/referrals/{referral.pk}/#history")
    page.get_by_text("Add a note, phone call or visit").click()
    page.get_by_label("Phone call: no answer").check()
    page.get_by_label("Details", exact=True).fill("Rang at 10am, no voicemail.")
    page.get_by_role("button", name="Add to the log").click()
    page.wait_for_load_state()
    assert page.get_by_text("Recorded: no answer.").is_visible()
    history = page.locator("#history ~ .nhsuk-table-container, #history ~ table").first
    assert "Rang at 10am" in page.content()
    assert history is not None
    check_accessibility(page, f"workday-case-log-{width}")
    fits(page, width)
    assert not page.console_errors


@pytest.mark.parametrize("width", [1280, 375])
def test_a_referrer_sees_a_returned_referral_at_once(page, live_server, casework, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    referral = casework["referral"]
    services.transition_referral(
        referral=referral,
        to=t.RETURNED,
        reason="Please refer to the crisis team today.",
        by=casework["link_worker"],
    )
    sign_in(page, live_server.url, referral.referrer)
    page.goto(f"{live_server.url}/referrer/")
    page.get_by_role("link", name="1 referral returned or declined: see what to do next").click()
    page.wait_for_load_state()
    assert "Pat Holden" in page.content() and "New" in page.content()
    check_accessibility(page, f"workday-referrer-list-{width}")
    fits(page, width)


def test_the_group_and_panel_homes_are_accessible(page, live_server, casework):  # noqa: F811
    for role, path in ((Role.GROUP, "/group/"), (Role.PANEL, "/panel/")):
        user = user_with_role(role)
        sign_in(page, live_server.url, user)
        page.goto(f"{live_server.url}{path}")
        assert "Coming soon" not in page.content()
        check_accessibility(page, f"workday-home-{role.value}")
        page.context.clear_cookies()

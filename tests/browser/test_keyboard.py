"""The main journeys with the keyboard alone (issue 18, item 5): Tab to each control,
type, Space to tick, Enter to follow or submit. No mouse, no `fill`, no `click`.

Each step checks that focus reached the control it should (so a control missing from the
tab order, or a focus trap, fails the test) and that the focused control shows it.
"""

import re

import pytest

from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, Referral
from tests.browser.conftest import check_accessibility
from tests.browser.test_casework import casework  # noqa: F401 (fixture)
from tests.browser.test_directory import directory  # noqa: F401 (fixture)
from tests.browser.test_group_inbox import inbox  # noqa: F401 (fixture)
from tests.browser.test_referrer import practice  # noqa: F401 (fixture)
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAB_LIMIT = 250  # presses before a control counts as unreachable

FOCUS_SHOWN = """() => {
  const e = document.activeElement;
  if (e.type === 'checkbox' || e.type === 'radio') return true;  // NHS.UK styles the label
  const s = getComputedStyle(e);
  return s.outlineStyle !== 'none' || s.boxShadow !== 'none'
      || s.backgroundColor !== getComputedStyle(e.parentElement).backgroundColor;
}"""


def tab_to(page, locator) -> None:
    """Press Tab until the locator's element has focus, and check focus is shown."""
    handle = locator.element_handle()
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate("(e) => document.activeElement === e", handle):
            assert page.evaluate(FOCUS_SHOWN), f"focus on {locator} is not visible"
            return
    raise AssertionError(f"Tab never reached {locator}")


def type_into(page, locator, text: str) -> None:
    tab_to(page, locator)
    page.keyboard.type(text)


def press_on(page, locator, key: str = "Enter") -> None:
    """Tab to the control and press the key; the caller waits for what should follow."""
    tab_to(page, locator)
    page.keyboard.press(key)


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    type_into(page, page.get_by_label("Email address"), email)
    type_into(page, page.get_by_label("Password", exact=True), PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_resident_searches_and_opens_a_listing_by_keyboard(page, live_server, directory):  # noqa: F811
    page.goto(f"{live_server.url}/directory/")
    type_into(page, page.get_by_label("What are you looking for?"), "walking")
    type_into(page, page.get_by_label("Postcode"), "BL1 1AP")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="2 results").wait_for()
    press_on(page, page.get_by_role("link", name="Tuesday health walk"))
    page.get_by_text("Jo (walk leader)").wait_for()
    check_accessibility(page, "keyboard-directory-asset")


def test_someone_refers_themselves_by_keyboard(page, live_server, practice):  # noqa: F811
    page.goto(f"{live_server.url}/self-referral/")
    for label, text in [
        ("First name", "Alex"),
        ("Last name", "Rahman"),
        ("Day", "14"),
        ("Month", "3"),
        ("Year", "1956"),
        ("Postcode", "BL2 6LT"),
        ("Phone number", "07700 900456"),
    ]:
        type_into(page, page.get_by_label(label, exact=True), text)
    press_on(page, page.get_by_label("Money and debt"), " ")
    press_on(
        page,
        page.get_by_label("I agree to be referred to a social prescribing link worker"),
        " ",
    )
    press_on(page, page.get_by_role("button", name="Send"))
    page.wait_for_url(f"{live_server.url}/self-referral/sent/")
    referral = Referral.objects.get()
    assert referral.source == "self"
    assert referral.person.given_name == "Alex"


def test_a_group_accepts_a_referral_by_keyboard(page, live_server, inbox):  # noqa: F811
    pat = inbox["connections"][0]
    sign_in(page, live_server.url, inbox["member"].email)
    press_on(page, page.get_by_role("link", name="Referral inbox").first)
    page.get_by_role("heading", name="Referral inbox", level=1).wait_for()
    card = page.locator(f"#connection-{pat.pk}")
    press_on(page, card.get_by_role("button", name=re.compile(r"^Accept\W+Pat")))
    card.get_by_text("You accepted the referral.").wait_for()
    assert Connection.objects.get(pk=pat.pk).status == t.ACCEPTED


def test_a_link_worker_accepts_and_connects_by_keyboard(page, live_server, casework):  # noqa: F811
    sign_in(page, live_server.url, casework["link_worker"].email)
    press_on(page, page.get_by_role("link", name="Referral queue").first)
    page.get_by_role("heading", name="Referral queue", level=1).wait_for()
    press_on(page, page.get_by_role("button", name="Accept the referral of Pat Holden"))
    page.get_by_text("Referral accepted onto your caseload.").wait_for()
    page.goto(f"{live_server.url}/casework/")
    press_on(page, page.get_by_role("link", name="Pat Holden"))
    type_into(page, page.get_by_label("What matters to the person"), "Seeing people again.")
    press_on(page, page.get_by_role("button", name="Save the conversation"))
    page.get_by_text("Conversation recorded.").wait_for()
    press_on(page, page.get_by_label("Tuesday health walk"), " ")
    press_on(page, page.get_by_role("button", name="Propose the connection"))
    send = page.get_by_role("button", name="Send to Tuesday health walk")
    send.wait_for()
    assert Connection.objects.get().asset.name == "Tuesday health walk"
    press_on(page, send)
    page.get_by_text("Sent to Tuesday health walk").wait_for()
    assert Connection.objects.get().status == t.SENT

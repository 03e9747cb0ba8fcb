"""Each demo role signs in through a real browser and reaches its home; every page passes axe."""

import pytest

from linkwork.demo.dataset import DEMO_PASSWORD
from linkwork.demo.services import load_demo
from tests.browser.conftest import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_HOMES = {
    "referrer@example.org": ("/referrer/", "Referrer"),
    "linkworker@example.org": ("/link-worker/", "Link worker"),
    "manager@example.org": ("/service-manager/", "Service manager"),
    "group@example.org": ("/group/", "Community group"),
    "group2@example.org": ("/group/", "Community group"),
    "resident@example.org": ("/resident/", "Resident"),
    "panel@example.org": ("/panel/", "Community panel"),
    "commissioner@example.org": ("/commissioner/", "Commissioner"),
    "admin@example.org": ("/administration/", "Administrator"),
}


def sign_in(page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("email", list(DEMO_HOMES))
def test_each_demo_role_signs_in_and_sees_its_home(page, live_server, email):
    load_demo(referrals=False)  # homes and sign-in need the accounts, not a year of cases
    path, caption = DEMO_HOMES[email]
    sign_in(page, live_server.url, email)
    assert page.url == f"{live_server.url}{path}"
    assert page.locator("h1").inner_text().startswith("Welcome")
    assert page.locator(".nhsuk-caption-l").inner_text() == caption
    assert page.get_by_text(email).is_visible()
    check_accessibility(page, f"home-{email.split('@')[0]}")
    assert page.console_errors == [], page.console_errors


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/", "landing"),
        ("/accounts/login/", "login"),
        ("/accounts/password-reset/", "password-reset"),
        ("/accounts/password-reset/sent/", "password-reset-sent"),
        ("/no-such-page/", "not-found"),
    ],
)
def test_public_pages_are_accessible(page, live_server, path, name):
    page.goto(f"{live_server.url}{path}")
    assert page.locator("h1").count() == 1
    assert page.locator("a.nhsuk-skip-link").count() == 1
    check_accessibility(page, name)
    assert page.console_errors == [] or name == "not-found"


def test_wrong_password_shows_the_error_summary_and_it_is_accessible(page, live_server):
    load_demo(referrals=False)  # homes and sign-in need the accounts, not a year of cases
    sign_in(page, live_server.url, "referrer@example.org", "not-the-password")
    summary = page.locator(".nhsuk-error-summary")
    assert summary.is_visible()
    assert "Enter a correct email address and password." in summary.inner_text()
    check_accessibility(page, "login-error")


def test_admin_sees_the_audit_log_of_the_sign_ins(page, live_server):
    load_demo(referrals=False)  # homes and sign-in need the accounts, not a year of cases
    sign_in(page, live_server.url, "admin@example.org")
    page.get_by_role("link", name="Audit log").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Audit log"
    assert page.locator("td", has_text="signed in").count() >= 1
    check_accessibility(page, "audit-log")


def test_pages_work_without_javascript(browser, live_server):
    load_demo(referrals=False)  # homes and sign-in need the accounts, not a year of cases
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "linkworker@example.org")
    assert page.url.endswith("/link-worker/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/"
    context.close()


def test_a_group_member_is_refused_another_roles_home(page, live_server):
    load_demo(referrals=False)  # homes and sign-in need the accounts, not a year of cases
    sign_in(page, live_server.url, "group@example.org")
    response = page.goto(f"{live_server.url}/commissioner/")
    assert response.status == 403
    assert "You do not have access" in page.locator("h1").inner_text()
    check_accessibility(page, "forbidden")

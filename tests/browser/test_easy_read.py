"""The easy-read self-referral and feedback pages in a browser (issue 18, item 4): found
from the standard pages, mistakes shown, the referral and the answer saved; axe at 1280
and 375 px on each page."""

import pytest

from linkwork.referrals.feedback import ask_for_feedback
from linkwork.referrals.models import FeedbackRequest, Referral
from tests.browser.conftest import check_accessibility
from tests.browser.test_referrer import practice  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_someone_refers_themselves_and_gives_feedback_in_easy_read(
    page,
    live_server,
    practice,  # noqa: F811
):
    page.goto(f"{live_server.url}/self-referral/")
    page.get_by_role("link", name="Easy read").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Ask for a link worker"
    check_accessibility(page, "easy-read-self-referral")

    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    summary = page.locator(".nhsuk-error-summary").inner_text()
    assert "Enter your first name." in summary
    assert "Enter a phone number or an email address." in summary
    check_accessibility(page, "easy-read-self-referral-errors")

    page.get_by_label("Your first name", exact=True).fill("Pat")
    page.get_by_label("Your last name", exact=True).fill("Holden")
    page.get_by_label("Day", exact=True).fill("14")
    page.get_by_label("Month", exact=True).fill("3")
    page.get_by_label("Year", exact=True).fill("1956")
    page.get_by_label("Your postcode", exact=True).fill("BL2 6LT")
    page.get_by_label("Your email address", exact=True).fill("pat@example.com")
    page.get_by_label("Loneliness and isolation").check()
    page.get_by_label("I agree to be sent to a link worker").check()
    page.locator("fieldset", has_text="Which ways are OK").get_by_label("Email").check()
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/self-referral/sent/"
    referral = Referral.objects.get()
    assert referral.person.given_name == "Pat" and referral.consent_contact_methods == "email"

    _, token = ask_for_feedback(referral=referral, by=None)
    page.goto(f"{live_server.url}/feedback/{token}/")
    page.get_by_role("link", name="Easy read").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Tell us how the support went"
    check_accessibility(page, "easy-read-feedback")
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    assert "Choose how helpful the support was" in page.locator(".nhsuk-error-summary").inner_text()
    check_accessibility(page, "easy-read-feedback-errors")
    page.get_by_label("5 – Very helpful").check()
    page.get_by_label("Do you want to tell us anything else?").fill("Thank you, Jo.")
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Thank you for your feedback"
    request = FeedbackRequest.objects.get(referral=referral)
    assert (request.rating, request.comment) == (5, "Thank you, Jo.")
    assert page.console_errors == [], page.console_errors

"""A service manager invites a colleague and reassigns a case, in a browser, at 1280 and
375 px; every page passes axe."""

import re

import pytest
from django.core import mail

from linkwork.accounts.models import User
from linkwork.demo.services import load_demo
from linkwork.referrals.models import Referral
from tests.browser.conftest import check_accessibility
from tests.browser.test_pages import sign_in
from tests.browser.test_phone_width import PHONE, _some_cases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-and-unusual-passphrase-42"


def test_a_service_manager_invites_a_colleague_and_reassigns_a_case(browser, live_server):
    load_demo(referrals=False)
    _some_cases()
    for viewport, size in (({"width": 1280, "height": 900}, "1280"), (PHONE, "375")):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        sign_in(page, live_server.url, "manager@example.org")
        page.get_by_role("link", name="Your team").first.click()
        assert "Tonge Moor Community Links" in page.locator("h1").inner_text()
        check_accessibility(page, f"team-{size}")
        if size == "1280":
            mail.outbox.clear()
            page.get_by_label("Their email address").fill("new.colleague@example.org")
            page.get_by_label("Link worker", exact=True).check()
            page.get_by_role("button", name="Send the invitation").click()
            assert "Invitation sent" in page.content()
            link = re.search(r"https?://\S+(/invitations/\S+/)", mail.outbox[0].body).group(1)
            visitor = browser.new_context(viewport=viewport).new_page()
            visitor.goto(live_server.url + link)
            check_accessibility(visitor, "invitation-1280")
            visitor.get_by_label("Your full name").fill("Nia Evans")
            visitor.get_by_label("Choose a password").fill(PASSWORD)
            visitor.get_by_label("Type the password again").fill(PASSWORD)
            visitor.get_by_role("button", name="Create my account").click()
            assert "/accounts/login/" in visitor.url
            sign_in(visitor, live_server.url, "new.colleague@example.org", PASSWORD)
            assert visitor.url.endswith("/link-worker/")
        page.get_by_role("link", name=re.compile("open cases? held by Sam Okafor")).click()
        check_accessibility(page, f"team-cases-{size}")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
        case = Referral.objects.filter(assigned_to__email="linkworker@example.org").first()
        form = page.locator(f"form[action$='/team/cases/{case.pk}/assign/']")
        form.get_by_label("Assign to").select_option(label="Ola Adeyemi")
        form.get_by_role("button", name="Assign").click()
        assert "is now with Ola Adeyemi" in page.content()
        case.refresh_from_db()
        assert case.assigned_to == User.objects.get(email="linkworker2@example.org")
        # Put it back, for the other width.
        case.assigned_to = User.objects.get(email="linkworker@example.org")
        case.save()
        context.close()


def test_a_link_worker_adds_a_new_group(browser, live_server):
    load_demo(referrals=False)
    for viewport, size in (({"width": 1280, "height": 900}, "1280"), (PHONE, "375")):
        page = browser.new_context(viewport=viewport).new_page()
        sign_in(page, live_server.url, "linkworker@example.org")
        page.goto(live_server.url + "/organisations/new/")
        check_accessibility(page, f"organisation-new-{size}")
        page.get_by_role("button", name="Add the organisation").click()
        check_accessibility(page, f"organisation-new-error-{size}")
        assert "Enter the organisation" in page.locator(".nhsuk-error-summary").inner_text()
        page.get_by_label("Name").fill(f"Astley Bridge Bowls {size}")
        page.get_by_label("Unconstituted community group").check()
        page.get_by_role("button", name="Add the organisation").click()
        assert "Invite the first person who runs it" in page.content()
        check_accessibility(page, f"organisation-team-{size}")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]

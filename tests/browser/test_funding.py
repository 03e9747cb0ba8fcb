"""Funding in a real browser, as issue 15's "done when" walks it: the commissioner opens a
round from the top gaps; two groups apply; a panel member with a conflict cannot score
one; awards are made within the pot and published; a group sees what a tariff owes it.
Every page passes axe."""

import datetime as dt

import pytest
from django.utils import timezone

from linkwork.accounts.models import User
from linkwork.demo.services import load_demo
from linkwork.directory.models import Organisation
from linkwork.funding import services
from linkwork.funding.models import Application, Round
from tests.browser.conftest import check_accessibility
from tests.browser.test_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_date(page, prefix: str, day: dt.date) -> None:
    page.locator(f"#id_{prefix}_day").fill(str(day.day))
    page.locator(f"#id_{prefix}_month").fill(str(day.month))
    page.locator(f"#id_{prefix}_year").fill(str(day.year))


def _sign_out(page) -> None:
    page.context.clear_cookies()


def test_a_round_from_the_top_gaps_to_published_awards(page, live_server):
    load_demo(referrals=False)
    today = timezone.localdate()
    base = live_server.url

    sign_in(page, base, "commissioner@example.org")
    page.get_by_role("link", name="Grant rounds and tariffs").first.click()
    page.wait_for_load_state()
    check_accessibility(page, "funding-home-commissioner")
    page.get_by_role("button", name="Start a round from the top gaps").click()
    page.wait_for_load_state()
    page.get_by_label("Name of the round").fill("Spring small grants")
    page.get_by_role("button", name="Save the draft round").click()
    page.wait_for_load_state()
    assert "There is a problem" in page.locator(".nhsuk-error-summary").inner_text()
    check_accessibility(page, "funding-round-form-errors")
    page.get_by_label("The pot, in pounds").fill("700")
    page.get_by_label("The most one group can be awarded, in pounds").fill("400")
    _fill_date(page, "opens", today)
    _fill_date(page, "closes", today + dt.timedelta(days=28))
    page.get_by_role("button", name="Save the draft round").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Spring small grants"
    page.get_by_role("button", name="Open the round for applications").click()
    page.wait_for_load_state()
    check_accessibility(page, "funding-round-manage")
    round = Round.objects.get(name="Spring small grants")
    assert round.status == "open" and round.priorities.exists()

    # The second group applies through the service; the first through the pages.
    shed = Organisation.objects.get(name="Great Lever Men's Shed")
    services.save_application(
        round=round,
        organisation=shed,
        amount="400",
        purpose="Tools",
        answers=dict.fromkeys(round.questions, "Yes."),
        submit=True,
        by=User.objects.get(email="group2@example.org"),
    )
    _sign_out(page)
    sign_in(page, base, "group@example.org")
    page.get_by_role("link", name="Small grants").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Spring small grants").click()
    page.wait_for_load_state()
    check_accessibility(page, "funding-round-open")
    page.get_by_role("button", name="Apply for your group").click()
    page.wait_for_load_state()
    page.get_by_label("How much are you asking for, in pounds?").fill("350")
    page.get_by_label("What is the money for?").fill("A second, slower weekly walk.")
    for i, _ in enumerate(round.questions, start=1):
        page.locator(f"#id_answer_{i}").fill("Neighbours referred by link workers.")
    page.get_by_label("Small: £10,000 to £100,000 a year").check()
    check_accessibility(page, "funding-apply")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Check your answers before sending"
    check_accessibility(page, "funding-check")
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_load_state()
    check_accessibility(page, "funding-application-group")
    walk = Application.objects.get(round=round, organisation__name="Tonge Walking for Health")
    assert walk.status == "submitted"

    services.transition_round(
        round=round, to="scoring", by=User.objects.get(email="commissioner@example.org")
    )
    _sign_out(page)
    sign_in(page, base, "panel@example.org")
    shed_application = Application.objects.get(round=round, organisation=shed)
    page.goto(f"{base}/funding/applications/{shed_application.pk}/")
    page.get_by_label("What is your interest? (optional)").fill("I volunteer at the shed")
    page.get_by_role("button", name="Declare a conflict of interest").click()
    page.wait_for_load_state()
    assert "You have a conflict of interest" in page.content()
    check_accessibility(page, "funding-application-conflicted")
    page.goto(f"{base}/funding/applications/{walk.pk}/")
    page.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Save your score").click()
    page.wait_for_load_state()
    assert walk.scores.get().score == 4
    check_accessibility(page, "funding-application-panel")

    _sign_out(page)
    sign_in(page, base, "commissioner@example.org")
    page.goto(f"{base}/funding/rounds/{round.pk}/manage/")
    page.locator(f"#decision-award-{walk.pk}").check()
    page.locator(f"#reason-{walk.pk}").fill("Answers the top gap")
    page.get_by_role("button", name="Record the decision").first.click()
    page.wait_for_load_state()
    page.locator(f"#decision-award-{shed_application.pk}").check()
    page.locator(f"#reason-{shed_application.pk}").fill("Also good")
    page.get_by_role("button", name="Record the decision").first.click()
    page.wait_for_load_state()
    assert "Only £350.00 of the pot is left" in page.content()  # 700 − 350 < 400
    page.locator(f"#decision-award-{shed_application.pk}").check()
    page.locator(f"#amount-{shed_application.pk}").fill("350")
    page.locator(f"#reason-{shed_application.pk}").fill("In part: tools only")
    page.get_by_role("button", name="Record the decision").first.click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Publish the decisions").click()
    page.wait_for_load_state()
    check_accessibility(page, "funding-round-decided-manage")

    _sign_out(page)
    page.goto(f"{base}/funding/rounds/{round.pk}/")
    text = page.locator("main").inner_text()
    assert "Tonge Walking for Health" in text and "£350.00" in text and "Priorities" in text
    check_accessibility(page, "funding-round-public")


def test_a_small_group_sees_what_the_tariff_owes_it(page, live_server):
    load_demo(referrals=False)
    sign_in(page, live_server.url, "group@example.org")
    page.get_by_role("link", name="Small grants").first.click()
    page.wait_for_load_state()
    check_accessibility(page, "funding-home-group")
    page.goto(f"{live_server.url}/funding/statements/")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Statements")
    check_accessibility(page, "funding-statements-group")
    _sign_out(page)
    sign_in(page, live_server.url, "commissioner@example.org")
    page.goto(f"{live_server.url}/funding/statements/")
    check_accessibility(page, "funding-statements-funder")
    page.goto(f"{live_server.url}/insight/load/")
    assert "Awarded to date" in page.content()
    check_accessibility(page, "insight-load-funding")

"""A commissioner reads a cohort's outcomes, compares groups and prints the report; an
administrator finds the research export. Accessibility checked with axe throughout."""

import pytest

from linkwork.accounts.roles import Role
from tests.browser.conftest import SCREENSHOTS, check_accessibility
from tests.browser.test_directory import sign_in
from tests.factories import user_with_role
from tests.outcomes.test_evaluation import make_service, respond, ten_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cohort():
    service = make_service("Tonge Moor Community Links")
    for referral in ten_people(service) + ten_people(service, source="self"):
        respond(referral, "swemwbs", "baseline", [2, 3, 2, 2, 3, 2, 2], 50)
        respond(referral, "swemwbs", "follow_up", [3, 3, 3, 3, 4, 3, 3], 10)
    return service


def test_a_commissioner_reads_outcomes_and_prints_the_report(page, live_server, cohort):
    sign_in(page, live_server.url, user_with_role(Role.COMMISSIONER))
    page.get_by_role("link", name="Evaluation").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Evaluation: outcomes of social prescribing"
    assert "20" in page.locator(".linkwork-key-figure").first.inner_text()
    assert "© NHS Health Scotland" in page.content()
    check_accessibility(page, "evaluation")

    # Compare life satisfaction by who referred: a GET form, no JavaScript needed.
    page.get_by_label("Measure for the charts").select_option("life_satisfaction")
    page.get_by_label("Compare change by").select_option("source")
    page.get_by_role("button", name="Show outcomes").click()
    page.wait_for_load_state()
    assert "measure=life_satisfaction" in page.url and "by=source" in page.url
    table = page.get_by_role("table", name="Life satisfaction by who referred", exact=False)
    assert "Self-referral" in table.inner_text() and "+1.50" in table.inner_text()
    check_accessibility(page, "evaluation-compared")

    page.get_by_role("link", name="Open a printable report of these outcomes").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Print or save as PDF").is_visible()
    assert "changed by +" in page.locator(".linkwork-report").inner_text()
    check_accessibility(page, "evaluation-report")
    # As it prints: A4 width, no header, navigation or buttons.
    page.set_viewport_size({"width": 703, "height": 1000})
    page.emulate_media(media="print")
    assert not page.locator(".nhsuk-header").is_visible()
    assert not page.get_by_role("button", name="Print or save as PDF").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "evaluation-report-print.png"), full_page=True)
    page.pdf(path=str(SCREENSHOTS / "evaluation-report.pdf"), format="A4")
    assert (SCREENSHOTS / "evaluation-report.pdf").stat().st_size > 10_000


def test_bad_filters_are_named_on_the_page(page, live_server, cohort):
    sign_in(page, live_server.url, user_with_role(Role.COMMISSIONER))
    page.goto(f"{live_server.url}/evaluation/?imd_decile=11&period=soon")
    summary = page.locator(".nhsuk-error-summary")
    assert "Choose an IMD decile from 1 to 10." in summary.inner_text()
    assert "is not a period we know" in summary.inner_text()
    check_accessibility(page, "evaluation-errors")


def test_a_link_worker_sees_their_services_outcomes(page, live_server, cohort):
    sign_in(page, live_server.url, user_with_role(Role.LINK_WORKER, organisation=cohort))
    page.get_by_role("link", name="Your service's outcomes").click()
    page.wait_for_load_state()
    assert "Only your service's referrals are included." in page.content()
    check_accessibility(page, "evaluation-link-worker")


def test_an_administrator_finds_the_research_export(page, live_server, cohort):
    sign_in(page, live_server.url, user_with_role(Role.ADMIN))
    page.get_by_role("link", name="Research export").click()
    page.wait_for_load_state()
    assert page.get_by_role("table", name="Columns of the research export, in order").is_visible()
    check_accessibility(page, "research-export")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the research export (CSV)").click()
    assert download.value.suggested_filename == "linkwork-research-export.csv"
    # The whole file arrives (path() waits for the end of the stream).
    assert download.value.path().read_text(encoding="utf-8").strip()

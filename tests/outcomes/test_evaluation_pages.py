"""The evaluation page, its CSV and printable report: who may see them, what they show
(every figure through disclosure control), and bad filters."""

import csv
import io

import pytest
from django.urls import reverse

from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.outcomes.instruments import instrument
from tests.factories import user_with_role
from tests.outcomes.test_evaluation import (
    make_referral,
    make_service,
    ons4_pair,
    respond,
    ten_people,
)
from tests.worlds import signed_in

pytestmark = pytest.mark.django_db

PAGES = ("evaluation", "evaluation-report", "evaluation-csv")
SWEMWBS_NOTICE = instrument("swemwbs").copyright


@pytest.fixture
def services():
    """Two services: A with 10 people followed up on ONS4 and SWEMWBS, B with 10 on ONS4."""
    a, b = make_service("Alpha Links"), make_service("Beta Links")
    for referral in ten_people(a):
        respond(referral, "swemwbs", "baseline", [2] * 7, 50)
        respond(referral, "swemwbs", "follow_up", [3] * 7, 10)
    ten_people(b)
    return a, b


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# --- Who may see what -------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.COMMISSIONER, 200),
        (Role.LINK_WORKER, 200),
        (Role.REFERRER, 403),
        (Role.GROUP, 403),
        (Role.RESIDENT, 403),
        (Role.PANEL, 403),
        (Role.ADMIN, 403),
    ],
)
def test_each_role_on_each_evaluation_page(name, role, status, services):
    organisation = services[0] if role == Role.LINK_WORKER else None
    response = signed_in(user_with_role(role, organisation=organisation)).get(reverse(name))
    assert response.status_code == status


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(name, anonymous):
    response = anonymous.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_pages_are_read_only(name, services):
    client = signed_in(user_with_role(Role.COMMISSIONER))
    assert client.post(reverse(name)).status_code == 405


def test_a_link_worker_sees_only_their_own_service(services):
    a, b = services
    client = signed_in(user_with_role(Role.LINK_WORKER, organisation=a))
    page = client.get(reverse("evaluation")).content.decode()
    assert "Your service" in page and "Only your service" in page
    assert "Alpha Links" in page and "Beta Links" not in page
    # Ten people with ONS4 in A only (B's ten are not counted).
    life = next(
        r
        for r in rows_of(client.get(reverse("evaluation-csv")))
        if r["section"] == "measure"
        and r["measure"] == "life_satisfaction"
        and r["figure"] == "people"
    )
    assert life["value"] == "10"
    response = client.get(reverse("evaluation"), {"service": b.pk})
    assert response.status_code == 400
    assert "Choose a service from the list." in response.content.decode()


def test_a_commissioner_sees_every_service(services):
    client = signed_in(user_with_role(Role.COMMISSIONER))
    page = client.get(reverse("evaluation"), {"by": "service"}).content.decode()
    assert "Alpha Links" in page and "Beta Links" in page
    assert "Commissioner" in page


def test_the_commissioner_home_links_the_evaluation_room(services):
    client = signed_in(user_with_role(Role.COMMISSIONER))
    assert reverse("evaluation") in client.get(reverse("home-commissioner")).content.decode()
    admin = signed_in(user_with_role(Role.ADMIN))
    assert reverse("research-export") in admin.get(reverse("home-admin")).content.decode()
    worker = signed_in(user_with_role(Role.LINK_WORKER, organisation=services[0]))
    assert reverse("evaluation") in worker.get(reverse("home-link-worker")).content.decode()


# --- What the page shows ----------------------------------------------------------------------


def test_the_page_shows_paired_change_with_its_confidence_interval(services):
    client = signed_in(user_with_role(Role.COMMISSIONER))
    response = client.get(reverse("evaluation"), {"measure": "life_satisfaction"})
    page = response.content.decode()
    assert response.status_code == 200
    # Life satisfaction: 20 people (each service's ten), mean change +1.50. With 20 the CI
    # is 1.5 ± t(19) × s/√20, s² = 2·18.5/19: (+0.85 to +2.15).
    assert "+1.50" in page and "(+0.85 to +2.15)" in page
    assert "SWEMWBS" in page and "+3.93" in page
    assert SWEMWBS_NOTICE in page  # the copyright notice wherever SWEMWBS results are shown
    assert "<svg" in page and "Latest follow-up" in page  # the charts, drawn on the server
    assert "Mean change in life satisfaction by service" in page


def test_withheld_figures_read_as_a_star_with_the_reason(services):
    a, _ = services
    gamma = make_service("Gamma Links")
    for _ in range(3):  # three people in a third service: too few
        ons4_pair(make_referral(gamma), (1, 1, 1, 1), (9, 9, 9, 9))
    client = signed_in(user_with_role(Role.COMMISSIONER))
    page = client.get(reverse("evaluation"), {"measure": "life_satisfaction"}).content.decode()
    assert "Fewer than 8 people" in page
    # Alpha alone: Beta's ten and Gamma's three are left out. Ten is fine; Alpha against
    # everyone would describe 13, fine too. But Gamma's row cannot be worked out from the
    # total minus Alpha and Beta: one of those is withheld as well.
    assert "Withheld to protect a smaller group" in page


def test_swemwbs_notice_is_not_shown_without_swemwbs_results():
    ten_people(make_service())
    client = signed_in(user_with_role(Role.COMMISSIONER))
    page = client.get(reverse("evaluation"), {"measure": "anxiety"}).content.decode()
    assert SWEMWBS_NOTICE not in page
    assert instrument("ons4").copyright in page


def test_an_empty_deployment_shows_the_page(db):
    client = signed_in(user_with_role(Role.COMMISSIONER))
    response = client.get(reverse("evaluation"))
    assert response.status_code == 200
    assert "No one in this cohort has both" in response.content.decode()


def test_the_printable_report(services):
    client = signed_in(user_with_role(Role.COMMISSIONER))
    response = client.get(reverse("evaluation-report"), {"period": "last-12-months"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Outcomes of people referred in the last 12 months" in page
    assert "Produced on" in page and "About these figures" in page
    assert "linkwork-report" in page and "data-linkwork-print hidden" in page
    assert "Mental wellbeing (SWEMWBS) changed by +3.93 points on average" in page
    assert SWEMWBS_NOTICE in page
    assert "<form" not in page.split("linkwork-report", 1)[1].split("</article>")[0]


# --- The CSV of the figures -------------------------------------------------------------------


def test_the_csv_holds_the_pages_figures_and_is_audited(services):
    client = signed_in(user_with_role(Role.COMMISSIONER))
    response = client.get(reverse("evaluation-csv"), {"measure": "swemwbs", "by": "service"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    rows = rows_of(response)
    figures = {(r["section"], r["group"], r["measure"], r["figure"]): r["value"] for r in rows}
    assert figures[("measure", "all", "swemwbs", "people")] == "10"
    assert figures[("measure", "all", "swemwbs", "mean_change")] == "3.93"
    assert figures[("measure", "all", "life_satisfaction", "ci_low")] == "0.85"
    assert figures[("measure", "all", "life_satisfaction", "no_change")] == "*"
    assert figures[("summary", "all", "", "people_referred")] == "20"
    assert ("by_service", "Alpha Links", "swemwbs", "mean_change") in figures
    assert any(r["figure"] == "copyright" and "SWEMWBS" in r["value"] for r in rows)
    event = AuditEvent.objects.get(action="evaluation_exported")
    assert event.object_type == "evaluation" and "period=last-12-months" in event.summary


def test_every_count_in_the_csv_is_published(services):
    """No figure about people between 1 and 7 leaves in the CSV: counts are 0, * or a
    multiple of 5."""
    for n in range(3):
        ons4_pair(make_referral(services[0]), (n, 5, 5, 5), None)
    client = signed_in(user_with_role(Role.COMMISSIONER))
    for measure in ("swemwbs", "life_satisfaction", "anxiety", "gp_contacts"):
        rows = rows_of(client.get(reverse("evaluation-csv"), {"measure": measure}))
        counts = [
            r["value"]
            for r in rows
            if r["figure"]
            in (
                "people",
                "improved",
                "no_change",
                "worse",
                "people_at_baseline",
                "people_at_latest",
                "people_referred",
                "completion_people",
                "completion_yes",
                "completion_no",
                "improved_any_people",
                "improved_any_yes",
                "improved_any_no",
            )
        ]
        assert counts
        for value in counts:
            assert value == "*" or int(value.replace(",", "")) % 5 == 0, value


# --- Bad filters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"imd_decile": "11"}, "Choose an IMD decile from 1 to 10."),
        ({"period": "next-century"}, "is not a period we know"),
        ({"service": "abc"}, "Choose a service from the list."),
        ({"service": "99999999999999999999"}, "Choose a service from the list."),
        ({"age_band": "<script>alert(1)</script>"}, "Choose an age band from the list."),
        ({"neighbourhood": "E99999999"}, "Choose a neighbourhood from the list."),
        ({"by": "postcode"}, "Choose what to compare by."),
        ({"measure": "iq"}, "Choose a measure."),
        ({"asset": "1' OR '1'='1"}, "Choose a community asset from the list."),
    ],
)
def test_bad_filters_give_a_clear_400_and_no_figures(query, message, services):
    client = signed_in(user_with_role(Role.COMMISSIONER))
    for name in ("evaluation", "evaluation-report"):
        response = client.get(reverse(name), query)
        page = response.content.decode()
        assert response.status_code == 400, name
        assert "There is a problem" in page and message in page
        assert "<script>alert(1)</script>" not in page
        assert "Change on each measure" not in page
    response = client.get(reverse("evaluation-csv"), query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert not AuditEvent.objects.filter(action="evaluation_exported").exists()


def test_a_period_outside_the_list_still_works_when_valid(services):
    client = signed_in(user_with_role(Role.COMMISSIONER))
    response = client.get(reverse("evaluation"), {"period": "last-2-months"})
    assert response.status_code == 200
    assert "Outcomes of people referred in the last 2 months" in response.content.decode()


def test_names_that_look_like_formulas_are_written_as_text(db):
    evil = make_service('=HYPERLINK("http://example.net")')
    ten_people(evil)
    client = signed_in(user_with_role(Role.COMMISSIONER))
    rows = rows_of(client.get(reverse("evaluation-csv"), {"by": "service"}))
    groups = {r["group"] for r in rows if r["section"] == "by_service"}
    assert '\'=HYPERLINK("http://example.net")' in groups
    assert not any(r["group"].startswith("=") for r in rows)
    # Numbers stay numbers, even negative ones.
    assert any(r["value"].startswith("-") for r in rows if r["figure"] == "mean_change")

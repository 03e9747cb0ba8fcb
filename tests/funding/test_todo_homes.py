"""The commissioner's and panel member's homes open with the funding work due: decisions
waiting in rounds being scored, applications waiting for this member's score, and the
top gaps no round of the commissioner's names; each counted and linked, only their own."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from linkwork.accounts.roles import Role
from linkwork.directory.models import OrganisationKind
from tests.factories import OrganisationFactory, user_with_role
from tests.funding.conftest import call, signed_in
from tests.funding.test_api import _scoring_round_with_two_applications

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_gaps():
    # The gap rows are cached for the day; each test builds its own world.
    cache.clear()


def todo(client, name: str) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('id="todo"') : page.index("What you can do here")]


def test_the_commissioner_sees_funding_decisions_due_first(world):
    round, walk, choir = _scoring_round_with_two_applications(world)
    page = todo(world.commissioner, "home-commissioner")
    line = "2 applications in Southgate small grants waiting for your funding decision"
    assert line in page
    assert f'href="/funding/rounds/{round["id"]}/manage/"' in page
    assert page.index(line) < page.index("</li>")  # the first thing to do
    call(
        world.commissioner,
        "POST",
        f"/api/v1/funding/applications/{walk['id']}/decision",
        {"decision": "award", "reason": "Strong plan"},
    )
    assert "1 application in Southgate small grants waiting" in todo(
        world.commissioner, "home-commissioner"
    )


def test_another_funder_has_no_decisions_due(world):
    _scoring_round_with_two_applications(world)
    other = OrganisationFactory(name="Other ICB", kind=OrganisationKind.ICB)
    page = todo(signed_in(user_with_role(Role.COMMISSIONER, other)), "home-commissioner")
    assert "waiting for your funding decision" not in page


def test_the_commissioner_sees_the_top_gaps_no_round_names(world):
    page = todo(world.commissioner, "home-commissioner")
    # Southgate's physical activity (unmet) is a gap; no round names it yet.
    assert "The biggest gap has no funding round of yours yet" in page
    assert 'href="/funding/rounds/new/?from=gaps"' in page
    _scoring_round_with_two_applications(world)  # names it as a priority
    cache.clear()
    assert "no funding round of yours yet" not in todo(world.commissioner, "home-commissioner")


def test_a_panel_member_sees_the_applications_waiting_for_their_score(world):
    round, walk, choir = _scoring_round_with_two_applications(world)
    page = todo(world.panel, "home-panel")
    assert "2 applications to score in Southgate small grants" in page
    assert f'href="/funding/rounds/{round["id"]}/"' in page
    call(
        world.panel,
        "POST",
        f"/api/v1/funding/applications/{walk['id']}/scores",
        {"score": 4, "comment": "Clear plan"},
    )
    call(
        world.panel,
        "POST",
        f"/api/v1/funding/applications/{choir['id']}/conflicts",
        {"reason": "My sister sings"},
    )
    assert "to score" not in todo(world.panel, "home-panel")


def test_a_member_of_the_applying_group_is_not_asked_to_score_it(world):
    _scoring_round_with_two_applications(world)
    # Pat belongs to the walking group: only the choir's application is theirs to score.
    assert "1 application to score in Southgate small grants" in todo(
        world.conflicted, "home-panel"
    )


def test_a_member_of_another_panel_is_not_asked_to_score(world):
    _scoring_round_with_two_applications(world)
    elsewhere = OrganisationFactory(name="Northfield Panel", kind=OrganisationKind.PANEL)
    page = todo(signed_in(user_with_role(Role.PANEL, elsewhere)), "home-panel")
    assert "to score" not in page

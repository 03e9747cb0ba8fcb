"""Panels: a priority from a gap with its published figures, a decision at a meeting,
the public logs (page and API, the same content), scoping, bad input."""

import datetime as dt

import pytest
from django.core import mail

from linkwork.accounts.models import Membership
from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.community.models import Decision, Evidence, Panel, Priority
from linkwork.community.panels import evidence, services
from linkwork.community.panels.selectors import membership_review
from linkwork.directory.models import OrganisationKind
from linkwork.errors import Conflict, InvalidInput
from tests.factories import OrganisationFactory, user_with_role
from tests.places.factories import AreaFactory, local_authority, neighbourhood
from tests.worlds import Builder, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    build = Builder()
    borough = local_authority()
    north_a = build.lsoa("Northfield 001A", imd=1, population=1500)
    north_a.parent = borough
    north_a.save()
    northfield = neighbourhood("N-NORTH", "Northfield", lsoas=[north_a])
    south = build.lsoa("Southgate 002A", imd=10, population=2000)
    southgate = neighbourhood("N-SOUTH", "Southgate", lsoas=[south])
    build.refer(12, north_a, ["need-money-debt"])
    build.unmet(20, north_a, "need-money-debt", "none_exists")
    build.unmet(3, north_a, "need-housing", "cost")  # a small number: withheld
    build.unmet(9, north_a, "need-food", "none_exists")  # withheld beside it, to protect it
    build.refer(20, north_a, ["need-housing"])
    panel = services.create_panel(
        name="Northfield Panel",
        remit="Residents of Northfield.",
        neighbourhoods=[northfield],
        by=None,
    )
    member = user_with_role(Role.PANEL, organisation=panel.organisation)
    return build, panel, member, northfield, southgate, north_a, south


def test_a_gap_snapshot_holds_only_published_figures(world):
    *_, north_a, _ = world
    snap = evidence.gap_snapshot(area_code="N-NORTH", category_code="need-housing")
    assert snap.figures["demand"] == 25  # 20 referred + 3 unmet, rounded to 5
    assert snap.figures["unmet"] is None and "unmet" in snap.suppressed
    assert "3" not in snap.summary
    money = evidence.gap_snapshot(area_code="N-NORTH", category_code="need-money-debt")
    assert money.figures["unmet"] == 20
    assert money.reference == "N-NORTH/need-money-debt"


def test_a_gap_with_nobody_asking_is_refused_by_name(world):
    with pytest.raises(InvalidInput) as error:
        evidence.gap_snapshot(area_code="N-SOUTH", category_code="need-money-debt")
    assert "category" in error.value.errors


def test_outside_figures_are_published_through_suppression():
    snap = evidence.figures_snapshot(
        kind="funding_round",
        reference="round-3",
        title="Small grants round 3",
        figures={"available": "5000.00", "applications": 4, "people_reached": 12},
        people=["people_reached", "applications"],
    )
    assert snap.figures == {"available": "5000.00", "applications": None, "people_reached": 10}
    assert snap.suppressed == ["applications"]


def test_a_member_proposes_from_a_gap_in_one_step_and_decides_at_a_meeting(world, mailoutbox):
    build, panel, member, northfield, *_ = world
    group_member = user_with_role(Role.GROUP)
    client = signed_in(member)
    response = client.post(
        "/panels/propose/",
        {"evidence_kind": "gap", "gap_area": "N-NORTH", "gap_category": "need-money-debt"},
    )
    assert response.status_code == 302 and response["Location"] == f"/panels/{panel.pk}/"
    priority = Priority.objects.get(panel=panel)
    assert priority.title == "Money and debt in Northfield"
    assert priority.neighbourhood == northfield
    assert priority.evidence.get().figures["unmet"] == 20

    response = client.post(
        f"/panels/{panel.pk}/meetings/new/",
        {
            "held_on_day": "20",
            "held_on_month": "11",
            "held_on_year": "2026",
            "title": "November meeting",
            "members_present": "9",
        },
    )
    meeting = panel.meetings.get()
    assert response["Location"] == f"/panels/{panel.pk}/meetings/{meeting.pk}/"
    client.post(
        f"/panels/{panel.pk}/meetings/{meeting.pk}/priorities/{priority.pk}/", {"to": "agreed"}
    )
    priority.refresh_from_db()
    assert priority.status == "agreed" and priority.meeting == meeting

    # The live figures change later; the decision keeps what the panel looked at.
    response = client.post(
        f"/panels/{panel.pk}/meetings/{meeting.pk}/",
        {
            "title": "Fund a money advice drop-in",
            "priority": str(priority.pk),
            "decision": "We will ask the council to fund a weekly drop-in in Northfield.",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.neighbourhood == northfield
    assert decision.evidence.get().figures["unmet"] == 20
    build.unmet(20, world[5], "need-money-debt", "none_exists")

    public = _client_anonymous().get("/neighbourhoods/N-NORTH/decisions/")
    page = public.content.decode()
    assert public.status_code == 200
    assert "Fund a money advice drop-in" in page and "Money and debt in Northfield" in page
    log = _client_anonymous().get(f"/panels/{panel.pk}/decisions/").content.decode()
    assert "Fund a money advice drop-in" in log

    api = _client_anonymous().get(f"/api/v1/panels/{panel.pk}/decisions").json()
    (item,) = api["items"]
    assert item["title"] == "Fund a money advice drop-in"
    assert item["evidence"][0]["figures"]["unmet"] == 20
    assert item["neighbourhood"] == {"code": "N-NORTH", "name": "Northfield"}
    assert item["decided_on"] == "2026-11-20"
    assert api["total"] == 1
    # Group members hear of it in their weekly digest (held, not emailed).
    from linkwork.notifications.models import HeldMessage

    assert HeldMessage.objects.filter(user=group_member, kind="panel_decisions").exists()
    assert not [m for m in mail.outbox if group_member.email in m.to]
    for action in ("panel_priority_proposed", "panel_meeting_recorded", "panel_decision_recorded"):
        assert AuditEvent.objects.filter(action=action, actor_id=member.pk).exists()


def _client_anonymous():
    from django.test import Client

    return Client()


def test_other_neighbourhoods_do_not_show_the_decision(world):
    _, panel, member, northfield, southgate, *_ = world
    meeting = services.record_meeting(
        panel=panel, held_on=dt.date(2026, 11, 1), title="M", by=member
    )
    services.record_decision(
        meeting=meeting, title="Northfield only", decision="D", neighbourhood=northfield, by=member
    )
    assert (
        "Northfield only"
        not in _client_anonymous().get("/neighbourhoods/N-SOUTH/decisions/").content.decode()
    )
    assert _client_anonymous().get("/neighbourhoods/NOPE/decisions/").status_code == 404


def test_a_member_of_another_panel_cannot_reach_this_one(world):
    _, panel, *_ = world
    other = services.create_panel(name="Southgate Panel", by=None)
    outsider = user_with_role(Role.PANEL, organisation=other.organisation)
    client = signed_in(outsider)
    assert client.get(f"/panels/{panel.pk}/").status_code == 404
    assert client.get(f"/panels/{panel.pk}/meetings/new/").status_code == 404
    assert signed_in(user_with_role(Role.GROUP)).get(f"/panels/{panel.pk}/").status_code == 403


def test_bad_meeting_and_decision_input_is_named_and_nothing_is_saved(world):
    _, panel, member, *_ = world
    client = signed_in(member)
    response = client.post(f"/panels/{panel.pk}/meetings/new/", {"title": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "Enter the date of the meeting." in page
    assert not panel.meetings.exists()
    meeting = services.record_meeting(
        panel=panel, held_on=dt.date(2026, 11, 1), title="M", by=member
    )
    response = client.post(
        f"/panels/{panel.pk}/meetings/{meeting.pk}/",
        {"title": "T", "decision": "D", "gap_area": "N-SOUTH", "gap_category": "need-food"},
    )
    assert response.status_code == 200
    assert not Decision.objects.exists() and not Evidence.objects.exists()


def test_a_settled_priority_cannot_be_agreed_again(world):
    _, panel, member, *_ = world
    meeting = services.record_meeting(
        panel=panel, held_on=dt.date(2026, 11, 1), title="M", by=member
    )
    priority = services.propose_priority(panel=panel, title="Walking", by=member)
    services.settle_priority(priority=priority, meeting=meeting, to="dropped", by=member)
    with pytest.raises(Conflict) as error:
        services.settle_priority(priority=priority, meeting=meeting, to="agreed", by=member)
    assert error.value.current_state == "dropped"


def test_the_api_log_is_public_and_paged_and_404s_for_no_panel(world, anonymous):
    _, panel, member, *_ = world
    meeting = services.record_meeting(
        panel=panel, held_on=dt.date(2026, 11, 1), title="M", by=member
    )
    for n in range(3):
        services.record_decision(meeting=meeting, title=f"D{n}", decision="x", by=member)
    body = anonymous.get(f"/api/v1/panels/{panel.pk}/decisions?per_page=2").json()
    assert (body["total"], len(body["items"])) == (3, 2) and body["next"]
    assert anonymous.get("/api/v1/panels/999999/decisions").status_code == 404


def test_panels_are_organisations_of_kind_panel(world):
    _, panel, *_ = world
    assert panel.organisation.kind == OrganisationKind.PANEL
    assert Panel.objects.count() == 1


def test_membership_review_counts_through_suppression(world):
    _, panel, member, northfield, *_ = world
    from linkwork.places.models import AreaPopulation

    AreaPopulation.objects.create(area=world[5], age_band="65-74", sex="female", count=300)
    AreaPopulation.objects.create(area=world[5], age_band="25-34", sex="male", count=700)
    for _ in range(9):
        user = user_with_role(Role.PANEL, organisation=panel.organisation)
        services.save_member_profile(
            user=user, age_band="65-74", sex="female", neighbourhood=northfield, by=user
        )
    services.save_member_profile(
        user=member, age_band="25-34", sex="male", neighbourhood=None, by=member
    )
    review = membership_review(panel)
    assert review["members"] == 10
    female = next(row for row in review["sex"] if row.group == "Female")
    male = next(row for row in review["sex"] if row.group == "Male")
    assert (female.members, female.area_share) == (10, 30.0)
    assert male.members is None and male.members_share is None  # one person: withheld
    decile_1 = next(row for row in review["imd"] if row.group.startswith("Decile 1 "))
    assert decile_1.members == 10
    page = signed_in(member).get(f"/panels/{panel.pk}/membership/")
    assert page.status_code == 200


def test_a_member_with_no_panel_is_told_so(db):
    user = user_with_role(Role.PANEL)
    response = signed_in(user).post("/panels/propose/", {"evidence_kind": "gap"})
    assert response.status_code == 302 and response["Location"] == "/home/"
    assert not Membership.objects.filter(user=user, organisation__panel__isnull=False).exists()
    assert AreaFactory  # imported for other tests' shapes
    assert OrganisationFactory


def _round(status: str, panel_org=None):
    from decimal import Decimal

    from linkwork.funding.models import Round

    icb = OrganisationFactory(name="Moorland ICB", kind=OrganisationKind.ICB)
    return Round.objects.create(
        funder=icb,
        name="Northfield small grants",
        pot=Decimal("2000.00"),
        max_award=Decimal("500.00"),
        opens=dt.date(2026, 10, 1),
        closes=dt.date(2026, 10, 31),
        status=status,
        questions=["Who?", "What?", "How?"],
        panel=panel_org,
    )


def test_a_member_proposes_a_priority_from_a_decided_funding_round(world):
    _, panel, member, *_ = world
    round = _round("decided")

    page = signed_in(member).get(f"/funding/rounds/{round.pk}/").content.decode()
    assert 'name="evidence_kind" value="funding_round"' in page
    response = signed_in(member).post(
        "/panels/propose/", {"evidence_kind": "funding_round", "round": str(round.pk)}
    )

    assert response.status_code == 302
    priority = Priority.objects.get(panel=panel)
    assert priority.title == "Funding round: Northfield small grants"
    snap = priority.evidence.get()
    assert snap.kind == "funding_round" and snap.reference == f"round {round.pk}"
    assert snap.figures["pot"] == "2000.00" and snap.figures["remaining"] == "2000.00"
    assert snap.figures["applications"] == 0
    assert snap.summary == (
        "“Northfield small grants”: £0.00 of a £2,000.00 pot awarded to 0 groups from "
        "0 applications; £2,000.00 left."
    )


@pytest.mark.parametrize("round_id", ["draft", "999999", "not a number", ""])
def test_a_round_the_member_cannot_see_proposes_nothing(world, round_id):
    _, panel, member, *_ = world
    if round_id == "draft":
        round_id = str(_round("draft").pk)

    response = signed_in(member).post(
        "/panels/propose/", {"evidence_kind": "funding_round", "round": round_id}, follow=True
    )

    assert not Priority.objects.filter(panel=panel).exists()
    assert "Choose a funding round you can see." in response.content.decode()


def test_people_outside_panels_see_no_propose_button_on_a_round(world):
    round = _round("decided")
    page = signed_in(user_with_role(Role.GROUP)).get(f"/funding/rounds/{round.pk}/")
    assert page.status_code == 200
    assert "funding_round" not in page.content.decode()

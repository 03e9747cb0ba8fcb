"""/api/v1/funding as issue 15 writes it: rounds, applying, scoring, deciding, paying."""

from decimal import Decimal

import pytest

from linkwork.accounts.roles import Role
from linkwork.community.models import Grant
from linkwork.notifications.models import HeldMessage, Kind
from tests.factories import user_with_role
from tests.funding.conftest import QUESTIONS, apply, call, make_round, round_body, signed_in


def test_a_funder_creates_a_draft_round_with_priorities_from_the_gap_report(world):
    response = call(world.commissioner, "POST", "/api/v1/funding/rounds", round_body(world))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert (body["pot"], body["max_award"], body["awarded"], body["remaining"]) == (
        "1000.00",
        "600.00",
        "0.00",
        "1000.00",
    )
    [priority] = body["priorities"]
    assert priority["area_name"] == "Southgate"
    assert priority["category"] == "need-physical-activity"
    assert "10" in priority["evidence"]  # the gap report's words, kept as they stood
    assert body["questions"] == QUESTIONS


def test_the_maximum_award_cannot_exceed_the_pot(world):
    response = call(
        world.commissioner, "POST", "/api/v1/funding/rounds", round_body(world, max_award="2000.00")
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["max_award"]


def test_an_unknown_priority_area_is_named(world):
    body = round_body(world, priorities=[{"area_code": "NOWHERE", "category": "need-food"}])
    response = call(world.commissioner, "POST", "/api/v1/funding/rounds", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "priorities.0.area_code"


def test_money_as_a_float_is_refused(world):
    response = call(
        world.commissioner, "POST", "/api/v1/funding/rounds", round_body(world, pot=1000.5)
    )
    assert response.status_code == 422


def test_groups_cannot_create_rounds(world):
    response = call(world.walker, "POST", "/api/v1/funding/rounds", round_body(world))
    assert response.status_code == 403


def test_a_round_moves_only_along_its_table(world):
    body = make_round(world, "draft")
    response = call(
        world.commissioner,
        "POST",
        f"/api/v1/funding/rounds/{body['id']}/transitions",
        {"to": "decided"},
    )
    assert response.status_code == 409
    assert response.json()["current_state"] == "draft"


def test_drafts_are_seen_only_by_their_funder(world):
    body = make_round(world, "draft")
    assert call(world.walker, "GET", f"/api/v1/funding/rounds/{body['id']}").status_code == 404
    assert call(world.walker, "GET", "/api/v1/funding/rounds").json()["total"] == 0


def test_a_group_applies_with_its_load_attached(world):
    round = make_round(world)

    response = apply(world, round["id"])

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted"
    assert body["amount"] == "400.00"
    assert body["load"]["referred"] == 10  # 12 people, published rounded to 5
    assert body["load"]["period"] == "in the last 12 months"


@pytest.mark.parametrize(
    ("areas", "status"),
    [
        (lambda town: [town.southgate.code], 201),  # the walk meets in Southgate
        (lambda town: [town.south.code], 201),  # ... in that very LSOA
        (lambda town: [town.borough.code], 201),  # ... within the borough
        (lambda town: [town.northfield.code], 422),  # not in Northfield
        (lambda town: [], 201),  # no areas: anyone
    ],
)
def test_a_round_for_named_areas_takes_groups_working_there(world, areas, status):
    round = make_round(world, areas=areas(world.town))

    response = apply(world, round["id"])

    assert response.status_code == status, response.json()
    if status == 422:
        assert "areas it names" in str(response.json())


def test_a_borough_wide_listing_works_in_every_area(world):
    world.walk.borough_wide = True
    world.walk.save(update_fields=["borough_wide"])
    round = make_round(world, areas=[world.town.northfield.code])
    assert apply(world, round["id"]).status_code == 201


@pytest.mark.parametrize("count", [0, 2, 7])
def test_a_round_asks_three_to_six_questions(world, count):
    questions = [f"Question {i}?" for i in range(count)]
    response = call(
        world.commissioner,
        "POST",
        "/api/v1/funding/rounds",
        round_body(world, questions=questions),
    )
    assert response.status_code == 422
    assert "between 3 and 6" in str(response.json())


def test_applying_for_another_organisation_is_not_found(world):
    round = make_round(world)
    response = apply(world, round["id"], client=world.singer, organisation=world.walk.organisation)
    assert response.status_code == 404


def test_one_application_per_group_per_round(world):
    round = make_round(world)
    assert apply(world, round["id"]).status_code == 201
    assert apply(world, round["id"]).status_code == 409


def test_applying_to_a_round_that_is_not_open_is_a_conflict(world):
    round = make_round(world, "scoring")
    response = apply(world, round["id"])
    assert response.status_code == 409
    assert response.json()["current_state"] == "scoring"


def test_applying_before_a_round_opens_is_a_conflict(world):
    round = make_round(world, "draft")
    response = apply(world, round["id"])
    assert response.status_code == 409
    assert response.json()["current_state"] == "draft"


def test_asking_for_more_than_the_maximum_is_named(world):
    round = make_round(world)
    response = apply(world, round["id"], amount="601.00")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["amount"]


def test_a_draft_is_kept_when_applications_close(world):
    round = make_round(world)
    draft = apply(world, round["id"], submit=False, answers={}).json()
    call(
        world.commissioner,
        "POST",
        f"/api/v1/funding/rounds/{round['id']}/transitions",
        {"to": "scoring"},
    )

    again = call(world.walker, "GET", f"/api/v1/funding/applications/{draft['id']}").json()
    assert again["status"] == "draft"
    assert (
        call(world.panel, "GET", f"/api/v1/funding/applications/{draft['id']}").status_code == 404
    )


def _scoring_round_with_two_applications(world):
    round = make_round(world, pot="900.00")
    walk = apply(world, round["id"]).json()
    choir = apply(
        world,
        round["id"],
        client=world.singer,
        organisation=world.choir.organisation,
        amount="600.00",
    ).json()
    call(
        world.commissioner,
        "POST",
        f"/api/v1/funding/rounds/{round['id']}/transitions",
        {"to": "scoring"},
    )
    return round, walk, choir


def test_panel_members_score_but_never_their_own_group(world):
    round, walk, choir = _scoring_round_with_two_applications(world)

    ok = call(
        world.panel,
        "POST",
        f"/api/v1/funding/applications/{walk['id']}/scores",
        {"score": 4, "comment": "Clear plan"},
    )
    own = call(
        world.conflicted,
        "POST",
        f"/api/v1/funding/applications/{walk['id']}/scores",
        {"score": 5, "comment": "Mine"},
    )

    assert ok.status_code == 201
    assert own.status_code == 409
    seen = call(world.conflicted, "GET", f"/api/v1/funding/applications/{walk['id']}").json()
    assert seen["conflicted"] is True


def test_a_declared_conflict_stops_scoring(world):
    round, walk, choir = _scoring_round_with_two_applications(world)
    url = f"/api/v1/funding/applications/{choir['id']}"
    assert (
        call(world.panel, "POST", f"{url}/conflicts", {"reason": "My sister sings"}).status_code
        == 201
    )
    assert (
        call(world.panel, "POST", f"{url}/scores", {"score": 3, "comment": ""}).status_code == 409
    )


def test_scores_only_while_scoring(world):
    round = make_round(world)
    walk = apply(world, round["id"]).json()
    response = call(
        world.panel,
        "POST",
        f"/api/v1/funding/applications/{walk['id']}/scores",
        {"score": 3, "comment": ""},
    )
    assert response.status_code == 409


def test_a_score_outside_0_to_5_is_named(world):
    round, walk, choir = _scoring_round_with_two_applications(world)
    response = call(
        world.panel,
        "POST",
        f"/api/v1/funding/applications/{walk['id']}/scores",
        {"score": 6, "comment": ""},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "score"


def test_awards_stay_within_the_pot_and_become_grants(world):
    round, walk, choir = _scoring_round_with_two_applications(world)

    first = call(
        world.commissioner,
        "POST",
        f"/api/v1/funding/applications/{walk['id']}/decision",
        {"decision": "award", "reason": "Strong"},
    )
    over = call(
        world.commissioner,
        "POST",
        f"/api/v1/funding/applications/{choir['id']}/decision",
        {"decision": "award", "reason": "Also good"},
    )
    part = call(
        world.commissioner,
        "POST",
        f"/api/v1/funding/applications/{choir['id']}/decision",
        {"decision": "award", "amount": "350.00", "reason": "In part"},
    )

    assert first.status_code == 200, first.json()
    assert first.json()["round_remaining"] == "500.00"
    assert over.status_code == 409
    assert part.status_code == 200
    body = call(world.commissioner, "GET", f"/api/v1/funding/rounds/{round['id']}").json()
    assert (body["awarded"], body["remaining"]) == ("750.00", "150.00")
    grants = Grant.objects.order_by("amount")
    assert [g.amount for g in grants] == [Decimal("350.00"), Decimal("400.00")]
    assert grants[0].organisation == world.choir.organisation


def test_only_the_funder_decides(world):
    round, walk, choir = _scoring_round_with_two_applications(world)
    response = call(
        world.panel,
        "POST",
        f"/api/v1/funding/applications/{walk['id']}/decision",
        {"decision": "award", "reason": "x"},
    )
    assert response.status_code == 403


def test_a_decline_needs_a_reason_and_the_round_is_decided_once_all_are(world):
    round, walk, choir = _scoring_round_with_two_applications(world)
    url = "/api/v1/funding/applications/{}/decision"
    assert (
        call(
            world.commissioner, "POST", url.format(walk["id"]), {"decision": "decline"}
        ).status_code
        == 422
    )
    call(
        world.commissioner,
        "POST",
        url.format(walk["id"]),
        {"decision": "decline", "reason": "Outside area"},
    )
    early = call(
        world.commissioner,
        "POST",
        f"/api/v1/funding/rounds/{round['id']}/transitions",
        {"to": "decided"},
    )
    assert early.status_code == 409
    call(
        world.commissioner, "POST", url.format(choir["id"]), {"decision": "award", "reason": "Yes"}
    )
    done = call(
        world.commissioner,
        "POST",
        f"/api/v1/funding/rounds/{round['id']}/transitions",
        {"to": "decided"},
    )
    assert done.status_code == 200


def test_payments_never_exceed_the_award_and_the_group_reports(world):
    round, walk, choir = _scoring_round_with_two_applications(world)
    url = f"/api/v1/funding/applications/{walk['id']}"
    call(world.commissioner, "POST", f"{url}/decision", {"decision": "award", "reason": "Yes"})

    paid = call(
        world.commissioner,
        "POST",
        f"{url}/payments",
        {"paid_on": "2026-12-01", "amount": "300.00", "reference": "BACS-1"},
    )
    over = call(
        world.commissioner,
        "POST",
        f"{url}/payments",
        {"paid_on": "2026-12-02", "amount": "200.00", "reference": "BACS-2"},
    )
    story = call(
        world.walker,
        "POST",
        f"{url}/report",
        {"what_happened": "Forty walks", "story": "Ann found friends"},
    )
    report = call(
        world.walker,
        "POST",
        f"{url}/report",
        {"what_happened": "Forty walks", "story": "Ann found friends", "story_consent": True},
    )

    assert paid.status_code == 201 and paid.json()["amount"] == "300.00"
    assert over.status_code == 422
    assert story.status_code == 422
    assert report.status_code == 201
    assert Grant.objects.get(organisation=world.walk.organisation).achieved == "Forty walks"


def test_opening_a_round_tells_the_groups_that_may_apply_and_no_others(world):
    make_round(world, categories=["need-physical-activity"])

    held = HeldMessage.objects.filter(kind=Kind.FUNDING_ROUNDS)
    # Group members hear about rounds in their weekly digest unless they choose otherwise.
    assert sorted(m.user.full_name for m in held) == ["Jo Walker", "Pat Both"]
    message = held.first()
    assert "Southgate small grants" in message.subject
    assert "/funding/rounds/" in message.body
    assert "Jo" not in message.body and "Walker" not in message.body


def test_a_round_still_in_draft_tells_nobody(world):
    make_round(world, status="draft")
    assert not HeldMessage.objects.exists()


def test_an_admin_naming_a_funder_that_does_not_exist_is_told_which_field(world):
    admin = signed_in(user_with_role(Role.ADMIN))
    body = {**round_body(world), "funder_id": 999999}
    response = call(admin, "POST", "/api/v1/funding/rounds", body)
    assert response.status_code == 422, response.json()
    assert "funder_id" in str(response.json())

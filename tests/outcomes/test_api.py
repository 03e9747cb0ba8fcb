"""/api/v1/instruments/{code}/score and /api/v1/referrals/{id}/responses."""

import datetime as dt

import pytest
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.outcomes.models import Response
from linkwork.referrals import services as referral_services

pytestmark = pytest.mark.django_db


def score(client, code, answers, **extra):
    return client.post(
        f"/api/v1/instruments/{code}/score",
        {"answers": answers},
        content_type="application/json",
        **extra,
    )


# --- Scoring --------------------------------------------------------------------------


def test_swemwbs_scores_raw_and_metric(persona):
    response = score(persona(Role.REFERRER), "swemwbs", [3, 3, 3, 3, 3, 4, 5])
    assert response.status_code == 200
    assert response.json() == {"instrument": "swemwbs", "raw": 24, "score": 21.54}


def test_ons4_scores_and_bands_each_item(persona):
    response = score(persona(Role.LINK_WORKER), "ons4", [4, 9, 5, 6])
    assert response.json() == {
        "instrument": "ons4",
        "raw": {"life_satisfaction": 4, "worthwhile": 9, "happiness": 5, "anxiety": 6},
        "score": {"life_satisfaction": 4, "worthwhile": 9, "happiness": 5, "anxiety": 6},
        "band": {
            "life_satisfaction": "low",
            "worthwhile": "very high",
            "happiness": "medium",
            "anxiety": "high",
        },
    }


def test_ucla3_raw_is_score_with_a_lonely_band(persona):
    assert score(persona(Role.PANEL), "ucla3", [2, 2, 1]).json() == {
        "instrument": "ucla3",
        "raw": 5,
        "score": 5,
        "band": "not_lonely",
    }
    assert score(persona(Role.PANEL), "ucla3", [3, 2, 1]).json()["band"] == "lonely"


@pytest.mark.parametrize(
    ("code", "answers", "field"),
    [
        ("swemwbs", [3, 3, 3, 3, 3, 3], "answers"),
        ("swemwbs", [3, 3, 3, 3, 3, 3, 3, 3], "answers"),
        ("swemwbs", [3, 3, 3, 3, 3, 3, 6], "answers.6"),
        ("swemwbs", [3, 3, True, 3, 3, 3, 3], "answers.2"),
        ("ons4", [5, 5, 2.5, 5], "answers.2"),
        ("ons4", [5, 5, 5, 11], "answers.3"),
        ("ons4", [5, "5", 5, 5], "answers.1"),
        ("ucla3", [1, 0, 1], "answers.1"),
        ("ucla3", [1, None, 1], "answers.1"),
        ("ucla3", "1,1,1", "answers"),
    ],
)
def test_bad_answers_are_422_naming_the_item(persona, code, answers, field):
    response = score(persona(Role.RESIDENT), code, answers)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]


def test_missing_answers_are_422(persona):
    client = persona(Role.COMMISSIONER)
    response = client.post("/api/v1/instruments/ons4/score", {}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "answers"


@pytest.mark.parametrize("code", ["wemwbs", "goals", "SWEMWBS", "nothing"])
def test_unknown_instruments_are_404(persona, code):
    assert score(persona(Role.ADMIN), code, [1]).status_code == 404


def test_scoring_needs_a_sign_in_or_token(anonymous):
    assert score(anonymous, "ons4", [5, 5, 5, 5]).status_code == 401


def test_scoring_accepts_a_bearer_token(db):
    from django.test import Client

    from linkwork.accounts.services import create_api_token
    from tests.factories import user_with_role

    user = user_with_role(Role.GROUP)
    _, token = create_api_token(user=user, by=user)
    response = score(Client(), "ucla3", [1, 1, 1], HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_score(persona, role):
    assert score(persona(role), "ons4", [5, 5, 5, 5]).status_code == 200


# --- Recording ------------------------------------------------------------------------


def post_response(client, referral, **body):
    return client.post(
        f"/api/v1/referrals/{referral.pk}/responses", body, content_type="application/json"
    )


def test_link_worker_records_a_scored_baseline(world, referral):
    response = post_response(
        world.link_worker,
        referral,
        instrument="swemwbs",
        timepoint="baseline",
        answers=[2, 2, 3, 2, 3, 2, 2],
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["complete"] is True and body["raw"] == 16 and body["score"] == 16.36
    saved = Response.objects.get(pk=body["id"])
    assert saved.recorded_by == world.link_worker.user
    assert saved.measures == {"swemwbs": {"score": "16.36", "band": ""}}
    event = AuditEvent.objects.filter(action="outcome_recorded").get()
    assert event.object_id == str(referral.pk)
    assert "16" not in event.summary  # no scores in the audit log


def test_ons4_response_reports_each_item(world, referral):
    body = post_response(
        world.link_worker,
        referral,
        instrument="ons4",
        timepoint="baseline",
        answers=[3, 4, 5, 8],
    ).json()
    assert body["score"] == {"life_satisfaction": 3, "worthwhile": 4, "happiness": 5, "anxiety": 8}
    assert body["band"]["anxiety"] == "high"


def test_an_incomplete_questionnaire_is_stored_and_never_scored(world, referral):
    response = post_response(
        world.link_worker,
        referral,
        instrument="swemwbs",
        timepoint="baseline",
        answers=[2, None, 3, 2, 3, 2, 2],
    )
    assert response.status_code == 201
    saved = Response.objects.get()
    assert saved.complete is False and saved.score is None and saved.measures == {}
    assert response.json()["score"] is None


def test_answers_off_the_scale_are_refused_and_nothing_is_stored(world, referral):
    response = post_response(
        world.link_worker, referral, instrument="ucla3", timepoint="baseline", answers=[1, 4, 1]
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "answers.1"
    assert not Response.objects.exists()


def test_a_second_baseline_is_a_409_with_a_clear_message(world, referral):
    answers = [2, 2, 2]
    first = post_response(
        world.link_worker, referral, instrument="ucla3", timepoint="baseline", answers=answers
    )
    assert first.status_code == 201
    second = post_response(
        world.link_worker, referral, instrument="ucla3", timepoint="baseline", answers=answers
    )
    assert second.status_code == 409
    assert "baseline UCLA-3 was already recorded" in second.json()["detail"]
    assert Response.objects.count() == 1
    # Follow-ups may repeat (6 and 12 weeks).
    for _ in range(2):
        follow = post_response(
            world.link_worker, referral, instrument="ucla3", timepoint="follow_up", answers=answers
        )
        assert follow.status_code == 201


def test_an_incomplete_baseline_can_be_redone(world, referral):
    post_response(
        world.link_worker, referral, instrument="ucla3", timepoint="baseline", answers=[2, None, 2]
    )
    again = post_response(
        world.link_worker, referral, instrument="ucla3", timepoint="baseline", answers=[2, 2, 2]
    )
    assert again.status_code == 201


def test_a_date_before_the_referral_is_refused(world, referral):
    before = timezone.localdate(referral.received_at) - dt.timedelta(days=1)
    response = post_response(
        world.link_worker,
        referral,
        instrument="ucla3",
        timepoint="baseline",
        answers=[1, 1, 1],
        completed_on=before.isoformat(),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "completed_on"
    assert "before the referral was received" in response.json()["errors"][0]["message"]


def test_a_follow_up_before_the_baseline_and_a_future_date_are_refused(world, referral):
    Response.objects.all().delete()
    today = timezone.localdate()
    referral.__class__.objects.filter(pk=referral.pk).update(
        received_at=timezone.now() - dt.timedelta(days=30)
    )
    ten_days_ago = (today - dt.timedelta(days=10)).isoformat()
    post_response(
        world.link_worker,
        referral,
        instrument="ucla3",
        timepoint="baseline",
        answers=[3, 3, 3],
        completed_on=ten_days_ago,
    )
    early = post_response(
        world.link_worker,
        referral,
        instrument="ucla3",
        timepoint="follow_up",
        answers=[2, 2, 2],
        completed_on=(today - dt.timedelta(days=20)).isoformat(),
    )
    assert early.status_code == 422
    assert "before the baseline" in early.json()["errors"][0]["message"]
    future = post_response(
        world.link_worker,
        referral,
        instrument="ucla3",
        timepoint="follow_up",
        answers=[2, 2, 2],
        completed_on=(today + dt.timedelta(days=1)).isoformat(),
    )
    assert future.status_code == 422


def test_unknown_instrument_or_timepoint_is_422(world, referral):
    assert (
        post_response(
            world.link_worker, referral, instrument="wemwbs", timepoint="baseline", answers=[1]
        ).status_code
        == 422
    )
    assert (
        post_response(
            world.link_worker, referral, instrument="ucla3", timepoint="later", answers=[1, 1, 1]
        ).status_code
        == 422
    )


def test_goals_are_rated_against_the_plan(world, referral):
    no_plan = post_response(
        world.link_worker, referral, instrument="goals", timepoint="baseline", answers=[3]
    )
    assert no_plan.status_code == 422
    referral_services.save_plan(
        referral=referral, goals=["Walk to the park", "Join a choir"], by=world.link_worker.user
    )
    response = post_response(
        world.link_worker, referral, instrument="goals", timepoint="baseline", answers=[3, 6]
    )
    assert response.status_code == 201
    assert response.json()["score"] == 4.5
    assert Response.objects.get().goals == ["Walk to the park", "Join a choir"]


def test_a_closed_referral_takes_only_closure_responses(world, referral):
    for to in ("contacted", "in_progress"):
        referral_services.transition_referral(referral=referral, to=to, by=world.link_worker.user)
    referral_services.transition_referral(
        referral=referral, to="closed", summary="Done.", by=world.link_worker.user
    )
    follow = post_response(
        world.link_worker, referral, instrument="ucla3", timepoint="follow_up", answers=[1, 1, 1]
    )
    assert follow.status_code == 409
    assert follow.json()["current_state"] == "closed"
    closure = post_response(
        world.link_worker, referral, instrument="ucla3", timepoint="closure", answers=[1, 1, 1]
    )
    assert closure.status_code == 201


def test_a_declined_referral_takes_nothing(world):
    from tests.outcomes.conftest import refer

    referral = refer(world)
    referral_services.transition_referral(
        referral=referral, to="declined", reason="Not eligible", by=world.link_worker.user
    )
    response = post_response(
        world.link_worker, referral, instrument="ucla3", timepoint="closure", answers=[1, 1, 1]
    )
    assert response.status_code == 409


def test_only_the_services_link_workers_may_record(world, referral):
    body = {"instrument": "ucla3", "timepoint": "baseline", "answers": [1, 1, 1]}
    # Another service's link worker, a group, a commissioner: the referral is not theirs.
    for client in (world.other_link_worker, world.group, world.commissioner):
        assert post_response(client, referral, **body).status_code == 404
    # The referrer sees their referral, but may not record outcomes on it.
    assert post_response(world.gp, referral, **body).status_code == 403
    assert not Response.objects.exists()


def test_listing_responses_is_for_the_services_link_workers(world, referral):
    post_response(
        world.link_worker, referral, instrument="ons4", timepoint="baseline", answers=[5, 5, 5, 5]
    )
    listed = world.link_worker.get(f"/api/v1/referrals/{referral.pk}/responses")
    assert listed.status_code == 200
    assert [r["instrument"] for r in listed.json()["items"]] == ["ons4"]
    assert (
        world.other_link_worker.get(f"/api/v1/referrals/{referral.pk}/responses").status_code == 404
    )
    assert world.gp.get(f"/api/v1/referrals/{referral.pk}/responses").status_code == 403


def test_the_database_refuses_a_second_baseline_that_slips_past_the_check(
    world, referral, monkeypatch
):
    from linkwork.errors import Conflict
    from linkwork.outcomes import services

    services.record_response(
        referral=referral,
        instrument_code="ucla3",
        timepoint="baseline",
        answers=[2, 2, 2],
        by=world.link_worker.user,
    )
    monkeypatch.setattr(services, "_check_once", lambda *args: None)
    with pytest.raises(Conflict):
        services.record_response(
            referral=referral,
            instrument_code="ucla3",
            timepoint="baseline",
            answers=[1, 1, 1],
            by=world.link_worker.user,
        )
    assert Response.objects.count() == 1

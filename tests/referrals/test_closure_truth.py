"""The record tells the truth at closure: reviews nobody did are cancelled, never done;
closing prompts for the closure questionnaires of instruments with a baseline; a closed
referral can be reopened, with a reason, within REOPEN_WINDOW_DAYS and not after."""

import datetime as dt
import html as html_lib
import importlib
from unittest import mock

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from linkwork.audit.models import AuditEvent
from linkwork.errors import Conflict, InvalidInput
from linkwork.outcomes import services as outcome_services
from linkwork.referrals import selectors, services
from linkwork.referrals import transitions as t
from linkwork.referrals.models import FeedbackRequest, FollowUp, FollowUpKind, Referral
from tests.referrals.conftest import REFERRAL

pytestmark = pytest.mark.django_db

SUMMARY = "Going to the health walk every week; money advice done."


def in_progress(world) -> Referral:
    link_worker = world.link_worker.user
    referral = services.create_referral(
        person=REFERRAL["person"],
        source="gp",
        reasons=REFERRAL["reasons"],
        consent_to_refer=True,
        share_with_groups=True,
        service=world.service,
        by=world.gp.user,
    )
    for to in (t.ACCEPTED, t.CONTACTED, t.IN_PROGRESS):
        services.transition_referral(referral=referral, to=to, by=link_worker)
    return referral


def closed(world) -> Referral:
    referral = in_progress(world)
    services.transition_referral(
        referral=referral, to=t.CLOSED, summary=SUMMARY, by=world.link_worker.user
    )
    return referral


def page(client, referral) -> str:
    response = client.get(reverse("referral-detail", args=[referral.pk]))
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


# --- Reviews: done means someone did it ------------------------------------------------


def test_closing_a_case_leaves_no_review_marked_done_that_nobody_did(world):
    link_worker = world.link_worker.user
    referral = in_progress(world)
    connection = services.propose_connection(referral=referral, asset=world.walk, by=link_worker)
    services.send_connection(connection=connection, by=link_worker)
    services.accept_connection(connection=connection, by=world.group.user)
    six = referral.follow_ups.get(kind=FollowUpKind.SIX_WEEKS)
    services.complete_follow_up(follow_up=six, outcome="Rang Pat: settling in.", by=link_worker)

    services.transition_referral(referral=referral, to=t.CLOSED, summary=SUMMARY, by=link_worker)

    reviews = {f.kind: f for f in referral.follow_ups.all()}
    assert set(reviews) == {"six_weeks", "twelve_weeks", "connection_review"}
    # Done: only the one somebody did, with what they said.
    assert list(FollowUp.objects.done().filter(referral=referral)) == [six]
    assert reviews["six_weeks"].outcome == "Rang Pat: settling in."
    for kind in ("twelve_weeks", "connection_review"):
        review = reviews[kind]
        assert review.state == "cancelled" and review.completed_at is None
        assert review.cancelled_reason == "closed" and review.outcome == ""
    assert not FollowUp.objects.pending().filter(referral=referral).exists()
    assert AuditEvent.objects.filter(
        action="follow_ups_cancelled", object_id=str(referral.pk)
    ).exists()

    shown = page(world.link_worker, referral)
    assert "Six-week review</strong>: done" in shown
    assert "Twelve-week review</strong>: not done, cancelled" in shown
    assert "because the referral was closed" in shown
    assert "Twelve-week review</strong>: done" not in shown


def test_the_api_tells_a_cancelled_review_from_a_done_one(world):
    referral = closed(world)
    cancelled = referral.follow_ups.first()
    response = post(
        world.link_worker, f"/api/v1/follow-ups/{cancelled.pk}/complete", {"outcome": "Done"}
    )
    assert response.status_code == 409
    assert response.json()["current_state"] == "cancelled"
    cancelled.refresh_from_db()
    assert cancelled.completed_at is None and cancelled.outcome == ""

    from linkwork.referrals.api import follow_up_out

    body = follow_up_out(cancelled)
    assert body["status"] == "cancelled" and body["completed_at"] is None
    assert body["cancelled_at"] is not None and body["cancelled_reason"] == "closed"


def test_a_review_done_through_the_api_says_done(world):
    referral = in_progress(world)
    review = referral.follow_ups.get(kind=FollowUpKind.SIX_WEEKS)
    url = f"/api/v1/follow-ups/{review.pk}/complete"
    body = post(world.link_worker, url, {"outcome": "Rang Pat."}).json()
    assert body["status"] == "done" and body["cancelled_at"] is None


@pytest.mark.parametrize(
    ("outcome", "cancelled_reason"),
    [
        ("Closed with the referral.", "closed"),
        ("The referral was declined.", "declined"),
        ("The referral was returned.", "returned"),
    ],
)
def test_migration_turns_reviews_ended_with_the_referral_into_cancelled(
    world, outcome, cancelled_reason
):
    referral = in_progress(world)
    ended, done = referral.follow_ups.order_by("due_on")
    at = timezone.now() - dt.timedelta(days=3)
    FollowUp.objects.filter(pk=ended.pk).update(completed_at=at, outcome=outcome)
    FollowUp.objects.filter(pk=done.pk).update(completed_at=at, outcome="Rang them: all well.")

    migration = importlib.import_module(
        "linkwork.referrals.migrations.0007_follow_ups_ended_are_cancelled"
    )
    migration.forwards(apps, None)

    ended.refresh_from_db()
    done.refresh_from_db()
    assert ended.state == "cancelled" and ended.cancelled_at == at
    assert ended.cancelled_reason == cancelled_reason and ended.outcome == ""
    assert done.state == "done" and done.outcome == "Rang them: all well."


# --- Closing prompts for closure questionnaires ----------------------------------------


def test_closing_prompts_for_the_closure_questionnaires_of_instruments_with_a_baseline(world):
    referral = in_progress(world)
    closure_link = "?timepoint=closure"
    swemwbs = reverse("outcomes-record", args=[referral.pk, "swemwbs"]) + closure_link
    ons4 = reverse("outcomes-record", args=[referral.pk, "ons4"]) + closure_link
    assert swemwbs not in page(world.link_worker, referral)  # no baseline: nothing to compare

    outcome_services.record_response(
        referral=referral,
        instrument_code="swemwbs",
        timepoint="baseline",
        answers=[2, 2, 2, 2, 2, 2, 2],
        by=world.link_worker.user,
    )
    shown = page(world.link_worker, referral)
    assert swemwbs in shown and ons4 not in shown
    assert "Before you close, ask the closure questionnaires" in shown
    assert "Close the referral" in shown  # a prompt, not a blocker

    outcome_services.record_response(
        referral=referral,
        instrument_code="swemwbs",
        timepoint="closure",
        answers=[3, 3, 3, 3, 3, 3, 3],
        by=world.link_worker.user,
    )
    assert swemwbs not in page(world.link_worker, referral)


def test_a_closed_case_still_prompts_for_closure_questionnaires_not_yet_recorded(world):
    referral = in_progress(world)
    outcome_services.record_response(
        referral=referral,
        instrument_code="ons4",
        timepoint="baseline",
        answers=[4, 5, 5, 7],
        by=world.link_worker.user,
    )
    services.transition_referral(
        referral=referral, to=t.CLOSED, summary=SUMMARY, by=world.link_worker.user
    )
    shown = page(world.link_worker, referral)
    assert "Still to ask the closure questionnaires" in shown
    assert reverse("outcomes-record", args=[referral.pk, "ons4"]) + "?timepoint=closure" in shown


# --- Reopening ---------------------------------------------------------------------------


def test_reopening_within_the_window_puts_the_case_back_in_progress(world, mailoutbox):
    referral = closed(world)
    assert FeedbackRequest.objects.filter(referral=referral).count() == 1
    mailoutbox.clear()

    services.transition_referral(
        referral=referral,
        to=t.IN_PROGRESS,
        reason="Pat rang back: wants more support.",
        by=world.link_worker.user,
    )

    referral.refresh_from_db()
    assert referral.status == t.IN_PROGRESS
    assert referral.closed_at is None
    closing, reopening = list(referral.events.all())[-2:]
    assert closing.to_status == t.CLOSED and closing.by == world.link_worker.user
    assert (reopening.from_status, reopening.to_status) == (t.CLOSED, t.IN_PROGRESS)
    assert reopening.reason == "Pat rang back: wants more support."
    # The reviews the closure cancelled are to do again; the feedback request stays.
    assert referral.follow_ups.pending().count() == 2
    assert FeedbackRequest.objects.filter(referral=referral).count() == 1
    assert AuditEvent.objects.filter(action="referral_reopened", object_id=str(referral.pk))
    assert [m.to for m in mailoutbox] == [[world.gp.user.email]]

    services.transition_referral(
        referral=referral, to=t.CLOSED, summary="Closed again.", by=world.link_worker.user
    )
    referral.refresh_from_db()
    assert referral.closure_summary == "Closed again." and referral.closed_at is not None
    assert [e.to_status for e in referral.events.all()][-3:] == ["closed", "in_progress", "closed"]
    assert FeedbackRequest.objects.filter(referral=referral).count() == 1  # not asked twice


def test_reopening_needs_a_reason(world):
    referral = closed(world)
    with pytest.raises(InvalidInput) as refused:
        services.transition_referral(
            referral=referral, to=t.IN_PROGRESS, reason="  ", by=world.link_worker.user
        )
    assert "reason" in refused.value.errors
    assert Referral.objects.get(pk=referral.pk).status == t.CLOSED


@pytest.mark.parametrize(
    ("after_closing", "allowed"),
    [
        (dt.timedelta(days=29, hours=23), True),
        (dt.timedelta(days=30), True),  # the edge: the last moment of the window
        (dt.timedelta(days=30, seconds=1), False),
        (dt.timedelta(days=45), False),
    ],
)
def test_reopening_is_allowed_only_within_the_window(world, settings, after_closing, allowed):
    settings.REOPEN_WINDOW_DAYS = 30
    referral = closed(world)
    later = referral.closed_at + after_closing
    with mock.patch("django.utils.timezone.now", return_value=later):
        if allowed:
            services.transition_referral(
                referral=referral,
                to=t.IN_PROGRESS,
                reason="More support.",
                by=world.link_worker.user,
            )
        else:
            with pytest.raises(Conflict) as refused:
                services.transition_referral(
                    referral=referral,
                    to=t.IN_PROGRESS,
                    reason="More support.",
                    by=world.link_worker.user,
                )
            assert refused.value.current_state == t.CLOSED
            assert "more than 30 days ago" in refused.value.message
    referral.refresh_from_db()
    assert referral.status == (t.IN_PROGRESS if allowed else t.CLOSED)
    assert (referral.closed_at is None) is allowed


def test_the_window_is_a_setting(world, settings):
    settings.REOPEN_WINDOW_DAYS = 5
    referral = closed(world)
    Referral.objects.filter(pk=referral.pk).update(closed_at=timezone.now() - dt.timedelta(days=6))
    with pytest.raises(Conflict):
        services.transition_referral(
            referral=referral, to=t.IN_PROGRESS, reason="More.", by=world.link_worker.user
        )


def test_reopening_through_the_api(world, settings):
    settings.REOPEN_WINDOW_DAYS = 30
    referral = closed(world)
    url = f"/api/v1/referrals/{referral.pk}/transitions"

    missing = post(world.link_worker, url, {"to": "in_progress"})
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["reason"]
    assert post(world.gp, url, {"to": "in_progress", "reason": "x"}).status_code == 403
    assert (
        post(world.other_link_worker, url, {"to": "in_progress", "reason": "x"}).status_code == 404
    )
    assert Referral.objects.get(pk=referral.pk).status == t.CLOSED

    body = post(world.link_worker, url, {"to": "in_progress", "reason": "Rang back."}).json()
    assert body["status"] == "in_progress" and body["closure"] is None
    assert body["history"][-1]["reason"] == "Rang back."


def test_the_api_refuses_reopening_after_the_window_naming_the_state(world, settings):
    settings.REOPEN_WINDOW_DAYS = 30
    referral = closed(world)
    Referral.objects.filter(pk=referral.pk).update(closed_at=timezone.now() - dt.timedelta(days=31))
    response = post(
        world.link_worker,
        f"/api/v1/referrals/{referral.pk}/transitions",
        {"to": "in_progress", "reason": "Rang back."},
    )
    assert response.status_code == 409
    assert response.json()["current_state"] == "closed"
    assert "can no longer be reopened" in response.json()["detail"]
    assert Referral.objects.get(pk=referral.pk).status == t.CLOSED


@pytest.mark.parametrize("ended", [t.DECLINED, t.RETURNED])
def test_declined_or_returned_referrals_cannot_be_reopened(world, ended):
    referral = services.create_referral(
        person=REFERRAL["person"],
        source="gp",
        reasons=REFERRAL["reasons"],
        consent_to_refer=True,
        service=world.service,
        by=world.gp.user,
    )
    services.transition_referral(
        referral=referral, to=ended, reason="Not for us.", by=world.link_worker.user
    )
    with pytest.raises(Conflict):
        services.transition_referral(
            referral=referral, to=t.IN_PROGRESS, reason="Again.", by=world.link_worker.user
        )


def test_the_closed_case_page_reopens_with_a_reason(world):
    referral = closed(world)
    shown = page(world.link_worker, referral)
    assert "Reopen the referral" in shown and "You can reopen it until" in shown
    url = reverse("casework-transition", args=[referral.pk])

    refused = world.link_worker.post(url, {"to": "in_progress", "reason": ""})
    assert refused.status_code == 200
    text = html_lib.unescape(refused.content.decode())
    assert "There is a problem" in text and "Say why the referral is being reopened" in text
    assert 'href="#reopen-reason"' in text
    assert Referral.objects.get(pk=referral.pk).status == t.CLOSED

    done = world.link_worker.post(url, {"to": "in_progress", "reason": "Rang back."})
    assert done.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == t.IN_PROGRESS
    # The next closing summary starts from the last one.
    again = page(world.link_worker, Referral.objects.get(pk=referral.pk))
    assert "Close the referral" in again and f">{SUMMARY}</textarea>" in again


def test_after_the_window_the_case_page_offers_no_reopening(world, settings):
    settings.REOPEN_WINDOW_DAYS = 30
    referral = closed(world)
    Referral.objects.filter(pk=referral.pk).update(closed_at=timezone.now() - dt.timedelta(days=31))
    shown = page(world.link_worker, referral)
    assert "Reopen the referral" not in shown
    assert "can no longer be reopened" in shown
    assert selectors.reopen_until(Referral.objects.get(pk=referral.pk)) < timezone.now()


def test_automatic_changes_of_a_referral_say_their_cause_in_the_history(world):
    link_worker = world.link_worker.user
    referral = services.create_referral(
        person=REFERRAL["person"],
        source="gp",
        reasons=REFERRAL["reasons"],
        consent_to_refer=True,
        service=world.service,
        by=world.gp.user,
    )
    services.transition_referral(referral=referral, to=t.ACCEPTED, by=link_worker)
    services.record_conversation(referral=referral, what_matters="Getting out.", by=link_worker)
    connection = services.propose_connection(referral=referral, asset=world.walk, by=link_worker)
    services.send_connection(connection=connection, by=link_worker)
    reasons = {e.to_status: e.reason for e in referral.events.all()}
    assert reasons[t.CONTACTED] == "A what-matters conversation."
    assert reasons[t.IN_PROGRESS] == "A connection to Health walk was sent."

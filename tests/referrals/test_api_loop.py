"""The whole closed loop through /api/v1 only, as the browser journey walks it: the GP
refers; the link worker accepts, holds the what-matters conversation, plans, proposes
two connections (one to a full group: refused with alternatives, then withdrawn); the
group accepts and records the first session; an unmet need is recorded; reviews fall
due and are done; the referral closes and the GP reads the summary."""

import copy
import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from linkwork.referrals.models import FeedbackRequest
from tests.referrals.conftest import REFERRAL

pytestmark = pytest.mark.django_db

EMAIL = "pat.holden@example.com"


def post(client, url, body, method="post"):
    return getattr(client, method)(url, body, content_type="application/json")


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.json()
    return response.json()


def due_by(client, days: int) -> list[dict]:
    day = timezone.localdate() + dt.timedelta(days=days)
    return ok(client.get("/api/v1/follow-ups", {"due_by": day.isoformat()}))["items"]


def test_the_closed_loop_runs_through_the_api(world, mailoutbox):
    cache.clear()
    gp, lw, group = world.gp, world.link_worker, world.group
    body = copy.deepcopy(REFERRAL)
    body["person"]["email"] = EMAIL
    body["consent"]["contact_methods"] = ["phone", "email"]

    # The GP refers.
    created = ok(post(gp, "/api/v1/referrals", body), 201)
    assert created["status"] == "received"
    base = f"/api/v1/referrals/{created['id']}"
    assert [r["id"] for r in ok(lw.get("/api/v1/referrals"))["items"]] == [created["id"]]

    # Triage: accepted; the six- and twelve-week reviews are scheduled, none due yet.
    assert ok(post(lw, f"{base}/transitions", {"to": "accepted"}))["status"] == "accepted"
    assert ok(lw.get("/api/v1/follow-ups"))["items"] == []
    assert [f["kind"] for f in due_by(lw, 42)] == ["six_weeks"]

    # The what-matters conversation counts as first contact.
    conversation = {
        "what_matters": "Seeing people again since Jim died.",
        "strengths": "Loves gardening.",
        "needs": {"need-loneliness": "I don't talk to anyone all week."},
    }
    bad = post(lw, f"{base}/conversations", {**conversation, "needs": {"need-made-up": "x"}})
    assert bad.status_code == 422
    assert ok(post(lw, f"{base}/conversations", conversation), 201)["referral_status"] == (
        "contacted"
    )
    assert post(lw, f"{base}/plan", {"goals": [" "]}, method="put").status_code == 422
    plan = ok(post(lw, f"{base}/plan", {"goals": ["Get out twice a week"]}, method="put"))
    assert plan["goals"] == ["Get out twice a week"]

    # A full group refuses, with open alternatives; the connection is withdrawn.
    full = ok(
        post(lw, f"{base}/connections", {"service_id": world.full.pk, "share": ["first_name"]}),
        201,
    )
    full_url = f"/api/v1/connections/{full['id']}/transitions"
    refused = post(lw, full_url, {"to": "sent"})
    assert refused.status_code == 409 and refused.json()["current_state"] == "proposed"
    assert [a["name"] for a in refused.json()["alternatives"]] == ["Health walk"]
    withdrawn = ok(post(lw, full_url, {"to": "withdrawn", "reason": "Full until spring."}))
    assert withdrawn["status"] == "withdrawn"

    # The open group is sent the consented fields only.
    walk = ok(
        post(
            lw,
            f"{base}/connections",
            {"service_id": world.walk.pk, "share": ["first_name", "access_needs"]},
        ),
        201,
    )
    walk_url = f"/api/v1/connections/{walk['id']}/transitions"
    assert ok(post(lw, walk_url, {"to": "sent"}))["status"] == "sent"
    assert ok(lw.get(base))["status"] == "in_progress"

    # The group sees only its own sent connection, accepts and records the first session.
    inbox = ok(group.get("/api/v1/connections"))["items"]
    assert [c["id"] for c in inbox] == [walk["id"]]
    assert inbox[0]["shared"] == {"First name": "Pat", "Access needs": "Uses a walking stick"}
    assert ok(post(group, walk_url, {"to": "accepted"}))["status"] == "accepted"
    assert ok(post(group, walk_url, {"to": "attended_first"}))["status"] == "attended_first"

    # A need nothing could meet.
    unmet = post(lw, f"{base}/unmet-needs", {"category": "need-loneliness", "reason": "cost"})
    assert ok(unmet, 201)["reason"] == "cost"

    # Reviews fall due: the connection's after two weeks, then the six-week review.
    assert [f["kind"] for f in due_by(lw, 14)] == ["connection_review"]
    reviews = due_by(lw, 42)
    assert [f["kind"] for f in reviews] == ["connection_review", "six_weeks"]
    assert reviews[0]["service_name"] == "Health walk"
    assert "Pat" not in str(reviews)  # a list of reviews names nobody
    for review in reviews:
        url = f"/api/v1/follow-ups/{review['id']}/complete"
        assert post(lw, url, {"outcome": " "}).status_code == 422
        done = ok(post(lw, url, {"outcome": "Going every Tuesday."}))
        assert done["completed_at"] is not None
        assert post(lw, url, {"outcome": "Again"}).status_code == 409
    assert [f["kind"] for f in due_by(lw, 42)] == []

    # Closure needs a summary; the person is emailed a feedback link.
    assert post(lw, f"{base}/transitions", {"to": "closed"}).status_code == 422
    closed = ok(post(lw, f"{base}/transitions", {"to": "closed", "summary": "Walking weekly."}))
    assert closed["status"] == "closed"
    assert closed["person_feedback"]["state"] == "waiting"
    assert [f["kind"] for f in due_by(lw, 365)] == []  # the twelve-week review ends too

    # The GP sees the status, the history and the summary, and no case notes.
    seen = ok(gp.get(base))
    assert seen["status"] == "closed" and seen["person"] is None
    assert [e["to_status"] for e in seen["history"]] == [
        "received",
        "accepted",
        "contacted",
        "in_progress",
        "closed",
    ]
    closure = seen["closure"]
    assert closure["summary"] == "Walking weekly."
    assert closure["connections"] == [{"service": "Health walk", "status": "attended_first"}]
    assert closure["unmet_needs"] == [{"category": "need-loneliness", "reason": "cost"}]
    assert closure["snomed"]["code"] == "871731000000106"
    assert closure["person_feedback"] == {"link_sent": True, "rating": None}
    assert "Jim" not in str(seen) and "gardening" not in str(seen)

    # The person answers by their link (no account); the GP sees the rating.
    (email,) = [m for m in mailoutbox if m.to == [EMAIL]]
    token = re.search(r"/feedback/([\w-]+)/", email.body).group(1)
    answer = Client().post(f"/feedback/{token}/", {"rating": "5", "comment": "Life-changing."})
    assert answer.status_code == 302
    assert ok(gp.get(base))["closure"]["person_feedback"] == {"link_sent": True, "rating": 5}
    assert "Life-changing." not in str(ok(gp.get(base)))
    assert ok(lw.get(base))["person_feedback"]["comment"] == "Life-changing."
    assert FeedbackRequest.objects.get().rating == 5


# --- The new routes' permissions and bad input ----------------------------------------


@pytest.fixture
def accepted_id(world) -> int:
    created = ok(post(world.gp, "/api/v1/referrals", REFERRAL), 201)
    ok(
        post(
            world.link_worker, f"/api/v1/referrals/{created['id']}/transitions", {"to": "accepted"}
        )
    )
    return created["id"]


def test_only_the_services_link_workers_record_conversations_and_plans(world, accepted_id):
    base = f"/api/v1/referrals/{accepted_id}"
    talk = {"what_matters": "x"}
    for client in (world.other_link_worker, world.group, world.commissioner):
        assert post(client, f"{base}/conversations", talk).status_code == 404
        assert post(client, f"{base}/plan", {"goals": ["x"]}, method="put").status_code == 404
    # The referrer can see the referral, but not work on it.
    assert post(world.gp, f"{base}/conversations", talk).status_code == 403
    assert post(world.gp, f"{base}/plan", {"goals": ["x"]}, method="put").status_code == 403
    assert post(world.link_worker, f"{base}/conversations", {"what_matters": " "}).status_code == (
        422
    )


def test_a_conversation_before_acceptance_is_409(world):
    created = ok(post(world.gp, "/api/v1/referrals", REFERRAL), 201)
    response = post(
        world.link_worker,
        f"/api/v1/referrals/{created['id']}/conversations",
        {"what_matters": "x"},
    )
    assert response.status_code == 409 and response.json()["current_state"] == "received"


def test_reviews_are_seen_and_done_only_by_the_services_link_workers(world, accepted_id):
    (review,) = due_by(world.link_worker, 42)
    url = f"/api/v1/follow-ups/{review['id']}/complete"
    for client in (world.other_link_worker, world.gp, world.group, world.commissioner):
        assert due_by(client, 365) == []
        assert post(client, url, {"outcome": "Done"}).status_code == 404
    assert ok(post(world.link_worker, url, {"outcome": "Done"}))["outcome"] == "Done"


def test_a_bad_due_by_date_is_422(world):
    response = world.link_worker.get("/api/v1/follow-ups", {"due_by": "next tuesday"})
    assert response.status_code == 422

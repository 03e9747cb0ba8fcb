"""The closed loop through /api/v1, with the permissions and errors of DESIGN.md §9."""

import copy

import pytest

from linkwork.audit.models import AuditEvent
from linkwork.referrals.models import Person, Referral
from tests.referrals.conftest import REFERRAL

pytestmark = pytest.mark.django_db


def post(client, url, body, **headers):
    return client.post(url, body, content_type="application/json", **headers)


def refer(world, body=None):
    response = post(world.gp, "/api/v1/referrals", body or REFERRAL)
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def move(client, url, **body):
    return post(client, url, body)


def test_a_gp_refers_and_the_service_receives_it(world):
    response = post(world.gp, "/api/v1/referrals", REFERRAL)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "received"
    referral = Referral.objects.get(pk=body["id"])
    assert referral.service == world.service
    assert referral.person.area == world.lsoa
    assert referral.consent_recorded_by == world.gp.user
    queue = world.link_worker.get("/api/v1/referrals").json()["items"]
    assert [r["id"] for r in queue] == [body["id"]]
    assert queue[0]["person"]["given_name"] == "Pat"


def test_the_referrer_sees_status_but_not_case_detail(world):
    referral_id = refer(world)
    body = world.gp.get(f"/api/v1/referrals/{referral_id}").json()
    assert body["status"] == "received"
    assert body["person"] is None and body["eligibility_flags"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"person": {"nhs_number": "9434765918"}}, "person.nhs_number"),
        ({"person": {"birth_date": "2099-01-01"}}, "person.birth_date"),
        ({"person": {"postcode": "ZZ9 9ZZ"}}, "person.postcode"),
        ({"person": {"postcode": "nonsense"}}, "person.postcode"),
        ({"reasons": ["need-made-up"]}, "reasons"),
        ({"reasons": ["activity-walking"]}, "reasons"),
        ({"reasons": []}, "reasons"),
        ({"consent": {"to_refer": False}}, "consent.to_refer"),
        ({"source": "carrier_pigeon"}, "source"),
    ],
)
def test_bad_referrals_are_422_naming_the_field_and_save_nothing(world, change, field):
    body = copy.deepcopy(REFERRAL)
    for key, value in change.items():
        if isinstance(value, dict):
            body[key] = {**body[key], **value}
        else:
            body[key] = value
    response = post(world.gp, "/api/v1/referrals", body)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert not Referral.objects.exists() and not Person.objects.exists()


def test_a_double_submission_makes_one_referral(world):
    first = post(world.gp, "/api/v1/referrals", REFERRAL, HTTP_IDEMPOTENCY_KEY="abc-123")
    second = post(world.gp, "/api/v1/referrals", REFERRAL, HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.json()["id"] == second.json()["id"]
    assert Referral.objects.count() == 1


def test_the_same_person_referred_twice_is_one_person(world):
    refer(world)
    refer(world)
    assert Person.objects.count() == 1 and Referral.objects.count() == 2


@pytest.mark.parametrize("client_name", ["group", "commissioner"])
def test_roles_that_do_not_refer_get_403(world, client_name):
    assert post(getattr(world, client_name), "/api/v1/referrals", REFERRAL).status_code == 403


def test_transitions_follow_the_table_and_name_the_current_state(world):
    referral_id = refer(world)
    url = f"/api/v1/referrals/{referral_id}/transitions"
    response = move(world.link_worker, url, to="closed", summary="x")
    assert response.status_code == 409
    assert response.json()["current_state"] == "received"
    assert move(world.link_worker, url, to="declined").status_code == 422  # needs a reason
    assert move(world.link_worker, url, to="teleported").status_code == 422
    assert move(world.link_worker, url, to="accepted").json()["status"] == "accepted"


def test_only_the_services_link_workers_move_a_referral(world):
    referral_id = refer(world)
    url = f"/api/v1/referrals/{referral_id}/transitions"
    assert move(world.gp, url, to="accepted").status_code == 403
    assert move(world.other_link_worker, url, to="accepted").status_code == 404


def test_other_people_cannot_see_a_referral(world):
    referral_id = refer(world)
    for client in (world.other_gp, world.other_link_worker, world.group, world.commissioner):
        assert client.get(f"/api/v1/referrals/{referral_id}").status_code == 404
        assert client.get("/api/v1/referrals").json()["items"] == []


def test_reading_a_referral_is_audited(world):
    referral_id = refer(world)
    world.link_worker.get(f"/api/v1/referrals/{referral_id}")
    assert AuditEvent.objects.filter(
        action="referral_viewed", object_id=str(referral_id), actor_id=world.link_worker.user.pk
    ).exists()


def _to_in_progress(world) -> int:
    referral_id = refer(world)
    Referral.objects.filter(pk=referral_id).update(status="contacted")
    return referral_id


def test_the_whole_loop_through_the_api(world, mailoutbox):
    referral_id = refer(world)
    lw = world.link_worker
    base = f"/api/v1/referrals/{referral_id}"
    assert move(lw, f"{base}/transitions", to="accepted").status_code == 200
    assert move(lw, f"{base}/transitions", to="contacted").status_code == 200

    # A full group refuses, suggesting open alternatives nearby.
    full = post(lw, f"{base}/connections", {"service_id": world.full.pk, "share": ["first_name"]})
    assert full.status_code == 201 and full.json()["status"] == "proposed"
    refused = move(lw, f"/api/v1/connections/{full.json()['id']}/transitions", to="sent")
    assert refused.status_code == 409
    assert refused.json()["current_state"] == "proposed"
    assert [a["name"] for a in refused.json()["alternatives"]] == ["Health walk"]

    # An open group is sent the consented fields only.
    created = post(
        lw,
        f"{base}/connections",
        {"service_id": world.walk.pk, "share": ["first_name", "access_needs"], "accompanied": True},
    )
    connection_id = created.json()["id"]
    sent = move(lw, f"/api/v1/connections/{connection_id}/transitions", to="sent")
    assert sent.json()["status"] == "sent"
    assert Referral.objects.get(pk=referral_id).status == "in_progress"
    inbox = world.group.get("/api/v1/connections").json()["items"]
    assert len(inbox) == 1
    assert inbox[0]["shared"] == {"First name": "Pat", "Access needs": "Uses a walking stick"}
    assert inbox[0]["referral_id"] is None
    assert "Holden" not in str(inbox)
    assert any(
        "Sign in to" in m.body and "http" in m.body and "Pat" not in m.body for m in mailoutbox
    )

    # The group answers and records attendance.
    url = f"/api/v1/connections/{connection_id}/transitions"
    assert move(world.group, url, to="accepted").json()["status"] == "accepted"
    assert move(world.group, url, to="attended_first").json()["status"] == "attended_first"

    # A need nothing could meet, then closure; the referrer sees the summary.
    unmet = post(
        lw, f"{base}/unmet-needs", {"category": "need-loneliness", "reason": "none_exists"}
    )
    assert unmet.status_code == 201 and unmet.json()["area_code"] == "E01004800"
    assert move(lw, f"{base}/transitions", to="closed").status_code == 422  # needs a summary
    move(lw, f"{base}/transitions", to="closed", summary="Walking weekly; bereavement group next.")
    closure = world.gp.get(base).json()["closure"]
    assert closure["summary"] == "Walking weekly; bereavement group next."
    assert {"service": "Health walk", "status": "attended_first"} in closure["connections"]
    assert closure["unmet_needs"] == [{"category": "need-loneliness", "reason": "none_exists"}]
    assert closure["snomed"]["code"] == "871731000000106"


def test_sharing_without_consent_is_refused(world):
    body = copy.deepcopy(REFERRAL)
    body["consent"]["share_with_groups"] = False
    referral_id = refer(world, body)
    Referral.objects.filter(pk=referral_id).update(status="contacted")
    response = post(
        world.link_worker,
        f"/api/v1/referrals/{referral_id}/connections",
        {"service_id": world.walk.pk, "share": ["first_name"]},
    )
    assert response.status_code == 422


def test_groups_see_and_answer_only_connections_to_their_own_assets(world):
    referral_id = _to_in_progress(world)
    created = post(
        world.link_worker,
        f"/api/v1/referrals/{referral_id}/connections",
        {"service_id": world.walk.pk},
    ).json()
    url = f"/api/v1/connections/{created['id']}/transitions"
    assert world.group.get("/api/v1/connections").json()["items"] == []  # proposed: not sent yet
    move(world.link_worker, url, to="sent")
    assert world.other_group.get("/api/v1/connections").json()["items"] == []
    assert move(world.other_group, url, to="accepted").status_code == 404
    assert move(world.group, url, to="sent").status_code == 403  # only link workers send
    assert move(world.group, url, to="declined").status_code == 422  # needs a reason


def test_a_group_cannot_send_connections(world):
    referral_id = _to_in_progress(world)
    created = post(
        world.link_worker,
        f"/api/v1/referrals/{referral_id}/connections",
        {"service_id": world.walk.pk},
    ).json()
    move(world.link_worker, f"/api/v1/connections/{created['id']}/transitions", to="sent")
    response = move(world.group, f"/api/v1/connections/{created['id']}/transitions", to="proposed")
    assert response.status_code == 403

"""Clients and security: bearer tokens only, scopes, each client sees only its own."""

import pytest

from linkwork.accounts.roles import Role
from linkwork.accounts.services import create_api_token
from linkwork.audit.models import AuditEvent
from linkwork.interop.fhir.services import create_client, revoke_client
from tests.factories import user_with_role
from tests.interop.fhir.conftest import FhirClient, service_request

pytestmark = pytest.mark.django_db


def test_no_token_is_401_with_an_outcome(world):
    for response in (
        FhirClient(None).get("/fhir/Task"),
        FhirClient("lw_nonsense").get("/fhir/Task"),
        FhirClient(None).post("/fhir/ServiceRequest", service_request()),
    ):
        assert response.status_code == 401
        assert response.json()["resourceType"] == "OperationOutcome"
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_answers_are_never_cached(world, gp_system):
    assert "no-store" in gp_system.get("/fhir/Task")["Cache-Control"]
    assert "no-store" in FhirClient(None).get("/fhir/metadata")["Cache-Control"]


def test_a_session_is_not_a_credential(world):
    assert world.gp.get("/fhir/Task").status_code == 401


def test_metadata_needs_no_token(world):
    assert FhirClient(None).get("/fhir/metadata").status_code == 200


def test_a_referrers_own_api_token_works_for_their_organisation(world):
    _, raw = create_api_token(user=world.gp.user, by=None)
    gp = FhirClient(raw)
    created = gp.post("/fhir/ServiceRequest", service_request())
    assert created.status_code == 201
    sr_id = created.json()["id"]
    assert gp.get(f"/fhir/Task/{sr_id}").json()["status"] == "requested"
    # the link worker's own token reads the service's Tasks too
    _, lw_raw = create_api_token(user=world.link_worker.user, by=None)
    assert FhirClient(lw_raw).get(f"/fhir/Task/{sr_id}").status_code == 200
    # a group's token may not refer
    _, group_raw = create_api_token(user=world.group.user, by=None)
    assert FhirClient(group_raw).post("/fhir/ServiceRequest", service_request()).status_code == 403


def test_a_client_sees_only_its_own_referrals(world, gp_system, other_gp_system):
    sr_id = gp_system.post("/fhir/ServiceRequest", service_request()).json()["id"]
    assert other_gp_system.get(f"/fhir/Task/{sr_id}").status_code == 404
    assert other_gp_system.get(f"/fhir/ServiceRequest/{sr_id}").status_code == 404
    assert other_gp_system.get(f"/fhir/ServiceRequest/{sr_id}/$closure").status_code == 404
    assert other_gp_system.get("/fhir/Task").json()["total"] == 0
    assert other_gp_system.get("/fhir/ServiceRequest").json()["total"] == 0
    # the same identifier from another organisation is another referral (this practice is
    # in no primary care network, so it names the service it refers to)
    unnamed = other_gp_system.post("/fhir/ServiceRequest", service_request())
    assert unnamed.json()["issue"][0]["expression"] == ["ServiceRequest.performer"]
    named = service_request(performer=[{"reference": f"Organization/{world.service.uuid}"}])
    assert other_gp_system.post("/fhir/ServiceRequest", named).status_code == 201


def test_scopes_limit_what_a_client_does(world):
    client, raw = create_client(
        organisation=world.practice, name="Read only", scopes=["system/Task.read"], by=None
    )
    reader = FhirClient(raw)
    refused = reader.post("/fhir/ServiceRequest", service_request())
    assert refused.status_code == 403
    assert "system/ServiceRequest.write" in refused.json()["issue"][0]["diagnostics"]
    assert reader.get("/fhir/Task").status_code == 200
    assert reader.get("/fhir/ServiceRequest").status_code == 403


def test_a_revoked_client_is_401(world, gp_system):
    revoke_client(client=gp_system.client, by=None)
    assert gp_system.get("/fhir/Task").status_code == 401


def test_writes_and_reads_are_audited_with_the_client(world, gp_system):
    sr_id = gp_system.post("/fhir/ServiceRequest", service_request()).json()["id"]
    gp_system.get(f"/fhir/ServiceRequest/{sr_id}")
    actions = list(
        AuditEvent.objects.filter(actor_id=gp_system.client.user_id).values_list(
            "action", flat=True
        )
    )
    assert {
        "person_created",
        "referral_created",
        "fhir_service_request_received",
        "referral_viewed",
    } <= set(actions)
    received = AuditEvent.objects.get(action="fhir_service_request_received")
    assert received.summary.startswith(f"client={gp_system.client.pk}")
    assert "Holden" not in str(list(AuditEvent.objects.values_list("summary", flat=True)))


def test_a_link_worker_of_another_service_sees_nothing(world, gp_system):
    sr_id = gp_system.post("/fhir/ServiceRequest", service_request()).json()["id"]
    other = user_with_role(Role.LINK_WORKER)
    _, raw = create_api_token(user=other, by=None)
    assert FhirClient(raw).get(f"/fhir/Task/{sr_id}").status_code == 404

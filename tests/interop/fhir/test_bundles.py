"""The same referral as a transaction Bundle at the base, and as a BaRS-shaped message."""

import copy

import pytest
from fhir.resources.R4B.bundle import Bundle

from linkwork.referrals.models import Person, Referral
from tests.interop.fhir.conftest import CONSENT, PATIENT, SERVICE_REQUEST

pytestmark = pytest.mark.django_db

BARS = "https://fhir.nhs.uk/CodeSystem/message-events-bars"


def transaction_bundle(practice) -> dict:
    service_request = copy.deepcopy(SERVICE_REQUEST)
    service_request.pop("contained")
    service_request["subject"] = {"reference": "urn:uuid:11111111-1111-4111-8111-111111111111"}
    service_request["supportingInfo"] = [
        {"reference": "urn:uuid:22222222-2222-4222-8222-222222222222"}
    ]
    service_request["requester"] = {"reference": "urn:uuid:33333333-3333-4333-8333-333333333333"}
    patient = {k: v for k, v in PATIENT.items() if k != "id"}
    consent = {k: v for k, v in CONSENT.items() if k != "id"}
    consent["patient"] = {"reference": "urn:uuid:11111111-1111-4111-8111-111111111111"}
    role = {
        "resourceType": "PractitionerRole",
        "organization": {"reference": f"Organization/{practice.uuid}"},
    }
    entries = [
        ("44444444-4444-4444-8444-444444444444", service_request, "ServiceRequest"),
        ("11111111-1111-4111-8111-111111111111", patient, "Patient"),
        ("22222222-2222-4222-8222-222222222222", consent, "Consent"),
        ("33333333-3333-4333-8333-333333333333", role, "PractitionerRole"),
    ]
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": f"urn:uuid:{uid}",
                "resource": resource,
                "request": {"method": "POST", "url": url},
            }
            for uid, resource, url in entries
        ],
    }
    Bundle.model_validate(bundle)
    return bundle


def test_a_transaction_bundle_is_one_atomic_referral(world, gp_system):
    response = gp_system.post("/fhir/", transaction_bundle(world.practice))
    assert response.status_code == 200, response.content
    body = response.json()
    Bundle.model_validate(body)
    assert body["type"] == "transaction-response"
    assert body["entry"][0]["response"]["status"] == "201 Created"
    assert len(body["entry"]) == 4
    referral = Referral.objects.get()
    assert body["entry"][0]["response"]["location"].endswith(f"/ServiceRequest/{referral.uuid}")
    assert referral.consent_share_with_groups
    assert referral.fhir_request.via == "transaction"
    again = gp_system.post("/fhir/", transaction_bundle(world.practice)).json()
    assert again["entry"][0]["response"]["status"] == "200 OK"
    assert Referral.objects.count() == 1


def test_a_bad_entry_writes_nothing(world, gp_system):
    bundle = transaction_bundle(world.practice)
    bundle["entry"][1]["resource"]["birthDate"] = "2099-01-01"
    response = gp_system.post("/fhir/", bundle)
    assert response.status_code == 422
    assert response.json()["issue"][0]["expression"] == ["Patient.birthDate"]
    assert not Referral.objects.exists() and not Person.objects.exists()


def test_a_transaction_naming_another_organisation_is_403(world, other_gp_system):
    response = other_gp_system.post("/fhir/", transaction_bundle(world.practice))
    assert response.status_code == 403
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("change", "expression"),
    [
        (lambda b: b.update(type="batch"), "Bundle.type"),
        (lambda b: b["entry"][0]["request"].update(method="PUT"), "Bundle.entry[0].request.method"),
        (
            lambda b: b["entry"].append(
                {
                    "resource": {
                        "resourceType": "Observation",
                        "status": "final",
                        "code": {"text": "x"},
                    },
                    "request": {"method": "POST", "url": "Observation"},
                }
            ),
            "Bundle.entry[4].resource.resourceType",
        ),
        (lambda b: b["entry"].pop(0), "Bundle.entry"),
    ],
)
def test_bad_transactions_are_400(world, gp_system, change, expression):
    bundle = transaction_bundle(world.practice)
    change(bundle)
    response = gp_system.post("/fhir/", bundle)
    assert response.status_code == 400, response.content
    assert expression in response.json()["issue"][0]["expression"]


def message(practice, reason: str = "new", status: str = "active") -> dict:
    bundle = transaction_bundle(practice)
    entries = [{k: v for k, v in e.items() if k != "request"} for e in bundle["entry"]]
    entries[0]["resource"]["status"] = status
    header = {
        "resourceType": "MessageHeader",
        "id": "55555555-5555-4555-8555-555555555555",
        "eventCoding": {"system": BARS, "code": "servicerequest-request"},
        "reason": {
            "coding": [
                {"system": "https://fhir.nhs.uk/CodeSystem/message-reason-bars", "code": reason}
            ]
        },
        "source": {"endpoint": "https://gp.example/fhir"},
        "focus": [{"reference": entries[0]["fullUrl"]}],
    }
    body = {
        "resourceType": "Bundle",
        "type": "message",
        "timestamp": "2026-12-03T09:00:00+00:00",
        "entry": [{"fullUrl": f"urn:uuid:{header['id']}", "resource": header}, *entries],
    }
    Bundle.model_validate(body)
    return body


def test_a_bars_message_refers_and_an_update_revokes(world, gp_system):
    response = gp_system.post("/fhir/$process-message", message(world.practice))
    assert response.status_code == 200, response.content
    answer = response.json()
    Bundle.model_validate(answer)
    header = answer["entry"][0]["resource"]
    assert header["response"] == {
        "identifier": "55555555-5555-4555-8555-555555555555",
        "code": "ok",
    }
    referral = Referral.objects.get()
    assert referral.fhir_request.via == "message"

    revoked = gp_system.post("/fhir/$process-message", message(world.practice, "update", "revoked"))
    assert revoked.status_code == 200, revoked.content
    referral.refresh_from_db()
    assert referral.status == "declined"
    task = gp_system.get(f"/fhir/Task/{referral.uuid}").json()
    assert task["status"] == "cancelled"
    assert gp_system.get(f"/fhir/ServiceRequest/{referral.uuid}").json()["status"] == "revoked"
    assert not referral.fhir_messages.exists()  # the GP ended it: no message back


def test_an_update_that_does_not_revoke_is_refused(world, gp_system):
    gp_system.post("/fhir/$process-message", message(world.practice))
    response = gp_system.post("/fhir/$process-message", message(world.practice, "update"))
    assert response.status_code == 422
    assert response.json()["issue"][0]["expression"] == ["ServiceRequest.status"]


def test_revoking_after_the_work_began_is_409(world, gp_system):
    gp_system.post("/fhir/$process-message", message(world.practice))
    referral = Referral.objects.get()
    lw = world.link_worker
    base = f"/api/v1/referrals/{referral.pk}"
    lw.post(f"{base}/transitions", {"to": "accepted"}, content_type="application/json")
    lw.post(
        f"{base}/conversations", {"what_matters": "x", "needs": {}}, content_type="application/json"
    )
    response = gp_system.post(
        "/fhir/$process-message", message(world.practice, "update", "revoked")
    )
    assert response.status_code == 409


def test_a_message_of_another_event_is_refused(world, gp_system):
    body = message(world.practice)
    body["entry"][0]["resource"]["eventCoding"]["code"] = "servicerequest-response"
    response = gp_system.post("/fhir/$process-message", body)
    assert response.status_code == 422
    assert response.json()["issue"][0]["expression"] == ["MessageHeader.eventCoding"]
    not_a_message = {"resourceType": "Bundle", "type": "transaction"}
    assert gp_system.post("/fhir/$process-message", not_a_message).status_code == 400

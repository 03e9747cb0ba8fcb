"""Bad input: 4xx with an OperationOutcome naming the element, and nothing written."""

import copy

import pytest
from fhir.resources.R4B.operationoutcome import OperationOutcome

from linkwork.referrals.models import Person, Referral
from tests.interop.fhir.conftest import FHIR, service_request

pytestmark = pytest.mark.django_db

SDOHCC = "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"


def outcome(response, status: int) -> list[str]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == FHIR
    body = response.json()
    OperationOutcome.model_validate(body)
    assert not Referral.objects.exists() and not Person.objects.exists()
    return [e for issue in body["issue"] for e in issue.get("expression", [])]


def with_patient(**changes) -> dict:
    body = service_request()
    body["contained"][0] = {**copy.deepcopy(body["contained"][0]), **changes}
    return body


def test_invalid_json_is_400(gp_system):
    assert outcome(gp_system.post("/fhir/ServiceRequest", "{not json"), 400) == []


def test_a_wrong_resource_type_is_400_naming_it(gp_system):
    body = service_request(resourceType="Patient")
    assert outcome(gp_system.post("/fhir/ServiceRequest", body), 400) == [
        "ServiceRequest.resourceType"
    ]


def test_an_element_fhir_does_not_have_is_400_naming_it(gp_system):
    body = service_request(colour="blue")
    assert "ServiceRequest.colour" in outcome(gp_system.post("/fhir/ServiceRequest", body), 400)


def test_a_bad_date_is_400_naming_it(gp_system):
    body = service_request(authoredOn="yesterday")
    assert "ServiceRequest.authoredOn" in outcome(gp_system.post("/fhir/ServiceRequest", body), 400)


@pytest.mark.parametrize(
    ("body", "expression"),
    [
        (
            with_patient(
                identifier=[{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765918"}]
            ),
            "Patient.identifier",
        ),
        (with_patient(birthDate="2099-01-01"), "Patient.birthDate"),
        (with_patient(address=[{"postalCode": "ZZ9 9ZZ"}]), "Patient.address.postalCode"),
        (with_patient(name=[{"family": "Holden"}]), "Patient.name.given"),
        (service_request(reasonCode=[]), "ServiceRequest.reasonCode"),
        (
            service_request(
                reasonCode=[{"coding": [{"system": SDOHCC, "code": "veteran-status"}]}]
            ),
            "ServiceRequest.reasonCode[0]",
        ),
        (
            service_request(
                reasonCode=[
                    {"coding": [{"system": "urn:linkwork:codesystem:need", "code": "need-made-up"}]}
                ]
            ),
            "ServiceRequest.reasonCode",
        ),
        (
            service_request(category=[{"coding": [{"system": SDOHCC, "code": "made-up"}]}]),
            "ServiceRequest.category[0].coding[0]",
        ),
        (service_request(identifier=[]), "ServiceRequest.identifier"),
        (service_request(status="revoked"), "ServiceRequest.status"),
        (service_request(subject={"reference": "#nobody"}), "ServiceRequest.subject"),
        (
            service_request(supportingInfo=[], contained=[service_request()["contained"][0]]),
            "Consent",
        ),
        (
            service_request(performer=[{"reference": "Organization/not-a-service"}]),
            "ServiceRequest.performer[0]",
        ),
    ],
)
def test_bad_referrals_are_422_naming_the_element(gp_system, body, expression):
    assert expression in outcome(gp_system.post("/fhir/ServiceRequest", body), 422)


def test_a_service_request_for_another_organisation_is_403(world, gp_system, other_gp_system):
    body = service_request(requester={"reference": f"Organization/{world.practice.uuid}"})
    assert outcome(other_gp_system.post("/fhir/ServiceRequest", body), 403) == [
        "ServiceRequest.requester"
    ]


def test_a_service_request_naming_its_own_organisation_is_fine(world, gp_system):
    body = service_request(requester={"reference": f"Organization/{world.practice.uuid}"})
    assert gp_system.post("/fhir/ServiceRequest", body).status_code == 201


def test_unknown_search_parameters_are_ignored_unless_strict(gp_system):
    assert gp_system.get("/fhir/Task?colour=blue").status_code == 200
    strict = gp_system.get("/fhir/Task?colour=blue", HTTP_PREFER="handling=strict")
    assert strict.status_code == 400
    assert strict.json()["issue"][0]["expression"] == ["colour"]


def test_a_bad_last_updated_is_400(gp_system):
    response = gp_system.get("/fhir/Task?_lastUpdated=gtyesterday")
    assert response.status_code == 400
    assert response.json()["issue"][0]["expression"] == ["_lastUpdated"]


def test_the_wrong_content_type_is_415(gp_system):
    response = gp_system.post("/fhir/ServiceRequest", "x=1", content_type="text/plain")
    assert response.status_code == 415

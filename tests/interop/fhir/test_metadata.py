"""The CapabilityStatement says exactly what is built: every interaction and search
parameter it lists answers, and nothing it leaves out is routed."""

import pytest
from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from linkwork.interop.fhir.capability import RESOURCES
from tests.interop.fhir.conftest import FHIR, FhirClient, service_request

pytestmark = pytest.mark.django_db


def test_metadata_is_a_valid_r4_capability_statement(world):
    response = FhirClient(None).get("/fhir/metadata")
    assert response.status_code == 200 and response["Content-Type"] == FHIR
    body = response.json()
    CapabilityStatement.model_validate(body)
    assert body["fhirVersion"] == "4.0.1"
    listed = {r["type"] for r in body["rest"][0]["resource"]}
    assert listed == set(RESOURCES)
    assert body["rest"][0]["interaction"] == [{"code": "transaction"}]
    assert "SMART" in str(body["rest"][0]["security"])


def test_every_listed_interaction_and_search_parameter_answers(world, gp_system):
    sr_id = gp_system.post("/fhir/ServiceRequest", service_request()).json()["id"]
    body = FhirClient(None).get("/fhir/metadata").json()
    for resource in body["rest"][0]["resource"]:
        kind = resource["type"]
        codes = {i["code"] for i in resource["interaction"]}
        if "search-type" in codes:
            response = gp_system.get(f"/fhir/{kind}", HTTP_PREFER="handling=strict")
            assert response.status_code == 200, (kind, response.content)
            assert response.json()["type"] == "searchset"
            for param in resource.get("searchParam", []):
                strict = gp_system.get(
                    f"/fhir/{kind}?{param['name']}=x", HTTP_PREFER="handling=strict"
                )
                assert strict.status_code in (200, 400), (kind, param)
                if strict.status_code == 400:  # a bad value, never an unknown parameter
                    assert "Unknown search parameter" not in strict.content.decode()
        if "read" in codes:
            assert gp_system.get(f"/fhir/{kind}/does-not-exist").status_code == 404
    assert gp_system.get(f"/fhir/ServiceRequest/{sr_id}").status_code == 200
    assert gp_system.get(f"/fhir/Task/{sr_id}").status_code == 200


def test_what_is_not_built_is_not_there(world, gp_system):
    for url in ("/fhir/Patient", "/fhir/Encounter/1", "/fhir/Observation"):
        response = gp_system.get(url)
        assert response.status_code == 404
        assert response.json()["resourceType"] == "OperationOutcome"
    assert gp_system.post("/fhir/Task", {"resourceType": "Task"}).status_code == 405

"""The directory as FHIR (published listings only, no credentials) and outcomes as
Questionnaire / QuestionnaireResponse (responses for case workers only)."""

import pytest
from fhir.resources.R4B import get_fhir_model_class

from linkwork.accounts.services import create_api_token
from linkwork.directory.models import Publication
from tests.factories import AssetFactory, LocationFactory
from tests.interop.fhir.conftest import FhirClient, service_request

pytestmark = pytest.mark.django_db


def parsed(response) -> dict:
    assert response.status_code == 200, response.content
    body = response.json()
    get_fhir_model_class(body["resourceType"]).model_validate(body)
    return body


def ids(bundle: dict) -> list[str]:
    return [e["resource"]["id"] for e in bundle.get("entry", [])]


def test_published_listings_are_healthcare_services(world):
    public = FhirClient(None)
    draft = AssetFactory(
        name="Secret walk",
        publication=Publication.DRAFT,
        location=LocationFactory(latitude=53.58, longitude=-2.38),
    )
    found = parsed(public.get("/fhir/HealthcareService"))
    assert str(world.walk.uuid) in ids(found) and str(draft.uuid) not in ids(found)
    walk = parsed(public.get(f"/fhir/HealthcareService/{world.walk.uuid}"))
    assert walk["name"] == "Health walk"
    assert walk["category"][0]["coding"][0]["code"] == "need-physical-activity"
    assert public.get(f"/fhir/HealthcareService/{draft.uuid}").status_code == 404
    by_category = parsed(
        public.get("/fhir/HealthcareService?service-category=need-physical-activity")
    )
    assert str(world.walk.uuid) in ids(by_category)
    assert ids(parsed(public.get("/fhir/HealthcareService?service-category=need-housing"))) == []
    by_name = parsed(public.get("/fhir/HealthcareService?name=health walk"))
    assert ids(by_name) == [str(world.walk.uuid)]
    location_id = walk["location"][0]["reference"].removeprefix("Location/")
    place = parsed(public.get(f"/fhir/Location/{location_id}"))
    assert place["position"]["latitude"] == pytest.approx(53.584)
    at = parsed(public.get(f"/fhir/HealthcareService?location=Location/{location_id}"))
    assert ids(at) == [str(world.walk.uuid)]
    organisation_id = walk["providedBy"]["reference"].removeprefix("Organization/")
    assert parsed(public.get(f"/fhir/Organization/{organisation_id}"))["name"] == "Walking group"
    assert organisation_id in ids(parsed(public.get("/fhir/Organization?name=walking")))
    # an organisation with no published listing is not in the directory
    assert public.get(f"/fhir/Organization/{world.practice.uuid}").status_code == 404


def test_questionnaires_for_each_instrument(gp_system):
    found = parsed(gp_system.get("/fhir/Questionnaire"))
    assert {"swemwbs", "ons4", "ucla3", "ons-loneliness"} <= set(ids(found))
    ons4 = parsed(gp_system.get("/fhir/Questionnaire/ons4"))
    assert ons4["item"][0]["text"] == "Overall, how satisfied are you with your life nowadays?"
    swemwbs = parsed(gp_system.get("/fhir/Questionnaire/swemwbs"))
    assert swemwbs["item"][0]["text"]  # the item's label: licensed wording is not shipped
    assert gp_system.get("/fhir/Questionnaire/nonsense").status_code == 404


def test_responses_are_for_case_workers_only(world, gp_system):
    sr_id = gp_system.post("/fhir/ServiceRequest", service_request()).json()["id"]
    from linkwork.referrals.models import Referral

    referral = Referral.objects.get(uuid=sr_id)
    world.link_worker.post(
        f"/api/v1/referrals/{referral.pk}/transitions",
        {"to": "accepted"},
        content_type="application/json",
    )
    answered = world.link_worker.post(
        f"/api/v1/referrals/{referral.pk}/responses",
        {"instrument": "ucla3", "timepoint": "baseline", "answers": [1, 2, 3]},
        content_type="application/json",
    )
    assert answered.status_code == 201, answered.json()
    _, raw = create_api_token(user=world.link_worker.user, by=None)
    link_worker = FhirClient(raw)
    found = parsed(link_worker.get(f"/fhir/QuestionnaireResponse?based-on=ServiceRequest/{sr_id}"))
    (response,) = [e["resource"] for e in found["entry"]]
    assert response["questionnaire"] == "urn:linkwork:questionnaire:ucla3"
    assert [i["answer"][0]["valueCoding"]["code"] for i in response["item"]] == ["1", "2", "3"]
    assert (
        parsed(link_worker.get(f"/fhir/QuestionnaireResponse/{response['id']}"))["id"]
        == (response["id"])
    )
    # the GP system (even with the scope) sees none: scores reach it in the message back
    assert gp_system.get(f"/fhir/QuestionnaireResponse/{response['id']}").status_code == 404
    assert gp_system.get("/fhir/QuestionnaireResponse").json()["total"] == 0
    _, gp_raw = create_api_token(user=world.gp.user, by=None)
    assert FhirClient(gp_raw).get("/fhir/QuestionnaireResponse").status_code == 403

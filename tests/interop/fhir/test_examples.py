"""The examples in docs/fhir-examples/ parse with fhir.resources and work as written."""

import json
from pathlib import Path

import pytest
from fhir.resources.R4B import get_fhir_model_class

from linkwork.referrals.models import Referral

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "fhir-examples"


def example(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text())


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_every_example_parses(path):
    body = json.loads(path.read_text())
    get_fhir_model_class(body["resourceType"]).model_validate(body)


def test_the_examples_work_as_written(world, gp_system):
    assert gp_system.post("/fhir/ServiceRequest", example("service-request")).status_code == 201
    transaction = example("transaction")
    transaction["entry"][0]["resource"]["identifier"][0]["value"] = "R-tx"
    assert gp_system.post("/fhir/", transaction).status_code == 200
    message = example("message-new")
    message["entry"][1]["resource"]["identifier"][0]["value"] = "R-msg"
    assert gp_system.post("/fhir/$process-message", message).status_code == 200
    revoke = example("message-revoke")
    revoke["entry"][1]["resource"]["identifier"][0]["value"] = "R-msg"
    assert gp_system.post("/fhir/$process-message", revoke).status_code == 200
    assert gp_system.post("/fhir/Subscription", example("subscription")).status_code == 201
    assert Referral.objects.count() == 3

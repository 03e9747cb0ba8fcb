"""A GP system's view of Linkwork: the casework world plus an integration client."""

import copy

import pytest
from django.test import Client

from linkwork.interop.fhir.models import SCOPES
from linkwork.interop.fhir.services import create_client
from tests.referrals.conftest import world  # noqa: F401  (the casework world)

FHIR = "application/fhir+json"


class FhirClient:
    """A test client standing in for a GP system: bearer token, FHIR JSON both ways."""

    def __init__(self, token: str | None) -> None:
        self.http = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, url: str, **headers):
        return self.http.get(url, **self.headers, **headers)

    def post(self, url: str, body, content_type: str = FHIR, **headers):
        import json

        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.http.post(url, data, content_type=content_type, **self.headers, **headers)


@pytest.fixture
def gp_system(world):  # noqa: F811
    client, token = create_client(
        organisation=world.practice, name="EMIS Web at Brook Surgery", scopes=list(SCOPES), by=None
    )
    api = FhirClient(token)
    api.client = client
    return api


@pytest.fixture
def other_gp_system(world):  # noqa: F811
    from tests.factories import OrganisationFactory

    elsewhere = OrganisationFactory(name="Far Surgery", kind="gp_practice")
    client, token = create_client(
        organisation=elsewhere, name="Other GP system", scopes=list(SCOPES), by=None
    )
    api = FhirClient(token)
    api.client = client
    return api


PATIENT = {
    "resourceType": "Patient",
    "id": "pat",
    "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}],
    "name": [{"use": "official", "family": "Holden", "given": ["Pat"]}],
    "birthDate": "1956-03-14",
    "address": [{"postalCode": "BL2 6LT"}],
    "telecom": [{"system": "phone", "value": "01204 000000"}],
}
CONSENT = {
    "resourceType": "Consent",
    "id": "consent",
    "status": "active",
    "scope": {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                "code": "patient-privacy",
            }
        ]
    },
    "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
    "patient": {"reference": "#pat"},
    "provision": {
        "type": "permit",
        "provision": [
            {
                "type": "permit",
                "action": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/consentaction",
                                "code": "disclose",
                            }
                        ]
                    }
                ],
            }
        ],
    },
}
SERVICE_REQUEST = {
    "resourceType": "ServiceRequest",
    "contained": [PATIENT, CONSENT],
    "identifier": [{"system": "https://emis.example/referral", "value": "R-0001"}],
    "status": "active",
    "intent": "order",
    "priority": "routine",
    "subject": {"reference": "#pat"},
    "reasonCode": [
        {"coding": [{"system": "urn:linkwork:codesystem:need", "code": "need-loneliness"}]},
        {
            "coding": [
                {
                    "system": "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes",
                    "code": "social-connection",
                }
            ]
        },
    ],
    "supportingInfo": [{"reference": "#consent"}],
    "note": [{"text": "Recently bereaved; keen to get out more."}],
}


def service_request(**changes) -> dict:
    body = copy.deepcopy(SERVICE_REQUEST)
    body.update(changes)
    return body

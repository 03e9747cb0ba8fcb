"""OAuth2 client credentials: POST /fhir/token → an access token for an hour with at
most the client's scopes; wrong secrets, revoked clients and expired tokens refused."""

import base64
import datetime as dt
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from linkwork.interop.fhir.models import AccessToken
from linkwork.interop.fhir.oauth import new_secret
from linkwork.interop.fhir.services import revoke_client
from tests.interop.fhir.conftest import FhirClient, service_request

pytestmark = pytest.mark.django_db


FORM = "application/x-www-form-urlencoded"


def post_form(body: dict, **headers):
    return Client().post("/fhir/token", urlencode(body), content_type=FORM, **headers)


def token(client_id, secret, **extra):
    return post_form(
        {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret,
            **extra,
        }
    )


def test_client_credentials_give_a_working_token(world, gp_system):
    secret = new_secret(client=gp_system.client, by=None)
    response = token(str(gp_system.client.client_id), secret, scope="system/Task.read")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["scope"] == "system/Task.read"
    assert response["Cache-Control"] == "no-store"
    api = FhirClient(body["access_token"])
    assert api.get("/fhir/Task").status_code == 200
    assert api.post("/fhir/ServiceRequest", service_request()).status_code == 403  # not granted
    assert AccessToken.objects.get().digest != body["access_token"]


def test_http_basic_and_all_the_clients_scopes_by_default(world, gp_system):
    secret = new_secret(client=gp_system.client, by=None)
    basic = base64.b64encode(f"{gp_system.client.client_id}:{secret}".encode()).decode()
    response = post_form({"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 200, response.content
    api = FhirClient(response.json()["access_token"])
    assert api.post("/fhir/ServiceRequest", service_request()).status_code == 201


def test_bad_requests_are_refused(world, gp_system):
    secret = new_secret(client=gp_system.client, by=None)
    client_id = str(gp_system.client.client_id)
    assert token(client_id, "wrong").status_code == 401
    assert token("not-a-uuid", secret).status_code == 401
    assert token(client_id, secret, scope="system/Everything.write").status_code == 400
    wrong_grant = post_form(
        {"grant_type": "password", "client_id": client_id, "client_secret": secret}
    )
    assert wrong_grant.status_code == 400
    assert Client().get("/fhir/token").status_code == 405


def test_expired_and_revoked_tokens_stop_working(world, gp_system):
    secret = new_secret(client=gp_system.client, by=None)
    access = token(str(gp_system.client.client_id), secret).json()["access_token"]
    api = FhirClient(access)
    assert api.get("/fhir/Task").status_code == 200
    AccessToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api.get("/fhir/Task").status_code == 401
    AccessToken.objects.update(expires_at=timezone.now() + dt.timedelta(hours=1))
    revoke_client(client=gp_system.client, by=None)
    assert api.get("/fhir/Task").status_code == 401
    assert token(str(gp_system.client.client_id), secret).status_code == 401

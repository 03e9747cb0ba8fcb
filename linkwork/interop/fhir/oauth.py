"""OAuth2 client credentials for integration clients (RFC 6749 §4.4, with oauthlib):
`POST /fhir/token` with grant_type=client_credentials, the client's id and secret (HTTP
Basic or in the body) and optionally `scope` → a bearer access token for an hour, with
at most the client's scopes. Only the token's SHA-256 digest is stored, as for API
tokens; /fhir/ accepts it wherever it accepts a token.
"""

import base64
import datetime as dt
import hashlib
import secrets
import uuid

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from oauthlib.oauth2 import BackendApplicationServer, RequestValidator

from linkwork.audit.services import record_event
from linkwork.interop.fhir.models import AccessToken, IntegrationClient

EXPIRES_IN = 3600


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def new_secret(*, client: IntegrationClient, by) -> str:
    """A new client secret (the old one stops working), shown once."""
    raw = "lwcs_" + secrets.token_urlsafe(32)
    client.secret_digest = digest(raw)
    client.save(update_fields=["secret_digest"])
    record_event(
        by=by, action="fhir_client_secret_set", object_type="fhir_client", object_id=client.pk
    )
    return raw


def active_access_token(raw: str) -> AccessToken | None:
    return (
        AccessToken.objects.select_related("client__user", "client__organisation")
        .filter(digest=digest(raw), expires_at__gt=timezone.now(), client__revoked_at=None)
        .first()
    )


def _credentials(request) -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:]).decode()
        except (ValueError, UnicodeDecodeError):
            return "", ""
        client_id, _, secret = decoded.partition(":")
        return client_id, secret
    return request.client_id or "", getattr(request, "client_secret", "") or ""


class Validator(RequestValidator):
    def client_authentication_required(self, request, *args, **kwargs) -> bool:
        return True

    def authenticate_client(self, request, *args, **kwargs) -> bool:
        client_id, secret = _credentials(request)
        try:
            wanted = uuid.UUID(client_id)
        except ValueError:
            return False
        client = IntegrationClient.objects.filter(client_id=wanted, revoked_at=None).first()
        if client is None or not client.secret_digest:
            return False
        if not secrets.compare_digest(client.secret_digest, digest(secret)):
            return False
        request.client = client
        request.client_id = str(client.client_id)
        return True

    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        return grant_type == "client_credentials"

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs) -> bool:
        return set(scopes) <= set(client.scopes)

    def get_default_scopes(self, client_id, request, *args, **kwargs) -> list[str]:
        return list(request.client.scopes)

    def save_bearer_token(self, token, request, *args, **kwargs) -> None:
        client = request.client
        AccessToken.objects.create(
            client=client,
            digest=digest(token["access_token"]),
            scopes=sorted(str(token.get("scope", "")).split()),
            expires_at=timezone.now() + dt.timedelta(seconds=EXPIRES_IN),
        )
        record_event(
            by=client.user,
            action="fhir_access_token_issued",
            object_type="fhir_client",
            object_id=client.pk,
        )


SERVER = BackendApplicationServer(Validator(), token_expires_in=EXPIRES_IN)


@csrf_exempt
def token(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    # Transport security is the deployment's (HTTPS redirect in production), so oauthlib
    # is given the https form of the address it would otherwise refuse in tests.
    uri = "https://" + request.get_host() + request.path
    headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
    answer_headers, body, status = SERVER.create_token_response(
        uri, http_method="POST", body=request.body.decode("utf-8", "replace"), headers=headers
    )
    response = HttpResponse(body, status=status, content_type="application/json")
    for name, value in answer_headers.items():
        if name.lower() != "content-type":
            response[name] = value
    response["Cache-Control"] = "no-store"
    return response

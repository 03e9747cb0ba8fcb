"""The HTTP edge of /fhir/: who is calling (bearer tokens and their scopes), bodies, and
every answer as `application/fhir+json`, errors as OperationOutcome.

Credentials: an integration client's token (its scopes as granted), or a referrer's or
link worker's own API token (`linkwork create-api-token EMAIL`), with the scopes of the
role (models.REFERRER_SCOPES, CASE_WORKER_SCOPES). Sessions are not accepted: /fhir/ is
for systems, so it needs no CSRF protection.
"""

import functools
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt

from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm
from linkwork.accounts.selectors import active_token
from linkwork.accounts.services import mark_token_used
from linkwork.directory.models import Organisation
from linkwork.errors import Conflict, Forbidden, InvalidInput
from linkwork.interop.fhir.codes import CONTENT_TYPE
from linkwork.interop.fhir.errors import FhirError, Issue, from_invalid_input, operation_outcome
from linkwork.interop.fhir.models import CASE_WORKER_SCOPES, REFERRER_SCOPES
from linkwork.interop.fhir.oauth import active_access_token
from linkwork.interop.fhir.validation import checked
from linkwork.referrals.selectors import referring_organisation

MAX_BODY = 1_000_000
logger = logging.getLogger(__name__)


@dataclass
class Caller:
    user: Any
    scopes: frozenset[str]
    client: Any = None  # the IntegrationClient, when it is one
    organisation: Organisation | None = None
    notes: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"client={self.client.pk}" if self.client else f"user={self.user.pk}"


def fhir_response(body: dict, status: int = 200, headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(checked(body), default=str, ensure_ascii=False),
        status=status,
        content_type=CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    # Bearer-token callers are not "signed in" to the middleware, so say it here: a
    # FHIR answer may show a person and is never stored by a cache.
    patch_cache_control(response, no_store=True)
    return response


def outcome_response(error: FhirError) -> HttpResponse:
    return fhir_response(operation_outcome(error.issues), error.status, error.headers)


def _caller(request: HttpRequest) -> Caller | None:
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None

    access = active_access_token(raw.strip())
    if access is not None:  # an OAuth2 client-credentials token: the scopes it was granted
        client = access.client
        return Caller(client.user, frozenset(access.scopes), client, client.organisation)
    token = active_token(raw.strip())
    if token is None or not token.user.is_active:
        return None
    mark_token_used(token=token)
    user = token.user
    client = getattr(user, "integration_client", None)
    if client is not None:
        if client.revoked_at is not None:
            return None
        return Caller(user, frozenset(client.scopes), client, client.organisation)

    scopes: set[str] = set()
    if has_permission(user, Perm.REFERRAL_CREATE):
        scopes |= set(REFERRER_SCOPES)
    if has_permission(user, Perm.CASEWORK):
        scopes |= set(CASE_WORKER_SCOPES)
    return Caller(user, frozenset(scopes), None, referring_organisation(user))


def read_json(request: HttpRequest) -> Any:
    kind = request.content_type or ""
    if kind not in (CONTENT_TYPE, "application/json"):
        raise FhirError(
            415,
            [Issue("not-supported", f"Send {CONTENT_TYPE} (or application/json), not {kind!r}.")],
        )
    if len(request.body) > MAX_BODY:
        raise FhirError(413, [Issue("too-costly", "The body is over 1 MB.")])
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise FhirError(
            400, [Issue("structure", f"The body is not valid JSON: {error}.")]
        ) from None


def fhir_view(*, methods: tuple[str, ...] = ("GET",), scope: str | None = None, auth: bool = True):
    """A /fhir/ view: method check, authentication, scope, and errors as OperationOutcome.
    With `scope`, each method's scope is `scope` for GET and the write scope otherwise
    (a dict maps method → scope)."""

    def wrap(view):
        @csrf_exempt
        @functools.wraps(view)
        def handler(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                if request.method not in methods:
                    raise FhirError(
                        405,
                        [Issue("not-supported", f"{request.method} is not supported here.")],
                        {"Allow": ", ".join(methods)},
                    )
                caller = None
                if auth:
                    caller = _caller(request)
                    if caller is None:
                        raise FhirError(
                            401,
                            [Issue("login", "Send a valid bearer token.")],
                            {"WWW-Authenticate": 'Bearer realm="fhir"'},
                        )
                    needed = scope.get(request.method) if isinstance(scope, dict) else scope
                    if needed and needed not in caller.scopes:
                        raise FhirError(
                            403, [Issue("forbidden", f"This needs the scope {needed}.")]
                        )
                request.fhir_caller = caller
                return view(request, *args, **kwargs)
            except FhirError as error:
                return outcome_response(error)
            except InvalidInput as error:
                return outcome_response(from_invalid_input(error.errors))
            except Conflict as error:
                return outcome_response(FhirError(409, [Issue("conflict", error.message)]))
            except Forbidden as error:
                return outcome_response(FhirError(403, [Issue("forbidden", error.message)]))
            except Http404:
                return outcome_response(
                    FhirError(404, [Issue("not-found", "No such resource that you may see.")])
                )
            except Exception:
                # Never the exception in the answer: it can hold people's details.
                logger.exception("FHIR request failed: %s %s", request.method, request.path)
                return outcome_response(
                    FhirError(500, [Issue("exception", "Something went wrong on our side.")])
                )

        return handler

    return wrap


def strict(request: HttpRequest) -> bool:
    return "handling=strict" in request.headers.get("Prefer", "").replace(" ", "")


def check_search_params(request: HttpRequest, known: set[str]) -> None:
    """Unknown search parameters are ignored (FHIR's default), or 400 when the caller
    asks for `Prefer: handling=strict`."""
    unknown = sorted(set(request.GET) - known - {"_format"})
    if unknown and strict(request):
        raise FhirError(
            400,
            [
                Issue("not-supported", f"Unknown search parameter {name!r}.", name)
                for name in unknown
            ],
        )


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/fhir/").rstrip("/")

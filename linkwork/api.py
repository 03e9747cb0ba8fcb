"""The JSON API at /api/v1/: authentication and the error conventions, in one place.

Errors (DESIGN.md §9): 401 no or bad credentials; 403 role lacks the permission;
404 object outside the caller's scope (never revealing that it exists); 409 a
transition not allowed from the current state, or no capacity; 422 invalid
input naming each field. Every error body has "detail"; 422 adds "errors".
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from linkwork.accounts.api import router as accounts_router
from linkwork.accounts.selectors import active_token
from linkwork.accounts.services import mark_token_used
from linkwork.community.api import router as community_router
from linkwork.directory.api import router as directory_router
from linkwork.errors import Conflict, Forbidden, InvalidInput
from linkwork.insight.api import router as insight_router
from linkwork.outcomes.api import router as outcomes_router
from linkwork.referrals.api import router as referrals_router
from linkwork.referrals.api_people import router as people_router


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`, checked against stored hashes."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = active_token(token)
        if api_token is None:
            return None
        mark_token_used(token=api_token)
        request.user = api_token.user
        return api_token.user


api = NinjaAPI(
    title="Linkwork API",
    version="1",
    description=(
        "Community-led social prescribing. Errors: 401, 403, 404, 409 and 422, "
        "each with a `detail`; 422 lists `errors` by field."
    ),
    urls_namespace="api",
    auth=[BearerToken(), SessionAuth()],
)


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def _field_name(location: tuple[Any, ...]) -> str:
    # Ninja prefixes the parameter source ("body", "query", "path") and the payload name.
    parts = [str(part) for part in location]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "data", "body"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field_name(tuple(error.get("loc", ()))), "message": error.get("msg", "Invalid")}
        for error in exc.errors
    ]
    return _error(request, 422, "Invalid input.", errors=errors)


@api.exception_handler(InvalidInput)
def on_invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    errors = [{"field": field, "message": message} for field, message in exc.errors.items()]
    return _error(request, 422, "Invalid input.", errors=errors)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request, 401, "Authentication required: sign in or send a valid bearer token."
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(AuthorizationError)
def on_unauthorised(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return _error(request, 403, "Your role does not allow this.")


@api.exception_handler(Forbidden)
def on_forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
    return _error(request, 403, exc.message)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, "Not found.")


@api.exception_handler(ObjectDoesNotExist)
def on_missing_object(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, "Not found.")


@api.exception_handler(Conflict)
def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    extra = {"current_state": exc.current_state} if exc.current_state else {}
    return _error(request, 409, exc.message, **extra)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


api.add_router("/", accounts_router)
api.add_router("/", directory_router)
api.add_router("/", referrals_router)
api.add_router("/", people_router)
api.add_router("/", outcomes_router)
api.add_router("/", community_router)
api.add_router("/", insight_router)

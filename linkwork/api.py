"""The JSON API at /api/v1/: authentication and the error conventions, in one place.

Errors (DESIGN.md §9): 401 no or bad credentials; 403 role lacks the permission;
404 object outside the caller's scope (never revealing that it exists); 409 a
transition not allowed from the current state, or no capacity; 413 a body over the
upload limit; 422 invalid input naming each field (bad JSON, unknown fields, NUL
characters and over-long text included: see linkwork/schemas.py). Every error body has
"detail"; 422 adds "errors". The OpenAPI schema lists these on every operation.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from linkwork.accounts.api import router as accounts_router
from linkwork.accounts.selectors import active_token_with_roles
from linkwork.accounts.services import mark_token_used
from linkwork.community.api import router as community_router
from linkwork.directory.api import router as directory_router
from linkwork.errors import Conflict, Forbidden, InvalidInput
from linkwork.funding.api import router as funding_router
from linkwork.insight.api import router as insight_router
from linkwork.notifications.api import router as notifications_router
from linkwork.outcomes.api import router as outcomes_router
from linkwork.referrals.api import router as referrals_router
from linkwork.referrals.api_notes import router as notes_router
from linkwork.referrals.api_people import router as people_router


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`, checked against stored hashes."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = active_token_with_roles(token)
        if api_token is None:
            return None
        mark_token_used(token=api_token)
        request.user = api_token.user
        return api_token.user


ERRORS = {
    401: "No or bad credentials: sign in or send a valid bearer token.",
    403: "Your role does not allow this.",
    404: "Not found, or outside your scope (never revealing that it exists).",
    409: "Not allowed from the current state (named in `current_state`), or no capacity.",
    413: "The request body is over the upload limit.",
    422: "Invalid input: `errors` names each field.",
}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
        "current_state": {"type": "string"},
    },
}


def error_statuses(method: str, path: str) -> list[int]:
    """The error codes an operation can answer: every route needs credentials and checks
    a role and its input; an id in the path can be outside the caller's scope; a write
    can meet the current state, and carries a body that can be too large."""
    codes = [401, 403, 422]
    if "{" in path:
        codes.append(404)
    if method.lower() in ("post", "put", "patch"):
        codes += [409, 413]
    return sorted(codes)


class LinkworkAPI(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts: list) -> ValidationError:
        # Ninja drops each error's input; keep whether it was a null, to say so.
        nulls = [
            "input" in error and error["input"] is None
            for context in error_contexts
            for error in context.pydantic_validation_error.errors(include_url=False)
        ]
        validation_error = super().validation_error_from_error_contexts(error_contexts)
        for error, was_null in zip(validation_error.errors, nulls, strict=True):
            error["was_null"] = was_null
        return validation_error

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for code in error_statuses(method, path):
                    responses[code] = {
                        "description": ERRORS[code],
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    }
        return schema


api = LinkworkAPI(
    title="Linkwork API",
    version="1",
    description=(
        "Community-led social prescribing. Errors: 401, 403, 404, 409, 413 and 422, each "
        "with a `detail`; 422 lists `errors` by field. Lists page: `?page=&per_page=` "
        "(default 50, at most 200) → `{items, total, page, per_page, next}`. Request "
        "bodies: unknown fields are a 422, `null` in an optional field means absent, "
        "text has maximum lengths and may not contain NUL."
    ),
    urls_namespace="api",
    auth=[BearerToken(), SessionAuth()],
)


def error_body(detail: str, **extra: Any) -> dict:
    """Every JSON error body: its `detail`, and what the status adds (422 `errors`, 409
    `current_state`). Views outside Ninja that answer in JSON build theirs here too."""
    return {"detail": detail, **extra}


def invalid_input_body(errors: Mapping[str, str], detail: str = "Invalid input.") -> dict:
    """A 422 body: `errors` names each field."""
    return error_body(
        detail, errors=[{"field": field, "message": message} for field, message in errors.items()]
    )


def conflict_body(exc: Conflict) -> dict:
    """A 409 body: the message, the current state it names, and any details."""
    extra = {"current_state": exc.current_state} if exc.current_state else {}
    return error_body(exc.message, **extra, **exc.details)


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, error_body(detail, **extra), status=status)


def _field_name(location: tuple[Any, ...]) -> str:
    # Ninja prefixes the parameter source ("body", "query", "path") and the payload name.
    parts = [str(part) for part in location]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "data", "body"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return "Unknown field: this API does not accept it, so nothing was saved."
    if error.get("was_null"):
        return "Cannot be null: give a value, or leave the field out where it is optional."
    return error.get("msg", "Invalid").removeprefix("Value error, ")


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field_name(tuple(error.get("loc", ()))), "message": _message(error)}
        for error in exc.errors
    ]
    return _error(request, 422, "Invalid input.", errors=errors)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, "The request body is too large.")


@api.exception_handler(InvalidInput)
def on_invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    return api.create_response(request, invalid_input_body(exc.errors), status=422)


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
    return api.create_response(request, conflict_body(exc), status=409)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # Ninja's "Cannot parse request body": input, so a 422
        errors = [{"field": "body", "message": "Send a JSON object."}]
        return _error(request, 422, "Invalid input.", errors=errors)
    return _error(request, exc.status_code, str(exc))


api.add_router("/", accounts_router)
api.add_router("/", directory_router)
api.add_router("/", referrals_router)
api.add_router("/", people_router)
api.add_router("/", notes_router)
api.add_router("/", outcomes_router)
api.add_router("/", community_router)
api.add_router("/", insight_router)
api.add_router("/", funding_router)
api.add_router("/", notifications_router)

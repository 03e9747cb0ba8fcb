"""The Open Referral UK 3.0 feed: read-only, no sign-in, `Access-Control-Allow-Origin: *`.

Thin: parse the query (params), read (selectors), shape (serializers). Every
response, errors included, is JSON with the CORS header.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from linkwork.api import error_body, invalid_input_body
from linkwork.errors import InvalidInput
from linkwork.interop.openreferral import params, selectors, serializers
from linkwork.interop.openreferral.params import Paging
from linkwork.interop.openreferral.selectors import FeedPage
from linkwork.public_cache import public_page

ALLOWED_METHODS = "GET, HEAD, OPTIONS"


def _error(status: int, detail: str, **extra: Any) -> JsonResponse:
    return JsonResponse(error_body(detail, **extra), status=status)


def feed_endpoint(view: Callable[..., dict]) -> Callable[..., HttpResponse]:
    """JSON out, errors as JSON (404, 405, 422), CORS open to every origin, and served
    from the public page cache (linkwork/public_cache.py)."""

    @csrf_exempt
    @public_page
    @wraps(view)
    def endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = "*"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ("GET", "HEAD"):
            response = _error(405, "This feed is read-only: use GET.")
            response["Allow"] = ALLOWED_METHODS
        else:
            try:
                response = JsonResponse(view(request, *args, **kwargs))
            except InvalidInput as error:
                body = invalid_input_body(error.errors, "Invalid query parameters.")
                response = JsonResponse(body, status=422)
            except Http404:
                response = _error(404, "Not found.")
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return endpoint


def _page(found: FeedPage, paging: Paging, shape: Callable[[Any], dict]) -> dict:
    return serializers.page(
        [shape(item) for item in found.items],
        total=found.total,
        page_number=paging.page,
        per_page=paging.per_page,
    )


@feed_endpoint
def api_details(request: HttpRequest) -> dict:
    return serializers.api_details()


@feed_endpoint
def services(request: HttpRequest) -> dict:
    query, paging = params.services(request.GET)
    shape = serializers.service_full if query.full else serializers.service
    return _page(selectors.services_page(query, paging), paging, shape)


@feed_endpoint
def service(request: HttpRequest, id: str) -> dict:
    return serializers.service_full(selectors.service(id))


@feed_endpoint
def service_at_locations(request: HttpRequest) -> dict:
    query, paging = params.services(request.GET)
    found = selectors.service_at_locations_page(query, paging)
    shape = serializers.service_at_location_full if query.full else serializers.service_at_location
    return _page(found, paging, shape)


@feed_endpoint
def service_at_location(request: HttpRequest, id: str) -> dict:
    return serializers.service_at_location_full(selectors.service_at_location(id))


@feed_endpoint
def organizations(request: HttpRequest) -> dict:
    query, paging = params.organisations(request.GET)
    found = selectors.organisations_page(query, paging)
    if query.full or query.full_service:
        return _page(
            found,
            paging,
            lambda row: serializers.organization_full(row, full_service=query.full_service),
        )
    return _page(found, paging, serializers.organization)


@feed_endpoint
def organization(request: HttpRequest, id: str) -> dict:
    full_service = params.organisation_detail(request.GET)
    found = selectors.organisation(id, full_service=full_service)
    return serializers.organization_full(found, full_service=full_service)


@feed_endpoint
def taxonomies(request: HttpRequest) -> dict:
    text, paging = params.taxonomies(request.GET)
    return _page(selectors.taxonomies_page(text, paging), paging, serializers.taxonomy)


@feed_endpoint
def taxonomy(request: HttpRequest, id: str) -> dict:
    return serializers.taxonomy_full(selectors.taxonomy(id))


@feed_endpoint
def taxonomy_terms(request: HttpRequest) -> dict:
    query, paging = params.taxonomy_terms(request.GET)
    return _page(selectors.taxonomy_terms_page(query, paging), paging, serializers.taxonomy_term)


@feed_endpoint
def taxonomy_term(request: HttpRequest, id: str) -> dict:
    return serializers.taxonomy_term(selectors.taxonomy_term(id))


@feed_endpoint
def not_found(request: HttpRequest, path: str) -> dict:
    """Any other path under /openreferral/: a JSON 404 that still carries CORS."""
    raise Http404(path)

"""What production answers when no view does (404) or one fails (500): under /api/, JSON
with a `detail`, as every other API error; elsewhere, the NHS.UK-styled pages.

Django calls these only with DEBUG off; with DEBUG on it shows its own debug pages.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from linkwork.api import error_body

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(error_body("Not Found"), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        # Never the exception: it can hold people's details and the code's insides.
        return JsonResponse(error_body("Something went wrong on our side."), status=500)
    return defaults.server_error(request)

"""Holds a signed-in session at the two-factor step until it is done (accounts/mfa.py).

Pages are redirected to the code (or enrolment) page and back; the API answers 401 to a
session that owes a code (bearer tokens are a credential of their own and pass). What
is owed was decided at sign-in and sits in the session, so this costs no query.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from linkwork.accounts.mfa import DONE, ENROL, pending_step

Handler = Callable[[HttpRequest], HttpResponse]

# Reachable before the second factor: the factor's own pages, signing out, static files,
# the public health checks.
OPEN_PREFIXES = ("/accounts/mfa/", "/accounts/logout/", "/static/", "/healthz", "/readyz")


class TwoFactorMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated or request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        step = pending_step(request)
        if step == DONE:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            if request.headers.get("Authorization", "").lower().startswith("bearer "):
                return self.get_response(request)
            return JsonResponse(
                {"detail": "Finish signing in: enter the code from your authenticator app."},
                status=401,
            )
        target = reverse("mfa-setup" if step == ENROL else "mfa-verify")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")

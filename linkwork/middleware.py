"""Cross-cutting request handling: the content security policy, headers that keep
people's details out of caches, and session limits."""

import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

Handler = Callable[[HttpRequest], HttpResponse]

LOGIN_TIME_KEY = "linkwork_login_at"
SEEN_KEY = "linkwork_seen_at"


class ContentSecurityPolicyMiddleware:
    """Scripts run only from our own origin or with this response's nonce.

    The NHS.UK page template has one inline script, which takes the nonce.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = (
                "default-src 'self'; "
                f"script-src 'self' 'nonce-{request.csp_nonce}'; "
                "style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data: https://tile.openstreetmap.org; "
                "object-src 'none'; base-uri 'self'; form-action 'self'; "
                "frame-ancestors 'none'"
            )
        return response


# Pages anyone can open that show one person's answers: the address holds the token.
ONE_USE_LINK_PREFIXES = ("/feedback/", "/questionnaire/", "/invitations/", "/f/", "/q/")


class PrivacyHeadersMiddleware:
    """A Permissions-Policy on every response, and `Cache-Control: no-store` on every
    response that may show a person: anything for a signed-in user, every API answer,
    and the one-use link pages. (Public pages and static files stay cacheable.)"""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if self._may_show_a_person(request):
            patch_cache_control(response, no_store=True)
        return response

    @staticmethod
    def _may_show_a_person(request: HttpRequest) -> bool:
        path = request.path_info
        if path.startswith("/api/") or path.startswith(ONE_USE_LINK_PREFIXES):
            return True
        user = getattr(request, "user", None)  # absent for static files (WhiteNoise)
        return user is not None and user.is_authenticated


class AbsoluteSessionLimitMiddleware:
    """Ends a session SESSION_MAX_HOURS after login, however active it has been, and
    keeps the idle limit (Django's cookie age) moving while the person is active.

    The session is written again only when it was last refreshed more than
    SESSION_REFRESH_SECONDS ago, not on every request (SESSION_SAVE_EVERY_REQUEST would
    cost an UPDATE per page): idle time is then measured to within that many seconds.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(LOGIN_TIME_KEY, now)
            if now - started > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
                return redirect(reverse("login") + "?expired=1")
            if now - request.session.get(SEEN_KEY, 0) > settings.SESSION_REFRESH_SECONDS:
                request.session[SEEN_KEY] = now  # modified: saved with a fresh expiry
        return self.get_response(request)

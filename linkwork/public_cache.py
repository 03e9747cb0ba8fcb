"""Public pages from a cache: the directory search, a listing's page, what's on, the
public neighbourhood pages and the Open Referral UK feed, for visitors who are not
signed in.

- Only a GET from someone with no session and no messages is served from the cache or
  stored in it: a signed-in person's page is made for them (and is `no-store`, by
  `PrivacyHeadersMiddleware`), and so is any page after a form (its message).
- A page is stored only if it is a 200 that sets no cookie and holds no CSRF token.
- The key is the page's absolute address, the language, today's date (pages say "next
  Tuesday") and the listings' version. Every write to the directory changes the
  version (`listings_changed`, from the directory models' signals and the services'
  bulk writes), so an edited listing shows at once. The version lives in the shared
  cache (`default`: the database, or Redis), so every worker sees it; the pages live in
  the `pages` cache (each worker's memory, or Redis with CACHE_URL).
- The neighbourhood pages also count casework (rounded, published figures); they follow
  a listing change at once and casework within PUBLIC_CACHE_SECONDS.
- The CSP nonce of the page's inline script is written back for each response.
- Browsers and proxies may keep the page for PUBLIC_MAX_AGE_SECONDS (`public`,
  `Vary: Cookie`, so signing in fetches a fresh one).
"""

import hashlib
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers

PAGES = "pages"
VERSION_KEY = "public-pages:version"
NONCE_PLACEHOLDER = b"__linkwork_csp_nonce__"
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie storage
CACHE_HEADER = "X-Linkwork-Cache"


def listings_version() -> str:
    return caches["default"].get(VERSION_KEY) or "0"


def _bump() -> None:
    caches["default"].set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _bump_on_commit() -> None:
    _bump()


def listings_changed() -> None:
    """Every cached public page is out of date: now, and again when the transaction
    commits (so no page rendered from the rows before the commit outlives it; once a
    transaction, however many rows it writes)."""
    _bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        entry[1] is _bump_on_commit for entry in connection.run_on_commit
    ):
        transaction.on_commit(_bump_on_commit)


def _cacheable(request: HttpRequest) -> bool:
    if settings.PUBLIC_CACHE_SECONDS <= 0 or request.method != "GET":
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or MESSAGES_COOKIE in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _key(request: HttpRequest) -> str:
    address = request.build_absolute_uri().encode()
    parts = (
        listings_version(),
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        hashlib.sha256(address).hexdigest(),
    )
    return "page:" + ":".join(parts)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
    )


def _nonce(request: HttpRequest) -> bytes | None:
    nonce = getattr(request, "csp_nonce", None)
    return nonce.encode() if nonce else None


def _publicly_cacheable(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_MAX_AGE_SECONDS)
    patch_vary_headers(response, ["Cookie"])
    return response


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve `view` from the cache for visitors who are not signed in (see above)."""

    @wraps(view)
    def cached(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        pages, key, nonce = caches[PAGES], _key(request), _nonce(request)
        stored = pages.get(key)
        if stored is not None:
            status, headers, content = stored
            if nonce:
                content = content.replace(NONCE_PLACEHOLDER, nonce)
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response[CACHE_HEADER] = "hit"
            return _publicly_cacheable(response)
        response = view(request, *args, **kwargs)
        if _storable(request, response):
            content = response.content
            if nonce:
                content = content.replace(nonce, NONCE_PLACEHOLDER)
            headers = list(response.items())
            pages.set(key, (response.status_code, headers, content), settings.PUBLIC_CACHE_SECONDS)
            response[CACHE_HEADER] = "miss"
            _publicly_cacheable(response)
        return response

    return cached

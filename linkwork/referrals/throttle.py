"""A small rate limit on Django's cache, for forms anyone can send (the self-referral).

A fixed window: the first hit starts the clock, and the count resets when the window
ends. The cache keeps a digest of the key, never the client's address itself.
"""

import hashlib

from django.core.cache import cache
from django.http import HttpRequest


def allow(key: str, *, limit: int, window_seconds: int = 3600) -> bool:
    """Count one hit against `key`; False once more than `limit` hits fall in the window."""
    cache_key = "throttle:" + hashlib.sha256(key.encode()).hexdigest()
    # add() only sets a missing key, so the window starts at the first hit and is not
    # pushed back by later ones; incr() is atomic on the cache backends Django ships.
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(cache_key, 1, timeout=window_seconds)
        hits = 1
    return hits <= limit


def client_address(request: HttpRequest) -> str:
    """The address the request came from. X-Forwarded-For is not trusted (anyone can set
    it); behind a proxy, the server must put the client's address in REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"

"""A small rate limit on Django's cache, for forms anyone can send (the self-referral,
interests, feedback, questionnaires, password resets).

At most `limit` hits are allowed in any `window_seconds`: each allowed hit claims one of
`limit` slots, which frees itself a window later. A slot is claimed with cache.add(),
which is atomic on every cache shared between worker processes (an INSERT on the
database cache, SET NX on Redis), where incr() is a read then a write on the database
cache, and two workers could both count 4. The cache keeps a digest of the key, never
the client's address or email itself.
"""

import hashlib

from django.core.cache import cache
from django.http import HttpRequest


def allow(key: str, *, limit: int, window_seconds: int = 3600) -> bool:
    """Count one hit against `key`; False once `limit` hits fall in the window."""
    if limit <= 0:
        return False
    base = "throttle:" + hashlib.sha256(key.encode()).hexdigest()
    # Where the last hit claimed a slot: a hint (not shared atomically) that saves trying
    # the slots already taken; the claim itself is what counts.
    start = (cache.get(base) or 0) % limit
    for slot in [*range(start, limit), *range(start)]:
        if cache.add(f"{base}:{slot}", 1, timeout=window_seconds):
            cache.set(base, slot + 1, timeout=window_seconds)
            return True
    return False


def client_address(request: HttpRequest) -> str:
    """The address the request came from. X-Forwarded-For is not trusted (anyone can set
    it); behind a proxy, the server must put the client's address in REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"

"""Read replica routing, on when DATABASE_REPLICA_URL is set (docs/operations.md).

The pages that only read and can bear a second or two of replication lag, the public
directory, Open Referral UK and neighbourhood insight, read their casework, directory
and geography tables from the replica; everything else, every write, and what signing in
needs (sessions, accounts, two-factor devices, throttles, the audit log) stays on the
primary, so nobody is ever signed out by lag. Insight's own SQL asks `insight_database()`.
"""

import contextvars
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
# The tables a replica may answer for: what the routed pages read.
REPLICA_APPS = {"directory", "places", "referrals", "outcomes", "community", "insight"}
_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "replica_reads", default=False
)


def replica_configured() -> bool:
    return REPLICA in connections.settings  # settings.DATABASES, as Django loaded it


def insight_database() -> str:
    """The alias insight's aggregate SQL runs on: the replica in a routed request."""
    return REPLICA if _replica_reads.get() and replica_configured() else "default"


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if _replica_reads.get() and model._meta.app_label in REPLICA_APPS:
            return REPLICA if replica_configured() else None
        return None

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica holds the same rows

    def allow_migrate(self, db, app_label, **hints) -> bool:
        return db == "default"  # the replica follows the primary, never migrated itself


class ReplicaReadsMiddleware:
    """GET and HEAD requests under REPLICA_READ_PATHS read from the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefixes = tuple(settings.REPLICA_READ_PATHS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        routed = (
            replica_configured()
            and request.method in ("GET", "HEAD")
            and request.path.startswith(self.prefixes)
        )
        if not routed:
            return self.get_response(request)
        token = _replica_reads.set(True)
        try:
            return self.get_response(request)
        finally:
            _replica_reads.reset(token)

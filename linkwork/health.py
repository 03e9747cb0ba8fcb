"""GET /healthz (liveness: up, and the database answers) and GET /readyz (readiness:
the database answers and its migrations are applied). Both answer over plain HTTP
(SECURE_REDIRECT_EXEMPT), for load balancers."""

import logging

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("Health check could not reach the database: %s", type(error).__name__)
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: the database answers and every migration is applied (a worker
    started before `migrate` finished, or after a deploy that forgot it, is not ready)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        logger.error("Readiness check could not reach the database: %s", type(error).__name__)
        return JsonResponse(
            {"status": "error", "database": "error", "migrations": "unknown"}, status=503
        )
    if pending:
        return JsonResponse(
            {"status": "error", "database": "ok", "migrations": f"{len(pending)} pending"},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "migrations": "ok"})

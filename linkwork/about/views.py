"""/privacy/, /accessibility/, /cookies/, /contact/, /terms/ and /status/: public pages,
no sign-in, each a template a deployment may replace (TEMPLATE_OVERRIDES_DIR)."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from linkwork.about.declarations import personal_data_held


def _page(name: str, title: str, extra=dict):
    """A page that is a template and a title (and `extra()` for what it must compute)."""

    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, f"about/{name}.jinja", {"page_title": title, **extra()})

    view.__name__ = name
    return view


privacy = _page(
    "privacy",
    "Privacy notice",
    lambda: {"held": personal_data_held(), "retention_years": settings.RETENTION_YEARS},
)

accessibility = _page("accessibility", "Accessibility statement")
cookies = _page("cookies", "Cookies")
contact = _page("contact", "Contact and help")
terms = _page("terms", "Terms of use")


def _checks() -> list[tuple[str, bool]]:
    """What a person can rely on, each checked now: the database answers, and it is up
    to date with the code (migrations applied)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = True
    except DatabaseError:
        return [("Records can be read and saved", False), ("The service is up to date", False)]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [("Records can be read and saved", database), ("The service is up to date", not pending)]


@never_cache
@require_GET
def status(request: HttpRequest) -> HttpResponse:
    checks = _checks()
    working = all(ok for _, ok in checks)
    return render(
        request,
        "about/status.jinja",
        {"page_title": "Service status", "checks": checks, "working": working},
        status=200 if working else 503,
    )

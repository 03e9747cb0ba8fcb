"""Foundation: what a signed-in page costs beyond the bare health check.

Reports medians and p95 of GET /healthz (baseline), a role home, GET /api/v1/me
with a bearer token, and the audit log page over 50,000 events, with ratios to
the baseline, and the number of queries each page makes.
"""

from bench._setup import django_with_fresh_database, summary, test_environment, timings
from bench.targets import record

AUDIT_EVENTS = 50_000


def main() -> None:
    django_with_fresh_database()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from linkwork.accounts.models import User
    from linkwork.accounts.services import create_api_token
    from linkwork.audit.models import AuditEvent
    from linkwork.demo.services import load_demo

    test_environment()
    load_demo()
    AuditEvent.objects.bulk_create(
        AuditEvent(action=f"action_{i % 40}", object_type=f"type_{i % 12}", object_id=str(i))
        for i in range(AUDIT_EVENTS)
    )
    link_worker, admin = Client(), Client()
    link_worker.force_login(User.objects.get(email="linkworker@example.org"))
    admin.force_login(User.objects.get(email="admin@example.org"))
    _, token = create_api_token(user=User.objects.get(email="referrer@example.org"), by=None)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    cases = {
        "GET /healthz (baseline)": lambda: Client().get("/healthz"),
        "GET /link-worker/ (role home)": lambda: link_worker.get("/link-worker/"),
        "GET /api/v1/me (bearer token)": lambda: api.get("/api/v1/me"),
        f"GET /audit/ ({AUDIT_EVENTS:,} events)": lambda: admin.get("/audit/"),
        "GET /audit/?object_type=type_3 (filtered)": lambda: admin.get(
            "/audit/", {"object_type": "type_3"}
        ),
    }
    print(f"Foundation benchmark on {connection.vendor}")
    results = {name: summary(name, timings(action, 30)) for name, action in cases.items()}
    baseline = results["GET /healthz (baseline)"]["median"]
    print("  ratios of medians to the baseline:")
    for name, figures in results.items():
        with CaptureQueriesContext(connection) as queries:
            cases[name]()
        print(f"    {name:<40} ×{figures['median'] / baseline:6.1f}   {len(queries)} queries")
        if name == "GET /healthz (baseline)":
            health = figures
            record(
                "/healthz queries",
                f"{len(queries)} queries",
                len(queries) <= 1,
                item="5",
                engine=connection.vendor,
                goal="at most 1 cheap query",
            )
    record(
        "/healthz latency (one at a time)",
        f"median {health['median'] * 1000:.1f} ms, {health['p95_label']} "
        f"{health['p95'] * 1000:.1f} ms",
        None,
        item="5",
        engine=connection.vendor,
        goal="(under load: see the load test)",
    )


if __name__ == "__main__":
    main()

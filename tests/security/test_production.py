"""Production defaults and the controls a trusted health system adds (issue 22).

Settings are loaded in a fresh interpreter (they are read once, at import), with the
environment each case names and nothing from this test run's.
"""

import json
import os
import subprocess
import sys

import pytest
from django.test import Client

from linkwork.accounts.roles import Role
from tests.factories import user_with_role

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "linkwork.example.org",
    "EMAIL_HOST": "smtp.example.org",
}
CLEARED = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "CACHE_URL",
    "DATABASE_URL",
}
SHOW = (
    "import json, linkwork.settings as s; print(json.dumps({n: getattr(s, n, None) for n in "
    "['DEBUG', 'SECURE_SSL_REDIRECT', 'SECURE_REDIRECT_EXEMPT', 'SECURE_PROXY_SSL_HEADER', "
    "'EMAIL_BACKEND', 'CACHES', 'DATABASES']}, default=str))"
)


def load_settings(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", SHOW], env=environment, capture_output=True, text=True, check=False
    )


def settings_of(**env: str) -> dict:
    result = load_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- DEBUG, email, HTTPS -------------------------------------------------------------


def test_debug_is_off_unless_the_environment_turns_it_on():
    assert load_settings().returncode != 0  # production: no secret key, so it refuses
    without_debug = {k: v for k, v in PRODUCTION.items() if k != "DEBUG"}
    assert settings_of(**without_debug)["DEBUG"] is False
    assert settings_of(DEBUG="true")["DEBUG"] is True


@pytest.mark.parametrize(
    "email",
    [
        {},
        {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
        {"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"},
        {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"},  # but no host
    ],
    ids=["nothing", "console", "dummy", "smtp-without-host"],
)
def test_production_refuses_to_start_without_a_real_mail_service(email):
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_HOST"}
    result = load_settings(**env, **email)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "EMAIL_HOST" in result.stderr


def test_production_sends_mail_through_the_smtp_server_it_is_given():
    assert settings_of(**PRODUCTION)["EMAIL_BACKEND"] == (
        "django.core.mail.backends.smtp.EmailBackend"
    )


def test_production_redirects_to_https_except_health_checks_and_trusts_the_proxy_header():
    production = settings_of(**PRODUCTION)
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_REDIRECT_EXEMPT"] == ["^healthz$", "^readyz$"]
    assert production["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    custom = settings_of(**PRODUCTION, SECURE_PROXY_SSL_HEADER="X-Forwarded-Scheme,https")
    assert custom["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_SCHEME", "https"]
    assert (
        settings_of(**PRODUCTION, SECURE_PROXY_SSL_HEADER="off")["SECURE_PROXY_SSL_HEADER"] is None
    )
    assert settings_of(DEBUG="true")["SECURE_SSL_REDIRECT"] is None


@pytest.mark.django_db
def test_with_the_https_redirect_on_pages_redirect_and_the_health_check_answers(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    page = client.get("/directory/")
    assert page.status_code == 301
    assert page["Location"] == "https://testserver/directory/"
    assert client.get("/healthz").status_code == 200


# --- Caches and SQLite -----------------------------------------------------------------


def test_the_cache_is_shared_the_database_by_default_redis_when_cache_url_is_set():
    default = settings_of(DEBUG="true")["CACHES"]["default"]
    assert default["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    redis = settings_of(DEBUG="true", CACHE_URL="redis://cache.internal:6379/0")
    assert redis["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/0",
    }


CHECK_SQLITE = (
    "import django, json; django.setup(); from django.db import connection; "
    "c = connection.cursor(); c.execute('PRAGMA journal_mode'); mode = c.fetchone()[0]; "
    "c.execute('PRAGMA busy_timeout'); timeout = c.fetchone()[0]; "
    "print(json.dumps([mode, timeout, connection.transaction_mode]))"
)


@pytest.mark.parametrize("named_by", ["SQLITE_PATH", "DATABASE_URL"])
def test_sqlite_gets_wal_immediate_transactions_and_a_busy_timeout_however_named(
    named_by, tmp_path
):
    path = tmp_path / "linkwork.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(DEBUG="true", DJANGO_SETTINGS_MODULE="linkwork.settings")
    env.update(
        {"SQLITE_PATH": str(path)}
        if named_by == "SQLITE_PATH"
        else {"DATABASE_URL": f"sqlite:///{path}"}
    )
    result = subprocess.run(
        [sys.executable, "-c", CHECK_SQLITE], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["wal", 20000, "IMMEDIATE"]


# --- Headers ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/directory/", "/healthz", "/api/v1/openapi.json"])
def test_every_response_carries_a_permissions_policy(path):
    policy = Client().get(path)["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


@pytest.mark.django_db
def test_pages_for_a_signed_in_user_and_api_answers_are_never_stored(persona):
    worker = persona(Role.LINK_WORKER)
    for path in ["/link-worker/", "/directory/", "/api/v1/me", "/api/v1/referrals"]:
        response = worker.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/feedback/not-a-real-token/", "/questionnaire/not-a-token/"])
def test_one_use_link_pages_are_never_stored(path):
    assert "no-store" in Client().get(path)["Cache-Control"]


@pytest.mark.django_db
def test_public_pages_for_anonymous_visitors_stay_cacheable():
    assert "no-store" not in Client().get("/directory/").get("Cache-Control", "")


# --- API errors in production ------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_api_address_answers_json_with_a_detail_not_a_page():
    response = Client().get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not Found"}
    page = Client().get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_an_api_failure_answers_json_without_the_traceback(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("secret internals: Jane Doe's NHS number")

    monkeypatch.setattr("linkwork.accounts.api.memberships_for_display", broken)
    client = Client(raise_request_exception=False)
    client.force_login(user_with_role(Role.REFERRER))
    response = client.get("/api/v1/me")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
    assert "Jane" not in response.content.decode() and "Traceback" not in response.content.decode()


# --- API docs --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_docs_load_swagger_ui_from_our_own_static_files():
    from django.contrib.staticfiles import finders

    response = Client().get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "cdn" not in html.lower() and "https://" not in html
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in html
    assert 'src="/static/ninja/swagger-ui-init.js"' in html
    assert "<script>" not in html  # no inline script for the CSP to block
    for name in ["ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"]:
        assert finders.find(name), name

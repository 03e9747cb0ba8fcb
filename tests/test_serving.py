"""Production serving: request ids in responses and logs, JSON log lines, gunicorn's
access log without one-use links."""

import json
import logging
import os
import subprocess
import sys

from linkwork import gunicorn_conf
from linkwork.logs import JsonFormatter, RequestIdFilter, request_id


def test_each_response_carries_a_request_id(client, db):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_proxys_request_id_is_kept_but_not_any_header_text(client, db):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="proxy-id-1234")["X-Request-ID"] == (
        "proxy-id-1234"
    )
    injected = client.get("/healthz", HTTP_X_REQUEST_ID='x" \n{"level": "bad"}')
    assert len(injected["X-Request-ID"]) == 32


def test_json_log_line_has_the_request_id_and_the_exception_type():
    token = request_id.set("abc123def456")
    try:
        record = logging.LogRecord(
            "linkwork", logging.ERROR, __file__, 1, "Referral %s", (7,), None
        )
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request_id"] == "abc123def456"
    assert entry["message"] == "Referral 7"
    assert entry["level"] == "ERROR"
    assert entry["exception"] == "ValueError"


def test_gunicorn_leaves_one_use_links_out_of_its_access_log(monkeypatch):
    logged = []
    monkeypatch.setattr(
        gunicorn_conf.Logger, "access", lambda self, resp, req, environ, t: logged.append(environ)
    )
    logger = gunicorn_conf.LinkworkLogger.__new__(gunicorn_conf.LinkworkLogger)
    for path in ("/feedback/secret-token/", "/questionnaire/t0ken/", "/directory/"):
        logger.access(None, None, {"PATH_INFO": path}, None)
    assert [e["PATH_INFO"] for e in logged] == ["/directory/"]


def test_gunicorn_access_log_format_is_json_without_query_strings():
    fmt = gunicorn_conf.access_log_format
    assert "%(q)s" not in fmt and "%(r)s" not in fmt and "%(a)s" not in fmt
    sample = fmt % {
        "t": "[03/Dec/2026:08:00:00 +0000]",
        "m": "GET",
        "U": "/directory/",
        "s": 200,
        "B": "512",
        "M": 12,
        "{x-request-id}o": "abc",
    }
    assert json.loads(sample)["path"] == "/directory/"


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE: the browser tests' setting, when they share the process.
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "EMAIL_BACKEND",
            "EMAIL_HOST",
            "MFA_ENFORCED",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment.update(
        DEBUG="false",
        SECRET_KEY="k" * 30 + "-production-key-with-enough-entropy-1234567",
        ALLOWED_HOSTS="linkwork.example.org",
        EMAIL_HOST="smtp.example.org",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "linkwork.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deploy_check_with_no_warning():
    result = deploy_check()
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_when_mfa_is_not_enforced():
    result = deploy_check(MFA_ENFORCED="false")
    assert result.returncode != 0
    assert "linkwork.W001" in result.stderr

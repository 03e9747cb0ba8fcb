"""Production mode (DEBUG off) must fail loudly without its secrets."""

import os
import subprocess
import sys

import pytest

from linkwork.demo.services import load_demo


def load_settings(**env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_BACKEND", "EMAIL_HOST"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import linkwork.settings"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = load_settings(DEBUG="false", ALLOWED_HOSTS="linkwork.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_mode_refuses_to_start_without_allowed_hosts():
    result = load_settings(DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_mode_starts_with_both_and_a_mail_server():
    result = load_settings(
        DEBUG="false",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="linkwork.example.org",
        EMAIL_HOST="smtp.example.org",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_demo_accounts_are_never_created_in_production_mode(settings):
    from django.core.exceptions import ImproperlyConfigured

    from linkwork.accounts.models import User

    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(ImproperlyConfigured):
        load_demo()
    assert not User.objects.exists()


def test_pages_send_a_content_security_policy(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy

"""Signing in (accounts/backends.py): a signed-in request reads its user and their
memberships in one query; sessions from before keep working; a wrong password is
checked once and refused as before."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, authenticate
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.signals import user_login_failed
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linkwork.accounts.models import Membership
from linkwork.accounts.roles import Role
from tests.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db


def test_a_signed_in_request_reads_its_session_then_user_and_memberships_in_one(client):
    user = user_with_role(Role.LINK_WORKER)
    client.force_login(user)
    client.get("/api/v1/services")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/services").status_code == 200
    tables = [q["sql"].split(" FROM ")[1].split()[0] for q in queries.captured_queries[:2]]
    assert tables == ['"django_session"', '"accounts_user"']
    assert "accounts_membership" in queries.captured_queries[1]["sql"]
    assert not any("accounts_membership" in q["sql"] for q in queries.captured_queries[2:])


def test_a_membership_taken_away_counts_on_the_next_request(client):
    user = user_with_role(Role.LINK_WORKER)
    client.force_login(user)
    assert client.get("/api/v1/services").status_code == 200
    Membership.objects.filter(user=user).delete()
    assert client.get("/api/v1/services").status_code == 403


def test_a_deactivated_user_is_signed_out(client):
    user = user_with_role(Role.LINK_WORKER)
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get("/api/v1/services").status_code == 401


def test_a_session_signed_in_before_the_new_backend_stays_signed_in(client):
    user = user_with_role(Role.LINK_WORKER)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.session[BACKEND_SESSION_KEY] == "django.contrib.auth.backends.ModelBackend"
    assert client.get("/api/v1/services").status_code == 200


def test_sign_in_goes_through_the_new_backend(client):
    user = user_with_role(Role.REFERRER)
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == "linkwork.accounts.backends.EmailBackend"


def test_a_wrong_password_is_checked_once_and_refused_as_before(monkeypatch, rf):
    user = user_with_role(Role.REFERRER)
    checked, failed = [], []
    original = MD5PasswordHasher.verify
    monkeypatch.setattr(
        MD5PasswordHasher,
        "verify",
        lambda self, password, encoded: checked.append(1) or original(self, password, encoded),
    )

    def on_failure(**kwargs):
        failed.append(kwargs["credentials"]["username"])

    user_login_failed.connect(on_failure)
    try:
        request = rf.post("/accounts/login/")
        assert authenticate(request, username=user.email, password="not the password") is None
    finally:
        user_login_failed.disconnect(on_failure)
    assert failed == [user.email]
    assert len(checked) == 1
    assert authenticate(rf.post("/accounts/login/"), username=user.email, password=PASSWORD) == user

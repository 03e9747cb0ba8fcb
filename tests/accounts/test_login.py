import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from linkwork.accounts.roles import Role
from linkwork.middleware import LOGIN_TIME_KEY, SEEN_KEY
from tests.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db

GENERIC_ERROR = "Enter a correct email address and password."


def sign_in(client: Client, email: str, password: str):
    return client.post("/accounts/login/", {"username": email, "password": password})


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_role_lands_on_its_own_home_after_sign_in(role, client):
    user = user_with_role(role)
    response = sign_in(client, user.email, PASSWORD)
    assert response.status_code == 302
    home = client.get(response["Location"], follow=True)
    assert home.status_code == 200
    assert (
        home.redirect_chain[-1][0]
        == {
            Role.REFERRER: "/referrer/",
            Role.LINK_WORKER: "/link-worker/",
            Role.SERVICE_MANAGER: "/service-manager/",
            Role.GROUP: "/group/",
            Role.RESIDENT: "/resident/",
            Role.PANEL: "/panel/",
            Role.COMMISSIONER: "/commissioner/",
            Role.ADMIN: "/administration/",
        }[role]
    )


def test_email_is_not_case_sensitive_at_sign_in(client):
    user = user_with_role(Role.REFERRER, email="mixed@example.test")
    response = sign_in(client, "  Mixed@Example.TEST ", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_and_unknown_email_get_the_same_generic_message(client):
    user = user_with_role(Role.REFERRER)
    wrong_password = sign_in(client, user.email, "not-the-password")
    unknown_email = sign_in(client, "nobody@example.test", "not-the-password")
    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        html = response.content.decode()
        assert GENERIC_ERROR in html
        assert "nhsuk-error-summary" in html
    assert "_auth_user_id" not in client.session


def test_blank_sign_in_form_names_each_missing_field(client):
    html = client.post("/accounts/login/", {}).content.decode()
    assert html.count("This field is required.") >= 2
    assert 'href="#id_username"' in html and 'href="#id_password"' in html


def test_repeated_failures_are_throttled_even_with_the_right_password(client, settings):
    user = user_with_role(Role.REFERRER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, user.email, "wrong")
    response = sign_in(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_session_is_rotated_at_sign_in(client):
    user = user_with_role(Role.REFERRER)
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    sign_in(client, user.email, PASSWORD)
    assert client.session.session_key != before


def test_sessions_expire_after_thirty_idle_minutes_by_default(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert not getattr(settings, "SESSION_SAVE_EVERY_REQUEST", False)


def _expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_activity_keeps_the_session_alive_without_a_write_on_every_page(client):
    user = user_with_role(Role.REFERRER)
    sign_in(client, user.email, PASSWORD)
    assert client.get("/referrer/").status_code == 200
    first = _expiry(client)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/referrer/").status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert _expiry(client) == first

    session = client.session
    session[SEEN_KEY] = time.time() - 61  # the last refresh was over a minute ago
    session.save()
    stale = _expiry(client)
    time.sleep(0.01)
    assert client.get("/referrer/").status_code == 200
    assert _expiry(client) > stale


def test_session_ends_twelve_hours_after_sign_in_however_active(client, settings):
    user = user_with_role(Role.REFERRER)
    sign_in(client, user.email, PASSWORD)
    assert client.get("/referrer/").status_code == 200
    session = client.session
    session[LOGIN_TIME_KEY] = time.time() - settings.SESSION_MAX_HOURS * 3600 - 1
    session.save()
    response = client.get("/referrer/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?expired=1"
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_ends_the_session(client):
    user = user_with_role(Role.GROUP)
    client.force_login(user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/group/").status_code == 302


def test_person_with_two_roles_chooses_a_room(client):
    user = user_with_role(Role.LINK_WORKER)
    from linkwork.accounts.models import Membership

    Membership.objects.create(user=user, organisation=None, role=Role.RESIDENT.value)
    client.force_login(user)
    response = client.get("/home/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/link-worker/"' in html and 'href="/resident/"' in html


def test_password_reset_sends_a_link_without_revealing_who_has_an_account(client, mailoutbox):
    user = user_with_role(Role.PANEL)
    known = client.post("/accounts/password-reset/", {"email": user.email})
    unknown = client.post("/accounts/password-reset/", {"email": "nobody@example.test"})
    assert known["Location"] == unknown["Location"] == "/accounts/password-reset/sent/"
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


def test_passwords_are_hashed_with_argon2_in_real_settings():
    from linkwork import settings as real_settings

    assert real_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")

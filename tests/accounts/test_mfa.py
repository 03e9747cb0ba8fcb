"""Two-factor sign-in: staff enrol an authenticator, enter a code at each sign-in, can fall
back on a recovery code once each; wrong codes are throttled and every step is audited."""

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from linkwork.accounts.roles import Role
from linkwork.accounts.services import create_api_token
from linkwork.audit.models import AuditEvent
from tests.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _enforced(settings):
    settings.MFA_ENFORCED = True


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enrolled(role: Role = Role.LINK_WORKER):
    user = user_with_role(role)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user, device


def sign_in(client: Client, user) -> None:
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_link_worker_without_authenticator_must_set_one_up_before_anything_else(client):
    user = user_with_role(Role.LINK_WORKER)
    sign_in(client, user)
    home = client.get("/link-worker/")
    assert home.status_code == 302
    assert home["Location"].startswith("/accounts/mfa/setup/")

    page = client.get("/accounts/mfa/setup/?next=/link-worker/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "Set up your authenticator app" in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post("/accounts/mfa/setup/", {"code": "000000", "next": "/link-worker/"})
    assert "The code is not right" in wrong.content.decode()
    assert client.get("/link-worker/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait a second

    done = client.post("/accounts/mfa/setup/", {"code": code_for(device), "next": "/link-worker/"})
    html = done.content.decode()
    assert "Save your recovery codes" in html
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert all(t.token in html for t in StaticToken.objects.filter(device__user=user))
    assert client.get("/link-worker/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="mfa_enrolled", object_id=str(user.pk)).exists()


def test_enrolled_user_enters_a_code_after_the_password(client):
    user, device = enrolled()
    sign_in(client, user)
    held = client.get("/link-worker/")
    assert held.status_code == 302
    assert held["Location"] == "/accounts/mfa/?next=%2Flink-worker%2F"

    wrong = client.post("/accounts/mfa/", {"code": "12345"})
    assert "Enter the 6-digit code" in wrong.content.decode()
    response = client.post("/accounts/mfa/", {"code": code_for(device), "next": "/link-worker/"})
    assert response.status_code == 302
    assert response["Location"] == "/link-worker/"
    assert client.get("/link-worker/").status_code == 200
    assert AuditEvent.objects.filter(action="mfa_verified", object_id=str(user.pk)).exists()


def test_wrong_codes_are_throttled_and_audited(client):
    user, device = enrolled()
    sign_in(client, user)
    first = client.post("/accounts/mfa/", {"code": "000000"})
    assert first.status_code == 200
    assert "The code is not right" in first.content.decode()
    # The next try must wait, even with the right code.
    second = client.post("/accounts/mfa/", {"code": code_for(device)})
    assert second.status_code == 429
    assert "Too many wrong codes" in second.content.decode()
    assert client.get("/link-worker/").status_code == 302
    assert AuditEvent.objects.filter(action="mfa_failed", object_id=str(user.pk)).count() == 1


def test_a_recovery_code_signs_in_once(client):
    user, _ = enrolled()
    client_codes = Client()
    sign_in(client_codes, user)
    from linkwork.accounts.mfa import regenerate_recovery_codes

    codes = regenerate_recovery_codes(by=user)
    sign_in(client, user)
    response = client.post("/accounts/mfa/recovery/", {"code": codes[0], "next": "/link-worker/"})
    assert response.status_code == 302
    assert client.get("/link-worker/").status_code == 200
    assert AuditEvent.objects.filter(action="mfa_recovery_code_used").exists()

    again = Client()
    sign_in(again, user)
    reused = again.post("/accounts/mfa/recovery/", {"code": codes[0]})
    assert "not right, or it has been used" in reused.content.decode()
    assert again.get("/link-worker/").status_code == 302


@pytest.mark.parametrize("role", [Role.GROUP, Role.RESIDENT, Role.REFERRER], ids=str)
def test_roles_outside_the_required_list_sign_in_with_a_password_alone(role, client):
    user = user_with_role(role)
    sign_in(client, user)
    home = client.get("/home/", follow=True)
    assert home.status_code == 200
    assert "/accounts/mfa/" not in home.redirect_chain[-1][0]


@pytest.mark.parametrize(
    "role", [Role.LINK_WORKER, Role.PANEL, Role.COMMISSIONER, Role.ADMIN], ids=str
)
def test_each_required_role_is_sent_to_set_up(role, client):
    sign_in(client, user_with_role(role))
    assert client.get("/home/")["Location"].startswith("/accounts/mfa/setup/")


def test_an_optional_user_who_enrolled_is_asked_for_a_code_too(client):
    user, _ = enrolled(Role.GROUP)
    sign_in(client, user)
    assert client.get("/group/")["Location"].startswith("/accounts/mfa/?")


def test_django_admin_is_behind_the_second_factor(client):
    user, device = enrolled(Role.ADMIN)
    sign_in(client, user)
    assert client.get("/admin/")["Location"].startswith("/accounts/mfa/?")
    client.post("/accounts/mfa/", {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200


def test_api_refuses_a_session_that_owes_a_code_but_takes_a_bearer_token(client):
    user, _ = enrolled()
    sign_in(client, user)
    response = client.get("/api/v1/referrals")
    assert response.status_code == 401
    assert "code" in response.json()["detail"]
    _, raw = create_api_token(user=user, name="script", by=user)
    with_token = client.get("/api/v1/referrals", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert with_token.status_code == 200


def test_demo_setting_off_lets_staff_sign_in_with_a_password(settings, client):
    settings.MFA_ENFORCED = False
    sign_in(client, user_with_role(Role.LINK_WORKER))
    assert client.get("/link-worker/").status_code == 200


def test_next_must_stay_on_this_site(client):
    user, device = enrolled()
    sign_in(client, user)
    response = client.post(
        "/accounts/mfa/", {"code": code_for(device), "next": "https://evil.test/"}
    )
    assert response["Location"] == "/home/"


def test_reset_mfa_command_removes_the_authenticator(capsys):
    user, _ = enrolled()
    call_command("reset-mfa", user.email)
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="mfa_reset", object_id=str(user.pk)).exists()

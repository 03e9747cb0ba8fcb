import pytest

from linkwork.accounts.roles import Role
from linkwork.accounts.services import create_api_token, create_user
from linkwork.audit.models import AuditEvent
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_a_service_writes_an_audit_event_naming_the_actor():
    admin = user_with_role(Role.ADMIN)
    user = create_user(
        email="new.person@example.test", password=None, full_name="New Person", by=admin
    )
    event = AuditEvent.objects.get(action="user_created")
    assert event.actor_id == admin.pk
    assert event.actor_email == admin.email
    assert (event.object_type, event.object_id) == ("user", str(user.pk))


def test_audit_summaries_hold_no_personal_data():
    user = create_user(
        email="private.person@example.test", password=None, full_name="Pat Private", by=None
    )
    create_api_token(user=user, by=None)
    for event in AuditEvent.objects.all():
        assert "private.person" not in event.summary
        assert "Pat Private" not in event.summary


def test_audit_log_is_append_only():
    event = AuditEvent.objects.create(action="test", object_type="thing")
    event.summary = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(summary="changed")


def test_sign_in_and_failed_sign_in_are_audited_without_the_attempted_email(client):
    from tests.factories import PASSWORD

    user = user_with_role(Role.GROUP)
    client.post("/accounts/login/", {"username": "typo@example.test", "password": "x"})
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    failed = AuditEvent.objects.get(action="login_failed")
    assert "typo" not in failed.summary and failed.actor_email == ""
    assert AuditEvent.objects.filter(action="login", actor_id=user.pk).exists()


def test_admin_filters_the_audit_log(persona):
    admin = persona(Role.ADMIN)
    AuditEvent.objects.create(action="referral_viewed", object_type="referral", object_id="7")
    AuditEvent.objects.create(action="asset_updated", object_type="asset", object_id="9")
    html = admin.get("/audit/", {"object_type": "referral"}).content.decode()
    rows = html.split("<tbody", 1)[1]
    assert "viewed" in rows and "referral 7" in rows
    assert "changed the listing" not in rows and "listing 9" not in rows


def test_audit_filter_rejects_a_backwards_date_range(persona):
    admin = persona(Role.ADMIN)
    html = admin.get("/audit/", {"since": "2026-02-01", "until": "2026-01-01"}).content.decode()
    assert "nhsuk-error-summary" in html
    assert "The end date must be the same as or after the start date." in html


def test_audit_filter_rejects_a_malformed_date(persona):
    admin = persona(Role.ADMIN)
    response = admin.get("/audit/", {"since": "last tuesday"})
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()

"""Notification preferences: defaults per role, the page, the API, safety always immediate."""

import json

import pytest

from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.notifications import adapters
from linkwork.notifications.models import HeldMessage, Kind, NotificationPreference, TextMessage
from linkwork.notifications.preferences import frequency_for
from linkwork.notifications.services import notify_organisation, tell
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/notification-preferences"


def _put(client, body):
    return client.put(URL, json.dumps(body), content_type="application/json")


def test_group_members_default_to_weekly_except_new_referrals():
    member = user_with_role(Role.GROUP)
    assert frequency_for(member, "new_referral") == ("immediately", "email")
    assert frequency_for(member, "listing_due") == ("weekly", "email")
    assert frequency_for(member, "safety") == ("immediately", "email")
    worker = user_with_role(Role.LINK_WORKER)
    assert frequency_for(worker, "reminders") == ("immediately", "email")


def test_a_weekly_message_is_held_not_sent(mailoutbox):
    organisation = OrganisationFactory()
    member = user_with_role(Role.GROUP, organisation=organisation)
    told = notify_organisation(
        organisation=organisation, kind="listing_due", subject="Check it", body="Sign in."
    )
    assert told == 1 and mailoutbox == []
    assert HeldMessage.objects.get(user=member).frequency == "weekly"
    notify_organisation(
        organisation=organisation, kind="new_referral", subject="Referral", body="Sign in."
    )
    assert [m.to for m in mailoutbox] == [[member.email]]


def test_never_means_nothing_arrives_but_safety_always_does(mailoutbox):
    member = user_with_role(Role.GROUP)
    NotificationPreference.objects.create(user=member, kind="reminders", frequency="never")
    assert tell(users=[member], kind="reminders", subject="S", body="B") == 0
    assert tell(users=[member], kind="safety", subject="Safety", body="B") == 1
    assert [m.subject for m in mailoutbox] == ["Safety"]
    assert not HeldMessage.objects.exists()


def test_api_reads_and_changes_only_the_callers_preferences(persona):
    client = persona(Role.GROUP)
    other = user_with_role(Role.GROUP)
    body = client.get(URL).json()
    kinds = {row["kind"]: row for row in body["preferences"]}
    assert kinds["listing_due"]["frequency"] == "weekly" and kinds["listing_due"]["is_default"]
    assert kinds["safety"]["fixed"] and body["sms_available"] is False
    response = _put(client, {"preferences": [{"kind": "listing_due", "frequency": "daily"}]})
    assert response.status_code == 200, response.content
    kinds = {row["kind"]: row for row in response.json()["preferences"]}
    assert kinds["listing_due"]["frequency"] == "daily" and not kinds["listing_due"]["is_default"]
    assert kinds["reminders"]["frequency"] == "weekly"  # not listed: unchanged
    assert not NotificationPreference.objects.filter(user=other).exists()
    assert AuditEvent.objects.filter(action="notification_preferences_changed").count() == 1


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"kind": "safety", "frequency": "weekly"}, "preferences.1.frequency"),
        ({"kind": "gossip", "frequency": "weekly"}, "preferences.1.kind"),
        ({"kind": "reminders", "frequency": "hourly"}, "preferences.1.frequency"),
        ({"kind": "reminders", "frequency": "daily", "channel": "sms"}, "preferences.1.channel"),
    ],
)
def test_a_bad_entry_is_named_and_nothing_is_saved(persona, entry, field):
    client = persona(Role.GROUP)
    response = _put(client, {"preferences": [{"kind": "listing_due", "frequency": "daily"}, entry]})
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not NotificationPreference.objects.exists()


def test_unknown_field_is_refused(persona):
    response = _put(persona(Role.GROUP), {"preferences": [], "email_everyone": True})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email_everyone"


def test_anonymous_callers_are_refused(anonymous):
    assert anonymous.get(URL).status_code == 401


def test_text_messages_where_available(persona, settings, mailoutbox):
    settings.SMS_BACKEND = "locmem"
    adapters.sms_outbox.clear()
    client = persona(Role.GROUP)
    response = _put(
        client,
        {
            "preferences": [{"kind": "new_referral", "frequency": "immediately", "channel": "sms"}],
            "sms_number": "07700 900123",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["sms_number"] == "07700900123"
    tell(users=[client.user], kind="new_referral", subject="New referral", body="Sign in.")
    assert [(m["to"], m["body"]) for m in adapters.sms_outbox] == [
        ("07700900123", "New referral. Sign in.")
    ]
    # Recorded, for its delivery receipt, without the words or the number.
    (text,) = TextMessage.objects.all()
    assert (text.kind, text.user, text.referral) == ("notice", client.user, None)
    assert str(text.notification_id) == adapters.sms_outbox[0]["id"]
    assert mailoutbox == []
    response = _put(client, {"sms_number": "0161 000 0000"})
    assert response.json()["errors"][0]["field"] == "sms_number"


def test_preferences_page_saves_weekly_digests(persona):
    client = persona(Role.GROUP)
    page = client.get("/me/notifications/")
    assert page.status_code == 200
    assert "Urgent safety messages" in page.content.decode()
    form = {kind: "weekly" for kind in Kind if kind != "safety"}
    response = client.post("/me/notifications/", form, follow=True)
    assert "Your notification choices have been saved." in response.content.decode()
    assert frequency_for(client.user, "new_referral") == ("weekly", "email")


def test_preferences_page_names_a_missing_choice(persona):
    client = persona(Role.GROUP)
    response = client.post("/me/notifications/", {"new_referral": "weekly"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not NotificationPreference.objects.exists()

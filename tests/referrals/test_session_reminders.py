"""Reminders of a first session by text, the day before, for people who asked for one
(recorded with who and when), from the listing's sessions, sent once by send-reminders."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from linkwork.audit.models import AuditEvent
from linkwork.directory.listing_edit import update_listing
from linkwork.notifications.models import TextKind, TextMessage
from linkwork.referrals import services
from tests.referrals.test_group_pages import accepted
from tests.referrals.test_prescription import agree, page_url

pytestmark = pytest.mark.django_db

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@pytest.fixture
def walk_tomorrow(world):
    """The walk runs every week on tomorrow's weekday, 10 to 11."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    update_listing(
        asset=world.walk,
        by=None,
        schedules=[
            {
                "freq": "WEEKLY",
                "byday": DAYS[tomorrow.weekday()],
                "opens_at": "10:00",
                "closes_at": "11:00",
            }
        ],
    )
    return world


def reminder_url(connection) -> str:
    return page_url(connection).replace("prescription/", "session-reminder/")


def test_a_person_who_asked_is_texted_the_day_before_their_first_session_once(
    walk_tomorrow, fake_notify
):
    world = walk_tomorrow
    connection = accepted(world)
    agree(connection, "phone,text", email="")
    page = world.link_worker.get(page_url(connection)).content.decode()
    assert "They want a reminder by text" in page
    response = world.link_worker.post(reminder_url(connection))
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.session_reminder_agreed_by == world.link_worker.user
    assert connection.session_reminder_agreed_at is not None
    assert AuditEvent.objects.filter(action="session_reminder_agreed").exists()

    assert services.send_session_reminders() == 1
    (sent,) = fake_notify.texts
    fields = sent["json"]["personalisation"]
    assert set(fields) == {"first_name", "activity", "when", "where", "body"}
    assert fields["first_name"] == "Pat" and fields["activity"] == "Health walk"
    assert "10am to 11am" in fields["when"]
    for personal in ("Holden", "bereaved", "1956", "walking stick"):
        assert personal not in str(fields)
    assert TextMessage.objects.get().kind == TextKind.SESSION_REMINDER
    assert services.send_session_reminders() == 0  # once only
    assert len(fake_notify.texts) == 1
    page = world.link_worker.get(page_url(connection)).content.decode()
    assert "asked for a text the day before their first session" in page


def test_nobody_is_reminded_without_asking(walk_tomorrow, fake_notify):
    connection = accepted(walk_tomorrow)
    agree(connection, "phone,text", email="")
    assert services.send_session_reminders() == 0 and not fake_notify.texts


def test_no_reminder_when_the_next_session_is_not_tomorrow(walk_tomorrow, fake_notify):
    world = walk_tomorrow
    connection = accepted(world)
    agree(connection, "phone,text", email="")
    world.link_worker.post(reminder_url(connection))
    later = timezone.now() - dt.timedelta(days=3)
    assert services.send_session_reminders(now=later) == 0 and not fake_notify.texts


def test_a_reminder_needs_agreement_to_texts(walk_tomorrow, fake_notify):
    world = walk_tomorrow
    connection = accepted(world)
    agree(connection, "phone,email")
    response = world.link_worker.post(reminder_url(connection), follow=True)
    assert "not agreed to be contacted by text message" in response.content.decode().replace(
        "&#39;", "'"
    )
    connection.refresh_from_db()
    assert connection.session_reminder_agreed_at is None


def test_send_reminders_sends_them(walk_tomorrow, fake_notify, capsys):
    world = walk_tomorrow
    connection = accepted(world)
    agree(connection, "phone,text", email="")
    world.link_worker.post(reminder_url(connection))
    call_command("send-reminders")
    assert "Texted 1 reminder(s) of a first session tomorrow." in capsys.readouterr().out
    assert len(fake_notify.texts) == 1

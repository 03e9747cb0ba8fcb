"""The response clock: an unanswered connection reminds its group once, then tells the
link worker once; running the reminders again sends nothing new, and no message names
the person."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.referrals import services
from linkwork.referrals.calendar import add_working_days
from linkwork.referrals.models import Connection
from tests.factories import hears_immediately, user_with_role
from tests.referrals.test_group_pages import NEVER_SHOWN, connect

pytestmark = pytest.mark.django_db

# A Monday morning, so the working days are easy to count.
MONDAY = dt.datetime(2030, 3, 4, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def overdue(world, **kwargs) -> Connection:
    """A connection sent to the group's walk whose answer was due last Friday."""
    connection = connect(world, **kwargs)
    Connection.objects.filter(pk=connection.pk).update(response_due=dt.date(2030, 3, 1))
    return connection


def remind(now=MONDAY):
    return services.send_connection_reminders(now=now)


def days_after_reminder(working_days: int) -> dt.datetime:
    return dt.datetime.combine(add_working_days(MONDAY.date(), working_days), MONDAY.timetz())


def assert_no_personal_data(messages) -> None:
    for message in messages:
        text = f"{message.subject}\n{message.body}"
        for secret in (*NEVER_SHOWN, "Pat", "walking stick"):
            assert secret not in text, (secret, text)


def test_an_answer_not_yet_due_sends_nothing(world, mailoutbox):
    connect(world)  # due in ten working days
    before = len(mailoutbox)
    report = services.send_connection_reminders()
    assert (report.reminded, report.escalated) == (0, 0)
    assert len(mailoutbox) == before


def test_an_overdue_answer_reminds_the_group_once_without_personal_data(world, mailoutbox):
    connection = overdue(world)
    hears_immediately(world.group.user)
    before = len(mailoutbox)
    report = remind()
    assert (report.reminded, report.escalated) == (1, 0)
    (message,) = mailoutbox[before:]
    assert message.to == [world.group.user.email]
    assert "Health walk" in message.body and "Sign in" in message.body
    assert_no_personal_data([message])
    connection.refresh_from_db()
    assert connection.reminder_sent_at == MONDAY and connection.escalated_at is None
    assert AuditEvent.objects.filter(
        action="connection_reminder_sent", object_id=str(connection.pk)
    ).exists()
    again = remind(MONDAY + dt.timedelta(hours=1))
    assert (again.reminded, again.escalated) == (0, 0)
    assert len(mailoutbox) == before + 1


def test_still_unanswered_five_working_days_later_tells_the_assigned_link_worker_once(
    world, mailoutbox
):
    connection = overdue(world)
    worker = world.link_worker.user
    services.assign_referral(referral=connection.referral, link_worker=worker, by=worker)
    colleague = user_with_role(Role.LINK_WORKER, organisation=world.service)
    remind()
    before = len(mailoutbox)
    assert remind(days_after_reminder(4)).escalated == 0
    assert len(mailoutbox) == before
    report = remind(days_after_reminder(5))
    assert (report.reminded, report.escalated) == (0, 1)
    (message,) = mailoutbox[before:]
    assert message.to == [worker.email] and colleague.email not in message.to
    assert "Health walk" in message.body
    assert str(connection.referral.uuid)[:8] in message.body
    assert_no_personal_data([message])
    connection.refresh_from_db()
    assert connection.escalated_at == days_after_reminder(5)
    assert AuditEvent.objects.filter(
        action="connection_escalated", object_id=str(connection.pk)
    ).exists()
    again = remind(days_after_reminder(8))
    assert (again.reminded, again.escalated) == (0, 0)
    assert len(mailoutbox) == before + 1


def test_without_an_assigned_link_worker_the_services_link_workers_are_told(world, mailoutbox):
    overdue(world)
    colleague = user_with_role(Role.LINK_WORKER, organisation=world.service)
    remind()
    before = len(mailoutbox)
    remind(days_after_reminder(5))
    recipients = {address for message in mailoutbox[before:] for address in message.to}
    assert recipients == {world.link_worker.user.email, colleague.email}
    assert world.other_link_worker.user.email not in recipients


def test_an_answer_stops_the_clock(world, mailoutbox):
    answered_early = overdue(world)
    answered_late = overdue(world)
    services.accept_connection(connection=answered_early, by=world.group.user)
    assert remind().reminded == 1  # only the one still waiting
    services.transition_connection(
        connection=answered_late, to="declined", reason="Full on Tuesdays", by=world.group.user
    )
    assert remind(days_after_reminder(5)).escalated == 0
    answered_early.refresh_from_db()
    assert answered_early.reminder_sent_at is None


def test_the_command_prints_what_it_did(world, mailoutbox):
    connection = connect(world)
    Connection.objects.filter(pk=connection.pk).update(
        response_due=timezone.localdate() - dt.timedelta(days=1)
    )
    out = StringIO()
    call_command("send-reminders", stdout=out)
    assert "Reminded groups of 1 unanswered referral(s)" in out.getvalue()
    assert "told link workers of 0" in out.getvalue()
    out = StringIO()
    call_command("send-reminders", stdout=out)
    assert "Reminded groups of 0 unanswered referral(s)" in out.getvalue()

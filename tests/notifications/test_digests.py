"""send-digests: one message per person, never twice for a period, no personal data."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.notifications.digests import period_of, send_digests
from linkwork.notifications.models import Digest, HeldMessage, NotificationPreference
from linkwork.notifications.services import notify_organisation, tell
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db
THURSDAY = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


def test_periods_are_local_days_and_iso_weeks():
    assert period_of("daily", THURSDAY) == "2026-12-03"
    assert period_of("weekly", THURSDAY) == "2026-W49"
    # 23:30 UTC on 31 March 2027 is already 1 April in London (BST).
    assert period_of("daily", dt.datetime(2027, 3, 31, 23, 30, tzinfo=dt.UTC)) == "2027-04-01"


def test_a_weekly_digest_is_one_message_and_is_never_sent_twice(mailoutbox):
    organisation = OrganisationFactory(name="Knit and natter")
    member = user_with_role(Role.GROUP, organisation=organisation)
    for n in range(3):
        notify_organisation(
            organisation=organisation, kind="listing_due", subject=f"Listing {n}", body="Sign in."
        )
    assert mailoutbox == []
    report = send_digests(now=THURSDAY)
    assert (report.digests, report.messages) == (1, 3)
    (message,) = mailoutbox
    assert message.to == [member.email]
    assert "3 updates" in message.subject
    assert all(f"Listing {n}" in message.body for n in range(3))
    # Run again, the same week, even with a new message held: nothing more is sent.
    notify_organisation(organisation=organisation, kind="reminders", subject="Late", body="x")
    assert send_digests(now=THURSDAY + dt.timedelta(days=2)).digests == 0
    assert len(mailoutbox) == 1
    # The next ISO week carries what was held since.
    assert send_digests(now=THURSDAY + dt.timedelta(days=5)).messages == 1
    assert len(mailoutbox) == 2
    assert Digest.objects.filter(user=member).count() == 2


def test_daily_and_weekly_due_together_go_in_one_message(mailoutbox):
    member = user_with_role(Role.GROUP)
    NotificationPreference.objects.create(user=member, kind="reminders", frequency="daily")
    tell(users=[member], kind="reminders", subject="Reminder", body="b")
    tell(users=[member], kind="listing_due", subject="Listing", body="b")
    assert send_digests(now=THURSDAY).digests == 1
    assert len(mailoutbox) == 1
    assert {d.frequency for d in Digest.objects.filter(user=member)} == {"daily", "weekly"}
    # Tomorrow: a new daily period, but nothing new is held.
    assert send_digests(now=THURSDAY + dt.timedelta(days=1)).digests == 0


def test_a_failed_send_leaves_the_digest_unsent(mailoutbox, monkeypatch):
    member = user_with_role(Role.GROUP)
    tell(users=[member], kind="listing_due", subject="Listing", body="b")

    def broken(**kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr("linkwork.notifications.digests.send_now", broken)
    with pytest.raises(ConnectionError):
        send_digests(now=THURSDAY)
    assert not Digest.objects.exists()
    assert HeldMessage.objects.get().digest is None
    monkeypatch.undo()
    assert send_digests(now=THURSDAY).digests == 1


def test_the_command_sends_exactly_one_and_says_so(mailoutbox, capsys):
    member = user_with_role(Role.GROUP)
    NotificationPreference.objects.create(user=member, kind="new_referral", frequency="weekly")
    tell(users=[member], kind="new_referral", subject="Someone has been referred", body="b")
    call_command("send-digests")
    call_command("send-digests")
    assert len(mailoutbox) == 1
    out = capsys.readouterr().out
    assert "Sent 1 digest(s) carrying 1 message(s)." in out
    assert "Sent 0 digest(s)" in out
    assert Digest.objects.get().period == period_of("weekly", timezone.now())


def test_immediate_people_get_no_digest(mailoutbox):
    worker = user_with_role(Role.LINK_WORKER)
    tell(users=[worker], kind="reminders", subject="Reminder", body="b")
    assert len(mailoutbox) == 1
    assert send_digests(now=THURSDAY).digests == 0

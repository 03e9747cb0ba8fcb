"""Reminders of a first session by text message, the day before, for people who said
yes to them (appointment-style: "see you tomorrow").

Opt-in only: the link worker records the person's agreement (who recorded it, when),
and only where the person agreed to texts and has a mobile number. The day comes from
the listing's sessions (`directory.schedules`): when the next session after now falls
tomorrow, and the group has accepted the person, `linkwork send-reminders` texts them
once. A text says their first name, the activity, when and where: nothing about why.
"""

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from linkwork.directory.offer import date_in_words, offer_for
from linkwork.directory.schedules import Occurrence, next_dates
from linkwork.directory.selectors import asset_with_details
from linkwork.errors import InvalidInput
from linkwork.i18n import language_for
from linkwork.notifications.models import TextKind
from linkwork.notifications.texts import send_text
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection
from linkwork.referrals.prescription import text_channel
from linkwork.referrals.services._common import _audit

# Before the first session: agreement can be recorded from the suggestion on.
AGREEABLE = (t.PROPOSED, t.SENT, t.WAITLISTED, t.ACCEPTED)


@transaction.atomic
def agree_to_session_reminder(*, connection: Connection, by: AbstractBaseUser) -> Connection:
    """Record that the person wants a text the day before their first session. Only
    before they have been, with agreement to texts and a mobile number. Once is enough:
    recording it again changes nothing."""
    connection = Connection.objects.select_for_update().get(pk=connection.pk)
    if connection.status not in AGREEABLE:
        raise InvalidInput({"reminder": "Reminders are for a first session still to come."})
    problem = text_channel(connection.referral).problem
    if problem:
        raise InvalidInput({"reminder": problem})
    if connection.session_reminder_agreed_at is None:
        connection.session_reminder_agreed_at = timezone.now()
        connection.session_reminder_agreed_by = by
        connection.save(update_fields=["session_reminder_agreed_at", "session_reminder_agreed_by"])
        _audit(by, "session_reminder_agreed", "connection", connection.pk)
    return connection


def send_session_reminders(*, now: dt.datetime | None = None) -> int:
    """Text each person who agreed, whose group accepted them and whose first session
    is tomorrow; once per connection, so the daily command can run again. Returns how
    many were sent."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    due = Connection.objects.filter(
        status=t.ACCEPTED,
        session_reminder_agreed_at__isnull=False,
        session_reminder_sent_at__isnull=True,
    ).select_related("referral__person", "referral__service", "asset")
    sent = 0
    for connection in due:
        session = next_dates(connection.asset.schedules.all(), now=now, count=1)
        if not session or timezone.localdate(session[0].starts) != tomorrow:
            continue
        if text_channel(connection.referral).problem:
            continue  # agreement to texts withdrawn, or the number removed
        if _remind(connection, session[0], now):
            sent += 1
    return sent


@transaction.atomic
def _remind(connection: Connection, session: Occurrence, now: dt.datetime) -> bool:
    claimed = Connection.objects.filter(
        pk=connection.pk, session_reminder_sent_at__isnull=True
    ).update(session_reminder_sent_at=now)
    if not claimed:
        return False  # another run took it
    person = connection.referral.person
    offer = offer_for(asset_with_details(connection.asset_id), now=now)
    with translation.override(language_for(person)):
        when = date_in_words(session.starts, session.ends)
        where = ", ".join(offer.where[:2]) or gettext("online")
        body = gettext(
            "Hello %(first_name)s, a reminder: %(activity)s is tomorrow, %(when)s, at "
            "%(where)s. If you cannot go, please tell your link worker."
        ) % {"first_name": person.given_name, "activity": offer.name, "when": when, "where": where}
    send_text(
        kind=TextKind.SESSION_REMINDER,
        to=person.phone,
        body=body,
        fields={
            "first_name": person.given_name,
            "activity": offer.name,
            "when": when,
            "where": where,
        },
        referral=connection.referral,
        person=person,
    )
    _audit(None, "session_reminder_sent", "connection", connection.pk, "by=text")
    return True

"""send() and tell(): the ways Linkwork tells people things.

`send` writes to addresses (people who have no account: someone referred, a feedback
link). `tell`, `notify_organisation` and `notify_role` reach people who sign in, and go
through each person's preferences (preferences.py): sent now, held for their daily or
weekly digest (digests.py, `linkwork send-digests`), or not at all.
"""

import logging

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.urls import reverse

from linkwork.accounts.models import User
from linkwork.accounts.roles import Role
from linkwork.directory.models import Organisation
from linkwork.notifications.adapters import current_adapter
from linkwork.notifications.models import (
    Channel,
    Frequency,
    HeldMessage,
    Kind,
    TextKind,
    TextStatus,
)
from linkwork.notifications.preferences import frequency_for, sms_number_of
from linkwork.notifications.texts import send_text

logger = logging.getLogger(__name__)


def send(*, to: list[str], subject: str, body: str) -> int:
    """Send one message to each address; returns how many were sent."""
    adapter = current_adapter()
    for address in to:
        adapter.send(to=address, subject=subject, body=body)
    # Log how many, never to whom.
    logger.info("Sent %d notification(s): %s", len(to), subject)
    return len(to)


def send_sms(
    *, to: list[str], body: str, user: AbstractBaseUser | None = None, kind: str = TextKind.NOTICE
) -> int:
    """Send one text message to each number (only where SMS is available), each recorded
    as a TextMessage (texts.py); returns how many Notify accepted."""
    sent = 0
    for number in to:
        message = send_text(kind=kind, to=number, body=body, user=user)
        if message is not None and message.status != TextStatus.TECHNICAL_FAILURE:
            sent += 1
    logger.info("Sent %d text message(s)", sent)
    return sent


def send_now(*, user: AbstractBaseUser, channel: str, subject: str, body: str) -> None:
    """One message to one person, now, by the channel chosen."""
    number = sms_number_of(user) if channel == Channel.SMS else ""
    if number and send_sms(to=[number], body=f"{subject}. {body}", user=user):
        return
    send(to=[user.email], subject=subject, body=body)


def tell(*, users: list[AbstractBaseUser], kind: Kind | None, subject: str, body: str) -> int:
    """Tell each person by their preference for `kind`: now, in their next digest, or not
    at all. `kind` None (a caller not yet sorted into a kind) sends now by email.
    Returns how many people will hear (now or in a digest)."""
    reached = 0
    for user in users:
        if kind is None:
            send(to=[user.email], subject=subject, body=body)
            reached += 1
            continue
        frequency, channel = frequency_for(user, kind)
        if frequency == Frequency.NEVER:
            continue
        if frequency == Frequency.IMMEDIATELY:
            send_now(user=user, channel=channel, subject=subject, body=body)
        else:
            HeldMessage.objects.create(
                user=user,
                kind=kind,
                frequency=frequency,
                channel=channel,
                subject=subject[:300],
                body=body,
            )
        reached += 1
    return reached


def notify_organisation(
    *,
    organisation: Organisation,
    subject: str,
    body: str,
    role: Role = Role.GROUP,
    kind: Kind | None = None,
) -> int:
    """Tell the members of an organisation who hold `role` (its group members unless
    told otherwise), by each one's preference for `kind`; or the organisation's own
    address, now, when nobody holds the role."""
    members = list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role=role.value,
        ).distinct()
    )
    if members:
        return tell(users=members, kind=kind, subject=subject, body=body)
    return send(to=[organisation.email] if organisation.email else [], subject=subject, body=body)


def notify_role(*, role: Role, subject: str, body: str, kind: Kind | None = None) -> int:
    """Tell everyone who holds a role (e.g. link workers, who curate the directory)."""
    users = list(User.objects.filter(is_active=True, memberships__role=role.value).distinct())
    return tell(users=users, kind=kind, subject=subject, body=body)


def site_link(url_name: str, *args) -> str:
    """A full link to one of Linkwork's pages, for the body of an email: every email says
    where to go next (settings.SITE_URL, as no request is at hand when clocks send)."""

    return settings.SITE_URL.rstrip("/") + reverse(url_name, args=args or None)

"""send(): the one way Linkwork tells people things."""

import logging

from linkwork.accounts.models import User
from linkwork.accounts.roles import Role
from linkwork.directory.models import Organisation
from linkwork.notifications.adapters import current_adapter

logger = logging.getLogger(__name__)


def send(*, to: list[str], subject: str, body: str) -> int:
    """Send one message to each address; returns how many were sent."""
    adapter = current_adapter()
    for address in to:
        adapter.send(to=address, subject=subject, body=body)
    # Log how many, never to whom.
    logger.info("Sent %d notification(s): %s", len(to), subject)
    return len(to)


def notify_organisation(
    *, organisation: Organisation, subject: str, body: str, role: Role = Role.GROUP
) -> int:
    """Tell the members of an organisation who hold `role` (its group members unless
    told otherwise), or the organisation's own address when nobody does."""
    members = list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role=role.value,
        )
        .values_list("email", flat=True)
        .distinct()
    )
    to = members or ([organisation.email] if organisation.email else [])
    return send(to=to, subject=subject, body=body)


def notify_role(*, role: Role, subject: str, body: str) -> int:
    """Tell everyone who holds a role (e.g. link workers, who curate the directory)."""
    to = list(
        User.objects.filter(is_active=True, memberships__role=role.value)
        .values_list("email", flat=True)
        .distinct()
    )
    return send(to=to, subject=subject, body=body)


def site_link(url_name: str, *args) -> str:
    """A full link to one of Linkwork's pages, for the body of an email: every email says
    where to go next (settings.SITE_URL, as no request is at hand when clocks send)."""
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse(url_name, args=args or None)

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

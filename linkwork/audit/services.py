"""Writing to the audit log. Every service function calls `record_event`."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from linkwork.audit.models import AuditEvent


def record_event(
    *,
    by: AbstractBaseUser | None,
    action: str,
    object_type: str,
    object_id: Any = "",
    summary: str = "",
) -> AuditEvent:
    """Append one event. Callers pass identifiers and a summary free of personal data."""
    actor = by if by is not None and by.is_authenticated else None
    return AuditEvent.objects.create(
        actor_id=actor.pk if actor else None,
        actor_email=getattr(actor, "email", "") if actor else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else "",
        summary=summary[:500],
    )


def record_events(
    *,
    by: AbstractBaseUser | None,
    action: str,
    object_type: str,
    object_ids: list[Any],
    summary: str = "",
) -> None:
    """One event per object in a single insert: a list page's reads cost one query,
    however long the list."""
    actor = by if by is not None and by.is_authenticated else None
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor_id=actor.pk if actor else None,
            actor_email=getattr(actor, "email", "") if actor else "",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            summary=summary[:500],
        )
        for object_id in object_ids
    )

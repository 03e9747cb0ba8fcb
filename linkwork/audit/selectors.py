"""Reading the audit log (administrators only; the view checks the permission)."""

from datetime import date

from django.db.models import QuerySet

from linkwork.audit.models import AuditEvent


def audit_events(
    *,
    action: str = "",
    object_type: str = "",
    actor_email: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """Events newest first, narrowed by whichever filters are given."""
    events = AuditEvent.objects.all()
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if actor_email:
        events = events.filter(actor_email__iexact=actor_email.strip())
    if since:
        events = events.filter(occurred_at__date__gte=since)
    if until:
        events = events.filter(occurred_at__date__lte=until)
    return events


def audit_filter_choices() -> dict[str, list[str]]:
    """The actions and object types seen so far, for the filter drop-downs."""
    return {
        "actions": list(
            AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()
        ),
        "object_types": list(
            AuditEvent.objects.order_by("object_type")
            .values_list("object_type", flat=True)
            .distinct()
        ),
    }

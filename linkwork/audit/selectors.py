"""Reading the audit log (administrators only; the view checks the permission)."""

from datetime import date

from django.db.models import Count, QuerySet

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


def audit_filter_counts(**filters) -> dict[str, dict[str, int]]:
    """How many events each action and each object type has, under the other filters
    given (an action's count ignores the chosen action, so the other choices still say
    what they would show): one grouped query each."""

    def grouped(field: str) -> dict[str, int]:
        others = {key: value for key, value in filters.items() if key != field and value}
        rows = audit_events(**others).order_by(field).values_list(field).annotate(n=Count("pk"))
        return dict(rows)

    return {"actions": grouped("action"), "object_types": grouped("object_type")}

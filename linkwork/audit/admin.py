from django.contrib import admin

from linkwork.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["occurred_at", "actor_email", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_email", "object_id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

"""Admin for grants (recorded by admins) and interests (reviewed, closed)."""

from django.contrib import admin

from linkwork.community.models import Grant, Interest, NetworkMember, Panel


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ["organisation", "amount", "funder", "period_start", "period_end"]
    list_filter = ["funder"]
    search_fields = ["organisation__name", "funder", "purpose"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["asset"]
    readonly_fields = ["recorded_by", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["pk", "activity", "community_of_interest", "neighbourhood", "status"]
    list_filter = ["status", "activity", "neighbourhood", "consent_to_contact"]
    search_fields = ["description", "community_of_interest"]
    raw_id_fields = ["lsoa"]
    # Contact details stay out of the admin: reads of them are audited on the pages.
    exclude = ["postcode", "contact_name", "contact_method", "contact_detail", "contact_times"]
    readonly_fields = ["recorded_by", "recorded_on_behalf", "created_at", "consented_at"]


# Panels are set up here (organisation, neighbourhoods, communities); their meetings,
# priorities and decisions are recorded on the panel's own pages, audited.
@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["organisation", "created_at"]
    filter_horizontal = ["neighbourhoods"]
    autocomplete_fields = ["organisation"]


@admin.register(NetworkMember)
class NetworkMemberAdmin(admin.ModelAdmin):
    list_display = ["organisation", "is_reference_group", "joined_on"]
    list_filter = ["is_reference_group"]
    autocomplete_fields = ["organisation"]

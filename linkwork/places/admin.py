from django.contrib import admin

from linkwork.places.models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "area_type", "parent", "is_synthetic"]
    list_filter = ["area_type", "is_synthetic"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]

"""Admin for areas. Admins edit neighbourhoods (which LSOAs make up each patch) here."""

from django.contrib import admin

from linkwork.places.models import Area, AreaPopulation, AreaType, NeighbourhoodMembership


class MemberInline(admin.TabularInline):
    """The LSOAs of a neighbourhood. An LSOA can be in one neighbourhood at a time."""

    model = NeighbourhoodMembership
    fk_name = "neighbourhood"
    autocomplete_fields = ["lsoa"]
    extra = 1
    verbose_name = "LSOA in this neighbourhood"
    verbose_name_plural = "LSOAs in this neighbourhood"


class PopulationInline(admin.TabularInline):
    model = AreaPopulation
    extra = 0
    fields = ["sex", "age_band", "count"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "area_type",
        "parent",
        "imd_decile",
        "population_total",
        "is_synthetic",
    ]
    list_filter = ["area_type", "is_synthetic", "imd_is_synthetic", "population_is_synthetic"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": ["code", "name", "area_type", "parent", "vintage", "is_synthetic"]}),
        ("Deprivation", {"fields": ["imd_decile", "imd_vintage", "imd_is_synthetic"]}),
        (
            "Population",
            {"fields": ["population_total", "population_vintage", "population_is_synthetic"]},
        ),
        (
            "Map",
            {"fields": ["latitude", "longitude", "boundary_geojson"], "classes": ["collapse"]},
        ),
    ]

    def get_inlines(self, request, obj):
        if obj is not None and obj.area_type == AreaType.NEIGHBOURHOOD:
            return [MemberInline]
        if obj is not None and obj.area_type == AreaType.LSOA:
            return [PopulationInline]
        return []


@admin.register(NeighbourhoodMembership)
class NeighbourhoodMembershipAdmin(admin.ModelAdmin):
    list_display = ["lsoa", "neighbourhood"]
    list_filter = ["neighbourhood"]
    search_fields = ["lsoa__code", "lsoa__name", "neighbourhood__name"]
    autocomplete_fields = ["lsoa", "neighbourhood"]

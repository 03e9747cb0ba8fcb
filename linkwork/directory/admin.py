"""The directory in Django admin, for operators: listings with their sessions, costs,
contacts and places inline, taxonomies, claims and reports."""

from django.contrib import admin
from django.db import models

from linkwork.directory.models import (
    Asset,
    AssetLocation,
    Contact,
    CostOption,
    ListingClaim,
    ListingReport,
    Location,
    Organisation,
    Schedule,
    Taxonomy,
    TaxonomyTerm,
)

# Links typed without a scheme are https (Django 6's default, chosen now).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]


class ScheduleInline(admin.TabularInline):
    model = Schedule
    extra = 0
    fields = [
        "freq",
        "interval",
        "weekday",
        "ordinal",
        "dtstart",
        "until",
        "opens_at",
        "closes_at",
        "term_time_only",
        "paused",
        "description",
    ]


class CostOptionInline(admin.TabularInline):
    model = CostOption
    extra = 0
    fields = ["kind", "option", "amount", "currency", "amount_description"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class AssetLocationInline(admin.TabularInline):
    model = AssetLocation
    extra = 0
    autocomplete_fields = ["location"]


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "organisation", "publication", "capacity_status", "last_verified_at"]
    list_filter = ["publication", "capacity_status", "kind", "referral_method", "is_free"]
    search_fields = ["name", "description", "organisation__name"]
    autocomplete_fields = ["organisation", "terms", "coverage_areas"]
    readonly_fields = ["uuid", "search_text", "created_at", "updated_at", "last_verified_by"]
    inlines = [ScheduleInline, CostOptionInline, ContactInline, AssetLocationInline]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["__str__", "location_type", "postcode", "area"]
    list_filter = ["location_type"]
    search_fields = ["name", "address_1", "postcode", "url"]
    raw_id_fields = ["area"]


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "code", "version"]
    search_fields = ["name", "code"]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "vocabulary", "taxonomy"]
    list_filter = ["vocabulary", "taxonomy"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]


@admin.register(ListingClaim)
class ListingClaimAdmin(admin.ModelAdmin):
    list_display = ["asset", "claimant", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["asset", "claimant", "decided_by"]


@admin.register(ListingReport)
class ListingReportAdmin(admin.ModelAdmin):
    list_display = ["asset", "problem", "created_at", "resolved_at"]
    list_filter = ["problem"]
    raw_id_fields = ["asset", "reported_by"]

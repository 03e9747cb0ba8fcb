"""Open Referral UK 3.0 paths, exactly as the spec spells them (no trailing slashes)."""

from django.urls import path, re_path

from linkwork.interop.openreferral import views

urlpatterns = [
    path("", views.api_details, name="openreferral"),
    path("services", views.services, name="openreferral-services"),
    path("services/<str:id>", views.service, name="openreferral-service"),
    path(
        "service_at_locations", views.service_at_locations, name="openreferral-service-at-locations"
    ),
    path(
        "service_at_locations/<str:id>",
        views.service_at_location,
        name="openreferral-service-at-location",
    ),
    path("organizations", views.organizations, name="openreferral-organizations"),
    path("organizations/<str:id>", views.organization, name="openreferral-organization"),
    path("taxonomies", views.taxonomies, name="openreferral-taxonomies"),
    path("taxonomies/<str:id>", views.taxonomy, name="openreferral-taxonomy"),
    path("taxonomy_terms", views.taxonomy_terms, name="openreferral-taxonomy-terms"),
    path("taxonomy_terms/<str:id>", views.taxonomy_term, name="openreferral-taxonomy-term"),
    re_path(r"^(?P<path>.+)$", views.not_found, name="openreferral-not-found"),
]

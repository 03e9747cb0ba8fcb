from django.contrib import admin
from django.urls import include, path

from linkwork.api import api
from linkwork.health import healthz, readyz

admin.site.site_header = "Linkwork administration"
admin.site.site_title = "Linkwork administration"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("openreferral/", include("linkwork.interop.openreferral.urls")),
    path("fhir/", include("linkwork.interop.fhir.urls")),
    path("", include("linkwork.interop.csv_intake.urls")),
    path("", include("linkwork.interop.exports.urls")),
    path("", include("linkwork.audit.urls")),
    path("", include("linkwork.directory.urls")),
    path("", include("linkwork.referrals.urls")),
    path("", include("linkwork.outcomes.urls")),
    path("", include("linkwork.outcomes.urls_evaluation")),
    path("", include("linkwork.community.urls")),
    path("", include("linkwork.funding.urls")),
    path("", include("linkwork.notifications.urls")),
    path("", include("linkwork.insight.urls")),
    path("", include("linkwork.about.urls")),
    path("", include("linkwork.privacy.urls")),
    path("", include("linkwork.accounts.urls")),
    path("", include("linkwork.accounts.team.urls")),
]

handler404 = "linkwork.error_handlers.page_not_found"
handler500 = "linkwork.error_handlers.server_error"

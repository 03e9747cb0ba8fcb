from django.urls import include, path

urlpatterns = [
    path("", include("linkwork.referrals.views.urls_referrer")),
    path("", include("linkwork.referrals.views.urls_casework")),
    path("", include("linkwork.referrals.views.urls_group")),
    path("", include("linkwork.referrals.views.urls_public")),
]

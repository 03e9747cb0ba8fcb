"""Pages of the insight app: for community panels and commissioners under /insight/,
and the public read-only copy under /neighbourhoods/."""

from django.urls import path

from linkwork.insight import views

urlpatterns: list = [
    path("insight/", views.overview, name="insight"),
    path("insight/map.json", views.map_data, name="insight-map"),
    path("insight/areas/<str:code>/", views.profile, name="insight-area"),
    path("insight/download/<slug:table>.csv", views.download, name="insight-download"),
    path("insight/load/", views.load, name="insight-load"),
    path("neighbourhoods/", views.public_overview, name="neighbourhoods"),
    path("neighbourhoods/<str:code>/", views.public_profile, name="neighbourhood-profile"),
]

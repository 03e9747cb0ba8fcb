from django.urls import path

from linkwork.directory import listing_views, views

urlpatterns = [
    path("directory/", views.directory_search, name="directory"),
    path("directory/this-week/", views.directory_this_week, name="directory-this-week"),
    path("directory/assets/new/", listing_views.asset_new, name="asset-new"),
    path("directory/assets/new/check/", listing_views.asset_new_check, name="asset-new-check"),
    path("directory/assets/<int:pk>/", views.asset_detail, name="asset-detail"),
    path("directory/assets/<int:pk>/edit/", listing_views.asset_edit, name="asset-edit"),
    path(
        "directory/assets/<int:pk>/edit/check/",
        listing_views.asset_edit_check,
        name="asset-edit-check",
    ),
    path("directory/assets/<int:pk>/capacity/", views.asset_capacity, name="asset-capacity"),
    path("directory/assets/<int:pk>/verify/", views.asset_verify, name="asset-verify"),
    path("directory/assets/<int:pk>/claim/", views.asset_claim, name="asset-claim"),
    path("directory/assets/<int:pk>/report/", views.asset_report, name="asset-report"),
    path("directory/assets/<int:pk>/notes/", views.asset_note, name="asset-note"),
    path("directory/notes/", views.listing_notes_search, name="directory-notes"),
    path("directory/review/", views.review_queue, name="directory-review"),
    path("directory/review/listings/<int:pk>/", views.review_listing, name="review-listing"),
    path("directory/review/claims/<int:pk>/", views.review_claim, name="review-claim"),
    path("directory/review/reports/<int:pk>/", views.resolve_report, name="review-report"),
]

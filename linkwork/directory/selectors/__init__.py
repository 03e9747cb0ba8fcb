"""Reads for the directory. `search_assets` is the one search behind pages, API and ORUK.

One module per sub-concept; this package re-exports every name, so callers (and
Django, which finds the models here) import from `linkwork.directory.selectors`."""

from linkwork.directory.selectors.listings import (
    asset_for_public,
    asset_with_details,
    assets_due_for_reminder,
    assets_editable_by,
    assets_past_due,
    capacity_history,
    has_group_members,
    listings_of,
    may_preview,
    organisations_for_new_listing,
    review_queue,
    sessions_this_week,
    terms_by_vocabulary,
)
from linkwork.directory.selectors.search import (
    DEFAULT_WITHIN_KM,
    EARTH_RADIUS_KM,
    TIMES_OF_DAY,
    AssetFilters,
    AssetResult,
    SearchPage,
    haversine_km,
    published_assets,
    search_assets,
    search_values,
    stale_before,
)

__all__ = [
    "EARTH_RADIUS_KM",
    "DEFAULT_WITHIN_KM",
    "TIMES_OF_DAY",
    "AssetFilters",
    "AssetResult",
    "SearchPage",
    "stale_before",
    "published_assets",
    "haversine_km",
    "search_assets",
    "search_values",
    "asset_for_public",
    "assets_editable_by",
    "may_preview",
    "sessions_this_week",
    "listings_of",
    "capacity_history",
    "review_queue",
    "terms_by_vocabulary",
    "assets_due_for_reminder",
    "assets_past_due",
    "asset_with_details",
    "has_group_members",
    "organisations_for_new_listing",
]

"""Reads for the directory. `search_assets` is the one search behind pages, API and ORUK."""

import math
from dataclasses import dataclass, field
from datetime import time, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from linkwork.accounts.permissions import has_permission, organisations_with_permission
from linkwork.accounts.roles import Perm, Role
from linkwork.directory.models import (
    Asset,
    AssetLocation,
    CapacityStatus,
    ListingClaim,
    ListingReport,
    Publication,
    Schedule,
    TaxonomyTerm,
    Vocabulary,
)
from linkwork.directory.search import text_matches
from linkwork.places.selectors import Point

EARTH_RADIUS_KM = 6371.0088
DEFAULT_WITHIN_KM = 5.0

# Parts of the day for the "time of day" filter: a session counts if it starts in the part.
TIMES_OF_DAY = {
    "morning": (time(0, 0), time(12, 0)),
    "afternoon": (time(12, 0), time(17, 0)),
    "evening": (time(17, 0), time(23, 59, 59)),
}


@dataclass
class AssetFilters:
    text: str = ""
    point: Point | None = None
    within_km: float | None = None
    categories: list[str] = field(default_factory=list)
    activity_types: list[str] = field(default_factory=list)
    weekday: int | None = None
    time_of_day: str = ""
    free_only: bool = False
    accessibility: list[str] = field(default_factory=list)
    language: str = ""
    community: str = ""
    open_only: bool = False
    include_stale: bool = True
    modified_after: object = None


@dataclass
class AssetResult:
    asset: Asset
    distance_km: float | None
    relevance: float | None


@dataclass
class SearchPage:
    results: list[AssetResult]
    total: int


def stale_before() -> object:
    """Listings last verified before this moment are stale."""
    return timezone.now() - timedelta(days=settings.LISTING_STALE_AFTER_DAYS)


def published_assets() -> QuerySet[Asset]:
    return Asset.objects.filter(publication=Publication.PUBLISHED)


def haversine_km(a: Point, latitude: float, longitude: float) -> float:
    phi1, phi2 = math.radians(a.latitude), math.radians(latitude)
    d_phi = phi2 - phi1
    d_lambda = math.radians(longitude - a.longitude)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _distances_within(point: Point, within_km: float) -> dict[int, float]:
    """Nearest location of each asset within `within_km`: a bounding box on the indexed
    latitude/longitude first, then the exact great-circle distance."""
    d_lat = within_km / 111.32
    d_lon = within_km / (111.32 * max(math.cos(math.radians(point.latitude)), 0.01))
    rows = AssetLocation.objects.filter(
        location__latitude__range=(point.latitude - d_lat, point.latitude + d_lat),
        location__longitude__range=(point.longitude - d_lon, point.longitude + d_lon),
    ).values_list("asset_id", "location__latitude", "location__longitude")
    nearest: dict[int, float] = {}
    for asset_id, latitude, longitude in rows:
        distance = haversine_km(point, latitude, longitude)
        if distance <= within_km and distance < nearest.get(asset_id, math.inf):
            nearest[asset_id] = distance
    return nearest


def _filtered(assets: QuerySet[Asset], f: AssetFilters) -> QuerySet[Asset]:
    for codes in (f.categories, f.activity_types):
        if codes:
            assets = assets.filter(
                Exists(
                    Asset.terms.through.objects.filter(
                        asset=OuterRef("pk"), taxonomyterm__code__in=codes
                    )
                )
            )
    if f.weekday is not None or f.time_of_day:
        sessions = Schedule.objects.filter(asset=OuterRef("pk"))
        if f.weekday is not None:
            sessions = sessions.filter(weekday=f.weekday)
        if f.time_of_day in TIMES_OF_DAY:
            start, end = TIMES_OF_DAY[f.time_of_day]
            sessions = sessions.filter(opens_at__gte=start, opens_at__lt=end)
        assets = assets.filter(Exists(sessions))
    if f.free_only:
        assets = assets.filter(is_free=True)
    for code in f.accessibility:
        assets = assets.filter(accessibility_codes__contains=f",{code},")
    if f.language:
        assets = assets.filter(language_codes__contains=f",{f.language.lower()},")
    if f.community:
        assets = assets.filter(community_of_interest__icontains=f.community)
    if f.open_only:
        assets = assets.filter(capacity_status=CapacityStatus.OPEN)
    if not f.include_stale:
        assets = assets.filter(Q(last_verified_at__gte=stale_before()))
    if f.modified_after:
        assets = assets.filter(updated_at__gt=f.modified_after)
    return assets


def search_assets(
    filters: AssetFilters,
    *,
    offset: int = 0,
    limit: int = 20,
    base: QuerySet[Asset] | None = None,
) -> SearchPage:
    """Published assets matching `filters`, ranked by relevance, then distance, then name.

    With text, only matching assets; with a point, only assets within reach (default
    5 km) plus borough-wide ones, which have no distance and come after.
    """
    assets = _filtered(published_assets() if base is None else base, filters)
    relevance = text_matches(filters.text) if filters.text else None
    if relevance is not None:
        assets = assets.filter(pk__in=list(relevance))
    distances: dict[int, float] = {}
    if filters.point is not None:
        distances = _distances_within(filters.point, filters.within_km or DEFAULT_WITHIN_KM)
        assets = assets.filter(Q(pk__in=list(distances)) | Q(borough_wide=True))
    ranked = list(assets.values_list("pk", "name"))
    ranked.sort(
        key=lambda row: (
            -(relevance or {}).get(row[0], 0.0),
            distances.get(row[0], math.inf),
            row[1].lower(),
        )
    )
    page_ids = [pk for pk, _ in ranked[offset : offset + limit]]
    by_id = Asset.objects.select_related("organisation").prefetch_related("terms").in_bulk(page_ids)
    return SearchPage(
        results=[
            AssetResult(
                asset=by_id[pk],
                distance_km=round(distances[pk], 2) if pk in distances else None,
                relevance=(relevance or {}).get(pk),
            )
            for pk in page_ids
        ],
        total=len(ranked),
    )


def asset_for_public(asset_id: int) -> Asset | None:
    """A published asset with everything its page shows, or None."""
    asset = asset_with_details(asset_id)
    return asset if asset is not None and asset.publication == Publication.PUBLISHED else None


def assets_editable_by(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Asset]:
    """Assets this user may edit: their own organisations' (groups), or all (curators)."""
    if has_permission(user, Perm.DIRECTORY_CURATE):
        return Asset.objects.all()
    return Asset.objects.filter(
        organisation_id__in=organisations_with_permission(user, Perm.DIRECTORY_EDIT_OWN)
    )


def listings_of(user: AbstractBaseUser) -> QuerySet[Asset]:
    """A group member's own listings, with what their home page shows."""
    return (
        Asset.objects.filter(
            organisation_id__in=organisations_with_permission(user, Perm.DIRECTORY_EDIT_OWN)
        )
        .exclude(publication=Publication.ARCHIVED)
        .order_by("name")
    )


def review_queue() -> dict[str, QuerySet]:
    """What waits for a link worker or panel: listings in review, claims and reports."""
    return {
        "listings": Asset.objects.filter(publication=Publication.IN_REVIEW).order_by("created_at"),
        "claims": ListingClaim.objects.filter(status=ListingClaim.Status.PENDING).select_related(
            "asset", "claimant"
        ),
        "reports": ListingReport.objects.filter(resolved_at__isnull=True).select_related("asset"),
    }


def terms_by_vocabulary() -> dict[str, list[TaxonomyTerm]]:
    terms = list(TaxonomyTerm.objects.filter(vocabulary__in=Vocabulary.values).order_by("name"))
    return {
        vocabulary: [term for term in terms if term.vocabulary == vocabulary]
        for vocabulary in Vocabulary.values
    }


def assets_due_for_reminder(now=None) -> QuerySet[Asset]:
    """Published listings that fall due within the reminder window and were not yet reminded."""
    now = now or timezone.now()
    window = timedelta(
        days=settings.LISTING_STALE_AFTER_DAYS - settings.LISTING_REMINDER_DAYS_BEFORE
    )
    return published_assets().filter(
        Q(last_verified_at__lte=now - window) | Q(last_verified_at__isnull=True),
        reminder_sent_at__isnull=True,
    )


def assets_past_due(now=None) -> QuerySet[Asset]:
    """Published listings past due that have not been escalated yet."""
    now = now or timezone.now()
    return published_assets().filter(
        Q(last_verified_at__lt=now - timedelta(days=settings.LISTING_STALE_AFTER_DAYS))
        | Q(last_verified_at__isnull=True),
        escalated_at__isnull=True,
    )


def asset_with_details(asset_id: int) -> Asset | None:
    """Any asset with everything its page shows (callers check who may see it)."""
    return (
        Asset.objects.select_related("organisation", "last_verified_by")
        .prefetch_related(
            "terms", "schedules", "contacts", "cost_options", "asset_locations__location",
            "coverage_areas",
        )
        .filter(pk=asset_id)
        .first()
    )  # fmt: skip


def has_group_members(asset: Asset) -> bool:
    """Whether someone already keeps this listing up to date (else it can be claimed)."""
    from linkwork.accounts.models import Membership

    return (
        asset.organisation_id is not None
        and Membership.objects.filter(
            organisation_id=asset.organisation_id, role=Role.GROUP.value
        ).exists()
    )


def organisations_for_new_listing(user: AbstractBaseUser) -> list:
    """The organisations a group member may add listings for."""
    from linkwork.directory.models import Organisation

    return list(
        Organisation.objects.filter(
            pk__in=organisations_with_permission(user, Perm.DIRECTORY_EDIT_OWN)
        ).order_by("name")
    )

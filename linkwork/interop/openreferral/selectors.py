"""Reads for the Open Referral UK feed: published assets, and only what they reach.

A service is a published asset. Organisations, service_at_locations and locations
appear only through published assets; taxonomies and their terms are public
vocabularies and appear whole. Each read fetches what the serializers touch in a
fixed number of queries, whatever the page size.
"""

import sys
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from linkwork.directory.models import (
    Asset,
    AssetLocation,
    Contact,
    CostOption,
    Organisation,
    Publication,
    Taxonomy,
    TaxonomyTerm,
)
from linkwork.directory.selectors import (
    DEFAULT_WITHIN_KM,
    AssetFilters,
    haversine_km,
    published_assets,
    search_assets,
    search_values,
)
from linkwork.interop.openreferral.params import (
    OrganisationQuery,
    Paging,
    ServiceQuery,
    TermQuery,
)
from linkwork.places.selectors import Point

# A location's area and the two above it (e.g. LSOA -> neighbourhood -> local authority):
# the serializer looks this far, and no further, for the address's local authority.
LOCATION_WITH_AREAS = "location__area__parent__parent"


def _terms() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.select_related("taxonomy", "parent")


def service_parts(*, with_locations: bool = True) -> list[Prefetch | str]:
    """What a fully nested service shows, fetched once per page rather than per service."""
    parts: list[Prefetch | str] = [
        Prefetch(
            "terms", queryset=_terms().order_by("vocabulary", "name", "pk"), to_attr="feed_terms"
        ),
        "schedules",
        Prefetch("contacts", queryset=Contact.objects.order_by("name", "pk")),
        Prefetch("cost_options", queryset=CostOption.objects.order_by("pk")),
        "coverage_areas",
    ]
    if with_locations:
        parts.append(
            Prefetch(
                "asset_locations",
                queryset=AssetLocation.objects.select_related(LOCATION_WITH_AREAS).order_by(
                    "location__name", "pk"
                ),
            )
        )
    return parts


@dataclass
class FeedPage:
    items: list[Any]
    total: int


def _by_id(queryset: QuerySet, raw_id: str) -> Any:
    """The row with this uuid, or 404 (a malformed id cannot name anything either)."""
    try:
        return queryset.get(uuid=uuid.UUID(raw_id))
    except (ValueError, queryset.model.DoesNotExist) as error:
        raise Http404(raw_id) from error


def _paged(queryset: QuerySet, paging: Paging) -> FeedPage:
    total = queryset.count()
    return FeedPage(list(queryset[paging.offset : paging.offset + paging.per_page]), total)


def feed_organisations() -> QuerySet[Organisation]:
    """Organisations with at least one published asset: the only ones the feed shows."""
    return Organisation.objects.filter(
        Exists(published_assets().filter(organisation=OuterRef("pk")))
    )


def mark_public_parents(organisations: Iterable[Organisation | None]) -> None:
    """Sets `public_parent_uuid` on each organisation: its parent's id when the parent is
    itself in the feed, else None, so no record points at an id that would 404."""
    organisations = [org for org in organisations if org is not None]
    parent_ids = {org.parent_id for org in organisations if org.parent_id}
    public = (
        dict(feed_organisations().filter(pk__in=parent_ids).values_list("pk", "uuid"))
        if parent_ids
        else {}
    )
    for organisation in organisations:
        organisation.public_parent_uuid = public.get(organisation.parent_id)


# --- Services ------------------------------------------------------------------------


def _service_base(query: ServiceQuery) -> QuerySet[Asset]:
    """Published assets narrowed by the filters `search_assets` has no field for."""
    assets = published_assets().order_by("name", "pk")
    if query.organization_ids:
        assets = assets.filter(organisation__uuid__in=query.organization_ids)
    if query.taxonomy_ids:
        assets = assets.filter(
            Exists(
                Asset.terms.through.objects.filter(
                    asset=OuterRef("pk"), taxonomyterm__taxonomy__uuid__in=query.taxonomy_ids
                )
            )
        )
    if query.modified_after is not None:
        # ORUK: "modified on or after"; the directory's own filter is strictly after.
        assets = assets.filter(updated_at__gte=query.modified_after)
    return assets


def _asset_filters(query: ServiceQuery) -> AssetFilters | None:
    """The directory's search filters for this query; None when it can match nothing."""
    codes: list[str] = []
    if query.taxonomy_term_ids:
        codes = list(
            TaxonomyTerm.objects.filter(uuid__in=query.taxonomy_term_ids).values_list(
                "code", flat=True
            )
        )
        if not codes:
            return None
    return AssetFilters(
        text=query.text, point=query.point, within_km=query.within_km, categories=codes
    )


# What the list shape of a service shows (serializers `service`), read as plain values:
# the asset's columns, and its organisation's as `organisation__...`.
LIST_FIELDS = (
    "uuid",
    "name",
    "description",
    "url",
    "email",
    "capacity_status",
    "capacity_note",
    "cost_description",
    "minimum_age",
    "maximum_age",
    "last_verified_at",
    "updated_at",
    "gender_space",
    "who_for",
    "referral_method",
    "referral_form_url",
    "organisation_id",
)
ORGANISATION_LIST_FIELDS = ("uuid", "name", "description", "email", "website", "parent_id")


def _listed(row: dict) -> SimpleNamespace:
    """A service's values with the attribute names the serializers read."""
    organisation = None
    if row["organisation_id"] is not None:
        organisation = SimpleNamespace(
            **{name: row[f"organisation__{name}"] for name in ORGANISATION_LIST_FIELDS}
        )
    return SimpleNamespace(
        **{name: row[name] for name in LIST_FIELDS}, pk=row["id"], organisation=organisation
    )


def services_page(query: ServiceQuery, paging: Paging) -> FeedPage:
    """A page of published services, ranked by the directory's one search: model
    objects for the full shape, the list shape's values alone otherwise (a page of 50
    services and their organisations built as models cost more than the query)."""
    filters = _asset_filters(query)
    if filters is None:
        return FeedPage([], 0)
    common = {"offset": paging.offset, "limit": paging.per_page, "base": _service_base(query)}
    if not query.full:
        fields = LIST_FIELDS + tuple(f"organisation__{name}" for name in ORGANISATION_LIST_FIELDS)
        rows, total = search_values(filters, fields, **common)
        services = [_listed(row) for row in rows]
        mark_public_parents(service.organisation for service in services)
        return FeedPage(services, total)
    # The full shape fetches its own terms (`service_parts`).
    found = search_assets(filters, with_terms=False, **common)
    assets = [result.asset for result in found.results]
    prefetch_related_objects(assets, *service_parts())
    mark_public_parents(asset.organisation for asset in assets)
    return FeedPage(assets, found.total)


def service(service_id: str) -> Asset:
    asset = _by_id(
        published_assets().select_related("organisation").prefetch_related(*service_parts()),
        service_id,
    )
    mark_public_parents([asset.organisation])
    return asset


# --- Service at locations ------------------------------------------------------------


def _near(point: Point, within_km: float, asset_location: AssetLocation) -> bool:
    location = asset_location.location
    if asset_location.asset.borough_wide:
        return True  # serves everywhere, as the directory's search has it
    if location.latitude is None or location.longitude is None:
        return False
    return haversine_km(point, location.latitude, location.longitude) <= within_km


def _ranked_service_at_locations(query: ServiceQuery, filters: AssetFilters) -> list:
    """Every match, in the order the directory's search ranks their assets.

    Text and distance ranking live in `search_assets`, so it is asked for all matching
    assets at once; near a postcode, each location must itself be within reach.
    """
    found = search_assets(filters, limit=sys.maxsize, base=_service_base(query))
    rank = {result.asset.pk: place for place, result in enumerate(found.results)}
    assets = {result.asset.pk: result.asset for result in found.results}
    matches = []
    for asset_location in AssetLocation.objects.filter(asset_id__in=rank).select_related(
        LOCATION_WITH_AREAS
    ):
        asset_location.asset = assets[asset_location.asset_id]
        if query.point is None or _near(
            query.point, query.within_km or DEFAULT_WITHIN_KM, asset_location
        ):
            matches.append(asset_location)
    matches.sort(key=lambda row: (rank[row.asset_id], row.location.name.lower(), row.pk))
    return matches


def service_at_locations_page(query: ServiceQuery, paging: Paging) -> FeedPage:
    filters = _asset_filters(query)
    if filters is None:
        return FeedPage([], 0)
    if filters.text or filters.point or filters.categories:
        matches = _ranked_service_at_locations(query, filters)
        page = FeedPage(matches[paging.offset : paging.offset + paging.per_page], len(matches))
    else:
        page = _paged(
            AssetLocation.objects.filter(asset__in=_service_base(query))
            .select_related("asset__organisation", LOCATION_WITH_AREAS)
            .order_by("asset__name", "asset__pk", "location__name", "pk"),
            paging,
        )
    assets = [asset_location.asset for asset_location in page.items]
    if query.full:
        prefetch_related_objects(assets, *service_parts(with_locations=False))
    mark_public_parents(asset.organisation for asset in assets)
    return page


def service_at_location(service_at_location_id: str) -> AssetLocation:
    asset_location = _by_id(
        AssetLocation.objects.filter(asset__publication=Publication.PUBLISHED).select_related(
            "asset__organisation", LOCATION_WITH_AREAS
        ),
        service_at_location_id,
    )
    prefetch_related_objects([asset_location.asset], *service_parts(with_locations=False))
    mark_public_parents([asset_location.asset.organisation])
    return asset_location


# --- Organisations -------------------------------------------------------------------


def _with_services(organisations: QuerySet[Organisation], *, full: bool) -> QuerySet:
    services = published_assets().order_by("name", "pk")
    if full:
        services = services.prefetch_related(*service_parts())
    return organisations.prefetch_related(
        Prefetch("assets", queryset=services, to_attr="feed_services")
    )


def organisations_page(query: OrganisationQuery, paging: Paging) -> FeedPage:
    organisations = feed_organisations().order_by("name", "pk")
    if query.text:
        organisations = organisations.filter(name__icontains=query.text)
    if query.full or query.full_service:
        organisations = _with_services(organisations, full=query.full_service)
    page = _paged(organisations, paging)
    mark_public_parents(page.items)
    return page


def organisation(organisation_id: str, *, full_service: bool) -> Organisation:
    found = _by_id(_with_services(feed_organisations(), full=full_service), organisation_id)
    mark_public_parents([found])
    return found


# --- Taxonomies ----------------------------------------------------------------------


def taxonomies_page(text: str, paging: Paging) -> FeedPage:
    taxonomies = Taxonomy.objects.order_by("name", "pk")
    if text:
        taxonomies = taxonomies.filter(Q(name__icontains=text) | Q(code__icontains=text))
    return _paged(taxonomies, paging)


def taxonomy(taxonomy_id: str) -> Taxonomy:
    return _by_id(
        Taxonomy.objects.prefetch_related(
            Prefetch("terms", queryset=_terms().order_by("vocabulary", "name", "pk"))
        ),
        taxonomy_id,
    )


def taxonomy_terms_page(query: TermQuery, paging: Paging) -> FeedPage:
    terms = _terms().order_by("taxonomy__name", "vocabulary", "name", "pk")
    if query.text:
        terms = terms.filter(Q(name__icontains=query.text) | Q(code__icontains=query.text))
    if query.taxonomy_ids:
        terms = terms.filter(taxonomy__uuid__in=query.taxonomy_ids)
    if query.parent_ids:
        terms = terms.filter(parent__uuid__in=query.parent_ids)
    if query.top_only:
        terms = terms.filter(parent__isnull=True)
    return _paged(terms, paging)


def taxonomy_term(term_id: str) -> TaxonomyTerm:
    return _by_id(_terms(), term_id)

"""/api/v1/services: search, create, edit and set capacity (DESIGN.md §9)."""

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from linkwork import paging
from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm
from linkwork.directory.models import Asset, Organisation, Publication
from linkwork.directory.schemas import CapacityIn, SearchParams, ServiceIn, ServiceOut, ServicePatch
from linkwork.directory.selectors import AssetFilters, assets_editable_by, search_assets
from linkwork.directory.services import create_asset, set_capacity, update_asset
from linkwork.errors import Forbidden, InvalidInput
from linkwork.places.selectors import InvalidPostcode, UnknownPostcode, postcode_point

router = Router(tags=["directory"])


def service_out(asset: Asset, distance_km: float | None = None) -> dict:
    location = next(iter(asset.asset_locations.all()), None)
    return {
        "id": asset.pk,
        "name": asset.name,
        "description": asset.description,
        "kind": asset.kind,
        "organization_id": asset.organisation_id,
        "organization_name": asset.organisation.name if asset.organisation else None,
        "categories": sorted(term.code for term in asset.terms.all()),
        "postcode": location.location.postcode if location else None,
        "borough_wide": asset.borough_wide,
        "community_of_interest": asset.community_of_interest,
        "referral_method": asset.referral_method,
        "capacity_status": asset.capacity_status,
        "places": asset.places,
        "places_period": asset.places_period,
        "last_verified": asset.last_verified_at,
        "stale": asset.is_stale,
        "publication": asset.publication,
        "distance_km": distance_km,
    }


def filters_from(params: SearchParams) -> AssetFilters:
    errors = {}
    point = None
    if params.postcode:
        try:
            _, point, _ = postcode_point(params.postcode)
        except (InvalidPostcode, UnknownPostcode) as error:
            errors["postcode"] = str(error)
    if errors:
        raise InvalidInput(errors)
    return AssetFilters(
        text=params.q,
        point=point,
        within_km=params.within_km,
        categories=params.category,
        activity_types=params.activity,
        weekday=params.day,
        time_of_day=params.time_of_day,
        free_only=params.free_only,
        accessibility=params.accessibility,
        language=params.language,
        community=params.community,
        open_only=params.open_only,
        include_stale=params.include_stale,
    )


@router.get(
    "/services", response=paging.Page[ServiceOut], summary="Search published services, ranked"
)
def search_services(request: HttpRequest, params: Query[SearchParams]) -> dict:
    if not has_permission(request.user, Perm.DIRECTORY_SEARCH):
        raise Forbidden()
    found = search_assets(filters_from(params), offset=params.offset, limit=params.per_page)
    prefetch_related_objects([r.asset for r in found.results], "asset_locations__location")
    items = [service_out(r.asset, r.distance_km) for r in found.results]
    return paging.page_body(request, params, items, found.total)


def _editable(request: HttpRequest, service_id: int) -> Asset:
    asset = (
        assets_editable_by(request.user)
        .select_related("organisation")
        .prefetch_related("terms", "asset_locations__location")
        .filter(pk=service_id)
        .first()
    )
    if asset is None:
        raise Http404
    return asset


@router.get("/services/{service_id}", response=ServiceOut, summary="One service")
def get_service(request: HttpRequest, service_id: int) -> dict:
    asset = (
        Asset.objects.select_related("organisation")
        .prefetch_related("terms", "asset_locations__location")
        .filter(pk=service_id)
        .first()
    )
    visible = asset is not None and (
        asset.publication == Publication.PUBLISHED
        or assets_editable_by(request.user).filter(pk=asset.pk).exists()
    )
    if not visible:
        raise Http404
    return service_out(asset)


@router.post("/services", response={201: ServiceOut}, summary="Add a service")
def create_service(request: HttpRequest, payload: ServiceIn) -> Status:
    organisation = Organisation.objects.filter(pk=payload.organization_id).first()
    if organisation is None:
        raise InvalidInput({"organization_id": "No organisation has this id."})
    curator = has_permission(request.user, Perm.DIRECTORY_CURATE)
    if not curator and not has_permission(
        request.user, Perm.DIRECTORY_EDIT_OWN, organisation=organisation
    ):
        raise Forbidden("You can add listings only for your own organisation.")
    data = payload.dict(exclude={"organization_id"})
    asset = create_asset(
        organisation=organisation, publication=Publication.PUBLISHED, by=request.user, **data
    )
    return Status(201, service_out(_editable(request, asset.pk)))


@router.patch("/services/{service_id}", response=ServiceOut, summary="Change a service")
def patch_service(request: HttpRequest, service_id: int, payload: ServicePatch) -> dict:
    asset = _editable(request, service_id)
    changes = payload.dict(exclude_unset=True)
    update_asset(asset=asset, by=request.user, **changes)
    return service_out(_editable(request, service_id))


@router.put("/services/{service_id}/capacity", response=ServiceOut, summary="Set capacity")
def put_capacity(request: HttpRequest, service_id: int, payload: CapacityIn) -> dict:
    asset = _editable(request, service_id)
    set_capacity(
        asset=asset,
        status=payload.status,
        places=payload.places,
        note=payload.note,
        by=request.user,
    )
    return service_out(_editable(request, service_id))

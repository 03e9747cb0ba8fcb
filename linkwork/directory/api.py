"""/api/v1/services: search, create, edit and set capacity (DESIGN.md §9)."""

import json

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.responses import NinjaJSONEncoder

from linkwork import paging
from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm
from linkwork.directory.listing_edit import cost_in_words, create_listing, update_listing
from linkwork.directory.models import Asset, Organisation, Publication
from linkwork.directory.schedules import as_hsds, next_dates
from linkwork.directory.schemas import CapacityIn, SearchParams, ServiceIn, ServiceOut, ServicePatch
from linkwork.directory.search_rows import search_service_rows
from linkwork.directory.selectors import AssetFilters, assets_editable_by
from linkwork.directory.services import set_capacity
from linkwork.errors import Forbidden, InvalidInput
from linkwork.places.selectors import InvalidPostcode, UnknownPostcode, postcode_location

router = Router(tags=["directory"])
SERVICE_PAGE = paging.Page[ServiceOut]
# The fields a search result leaves at their defaults, in the schema's order.
SERVICE_DEFAULTS = {
    name: field.get_default(call_default_factory=True)
    for name, field in ServiceOut.model_fields.items()
}


# Optional fields where null means "none" rather than "not given".
NULLABLE = {
    "minimum_age",
    "maximum_age",
    "safeguarding_policy_reviewed_on",
    "dbs_checked_on",
    "insurance_until",
    "first_aid_until",
}
DETAIL_FIELDS = [
    "url",
    "email",
    "phone",
    "who_for",
    "gender_space",
    "minimum_age",
    "maximum_age",
    "is_free",
    "cost_description",
    "languages",
    "accessibility",
    "accessibility_notes",
    "first_visit",
    "taster_session",
    "welcome_contact_name",
    "travel_notes",
    "duration",
    "safeguarding_policy",
    "safeguarding_policy_reviewed_on",
    "dbs_checked_lead",
    "dbs_checked_on",
    "insurance",
    "insurance_until",
    "first_aid",
    "first_aid_until",
    "referral_form_url",
    "advance_information",
]
WITH_DETAILS = ("terms", "asset_locations__location", "schedules", "cost_options", "coverage_areas")


def _given(changes: dict) -> dict:
    return {k: v for k, v in changes.items() if v is not None or k in NULLABLE}


def service_details(asset: Asset) -> dict:
    """Everything the asset page shows, for one service (GET, POST and PATCH answers)."""
    online = asset.online
    schedules = list(asset.schedules.all())
    return {
        **{name: getattr(asset, name) for name in DETAIL_FIELDS},
        "cost_options": [
            {
                "kind": option.kind,
                "option": option.option,
                "amount": option.amount,
                "currency": option.currency,
                "amount_description": option.amount_description,
                "in_words": cost_in_words(option),
            }
            for option in asset.cost_options.all()
        ],
        "online_url": online.url if online else "",
        "online_phone": online.phone if online else "",
        "neighbourhoods": sorted(area.code for area in asset.coverage_areas.all()),
        "schedules": [as_hsds(schedule) for schedule in schedules],
        "next_dates": [occurrence.starts for occurrence in next_dates(schedules)],
    }


def service_out(asset: Asset, distance_km: float | None = None) -> dict:
    location = asset.place
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
        "may_reopen_on": asset.may_reopen_on,
        "last_verified": asset.last_verified_at,
        "stale": asset.is_stale,
        "publication": asset.publication,
        "distance_km": distance_km,
    }


def service_row_out(row: dict) -> dict:
    """`service_out` from a search's plain values (selectors.search_service_rows)."""
    return {
        "id": row["id"],
        "name": row["name"],
        "description": row["description"],
        "kind": row["kind"],
        "organization_id": row["organisation_id"],
        "organization_name": row["organisation__name"],
        "categories": row["categories"],
        "postcode": row["postcode"],
        "borough_wide": row["borough_wide"],
        "community_of_interest": row["community_of_interest"],
        "referral_method": row["referral_method"],
        "capacity_status": row["capacity_status"],
        "places": row["places"],
        "places_period": row["places_period"],
        "may_reopen_on": row["may_reopen_on"],
        "last_verified": row["last_verified_at"],
        "stale": row["stale"],
        "publication": row["publication"],
        "distance_km": row["distance_km"],
    }


def filters_from(params: SearchParams) -> AssetFilters:
    errors = {}
    point = None
    if params.postcode:
        try:
            point = postcode_location(params.postcode)
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


@router.get("/services", response=SERVICE_PAGE, summary="Search published services, ranked")
def search_services(request: HttpRequest, params: Query[SearchParams]) -> HttpResponse:
    if not has_permission(request.user, Perm.DIRECTORY_SEARCH):
        raise Forbidden()
    found = search_service_rows(filters_from(params), offset=params.offset, limit=params.per_page)
    items = [{**SERVICE_DEFAULTS, **service_row_out(row)} for row in found.rows]
    return as_json(paging.page_body(request, params, items, found.total))


def as_json(body: dict) -> HttpResponse:
    """The bytes Ninja would write for `body` after validating it against the schema,
    without building a schema object per field: the values come from the database in
    the schema's types, every field is there in its order (a test compares the two)."""
    return HttpResponse(
        json.dumps(body, cls=NinjaJSONEncoder), content_type="application/json; charset=utf-8"
    )


def _editable(request: HttpRequest, service_id: int) -> Asset:
    asset = (
        assets_editable_by(request.user)
        .select_related("organisation")
        .prefetch_related(*WITH_DETAILS)
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
        .prefetch_related(*WITH_DETAILS)
        .filter(pk=service_id)
        .first()
    )
    visible = asset is not None and (
        asset.publication == Publication.PUBLISHED
        or assets_editable_by(request.user).filter(pk=asset.pk).exists()
    )
    if not visible:
        raise Http404
    return {**service_out(asset), **service_details(asset)}


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
    data = _given(payload.dict(exclude={"organization_id"}))
    asset = create_listing(
        organisation=organisation, publication=Publication.PUBLISHED, by=request.user, **data
    )
    created = _editable(request, asset.pk)
    return Status(201, {**service_out(created), **service_details(created)})


@router.patch("/services/{service_id}", response=ServiceOut, summary="Change a service")
def patch_service(request: HttpRequest, service_id: int, payload: ServicePatch) -> dict:
    asset = _editable(request, service_id)
    changes = payload.dict(exclude_unset=True)
    update_listing(asset=asset, by=request.user, **_given(changes))
    changed = _editable(request, service_id)
    return {**service_out(changed), **service_details(changed)}


@router.put("/services/{service_id}/capacity", response=ServiceOut, summary="Set capacity")
def put_capacity(request: HttpRequest, service_id: int, payload: CapacityIn) -> dict:
    asset = _editable(request, service_id)
    set_capacity(
        asset=asset,
        status=payload.status,
        places=payload.places,
        note=payload.note,
        may_reopen_on=payload.may_reopen_on,
        by=request.user,
    )
    return service_out(_editable(request, service_id))

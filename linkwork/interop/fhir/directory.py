"""The asset map as FHIR: HealthcareService (a published listing), Organization (one that
runs a published listing) and Location (where one happens), read from the same
selectors as the Open Referral UK feed, so nothing unpublished can appear."""

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from linkwork.directory.models import Asset, AssetLocation, Location, Organisation
from linkwork.directory.selectors import AssetFilters, published_assets, search_assets
from linkwork.interop.fhir.resources import ref

TAXONOMY = "urn:linkwork:codesystem:taxonomy"
MAX_RESULTS = 200


def _uuid(raw: str):
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise Http404 from None


def _concept(term) -> dict:
    return {"coding": [{"system": TAXONOMY, "code": term.code, "display": term.name}]}


def healthcare_service(asset: Asset) -> dict:
    terms = sorted(asset.terms.all(), key=lambda term: term.code)
    resource = {
        "resourceType": "HealthcareService",
        "id": str(asset.uuid),
        "active": True,
        "name": asset.name,
        "comment": asset.description[:1000],
        "category": [_concept(term) for term in terms if term.vocabulary == "need"],
        "type": [_concept(term) for term in terms if term.vocabulary != "need"],
        "location": [
            ref("Location", link.location.uuid, link.location.name)
            for link in asset.asset_locations.all()
        ],
        "telecom": [
            {"system": system, "value": value}
            for system, value in (
                ("phone", asset.phone),
                ("email", asset.email),
                ("url", asset.url),
            )
            if value
        ],
    }
    if asset.organisation_id:
        resource["providedBy"] = ref(
            "Organization", asset.organisation.uuid, asset.organisation.name
        )
    if asset.updated_at:
        resource["meta"] = {"lastUpdated": asset.updated_at.isoformat()}
    return {key: value for key, value in resource.items() if value not in ([], "")}


def organization(organisation: Organisation) -> dict:
    return {
        "resourceType": "Organization",
        "id": str(organisation.uuid),
        "active": True,
        "name": organisation.name,
        "type": [
            {
                "coding": [
                    {
                        "system": "urn:linkwork:codesystem:organisation-kind",
                        "code": organisation.kind,
                        "display": organisation.get_kind_display(),
                    }
                ]
            }
        ],
    }


def location(place: Location) -> dict:
    resource = {
        "resourceType": "Location",
        "id": str(place.uuid),
        "status": "active",
        "mode": "instance",
        "name": place.name or place.address_1 or "Online",
    }
    if place.location_type == "virtual":
        resource["physicalType"] = {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/location-physical-type",
                    "code": "vi",
                    "display": "Virtual",
                }
            ]
        }
        if place.url:
            resource["telecom"] = [{"system": "url", "value": place.url}]
    address = {
        key: value for key, value in (("city", place.city), ("postalCode", place.postcode)) if value
    }
    if place.address_1:
        address["line"] = [place.address_1]
    if address:
        resource["address"] = address
    if place.latitude is not None and place.longitude is not None:
        resource["position"] = {"latitude": place.latitude, "longitude": place.longitude}
    return resource


def _assets() -> QuerySet[Asset]:
    return (
        published_assets()
        .select_related("organisation")
        .prefetch_related("terms", "asset_locations__location")
    )


def public_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(assets__in=published_assets()).distinct()


def public_locations() -> QuerySet[Location]:
    links = AssetLocation.objects.filter(asset__in=published_assets())
    return Location.objects.filter(asset_locations__in=links).distinct()


def read(kind: str, raw_id: str) -> dict:
    wanted = _uuid(raw_id)
    if kind == "HealthcareService":
        found = _assets().filter(uuid=wanted).first()
        builder = healthcare_service
    elif kind == "Organization":
        found = public_organisations().filter(uuid=wanted).first()
        builder = organization
    else:
        found = public_locations().filter(uuid=wanted).first()
        builder = location
    if found is None:
        raise Http404
    return builder(found)


def search(kind: str, params) -> list[dict]:
    if kind == "HealthcareService":
        return _search_services(params)
    if kind == "Organization":
        found = public_organisations().order_by("name", "pk")
        if params.get("name"):
            found = found.filter(name__icontains=params["name"])
        if params.get("_id"):
            found = found.filter(uuid=_uuid_or_none(params["_id"]))
        return [organization(o) for o in found[:MAX_RESULTS]]
    found = public_locations().order_by("name", "pk")
    if params.get("name"):
        found = found.filter(
            Q(name__icontains=params["name"]) | Q(address_1__icontains=params["name"])
        )
    if params.get("address-postalcode"):
        code = params["address-postalcode"].replace(" ", "").upper()
        found = [
            place for place in found if place.postcode.replace(" ", "").upper().startswith(code)
        ]
    elif params.get("_id"):
        found = found.filter(uuid=_uuid_or_none(params["_id"]))
    return [location(place) for place in list(found)[:MAX_RESULTS]]


def _uuid_or_none(raw: str):
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def _search_services(params) -> list[dict]:
    """The directory's one search (relevance, then name), narrowed by FHIR parameters."""
    base = _assets()
    if params.get("_id"):
        base = base.filter(uuid=_uuid_or_none(params["_id"]))
    if params.get("location"):
        base = base.filter(
            asset_locations__location__uuid=_uuid_or_none(
                params["location"].removeprefix("Location/")
            )
        )
    categories = []
    if params.get("service-category"):
        categories = [value.rpartition("|")[2] for value in params["service-category"].split(",")]
    found = search_assets(
        AssetFilters(text=params.get("name", ""), categories=categories),
        limit=MAX_RESULTS,
        base=base,
    )
    assets = [result.asset for result in found.results]
    by_pk = {asset.pk: asset for asset in base.filter(pk__in=[a.pk for a in assets])}
    return [healthcare_service(by_pk[a.pk]) for a in assets if a.pk in by_pk]

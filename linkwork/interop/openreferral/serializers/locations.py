"""Locations as ORUK records: addresses, accessibility, the local authority."""

from linkwork.directory.models import (
    ACCESSIBILITY_FEATURES,
    Asset,
    Location,
)
from linkwork.interop.openreferral.serializers.common import COUNTRY, Record, compact, derived_id
from linkwork.places.models import Area, AreaType


def _joining(place: Location) -> str:
    ways = [f"Join online: {place.url}" if place.url else ""]
    ways.append(f"By phone: {place.phone}" if place.phone else "")
    return ". ".join(way for way in ways if way)


def location(place: Location) -> Record:
    """A location's own fields (the list shape); an online option is `virtual`, with
    its link as HSDS 3.0 `url` and the ways to join in its description."""
    virtual = place.location_type == "virtual"
    return compact(
        {
            "id": str(place.uuid),
            "location_type": "virtual" if virtual else "physical",
            "name": place.name,
            "description": _joining(place) if virtual else None,
            "url": place.url if virtual else None,
            "latitude": place.latitude,
            "longitude": place.longitude,
        }
    )


def _local_authority(area: Area | None) -> str:
    # As far up as selectors.LOCATION_WITH_AREAS fetched: the area and two parents.
    for _ in range(3):
        if area is None:
            return ""
        if area.area_type == AreaType.LOCAL_AUTHORITY:
            return area.name
        area = area.parent
    return ""


def addresses(place: Location) -> list[Record]:
    """The address, when there is enough of one for the schema's required fields.

    A venue's name stands in for a missing first line, and the local authority for a
    missing town; the authority is also the county line (`state_province`).
    """
    authority = _local_authority(place.area)
    address_1 = place.address_1 or place.name
    city = place.city or authority
    if not (address_1 and city and place.postcode):
        return []
    return [
        {
            "id": derived_id(place.uuid, "address"),
            "location_id": str(place.uuid),
            "address_1": address_1,
            "city": city,
            "state_province": authority or city,
            "postal_code": place.postcode,
            "country": COUNTRY,
            "address_type": "physical",
        }
    ]


def accessibility(place: Location, asset: Asset) -> list[Record]:
    """The venue's notes, then what the asset says about access to it there."""
    notes = [(derived_id(place.uuid, "accessibility"), place.accessibility_notes)]
    notes += [
        (
            derived_id(asset.uuid, "accessibility", place.uuid, code),
            str(ACCESSIBILITY_FEATURES[code]),
        )
        for code in asset.accessibility
        if code in ACCESSIBILITY_FEATURES
    ]
    notes.append(
        (derived_id(asset.uuid, "accessibility", place.uuid, "notes"), asset.accessibility_notes)
    )
    return [
        {"id": note_id, "location_id": str(place.uuid), "description": text, "accessibility": text}
        for note_id, text in notes
        if text
    ]


def location_full(place: Location, asset: Asset) -> Record:
    return {
        **location(place),
        "addresses": addresses(place),
        "accessibility": accessibility(place, asset),
    }

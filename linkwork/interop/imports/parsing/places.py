"""A record's organisation and locations (physical or virtual)."""

import re
from typing import Any

from linkwork.interop.imports.parsing.records import IncomingLocation, IncomingOrganisation
from linkwork.interop.imports.parsing.values import (
    RecordRejected,
    _blank,
    _is_obj,
    _objects,
    _shown,
    _unique,
    clip,
    text,
)
from linkwork.places.postcodes import InvalidPostcode, normalise_postcode


def _organisation(record: dict) -> IncomingOrganisation | None:
    nested = record.get("organization")
    if isinstance(nested, dict) and text(nested.get("id")):
        name = text(nested.get("name"))
        if not name:
            raise RecordRejected(f"organization {text(nested.get('id'))}: name is required")
        identifiers = [i for i in nested.get("organization_identifiers") or [] if _is_obj(i)]
        return IncomingOrganisation(
            source_id=text(nested.get("id")),
            name=name,
            description=text(nested.get("description")),
            email=text(nested.get("email")),
            website=text(nested.get("website")),
            registered_number=text(identifiers[0].get("identifier")) if identifiers else "",
        )
    if text(record.get("organization_id")):
        return IncomingOrganisation(source_id=text(record.get("organization_id")))
    return None


# --- Locations -----------------------------------------------------------------------


def _locations(record: dict) -> list[IncomingLocation]:
    found = []
    for at_location in _objects(record, "service_at_locations"):
        location = at_location.get("location")
        if _is_obj(location) and location.get("location_type") == "virtual":
            found.append(_virtual_location(location))
        elif _is_obj(location):
            found.append(_location(location))
    return _unique(found)


def _location(location: dict) -> IncomingLocation:
    label = clip(text(location.get("name")) or text(location.get("id")) or "a location", 60)
    addresses = _objects(location, "addresses")
    physical = [a for a in addresses if text(a.get("address_type")) in ("", "physical")]
    address = (physical or addresses or [{}])[0]
    postcode = text(address.get("postal_code"))
    if postcode:
        try:
            postcode = normalise_postcode(postcode)
        except InvalidPostcode:
            raise RecordRejected(
                f"location {label!r}: postcode {_shown(postcode)} is not a valid UK postcode"
            ) from None
    street = ", ".join(p for p in (text(address.get(k)) for k in ("address_1", "address_2")) if p)
    notes = [
        " ".join(p for p in (text(a.get("description")), text(a.get("details"))) if p)
        for a in _objects(location, "accessibility")
    ]
    latitude = _coordinate(location.get("latitude"), 90, label, "latitude")
    longitude = _coordinate(location.get("longitude"), 180, label, "longitude")
    if (latitude is None) != (longitude is None):
        raise RecordRejected(f"location {label!r}: give both latitude and longitude, or neither")
    return IncomingLocation(
        name=text(location.get("name")),
        address_1=street,
        city=text(address.get("city")),
        postcode=postcode,
        latitude=latitude,
        longitude=longitude,
        accessibility_notes="\n".join(note for note in notes if note),
    )


def _virtual_location(location: dict) -> IncomingLocation:
    """An online option: its link (HSDS 3.0 `url`, https only) and any phone number
    Linkwork's own feed puts in the description ("By phone: 01204 ...")."""
    label = clip(text(location.get("name")) or text(location.get("id")) or "a location", 60)
    url = text(location.get("url"))
    if url and not re.match(r"^https://[^\s/]+\.[^\s]+$", url):
        raise RecordRejected(f"location {label!r}: url {_shown(url)} is not a secure https link")
    phone = re.search(r"By phone: ([0-9 +()-]{6,32})", text(location.get("description")))
    return IncomingLocation(
        name=clip(text(location.get("name")), 200) or "Online",
        address_1="",
        city="",
        postcode="",
        latitude=None,
        longitude=None,
        accessibility_notes="",
        location_type="virtual",
        url=clip(url, 200),
        phone=phone.group(1).strip() if phone else "",
    )


def _coordinate(raw: Any, limit: int, label: str, name: str) -> float | None:
    if _blank(raw):
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise RecordRejected(f"location {label!r}: {name} {_shown(raw)} is not a number") from None
    if not -limit <= value <= limit:
        raise RecordRejected(f"location {label!r}: {name} {_shown(raw)} is not between ±{limit}")
    return value

"""The asset map as Open Referral UK 3.0: plain functions from model to dict.

The one place that knows the ORUK shape (the mapping is explained in README.md).
Ids are the models' `uuid`s; rows Linkwork does not store as rows (a language, an
address, an attribute) get a stable uuid5 derived from their owner's uuid. Empty
optional fields are left out, never sent as null or "".
"""

import math
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from django.conf.locale import LANG_INFO
from django.utils import timezone

from linkwork.directory.models import (
    ACCESSIBILITY_FEATURES,
    Asset,
    AssetLocation,
    CapacityStatus,
    Contact,
    CostOption,
    Frequency,
    GenderSpace,
    Location,
    Organisation,
    ReferralMethod,
    Schedule,
    Taxonomy,
    TaxonomyTerm,
)
from linkwork.interop.openreferral import listing_facts
from linkwork.places.models import Area, AreaType

VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://openreferraluk.org/"
OPENAPI_URL = "https://openreferraluk.org/specifications/3.0/openapi.json"
COUNTRY = "GB"
# ONS statistical geography codes (E01012345...) have a published linked-data URI.
GSS_CODE = re.compile(r"^[EWSN]\d{8}$")
GSS_URI = "http://statistics.data.gov.uk/id/statistical-geography/{code}"
# Community languages Django's own list does not name.
LANGUAGE_NAMES = {
    "gu": "Gujarati",
    "ku": "Kurdish",
    "ps": "Pashto",
    "so": "Somali",
    "ti": "Tigrinya",
    "zh": "Chinese",
}
CAPACITY_ALERTS = {
    CapacityStatus.WAITLIST: "Waiting list: new people join a waiting list.",
    CapacityStatus.FULL: "Full: not taking new people at the moment.",
    CapacityStatus.PAUSED: "Paused: not running at the moment.",
}

Record = dict[str, Any]


def compact(fields: Record) -> Record:
    """Leave out what is empty: the schema types these fields as strings, uuids or uris."""
    return {key: value for key, value in fields.items() if value is not None and value != ""}


def derived_id(owner: uuid.UUID, *parts: object) -> str:
    """A stable id for something Linkwork keeps as a field rather than a row."""
    return str(uuid.uuid5(owner, ":".join(str(part) for part in parts)))


def _id(value: uuid.UUID | None) -> str | None:
    return str(value) if value else None


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def page(contents: list[Record], *, total: int, page_number: int, per_page: int) -> Record:
    """The paged envelope every list endpoint returns."""
    total_pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def api_details() -> Record:
    return {"version": VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL}


# --- Organisations -------------------------------------------------------------------


def organization(organisation: Organisation) -> Record:
    return compact(
        {
            "id": str(organisation.uuid),
            "name": organisation.name,
            # Required by the schema; many community groups have not written one.
            "description": organisation.description or organisation.name,
            "email": organisation.email,
            "website": organisation.website,
            "parent_organization_id": _id(organisation.public_parent_uuid),
        }
    )


def organization_full(organisation: Organisation, *, full_service: bool) -> Record:
    identifiers = []
    if organisation.registered_number:
        identifiers.append(
            {
                "id": derived_id(organisation.uuid, "identifier"),
                "organization_id": str(organisation.uuid),
                # Linkwork does not record whether it is a charity or a company number.
                "identifier_type": "Registered number",
                "identifier": organisation.registered_number,
            }
        )
    nest = service_full if full_service else service
    return {
        **organization(organisation),
        "organization_identifiers": identifiers,
        "services": [nest(asset, with_organization=False) for asset in organisation.feed_services],
    }


# --- Services ------------------------------------------------------------------------


def _status(asset: Asset) -> str:
    # A full group still runs (the alert says it is full); a paused one does not.
    return "temporarily closed" if asset.capacity_status == CapacityStatus.PAUSED else "active"


def _alert(asset: Asset) -> str:
    return " ".join(filter(None, [CAPACITY_ALERTS.get(asset.capacity_status), asset.capacity_note]))


def _eligibility(asset: Asset) -> str:
    space = GenderSpace(asset.gender_space).label if asset.gender_space else ""
    return " ".join(part.rstrip(".") + "." for part in (space, asset.who_for) if part)


def _application_process(asset: Asset) -> str:
    process = ReferralMethod(asset.referral_method).label + "."
    if asset.referral_form_url:
        process += f" Referral form: {asset.referral_form_url}"
    return process


def service(asset: Asset, *, with_organization: bool = True) -> Record:
    """A service's own fields (the list shape), with its organisation."""
    verified = asset.last_verified_at
    record = compact(
        {
            "id": str(asset.uuid),
            "organization_id": _id(asset.organisation.uuid if asset.organisation else None),
            "name": asset.name,
            "description": asset.description,
            "url": asset.url,
            "email": asset.email,
            "status": _status(asset),
            "fees": asset.cost_description,
            "minimum_age": asset.minimum_age,
            "maximum_age": asset.maximum_age,
            "assured_date": timezone.localdate(verified).isoformat() if verified else None,
            "alert": _alert(asset),
            "last_modified": _timestamp(asset.updated_at),
            # HSDS 3.0 core fields the UK profile leaves out but does not forbid.
            "eligibility_description": _eligibility(asset),
            "application_process": _application_process(asset),
        }
    )
    if with_organization and asset.organisation:
        record["organization"] = organization(asset.organisation)
    return record


def service_full(
    asset: Asset, *, with_organization: bool = True, with_locations: bool = True
) -> Record:
    """The fully nested service of /services/{id}."""
    record = service(asset, with_organization=with_organization)
    record["schedules"] = [schedule(row, asset) for row in asset.schedules.all()]
    record["service_areas"] = service_areas(asset)
    if with_locations:
        record["service_at_locations"] = [
            service_at_location_in_service(row) for row in asset.asset_locations.all()
        ]
    record["languages"] = languages(asset)
    record["cost_options"] = cost_options(asset)
    record["contacts"] = [contact(row, asset) for row in asset.contacts.all()]
    record["attributes"] = [attribute(asset, term) for term in asset.feed_terms]
    record["attributes"] += listing_facts.attributes(asset)
    if asset.phone:  # HSDS 3.0 service.phones
        record["phones"] = [
            {
                "id": derived_id(asset.uuid, "phone"),
                "service_id": str(asset.uuid),
                "number": asset.phone,
            }
        ]
    return record


def _paused_note(row: Schedule) -> str:
    ranges = [start if start == end else f"{start} to {end}" for start, end in row.paused or []]
    parts = ["Term time only."] if row.term_time_only else []
    if ranges:
        parts.append("Not running: " + ", ".join(ranges) + ".")
    return " ".join(parts)


def schedule(row: Schedule, asset: Asset) -> Record:
    """RFC 5545 fields: a one-off event has a dtstart and no freq (HSDS 3.0)."""
    once = row.freq == Frequency.ONCE
    return compact(
        {
            "id": str(row.uuid),
            "service_id": str(asset.uuid),
            "freq": None if once else row.freq,
            "interval": None if once else row.interval,
            "byday": row.byday,
            "dtstart": row.dtstart.isoformat() if row.dtstart else None,
            "until": row.until.isoformat() if row.until and not once else None,  # HSDS 3.0
            "valid_from": row.dtstart.isoformat() if once and row.dtstart else None,
            "valid_to": row.until.isoformat() if row.until else None,
            "opens_at": row.opens_at.isoformat(timespec="seconds"),
            "closes_at": row.closes_at.isoformat(timespec="seconds"),
            "description": row.description,
            "notes": _paused_note(row),
        }
    )


def _area_uri(area: Area) -> str | None:
    if area.is_synthetic or not GSS_CODE.match(area.code):
        return None
    return GSS_URI.format(code=area.code)


def service_areas(asset: Asset) -> list[Record]:
    areas = []
    if asset.borough_wide:
        areas.append(
            {
                "id": derived_id(asset.uuid, "service_area", "borough"),
                "service_id": str(asset.uuid),
                "name": "Borough-wide",
                "service_area": "Borough-wide: anyone in the area this directory covers.",
            }
        )
    for area in asset.coverage_areas.all():
        areas.append(
            compact(
                {
                    "id": derived_id(asset.uuid, "service_area", area.code),
                    "service_id": str(asset.uuid),
                    "name": area.name,
                    "service_area": area.name,
                    "uri": _area_uri(area),
                }
            )
        )
    return areas


def languages(asset: Asset) -> list[Record]:
    return [
        compact(
            {
                "id": derived_id(asset.uuid, "language", code),
                "service_id": str(asset.uuid),
                # HSDS 3.0 language.name and .code (the UK profile carries the id alone).
                "name": LANG_INFO.get(code, {}).get("name") or LANGUAGE_NAMES.get(code),
                "code": code,
            }
        )
        for code in asset.languages
    ]


def cost_options(asset: Asset) -> list[Record]:
    options = [cost_option(row, asset) for row in asset.cost_options.all()]
    if not options and asset.is_free:
        options.append(
            {
                "id": derived_id(asset.uuid, "cost_option", "free"),
                "service_id": str(asset.uuid),
                "option": "Free",
                "amount": 0,
            }
        )
    return options


def cost_option(row: CostOption, asset: Asset) -> Record:
    return compact(
        {
            "id": str(row.uuid),
            "service_id": str(asset.uuid),
            "option": row.option,
            "amount": float(row.amount) if row.amount is not None else None,
            "amount_description": row.amount_description,
        }
    )


def contact(row: Contact, asset: Asset) -> Record:
    record = compact(
        {
            "id": str(row.uuid),
            "service_id": str(asset.uuid),
            "name": row.name,
            "title": row.title,
            "email": row.email,  # HSDS 3.0 contact.email
        }
    )
    # HSDS 3.0 contact.phones: the UK profile's phone table links to a contact.
    record["phones"] = (
        [{"id": derived_id(row.uuid, "phone"), "contact_id": str(row.uuid), "number": row.phone}]
        if row.phone
        else []
    )
    return record


def attribute(asset: Asset, term: TaxonomyTerm) -> Record:
    return {
        "id": derived_id(asset.uuid, "attribute", term.uuid),
        "link_id": str(asset.uuid),
        "link_entity": "service",
        "link_type": term.vocabulary,
        "taxonomy_term_id": str(term.uuid),
        "taxonomy_term": taxonomy_term(term),
    }


# --- Locations -----------------------------------------------------------------------


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


# --- Service at locations ------------------------------------------------------------


def service_at_location_in_service(row: AssetLocation) -> Record:
    """A service_at_location inside its service: the location, not the service again."""
    return {
        "id": str(row.uuid),
        "service_id": str(row.asset.uuid),
        "location_id": str(row.location.uuid),
        "location": location_full(row.location, row.asset),
    }


def service_at_location(row: AssetLocation) -> Record:
    """The list shape: the location's and the service's own fields."""
    return {
        "id": str(row.uuid),
        "service_id": str(row.asset.uuid),
        "location_id": str(row.location.uuid),
        "location": location(row.location),
        "service": service(row.asset),
    }


def service_at_location_full(row: AssetLocation) -> Record:
    return {
        **service_at_location_in_service(row),
        "service": service_full(row.asset, with_locations=False),
    }


# --- Taxonomies ----------------------------------------------------------------------


def taxonomy(vocabulary: Taxonomy) -> Record:
    return compact(
        {
            "id": str(vocabulary.uuid),
            "name": vocabulary.name,
            "description": vocabulary.description or vocabulary.name,
            "uri": vocabulary.uri,
            "version": vocabulary.version,
        }
    )


def taxonomy_full(vocabulary: Taxonomy) -> Record:
    return {
        **taxonomy(vocabulary),
        "taxonomy_terms": [taxonomy_term(term) for term in vocabulary.terms.all()],
    }


def taxonomy_term(term: TaxonomyTerm) -> Record:
    return compact(
        {
            "id": str(term.uuid),
            "name": term.name,
            "description": term.description or term.name,
            "code": term.code,  # HSDS 3.0 taxonomy_term.code: the stable code Linkwork speaks
            "parent_id": _id(term.parent.uuid if term.parent_id else None),
            "taxonomy": term.taxonomy.uri or term.taxonomy.name,
            "taxonomy_id": str(term.taxonomy.uuid),
            "term": term.name,
        }
    )

"""Organisations, services and services at locations as ORUK records."""

from django.conf.locale import LANG_INFO
from django.utils import timezone

from linkwork.directory.models import (
    Asset,
    AssetLocation,
    CapacityStatus,
    Contact,
    CostOption,
    Frequency,
    GenderSpace,
    Organisation,
    ReferralMethod,
    Schedule,
    TaxonomyTerm,
)
from linkwork.interop.openreferral import listing_facts
from linkwork.interop.openreferral.serializers.common import (
    CAPACITY_ALERTS,
    GSS_CODE,
    GSS_URI,
    LANGUAGE_NAMES,
    Record,
    _id,
    _timestamp,
    compact,
    derived_id,
)
from linkwork.interop.openreferral.serializers.locations import location, location_full
from linkwork.interop.openreferral.serializers.taxonomies import taxonomy_term
from linkwork.places.models import Area

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

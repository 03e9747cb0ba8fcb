"""Every published listing as an HSDS 3.0 tabular data package: datapackage.json + CSVs.

Tables and columns follow Open Referral's datapackage.json (copied beside this file).
Ids are our rows' `uuid`s; a value we keep in a column rather than a row of its own (a
location's address, a listing's phone) gets an id derived from its owner's, so every
export names the same things the same way. `linkwork import-oruk` reads the package
back: exporting and importing into an empty directory recreates the same listings.
"""

import io
import json
import uuid
import zipfile
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from linkwork import csvsafe
from linkwork.audit.services import record_event
from linkwork.directory.models import Asset, Publication, ReferralMethod, TaxonomyTerm

DESCRIPTOR_PATH = Path(__file__).with_name("hsds-3.0-datapackage.json")

Row = dict[str, Any]


def export_datapackage(*, by: AbstractBaseUser | None) -> bytes:
    """The zip of published listings; each export is audited."""
    tables = directory_tables()
    payload = datapackage_zip(tables)
    record_event(
        by=by,
        action="directory_exported",
        object_type="directory",
        summary=f"format=hsds-3.0-datapackage services={len(tables['service'])}",
    )
    return payload


def published_assets() -> list[Asset]:
    return list(
        Asset.objects.filter(publication=Publication.PUBLISHED)
        .select_related("organisation")
        .prefetch_related(
            "terms__taxonomy",
            "terms__parent",
            "asset_locations__location",
            "schedules",
            "contacts",
            "cost_options",
        )
        .order_by("pk")
    )


def directory_tables() -> dict[str, list[Row]]:
    """HSDS resource name -> rows, for every published listing and what it refers to."""
    tables: dict[str, list[Row]] = {name: [] for name in _resource_names()}
    organisations, locations, terms = {}, {}, {}
    for asset in published_assets():
        tables["service"].append(_service(asset))
        if asset.organisation_id:
            organisations[asset.organisation_id] = asset.organisation
        if asset.phone:
            tables["phone"].append(
                {
                    "id": _derived(asset.uuid, "phone"),
                    "service_id": asset.uuid,
                    "number": asset.phone,
                }
            )
        for at_location in asset.asset_locations.all():
            locations[at_location.location_id] = at_location.location
            tables["service_at_location"].append(
                {
                    "id": at_location.uuid,
                    "service_id": asset.uuid,
                    "location_id": at_location.location.uuid,
                }
            )
        tables["schedule"] += [_schedule(asset, schedule) for schedule in asset.schedules.all()]
        for contact in asset.contacts.all():
            tables["contact"].append(_contact(asset, contact))
            if contact.phone:
                tables["phone"].append(
                    {
                        "id": _derived(contact.uuid, "phone"),
                        "contact_id": contact.uuid,
                        "number": contact.phone,
                    }
                )
        tables["cost_option"] += _cost_options(asset)
        tables["language"] += [
            {"id": _derived(asset.uuid, "language", code), "service_id": asset.uuid, "code": code}
            for code in asset.languages
        ]
        for term in asset.terms.all():
            terms[term.pk] = term
            tables["attribute"].append(
                {
                    "id": _derived(asset.uuid, "attribute", term.uuid),
                    "link_id": asset.uuid,
                    "link_entity": "service",
                    "link_type": term.vocabulary,
                    "taxonomy_term_id": term.uuid,
                }
            )
    _add_organisations(tables, organisations.values())
    _add_locations(tables, locations.values())
    _add_terms(tables, terms.values())
    return tables


def _service(asset: Asset) -> Row:
    verified = asset.last_verified_at
    return {
        "id": asset.uuid,
        "organization_id": asset.organisation.uuid if asset.organisation_id else "",
        "name": asset.name,
        "description": asset.description,
        "url": asset.url,
        "email": asset.email,
        "status": "active",
        "application_process": _application_process(asset),
        "fees_description": asset.cost_description,
        "eligibility_description": asset.who_for,
        "minimum_age": asset.minimum_age,
        "maximum_age": asset.maximum_age,
        "assured_date": timezone.localdate(verified) if verified else None,
        "last_modified": asset.updated_at,
    }


def _application_process(asset: Asset) -> str:
    """HSDS has no referral method: it is said in words our importer reads back (the same
    words the /openreferral/ feed uses)."""
    words = ReferralMethod(asset.referral_method).label + "."
    if asset.referral_form_url:
        words += f" Referral form: {asset.referral_form_url}"
    return words


def _schedule(asset: Asset, schedule) -> Row:
    once = schedule.freq == "ONCE"  # HSDS: a one-off event has a dtstart and no freq
    return {
        "id": schedule.uuid,
        "service_id": asset.uuid,
        "freq": "" if once else schedule.freq,
        "interval": "" if once else schedule.interval,
        "byday": schedule.byday,
        "dtstart": schedule.dtstart,
        "until": schedule.until,
        "opens_at": schedule.opens_at,
        "closes_at": schedule.closes_at,
        "description": schedule.description,
    }


def _contact(asset: Asset, contact) -> Row:
    return {
        "id": contact.uuid,
        "service_id": asset.uuid,
        "name": contact.name,
        "title": contact.title,
        "email": contact.email,
    }


def _cost_options(asset: Asset) -> list[Row]:
    rows = [
        {
            "id": option.uuid,
            "service_id": asset.uuid,
            "option": option.option,
            "currency": "GBP",
            "amount": option.amount,
            "amount_description": option.amount_description,
        }
        for option in asset.cost_options.all()
    ]
    if not asset.is_free and not rows:
        # HSDS says "not free" with a cost option; ours has no amount, so none is given.
        rows.append(
            {
                "id": _derived(asset.uuid, "cost_option", "not-free"),
                "service_id": asset.uuid,
                "option": "Cost",
                "currency": "GBP",
                "amount_description": asset.cost_description[:200],
            }
        )
    return rows


def _add_organisations(tables: dict[str, list[Row]], organisations: Iterable) -> None:
    for organisation in sorted(organisations, key=lambda o: o.pk):
        tables["organization"].append(
            {
                "id": organisation.uuid,
                "name": organisation.name,
                "description": organisation.description,
                "email": organisation.email,
                "website": organisation.website,
            }
        )
        if organisation.registered_number:
            tables["organization_identifier"].append(
                {
                    "id": _derived(organisation.uuid, "identifier"),
                    "organization_id": organisation.uuid,
                    "identifier_type": "Registered number",
                    "identifier": organisation.registered_number,
                }
            )


def _add_locations(tables: dict[str, list[Row]], locations: Iterable) -> None:
    for location in sorted(locations, key=lambda loc: loc.pk):
        tables["location"].append(
            {
                "id": location.uuid,
                "location_type": location.location_type,
                "url": location.url,
                "name": location.name,
                "latitude": location.latitude,
                "longitude": location.longitude,
            }
        )
        if location.address_1 or location.city or location.postcode:
            tables["address"].append(
                {
                    "id": _derived(location.uuid, "address"),
                    "location_id": location.uuid,
                    "address_1": location.address_1,
                    "city": location.city,
                    "postal_code": location.postcode,
                    "country": "GB",
                    "address_type": "physical",
                }
            )
        if location.accessibility_notes:
            tables["accessibility"].append(
                {
                    "id": _derived(location.uuid, "accessibility"),
                    "location_id": location.uuid,
                    "description": location.accessibility_notes,
                }
            )


def _add_terms(tables: dict[str, list[Row]], used: Iterable[TaxonomyTerm]) -> None:
    terms = {term.pk: term for term in used}
    pending = [term for term in terms.values() if term.parent_id]
    while pending:  # a term's parents are exported with it, so parent_id always resolves
        parent = pending.pop().parent
        if parent and parent.pk not in terms:
            terms[parent.pk] = parent
            pending.append(parent)
    taxonomies = {}
    for term in sorted(terms.values(), key=lambda t: t.pk):
        taxonomies[term.taxonomy_id] = term.taxonomy
        tables["taxonomy_term"].append(
            {
                "id": term.uuid,
                "code": term.code,
                "name": term.name,
                "description": term.description,
                "parent_id": term.parent.uuid if term.parent_id else "",
                "taxonomy": term.taxonomy.name,
                "language": "en",
                "taxonomy_id": term.taxonomy.uuid,
            }
        )
    for taxonomy in sorted(taxonomies.values(), key=lambda t: t.pk):
        tables["taxonomy"].append(
            {
                "id": taxonomy.uuid,
                "name": taxonomy.name,
                "description": taxonomy.description,
                "uri": taxonomy.uri,
                "version": taxonomy.version,
            }
        )


# --- The package ---------------------------------------------------------------------


def descriptor() -> dict:
    return json.loads(DESCRIPTOR_PATH.read_text(encoding="utf-8"))


def _resource_names() -> list[str]:
    return [resource["name"] for resource in descriptor()["resources"]]


def datapackage_zip(tables: dict[str, list[Row]]) -> bytes:
    """datapackage.json and one CSV per HSDS resource (a header alone when empty)."""
    package = descriptor()
    package.pop("license", None)  # that is the licence of the specification, not of our data
    package.update(
        name="linkwork-directory",
        title="Linkwork directory (HSDS 3.0)",
        created=timezone.now().isoformat(timespec="seconds"),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(package, indent=2))
        for resource in package["resources"]:
            columns = [column["name"] for column in resource["schema"]["fields"]]
            archive.writestr(resource["path"], _csv(columns, tables.get(resource["name"], [])))
    return buffer.getvalue()


def _csv(columns: list[str], rows: list[Row]) -> str:
    out = io.StringIO()
    # Listing names and descriptions are anyone's text: no cell may run as a formula.
    writer = csvsafe.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        if set(row) - set(columns):
            raise ValueError(f"Not HSDS columns: {sorted(set(row) - set(columns))}")
        writer.writerow({name: _cell(value) for name, value in row.items()})
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)  # every digit, so coordinates survive the round trip
    return str(value)


def _derived(owner: uuid.UUID, *parts: object) -> str:
    """The id of a value stored as a column (an address, a phone): a uuid5 in the
    owner's uuid, made as the /openreferral/ feed makes it, so both give the same ids."""
    return str(uuid.uuid5(owner, ":".join(str(part) for part in parts)))

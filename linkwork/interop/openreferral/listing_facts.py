"""What social prescribing needs that ORUK has no field for, as service `attributes`.

Safeguarding (with dates), capacity, duration and the first visit travel as
attributes whose taxonomy term is one of the "Linkwork listing facts" below, with
the fact in the attribute's HSDS 3.0 `value`. Linkwork's exporter writes them and
its importer reads them back (the taxonomy is documented in README.md). Another
ORUK consumer that does not know the taxonomy still sees each fact's name and
description. Term and taxonomy ids are fixed uuid5s of their codes, so they are the
same in every Linkwork deployment.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from linkwork.directory.models import Asset, CapacityStatus, PlacesPeriod

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/linkwork/taxonomies/listing-facts")
TAXONOMY_NAME = "Linkwork listing facts"
LINK_TYPE = "listing_fact"


@dataclass(frozen=True)
class Fact:
    code: str
    name: str
    description: str
    field: str  # the Asset field it carries
    kind: str  # "flag" (a date or "yes"), "text", "capacity" or "places"
    date_field: str = ""


FACTS = [
    Fact(
        "listing-safeguarding-policy",
        "Safeguarding policy",
        "The group has a safeguarding policy; value: the date it was last reviewed, or yes.",
        "safeguarding_policy",
        "flag",
        "safeguarding_policy_reviewed_on",
    ),
    Fact(
        "listing-dbs-checked-lead",
        "DBS-checked lead",
        "The person leading is DBS-checked; value: the date of the check, or yes.",
        "dbs_checked_lead",
        "flag",
        "dbs_checked_on",
    ),
    Fact(
        "listing-first-aid",
        "First aider present",
        "A first aider is there; value: the date the certificate runs to, or yes.",
        "first_aid",
        "flag",
        "first_aid_until",
    ),
    Fact(
        "listing-insurance",
        "Public liability insurance",
        "The group is insured; value: the date the cover runs to, or yes.",
        "insurance",
        "flag",
        "insurance_until",
    ),
    Fact(
        "listing-capacity",
        "Capacity",
        "Whether it takes new people; value: open, waitlist, full or paused.",
        "capacity_status",
        "capacity",
    ),
    Fact(
        "listing-places",
        "Places",
        "How many people it can take; value: a number, /week or /total (12/week).",
        "places",
        "places",
    ),
    Fact(
        "listing-duration",
        "Duration",
        "How long it runs for a person; value: words (a six-week course; ongoing).",
        "duration",
        "text",
    ),
    Fact(
        "listing-first-visit",
        "What to expect on a first visit",
        "value: what happens when someone new comes.",
        "first_visit",
        "text",
    ),
    Fact(
        "listing-taster-session",
        "Taster session",
        "People can come to a taster first; value: yes.",
        "taster_session",
        "flag",
    ),
    Fact(
        "listing-welcome-contact",
        "Welcome contact",
        "value: who welcomes new people.",
        "welcome_contact_name",
        "text",
    ),
]
BY_CODE = {fact.code: fact for fact in FACTS}


def term_id(code: str) -> str:
    return str(uuid.uuid5(NAMESPACE, code))


TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, "taxonomy"))
BY_TERM_ID = {term_id(fact.code): fact for fact in FACTS}


def _value(asset: Asset, fact: Fact) -> str:
    value = getattr(asset, fact.field)
    if fact.kind == "flag":
        on = getattr(asset, fact.date_field, None) if fact.date_field else None
        return (on.isoformat() if on else "yes") if value else ""
    if fact.kind == "places":
        return f"{value}/{asset.places_period}" if value is not None else ""
    return str(value or "")


def attributes(asset: Asset) -> list[dict[str, Any]]:
    """The listing's facts as ORUK attributes (facts not given are left out)."""
    found = []
    for fact in FACTS:
        value = _value(asset, fact)
        if not value:
            continue
        found.append(
            {
                "id": str(uuid.uuid5(asset.uuid, f"attribute:{fact.code}")),
                "link_id": str(asset.uuid),
                "link_entity": "service",
                "link_type": LINK_TYPE,
                "taxonomy_term_id": term_id(fact.code),
                "taxonomy_term": {
                    "id": term_id(fact.code),
                    "name": fact.name,
                    "description": fact.description,
                    "code": fact.code,
                    "taxonomy": TAXONOMY_NAME,
                    "taxonomy_id": TAXONOMY_ID,
                    "term": fact.name,
                },
                "value": value,  # HSDS 3.0 attribute.value
            }
        )
    return found


def fact_of(attribute: dict[str, Any]) -> Fact | None:
    """The listing fact an incoming attribute carries, if it is one."""
    term = attribute.get("taxonomy_term")
    code = term.get("code") if isinstance(term, dict) else None
    return BY_CODE.get(str(code or "")) or BY_TERM_ID.get(str(attribute.get("taxonomy_term_id")))


def _read(fact: Fact, raw: str) -> dict[str, Any]:
    if fact.kind == "flag":
        values: dict[str, Any] = {fact.field: True}
        if fact.date_field:
            try:
                values[fact.date_field] = date.fromisoformat(raw[:10])
            except ValueError:
                values[fact.date_field] = None
        return values
    if fact.kind == "capacity":
        return {fact.field: raw} if raw in CapacityStatus.values else {}
    if fact.kind == "places":
        number, _, period = raw.partition("/")
        if not number.strip().isdigit():
            return {}
        values = {"places": int(number)}
        if period in PlacesPeriod.values:
            values["places_period"] = period
        return values
    return {fact.field: raw[:200] if fact.field in ("duration", "welcome_contact_name") else raw}


def read(attributes_in: list[dict[str, Any]]) -> dict[str, Any]:
    """Asset values from a record's listing-fact attributes. A record with none says
    nothing (other feeds leave these fields as curators set them); a record with some
    speaks for all of them, so a fact it leaves out is not (or no longer) true."""
    given = [(fact_of(a), a) for a in attributes_in if isinstance(a, dict)]
    given = [(fact, a) for fact, a in given if fact is not None]
    if not given:
        return {}
    values: dict[str, Any] = {}
    for fact in FACTS:
        if fact.kind == "flag":
            values[fact.field] = False
            if fact.date_field:
                values[fact.date_field] = None
        elif fact.kind == "text":
            values[fact.field] = ""
        elif fact.kind == "places":
            values["places"] = None
    for fact, attribute in given:
        values.update(_read(fact, str(attribute.get("value") or "").strip()))
    return values

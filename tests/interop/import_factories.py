"""Service records as an Open Referral UK 3.0 feed gives them (`/services/{id}`), and a
small directory with everything HSDS can carry, to export and import again."""

import copy
import json
import uuid
from collections.abc import Iterable
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from linkwork.directory.models import (
    Asset,
    Contact,
    CostOption,
    Publication,
    ReferralMethod,
    Vocabulary,
)
from linkwork.places.models import Area, AreaType
from tests.factories import (
    AssetFactory,
    LocationFactory,
    OrganisationFactory,
    PostcodeFactory,
    ScheduleFactory,
    TaxonomyTermFactory,
)

NAMESPACE = uuid.UUID("6f1c2a56-0d0b-4c55-9a53-0c4bd2b0a001")


def feed_id(*parts: Any) -> str:
    """A stable UUID, as a feed would give, so records can be rebuilt identically."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


def service_record(n: int = 1, **overrides: Any) -> dict:
    """A full nested ORUK 3.0 service: organisation, a location, a weekly session, a
    contact, a cost option and one taxonomy term."""
    record = {
        "id": feed_id("service", n),
        "name": f"Feed walking group {n}",
        "description": "A gentle walk around the park, followed by a cup of tea.",
        "url": "https://walks.example.org/",
        "email": "walks@example.org",
        "status": "active",
        "fees_description": "",
        "eligibility_description": "Adults of any fitness",
        "minimum_age": 18,
        "maximum_age": None,
        "assured_date": "2025-01-15",
        "organization": {
            "id": feed_id("organization", 1),
            "name": "Feed Community Trust",
            "description": "A community charity.",
            "email": "hello@trust.example.org",
            "website": "https://trust.example.org/",
        },
        "service_at_locations": [
            {
                "id": feed_id("sal", n),
                "location": {
                    "id": feed_id("location", 1),
                    "location_type": "physical",
                    "name": "Queen's Park gates",
                    "latitude": 53.578,
                    "longitude": -2.44,
                    "addresses": [
                        {
                            "id": feed_id("address", 1),
                            "address_1": "Chorley New Road",
                            "city": "Bolton",
                            "state_province": "Greater Manchester",
                            "postal_code": "bl1 1aa",
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "schedules": [
            {
                "id": feed_id("schedule", n),
                "freq": "WEEKLY",
                "interval": 1,
                "byday": "TU",
                "opens_at": "10:00:00",
                "closes_at": "11:30:00",
                "description": "Meet at the gates",
            }
        ],
        "contacts": [
            {
                "id": feed_id("contact", n),
                "name": "Walk leader",
                "title": "Volunteer",
                "phones": [{"id": feed_id("phone", n), "number": "01204 000000"}],
            }
        ],
        "cost_options": [{"id": feed_id("cost", n), "option": "Free", "amount": 0}],
        "attributes": [
            {
                "id": feed_id("attribute", n),
                "taxonomy_term_id": feed_id("term", "walking"),
                "taxonomy_term": {
                    "id": feed_id("term", "walking"),
                    "code": "activity-walking",
                    "name": "Walking group",
                    "description": "Regular led walks.",
                    "taxonomy": "Linkwork social prescribing taxonomy",
                },
            }
        ],
    }
    record.update(copy.deepcopy(overrides))
    return record


def envelope(
    records: list[dict], page: int = 1, total_pages: int = 1, total_items: int | None = None
) -> dict:
    """An ORUK 3.0 page of services."""
    return {
        "total_items": len(records) if total_items is None else total_items,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(records),
        "first_page": page == 1,
        "last_page": page == total_pages,
        "empty": not records,
        "contents": records,
    }


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- A directory to export ------------------------------------------------------------


def make_directory() -> None:
    """Published listings with everything HSDS can carry, and one still in review."""
    lsoa = Area.objects.create(code="E01004780", name="Bolton 001A", area_type=AreaType.LSOA)
    PostcodeFactory(postcode="BL1 1AA", lsoa=lsoa)
    trust = OrganisationFactory(
        name="Harvey Trust",
        description="A community trust.",
        email="hello@harvey.example.org",
        website="https://harvey.example.org/",
        registered_number="1234567",
    )
    lonely = TaxonomyTermFactory(
        code="need-loneliness", name="Loneliness and isolation", description="Feeling cut off."
    )
    walking = TaxonomyTermFactory(
        code="activity-walking", name="Walking group", vocabulary=Vocabulary.ACTIVITY
    )
    hall = LocationFactory(name="Harvey Hall", accessibility_notes="Step-free entrance", area=lsoa)
    walk = AssetFactory(
        name="Harvey walkers",
        organisation=trust,
        location=hall,
        categories=[lonely, walking],
        url="https://harvey.example.org/walk",
        email="walks@harvey.example.org",
        phone="01204 111111",
        minimum_age=18,
        maximum_age=99,
        who_for="Adults",
        is_free=False,
        cost_description="£1 towards tea",
        language_codes=",en,ur,",
        referral_method=ReferralMethod.DROP_IN,
    )
    ScheduleFactory(asset=walk, weekday=0, opens_at=time(10), closes_at=time(11, 30))
    ScheduleFactory(
        asset=walk, weekday=3, opens_at=time(18), closes_at=time(19), freq="MONTHLY", interval=1
    )
    Contact.objects.create(asset=walk, name="Pat", title="Leader", phone="07700 900123")
    CostOption.objects.create(asset=walk, option="Tea", amount=Decimal("1.00"))
    coffee = AssetFactory(name="Harvey coffee morning", organisation=trust, location=hall)
    coffee.terms.add(lonely)
    AssetFactory(name="No organisation garden", organisation=None, location=False)
    AssetFactory(name="Not yet published", publication=Publication.IN_REVIEW)


def snapshot(assets: Iterable[Asset] | None = None) -> dict[str, dict]:
    """What a person sees of each listing (published ones unless given), not our ids."""
    listings = {}
    if assets is None:
        assets = Asset.objects.filter(publication=Publication.PUBLISHED)
    for asset in assets:
        organisation = asset.organisation
        listings[asset.name] = {
            **{
                name: getattr(asset, name)
                for name in [
                    "description",
                    "kind",
                    "url",
                    "email",
                    "phone",
                    "minimum_age",
                    "maximum_age",
                    "who_for",
                    "is_free",
                    "cost_description",
                    "language_codes",
                    "referral_method",
                ]
            },
            "verified": timezone.localdate(asset.last_verified_at),
            "organisation": organisation
            and (
                organisation.name,
                organisation.kind,
                organisation.description,
                organisation.email,
                organisation.website,
                organisation.registered_number,
            ),
            "terms": sorted(
                (t.code, t.name, t.description, t.vocabulary) for t in asset.terms.all()
            ),
            "locations": sorted(
                (
                    at.location.name,
                    at.location.address_1,
                    at.location.city,
                    at.location.postcode,
                    at.location.latitude,
                    at.location.longitude,
                    at.location.accessibility_notes,
                    str(at.location.area),
                )
                for at in asset.asset_locations.select_related("location")
            ),
            "schedules": sorted(
                asset.schedules.values_list(
                    "weekday", "opens_at", "closes_at", "freq", "interval", "description"
                )
            ),
            "contacts": sorted(asset.contacts.values_list("name", "title", "phone", "email")),
            "costs": sorted(
                asset.cost_options.values_list("option", "amount", "amount_description")
            ),
        }
    return listings

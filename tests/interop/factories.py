"""Factories the Open Referral UK feed tests need beyond tests/factories.py."""

import datetime as dt
from decimal import Decimal

import factory

from linkwork.directory.models import (
    Asset,
    CapacityStatus,
    Contact,
    CostOption,
    Location,
    Publication,
)
from linkwork.places.models import Area, AreaType
from tests.factories import (
    AssetFactory,
    LocationFactory,
    OrganisationFactory,
    ScheduleFactory,
    TaxonomyTermFactory,
)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E0100{n:04d}")
    name = factory.Sequence(lambda n: f"Bolton {n:03d}A")
    area_type = AreaType.LSOA
    vintage = "2021"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    asset = factory.SubFactory(AssetFactory)
    name = factory.Sequence(lambda n: f"Welcome contact {n}")
    title = "Group lead"
    phone = "01204 000000"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


class CostOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostOption

    asset = factory.SubFactory(AssetFactory)
    option = "Per session"
    amount = Decimal("2.50")
    amount_description = "Includes tea and biscuits"


def borough() -> Area:
    return AreaFactory(code="E08000001", name="Bolton", area_type=AreaType.LOCAL_AUTHORITY)


def located_in_borough(**fields) -> Location:
    """A location whose LSOA sits in a neighbourhood of the borough (three levels of area)."""
    neighbourhood = AreaFactory(
        code="BOL-N-1",
        name="Central neighbourhood",
        area_type=AreaType.NEIGHBOURHOOD,
        parent=borough(),
        is_synthetic=True,
    )
    lsoa = AreaFactory(code="E01004776", name="Bolton 021A", parent=neighbourhood)
    return LocationFactory(area=lsoa, **fields)


def full_asset(**fields) -> Asset:
    """A published asset with every part the feed can show filled in."""
    need = TaxonomyTermFactory(code="need-loneliness", name="Loneliness and isolation")
    activity = TaxonomyTermFactory(
        code="activity-walking",
        name="Walking",
        vocabulary="activity",
        description="Walks of any length",
    )
    asset = AssetFactory(
        organisation=OrganisationFactory(
            description="A charity for the whole borough.",
            email="hello@example.org",
            website="https://example.org",
            registered_number="1234567",
        ),
        url="https://example.org/walks",
        email="walks@example.org",
        phone="01204 111111",
        minimum_age=18,
        maximum_age=99,
        who_for="Adults who would like company",
        cost_description="Free, donations welcome",
        language_codes=",en,pl,",
        accessibility_codes=",step_free,hearing_loop,",
        accessibility_notes="Flat route, benches every 500 metres.",
        capacity_status=CapacityStatus.WAITLIST,
        capacity_note="About four weeks' wait.",
        borough_wide=False,
        location=located_in_borough(accessibility_notes="Ramp at the side door."),
        categories=[need, activity],
        **fields,
    )
    asset.coverage_areas.add(AreaFactory(code="E01004777", name="Bolton 021B"))
    ScheduleFactory(
        asset=asset,
        weekday=1,
        opens_at=dt.time(10),
        closes_at=dt.time(12),
        description="Meet at the gate",
    )
    ContactFactory(asset=asset)
    CostOptionFactory(asset=asset)
    return asset


def unpublished_assets() -> list[Asset]:
    """One asset in each state that must never reach the feed, each with its own organisation."""
    return [
        AssetFactory(name=f"Hidden {state} walk", publication=state)
        for state in (Publication.DRAFT, Publication.IN_REVIEW, Publication.ARCHIVED)
    ]

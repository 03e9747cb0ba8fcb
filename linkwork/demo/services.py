"""Loading the demo dataset. Idempotent: a second run changes nothing."""

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from linkwork.accounts.models import User
from linkwork.accounts.roles import Role
from linkwork.accounts.services import create_user, grant_role
from linkwork.demo import dataset
from linkwork.directory.models import Asset, Organisation, OrganisationKind, Publication
from linkwork.directory.services import (
    add_session,
    create_asset,
    ensure_organisation,
    load_default_taxonomy,
    set_capacity,
)
from linkwork.places.models import Area, AreaType
from linkwork.places.services import ensure_area, load_postcodes_and_lsoas

PLACES_DATA = Path(__file__).resolve().parent.parent / "places" / "data"
DEMO_SOURCE = "linkwork-demo"


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(PLACES_DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_geography() -> None:
    """Bolton, its demo neighbourhoods, and the real LSOAs and postcodes of the extract."""
    borough = ensure_area(area_type=AreaType.LOCAL_AUTHORITY, **dataset.LOCAL_AUTHORITY, by=None)
    neighbourhood_of_ward = {}
    for code, name, wards in dataset.NEIGHBOURHOODS:
        area = ensure_area(
            code=code,
            name=name,
            area_type=AreaType.NEIGHBOURHOOD,
            parent=borough,
            is_synthetic=True,
            by=None,
        )
        neighbourhood_of_ward.update(dict.fromkeys(wards, area))
    postcodes = _read_csv("bolton_postcodes.csv")
    wards_of_lsoa: dict[str, Counter] = {}
    for row in postcodes:
        wards_of_lsoa.setdefault(row["lsoa_code"], Counter())[row["ward_name"]] += 1
    parent_for_lsoa = {
        lsoa: neighbourhood_of_ward.get(wards.most_common(1)[0][0], borough)
        for lsoa, wards in wards_of_lsoa.items()
    }
    load_postcodes_and_lsoas(
        lsoa_rows=_read_csv("bolton_lsoas.csv"),
        postcode_rows=postcodes,
        parent_for_lsoa=parent_for_lsoa,
        vintage="2011",
        by=None,
    )


def load_listings(organisations: dict[str, Organisation]) -> int:
    """The demo directory; listings already loaded (by name) are left alone."""
    from linkwork.demo.listings import LISTINGS, NEW_ORGANISATIONS

    for name, kind in NEW_ORGANISATIONS:
        organisations[name] = ensure_organisation(name=name, kind=OrganisationKind(kind), by=None)
    existing = set(Asset.objects.filter(source=DEMO_SOURCE).values_list("source_id", flat=True))
    created = 0
    for listing in LISTINGS:
        if listing["name"] in existing:
            continue
        _create_listing(listing, organisations)
        created += 1
    return created


def _create_listing(listing: dict, organisations: dict[str, Organisation]) -> Asset:
    details = {
        key: listing[key]
        for key in (
            "kind", "url", "email", "phone", "minimum_age", "maximum_age", "who_for",
            "gender_space", "community_of_interest", "is_free", "cost_description",
            "first_visit", "taster_session", "welcome_contact_name", "travel_notes",
            "safeguarding_policy", "dbs_checked_lead", "insurance", "first_aid",
            "referral_method", "referral_form_url", "advance_information", "borough_wide",
        )
    }  # fmt: skip
    organisation = organisations.get(listing["organisation"]) if listing["organisation"] else None
    asset = create_asset(
        organisation=organisation,
        name=listing["name"],
        description=listing["description"],
        categories=[*listing["categories"], *listing["activities"]],
        postcode=listing["postcode"],
        location_name=listing["location_name"],
        address_1=listing["address_1"],
        languages=listing["languages"],
        accessibility=listing["accessibility"],
        neighbourhoods=listing["neighbourhoods"],
        publication=Publication(listing["publication"]),
        by=None,
        **details,
    )
    for weekday, opens, closes in listing["sessions"]:
        add_session(
            asset=asset,
            weekday=weekday,
            opens_at=dt.time.fromisoformat(opens),
            closes_at=dt.time.fromisoformat(closes),
            by=None,
        )
    set_capacity(
        asset=asset,
        status=listing["capacity_status"],
        places=listing["places"],
        places_period=listing["places_period"],
        note=listing["capacity_note"],
        by=None,
    )
    # Demo ages: some listings were checked long ago, so the stale workflow has work to do.
    verified = timezone.now() - dt.timedelta(days=listing["verified_days_ago"])
    Asset.objects.filter(pk=asset.pk).update(
        last_verified_at=verified, source=DEMO_SOURCE, source_id=listing["name"]
    )
    return asset


@transaction.atomic
def load_demo(*, referrals: bool = True) -> list[tuple[str, str]]:
    """Create the demo place, directory, organisations, accounts and (unless told not to)
    a year of referrals; return (email, role)."""
    if not settings.DEMO_DATA_ALLOWED:
        raise ImproperlyConfigured("Demo accounts are never created in production mode.")
    load_geography()
    load_default_taxonomy(by=None)
    organisations: dict[str, Organisation] = {}
    for name, kind, parent_name in dataset.ORGANISATIONS:
        parent = organisations[parent_name] if parent_name else None
        organisations[name] = ensure_organisation(name=name, kind=kind, parent=parent, by=None)
    accounts = []
    for email, full_name, role, organisation_name in dataset.ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = create_user(
                email=email,
                password=dataset.DEMO_PASSWORD,
                full_name=full_name,
                operator=role == Role.ADMIN,
                by=None,
            )
        organisation = organisations[organisation_name] if organisation_name else None
        grant_role(user=user, organisation=organisation, role=role, by=None)
        accounts.append((email, role.value))
    load_listings(organisations)
    if referrals:
        from linkwork.demo.referrals import load_demo_referrals  # it builds on this module

        load_demo_referrals()
    return accounts


def demo_counts() -> dict[str, int]:
    return {
        "listings": Asset.objects.filter(source=DEMO_SOURCE).count(),
        "neighbourhoods": Area.objects.filter(area_type=AreaType.NEIGHBOURHOOD).count(),
    }

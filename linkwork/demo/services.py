"""Loading the demo dataset. Idempotent: a second run changes nothing."""

import datetime as dt
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

PLACES_DATA = Path(__file__).resolve().parent.parent / "places" / "data"
DEMO_SOURCE = "linkwork-demo"


def load_geography() -> None:
    """Bolton, its demo neighbourhoods, the real LSOAs and postcodes of the extract, and
    synthetic deprivation and populations (see linkwork/demo/places.py)."""
    from linkwork.demo.places import load_geography as load_places

    load_places()


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
    from linkwork.demo.community import load_demo_community  # it needs the listings

    load_demo_community()
    if referrals:
        from linkwork.demo.referrals import load_demo_referrals  # it builds on this module

        load_demo_referrals()
        from linkwork.demo.outcomes import load_demo_outcomes

        load_demo_outcomes()
    from linkwork.demo.governance import load_demo_governance  # after casework: gaps

    load_demo_governance()
    return accounts


def demo_counts() -> dict[str, int]:
    return {
        "listings": Asset.objects.filter(source=DEMO_SOURCE).count(),
        "neighbourhoods": Area.objects.filter(area_type=AreaType.NEIGHBOURHOOD).count(),
    }

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
from linkwork.demo import listings as demo_listings
from linkwork.demo.community import load_demo_community
from linkwork.demo.funding import load_demo_funding
from linkwork.demo.governance import load_demo_governance
from linkwork.demo.places import load_geography as load_places
from linkwork.directory.listing_edit import create_listing
from linkwork.directory.models import Asset, Organisation, OrganisationKind, Publication
from linkwork.directory.services import ensure_organisation, load_default_taxonomy, set_capacity
from linkwork.places.models import Area, AreaType

PLACES_DATA = Path(__file__).resolve().parent.parent / "places" / "data"
DEMO_SOURCE = "linkwork-demo"


def load_geography() -> None:
    """Bolton, its demo neighbourhoods, the real LSOAs and postcodes of the extract, and
    synthetic deprivation and populations (see linkwork/demo/places.py)."""
    load_places()


def load_listings(organisations: dict[str, Organisation]) -> int:
    """The demo directory; listings already loaded (by name) are left alone."""
    for name, kind in demo_listings.NEW_ORGANISATIONS:
        organisations[name] = ensure_organisation(name=name, kind=OrganisationKind(kind), by=None)
    existing = set(Asset.objects.filter(source=DEMO_SOURCE).values_list("source_id", flat=True))
    created = 0
    for listing in demo_listings.LISTINGS:
        if listing["name"] in existing:
            continue
        _create_listing(listing, organisations)
        created += 1
    return created


DETAILS = (
    "kind",
    "url",
    "email",
    "phone",
    "minimum_age",
    "maximum_age",
    "who_for",
    "gender_space",
    "community_of_interest",
    "cost_description",
    "duration",
    "first_visit",
    "taster_session",
    "welcome_contact_name",
    "travel_notes",
    "referral_method",
    "referral_form_url",
    "advance_information",
    "borough_wide",
    "online_url",
    "online_phone",
)


def _create_listing(listing: dict, organisations: dict[str, Organisation]) -> Asset:
    """One listing through the same write as the listing form and the API: its sessions,
    costs, online option and safeguarding dates with it."""
    today = timezone.localdate()
    organisation = organisations.get(listing["organisation"]) if listing["organisation"] else None
    asset = create_listing(
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
        schedules=demo_listings.schedules_on(listing, today),
        cost_options=listing["cost_options"],
        by=None,
        **{key: listing[key] for key in DETAILS},
        **demo_listings.safeguarding_on(listing, today),
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
    load_demo_community()  # it needs the listings
    if referrals:
        # Imported here to break a cycle: demo.referrals builds on this module.
        from linkwork.demo.referrals import load_demo_referrals

        load_demo_referrals()
        # Imported here to break a cycle: demo.outcomes reads demo.referrals (above).
        from linkwork.demo.outcomes import load_demo_outcomes

        load_demo_outcomes()
    load_demo_funding()  # it reads the load and the gaps
    load_demo_governance()  # after casework: gaps
    return accounts


def demo_counts() -> dict[str, int]:
    return {
        "listings": Asset.objects.filter(source=DEMO_SOURCE).count(),
        "neighbourhoods": Area.objects.filter(area_type=AreaType.NEIGHBOURHOOD).count(),
    }

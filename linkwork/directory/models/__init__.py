"""The asset map, shaped after Open Referral UK / HSDS 3.0 so the feed is a projection.

HSDS calls an asset a *service*. Each table that the feed publishes has a `uuid`
(ORUK ids are UUIDs); the integer primary key is what our own API uses.
Beyond HSDS: what social prescribing needs to send someone safely (first visit,
welcome contact, safeguarding, referral method, capacity, coverage, freshness).

One module per sub-concept; this package re-exports every name, so callers (and
Django, which finds the models here) import from `linkwork.directory.models`."""

from linkwork.directory.models.assets import (
    ACCESSIBILITY_FEATURES,
    Asset,
    AssetKind,
    CapacityStatus,
    GenderSpace,
    PlacesPeriod,
    Publication,
    ReferralMethod,
    default_freshness_period,
)
from linkwork.directory.models.details import (
    FREE_KINDS,
    ORDINALS,
    RFC5545_DAYS,
    AssetLocation,
    Contact,
    CostKind,
    CostOption,
    Frequency,
    Location,
    LocationType,
    Schedule,
    Weekday,
)
from linkwork.directory.models.organisations import (
    Organisation,
    OrganisationKind,
    Taxonomy,
    TaxonomyTerm,
    Vocabulary,
)
from linkwork.directory.models.upkeep import (
    CapacityChange,
    ListingClaim,
    ListingNote,
    ListingReport,
)

__all__ = [
    "OrganisationKind",
    "Organisation",
    "Vocabulary",
    "Taxonomy",
    "TaxonomyTerm",
    "AssetKind",
    "Publication",
    "ReferralMethod",
    "CapacityStatus",
    "PlacesPeriod",
    "GenderSpace",
    "ACCESSIBILITY_FEATURES",
    "default_freshness_period",
    "Asset",
    "LocationType",
    "Location",
    "AssetLocation",
    "Weekday",
    "RFC5545_DAYS",
    "Frequency",
    "ORDINALS",
    "Schedule",
    "Contact",
    "CostKind",
    "FREE_KINDS",
    "CostOption",
    "ListingClaim",
    "ListingReport",
    "CapacityChange",
    "ListingNote",
]

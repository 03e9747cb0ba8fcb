"""The asset map as Open Referral UK 3.0: plain functions from model to dict.

The one place that knows the ORUK shape (the mapping is explained in README.md).
Ids are the models' `uuid`s; rows Linkwork does not store as rows (a language, an
address, an attribute) get a stable uuid5 derived from their owner's uuid. Empty
optional fields are left out, never sent as null or "".

One module per sub-concept; this package re-exports every name, so callers (and
Django, which finds the models here) import from `linkwork.interop.openreferral.serializers`."""

from linkwork.interop.openreferral.serializers.common import (
    CAPACITY_ALERTS,
    COUNTRY,
    GSS_CODE,
    GSS_URI,
    LANGUAGE_NAMES,
    OPENAPI_URL,
    PROFILE_URL,
    VERSION,
    Record,
    api_details,
    compact,
    derived_id,
    page,
)
from linkwork.interop.openreferral.serializers.locations import (
    accessibility,
    addresses,
    location,
    location_full,
)
from linkwork.interop.openreferral.serializers.services import (
    attribute,
    contact,
    cost_option,
    cost_options,
    languages,
    organization,
    organization_full,
    schedule,
    service,
    service_areas,
    service_at_location,
    service_at_location_full,
    service_at_location_in_service,
    service_full,
)
from linkwork.interop.openreferral.serializers.taxonomies import (
    taxonomy,
    taxonomy_full,
    taxonomy_term,
)

__all__ = [
    "VERSION",
    "PROFILE_URL",
    "OPENAPI_URL",
    "COUNTRY",
    "GSS_CODE",
    "GSS_URI",
    "LANGUAGE_NAMES",
    "CAPACITY_ALERTS",
    "Record",
    "compact",
    "derived_id",
    "page",
    "api_details",
    "organization",
    "organization_full",
    "service",
    "service_full",
    "schedule",
    "service_areas",
    "languages",
    "cost_options",
    "cost_option",
    "contact",
    "attribute",
    "service_at_location_in_service",
    "service_at_location",
    "service_at_location_full",
    "location",
    "addresses",
    "accessibility",
    "location_full",
    "taxonomy",
    "taxonomy_full",
    "taxonomy_term",
]

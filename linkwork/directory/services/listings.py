"""Listings: organisations and assets created and changed, their locations and sessions,
with one validation for pages, API and importer.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from linkwork.audit.services import record_event
from linkwork.directory.models import (
    ACCESSIBILITY_FEATURES,
    Asset,
    AssetKind,
    AssetLocation,
    Location,
    Organisation,
    OrganisationKind,
    Publication,
    ReferralMethod,
    Schedule,
)
from linkwork.directory.services.taxonomy import terms_for_codes
from linkwork.errors import InvalidInput
from linkwork.places.models import Area, AreaType
from linkwork.places.selectors import InvalidPostcode, UnknownPostcode, postcode_point
from linkwork.public_cache import listings_changed


@transaction.atomic
def ensure_organisation(
    *,
    name: str,
    kind: OrganisationKind,
    parent: Organisation | None = None,
    by: AbstractBaseUser | None,
    **details: Any,
) -> Organisation:
    """The organisation with this name and kind, created (and audited) if it is new."""
    organisation, created = Organisation.objects.get_or_create(
        name=name, kind=kind, defaults={"parent": parent, **details}
    )
    if created:
        record_event(
            by=by,
            action="organisation_created",
            object_type="organisation",
            object_id=organisation.pk,
            summary=f"kind={kind}",
        )
    return organisation


# --- Assets --------------------------------------------------------------------------


def refresh_search_text(asset: Asset) -> None:
    """Rebuild the text that full-text search indexes (the database reindexes itself)."""
    parts = [asset.name, asset.description, asset.who_for, asset.community_of_interest]
    parts += [term.name for term in asset.terms.all()]
    if asset.organisation_id:
        parts.append(asset.organisation.name)
    text = " ".join(part for part in parts if part)
    if text != asset.search_text:
        asset.search_text = text
        Asset.objects.filter(pk=asset.pk).update(search_text=text)
        listings_changed()


def _location_for_postcode(postcode: str, *, name: str = "", address_1: str = "") -> Location:

    try:
        normalised, point, lsoa = postcode_point(postcode)
    except (InvalidPostcode, UnknownPostcode) as error:
        raise InvalidInput({"postcode": str(error)}) from error
    return Location.objects.create(
        name=name,
        address_1=address_1,
        city="",
        postcode=normalised,
        latitude=point.latitude,
        longitude=point.longitude,
        area=lsoa,
    )


ASSET_FIELDS = {
    "name",
    "description",
    "kind",
    "url",
    "email",
    "phone",
    "minimum_age",
    "maximum_age",
    "who_for",
    "gender_space",
    "community_of_interest",
    "is_free",
    "cost_description",
    "accessibility_notes",
    "first_visit",
    "taster_session",
    "welcome_contact_name",
    "travel_notes",
    "safeguarding_policy",
    "dbs_checked_lead",
    "insurance",
    "first_aid",
    "referral_method",
    "referral_form_url",
    "advance_information",
    "borough_wide",
    "duration",
    "safeguarding_policy_reviewed_on",
    "dbs_checked_on",
    "insurance_until",
    "first_aid_until",
}


def _codes(values: Iterable[str], *, allowed: Iterable[str] | None, field_name: str) -> str:
    """Codes stored between commas (",en,pl,"), checked against what is allowed."""
    codes = [str(value).strip().lower() for value in values if str(value).strip()]
    if allowed is not None:
        unknown = sorted(set(codes) - set(allowed))
        if unknown:
            raise InvalidInput({field_name: f"Unknown codes: {', '.join(unknown)}"})
    elif any(not (code.isalpha() and 2 <= len(code) <= 3) for code in codes):
        raise InvalidInput({field_name: "Use ISO 639 language codes such as en, ur or pl."})
    return "," + ",".join(dict.fromkeys(codes)) + "," if codes else ""


def _set_lists(
    asset: Asset,
    *,
    languages: Iterable[str] | None,
    accessibility: Iterable[str] | None,
    neighbourhoods: Iterable[str] | None,
) -> None:

    if languages is not None:
        asset.language_codes = _codes(languages, allowed=None, field_name="languages")
    if accessibility is not None:
        asset.accessibility_codes = _codes(
            accessibility, allowed=ACCESSIBILITY_FEATURES, field_name="accessibility"
        )
    if neighbourhoods is not None:
        codes = list(dict.fromkeys(neighbourhoods))
        areas = list(Area.objects.filter(code__in=codes, area_type=AreaType.NEIGHBOURHOOD))
        unknown = sorted(set(codes) - {area.code for area in areas})
        if unknown:
            raise InvalidInput({"neighbourhoods": f"Unknown neighbourhoods: {', '.join(unknown)}"})
        asset.coverage_areas.set(areas)


def _validate_asset(values: dict[str, Any]) -> None:
    errors = {}
    if "name" in values and not str(values["name"] or "").strip():
        errors["name"] = "Enter the name of the activity or group."
    if "description" in values and not str(values["description"] or "").strip():
        errors["description"] = "Describe what happens, in a sentence or two."
    if "kind" in values and values["kind"] not in AssetKind.values:
        errors["kind"] = f"Must be one of {', '.join(AssetKind.values)}."
    if "referral_method" in values and values["referral_method"] not in ReferralMethod.values:
        errors["referral_method"] = f"Must be one of {', '.join(ReferralMethod.values)}."
    if values.get("referral_method") == ReferralMethod.OWN_FORM and not values.get(
        "referral_form_url"
    ):
        errors["referral_form_url"] = "Give the address of the group's own referral form."
    low, high = values.get("minimum_age"), values.get("maximum_age")
    for name, age in (("minimum_age", low), ("maximum_age", high)):
        if age is not None and not 0 <= age <= 120:
            errors[name] = "Ages are between 0 and 120."
    if low is not None and high is not None and low > high:
        errors["maximum_age"] = "The maximum age must be the same as or above the minimum age."
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def create_asset(
    *,
    organisation: Organisation | None,
    name: str,
    description: str,
    categories: Iterable[str] = (),
    postcode: str | None = None,
    location_name: str = "",
    address_1: str = "",
    languages: Iterable[str] | None = None,
    accessibility: Iterable[str] | None = None,
    neighbourhoods: Iterable[str] | None = None,
    publication: Publication = Publication.IN_REVIEW,
    verified: bool = True,
    by: AbstractBaseUser | None,
    **details: Any,
) -> Asset:
    """A new listing. Unknown groups' listings go to review; curators may publish directly."""
    values = {"name": name, "description": description, **details}
    unknown = set(details) - ASSET_FIELDS
    if unknown:
        raise InvalidInput(dict.fromkeys(sorted(unknown), "Not a field of a listing."))
    _validate_asset(values)
    terms = terms_for_codes(categories)
    asset = Asset.objects.create(
        organisation=organisation,
        publication=publication,
        last_verified_at=timezone.now() if verified else None,
        last_verified_by=by if verified and by is not None and by.is_authenticated else None,
        **{
            key: value.strip() if isinstance(value, str) else value for key, value in values.items()
        },
    )
    asset.terms.set(terms)
    _set_lists(
        asset, languages=languages, accessibility=accessibility, neighbourhoods=neighbourhoods
    )
    asset.save(update_fields=["language_codes", "accessibility_codes"])
    if postcode:
        location = _location_for_postcode(postcode, name=location_name, address_1=address_1)
        AssetLocation.objects.create(asset=asset, location=location)
    refresh_search_text(asset)
    record_event(
        by=by,
        action="asset_created",
        object_type="asset",
        object_id=asset.pk,
        summary=f"publication={asset.publication}",
    )
    return asset


@transaction.atomic
def update_asset(
    *,
    asset: Asset,
    by: AbstractBaseUser | None,
    categories: Iterable[str] | None = None,
    postcode: str | None = None,
    languages: Iterable[str] | None = None,
    accessibility: Iterable[str] | None = None,
    neighbourhoods: Iterable[str] | None = None,
    **changes: Any,
) -> Asset:
    """Change a listing's details; an owner's edit also re-verifies it."""
    unknown = set(changes) - ASSET_FIELDS
    if unknown:
        raise InvalidInput(dict.fromkeys(sorted(unknown), "Not a field of a listing."))
    merged = {f: getattr(asset, f) for f in ("minimum_age", "maximum_age", "referral_form_url")}
    _validate_asset({**merged, **changes})
    for key, value in changes.items():
        setattr(asset, key, value.strip() if isinstance(value, str) else value)
    if categories is not None:
        asset.terms.set(terms_for_codes(categories))
    _set_lists(
        asset, languages=languages, accessibility=accessibility, neighbourhoods=neighbourhoods
    )
    if postcode:
        location = _location_for_postcode(postcode)
        # The place moves; an online option (a virtual location) stays.
        asset.asset_locations.filter(location__location_type="physical").delete()
        AssetLocation.objects.create(asset=asset, location=location)
    asset.last_verified_at = timezone.now()
    asset.last_verified_by = by if by is not None and by.is_authenticated else None
    asset.reminder_sent_at = asset.escalated_at = None
    asset.save()
    refresh_search_text(asset)
    record_event(
        by=by,
        action="asset_updated",
        object_type="asset",
        object_id=asset.pk,
        summary="fields=" + ",".join(sorted([*changes, *(["categories"] if categories else [])])),
    )
    return asset


@transaction.atomic
def add_session(
    *,
    asset: Asset,
    weekday: int,
    opens_at: Any,
    closes_at: Any,
    description: str = "",
    by: AbstractBaseUser | None,
) -> Schedule:
    """A weekly session; it must end after it starts."""
    errors = {}
    if weekday not in range(7):
        errors["weekday"] = "Choose a day of the week."
    if opens_at is None:
        errors["opens_at"] = "Enter the start time."
    if closes_at is None:
        errors["closes_at"] = "Enter the end time."
    elif opens_at is not None and closes_at <= opens_at:
        errors["closes_at"] = "The end time must be after the start time."
    if errors:
        raise InvalidInput(errors)
    session = Schedule.objects.create(
        asset=asset,
        weekday=weekday,
        opens_at=opens_at,
        closes_at=closes_at,
        description=description.strip(),
    )
    # Sessions are part of the listing: its modification time (ORUK last_modified) moves too.
    Asset.objects.filter(pk=asset.pk).update(updated_at=timezone.now())
    record_event(by=by, action="session_added", object_type="asset", object_id=asset.pk)
    return session

"""Writes for the directory: taxonomy, assets, capacity, freshness, claims and reports.

Every function is atomic and audited; bad input raises InvalidInput naming the field,
a wrong state raises Conflict, and nothing is half-written.
"""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.audit.services import record_event
from linkwork.directory.capacity import record_capacity_change
from linkwork.directory.models import (
    ACCESSIBILITY_FEATURES,
    Asset,
    AssetKind,
    AssetLocation,
    CapacityStatus,
    ListingClaim,
    ListingReport,
    Location,
    Organisation,
    OrganisationKind,
    PlacesPeriod,
    Publication,
    ReferralMethod,
    Schedule,
    Taxonomy,
    TaxonomyTerm,
    Vocabulary,
)
from linkwork.errors import Conflict, InvalidInput

TAXONOMY_CSV = Path(__file__).parent / "data" / "taxonomy.csv"
LINKWORK_TAXONOMY = {
    "code": "linkwork",
    "name": "Linkwork social prescribing taxonomy",
    "description": "Need categories and activity types for community-led social prescribing.",
    "version": "1",
}


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


# --- Taxonomy ------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"rejected {len(self.rejected)}"
        ]
        lines += [f"  rejected {row}: {reason}" for row, reason in self.rejected]
        return "\n".join(lines)


@transaction.atomic
def import_taxonomy(
    *,
    rows: Iterable[dict[str, str]],
    taxonomy_code: str,
    taxonomy_name: str,
    by: AbstractBaseUser | None,
    **taxonomy_details: str,
) -> ImportReport:
    """Upsert terms (code, vocabulary, name, description[, parent_code]) into a taxonomy.

    Idempotent: a second run reports every term unchanged. A bad row is rejected
    with its reason; the good rows still load.
    """
    taxonomy, _ = Taxonomy.objects.update_or_create(
        code=taxonomy_code, defaults={"name": taxonomy_name, **taxonomy_details}
    )
    report = ImportReport()
    for number, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip()
        values = {
            "name": (row.get("name") or "").strip(),
            "description": (row.get("description") or "").strip(),
            "vocabulary": (row.get("vocabulary") or "").strip(),
        }
        problem = _term_problem(code, values, taxonomy)
        if problem:
            report.rejected.append((f"line {number} ({code or 'no code'})", problem))
            continue
        parent_code = (row.get("parent_code") or "").strip()
        parent = TaxonomyTerm.objects.filter(code=parent_code).first() if parent_code else None
        term = TaxonomyTerm.objects.filter(code=code).first()
        if term is None:
            TaxonomyTerm.objects.create(code=code, taxonomy=taxonomy, parent=parent, **values)
            report.created += 1
        elif any(getattr(term, k) != v for k, v in values.items()) or term.parent != parent:
            for key, value in values.items():
                setattr(term, key, value)
            term.parent = parent
            term.save()
            report.updated += 1
        else:
            report.unchanged += 1
    if report.created or report.updated or report.rejected:
        record_event(
            by=by,
            action="taxonomy_imported",
            object_type="taxonomy",
            object_id=taxonomy.code,
            summary=(
                f"created={report.created} updated={report.updated} rejected={len(report.rejected)}"
            ),
        )
    return report


def _term_problem(code: str, values: dict[str, str], taxonomy: Taxonomy) -> str:
    if not code or not code.replace("-", "").replace("_", "").isalnum():
        return "code must be letters, digits, hyphens or underscores"
    if not values["name"]:
        return "name is required"
    if values["vocabulary"] not in Vocabulary.values:
        return f"vocabulary must be one of {', '.join(Vocabulary.values)}"
    other = TaxonomyTerm.objects.filter(code=code).exclude(taxonomy=taxonomy).first()
    if other:
        return f"code is already used by the taxonomy {other.taxonomy.code!r}"
    return ""


def read_taxonomy_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def load_default_taxonomy(*, by: AbstractBaseUser | None) -> ImportReport:
    """Linkwork's own need categories and activity types (idempotent)."""
    return import_taxonomy(
        rows=read_taxonomy_csv(TAXONOMY_CSV),
        taxonomy_code=LINKWORK_TAXONOMY["code"],
        taxonomy_name=LINKWORK_TAXONOMY["name"],
        description=LINKWORK_TAXONOMY["description"],
        version=LINKWORK_TAXONOMY["version"],
        by=by,
    )


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


def terms_for_codes(codes: Iterable[str], *, field_name: str = "categories") -> list[TaxonomyTerm]:
    """The terms with these codes; unknown codes are a 422 naming them."""
    codes = list(dict.fromkeys(codes))
    terms = list(TaxonomyTerm.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {term.code for term in terms})
    if unknown:
        raise InvalidInput({field_name: f"Unknown taxonomy codes: {', '.join(unknown)}"})
    return terms


def _location_for_postcode(postcode: str, *, name: str = "", address_1: str = "") -> Location:
    from linkwork.places.selectors import InvalidPostcode, UnknownPostcode, postcode_point

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
    "name", "description", "kind", "url", "email", "phone", "minimum_age", "maximum_age",
    "who_for", "gender_space", "community_of_interest", "is_free", "cost_description",
    "accessibility_notes", "first_visit", "taster_session", "welcome_contact_name",
    "travel_notes", "safeguarding_policy", "dbs_checked_lead", "insurance", "first_aid",
    "referral_method", "referral_form_url", "advance_information", "borough_wide",
    "duration", "safeguarding_policy_reviewed_on", "dbs_checked_on", "insurance_until",
    "first_aid_until",
}  # fmt: skip


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
    from linkwork.places.models import Area, AreaType

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
def set_capacity(
    *,
    asset: Asset,
    status: str,
    places: int | None = None,
    places_period: str | None = None,
    note: str | None = None,
    cause: str = "Set on the listing.",
    by: AbstractBaseUser | None,
) -> Asset:
    """Say whether a listing can take new people, and how many. A change (not a
    confirmation) goes into the listing's capacity history with its cause."""
    errors = {}
    if status not in CapacityStatus.values:
        errors["status"] = f"Must be one of {', '.join(CapacityStatus.values)}."
    if places is not None and (not isinstance(places, int) or places < 0):
        errors["places"] = "Places must be a whole number, 0 or more."
    if places_period is not None and places_period not in PlacesPeriod.values:
        errors["places_period"] = f"Must be one of {', '.join(PlacesPeriod.values)}."
    if errors:
        raise InvalidInput(errors)
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    before = (asset.capacity_status, asset.places)
    asset.capacity_status = status
    asset.places = places
    if places_period is not None:
        asset.places_period = places_period
    if note is not None:
        asset.capacity_note = note.strip()[:300]
    asset.capacity_updated_at = timezone.now()
    asset.save(
        update_fields=[
            "capacity_status", "places", "places_period", "capacity_note",
            "capacity_updated_at", "updated_at",
        ]
    )  # fmt: skip
    record_capacity_change(
        asset=asset, from_status=before[0], from_places=before[1], cause=cause, by=by
    )
    record_event(
        by=by,
        action="capacity_set",
        object_type="asset",
        object_id=asset.pk,
        summary=f"status={status} places={places}",
    )
    return asset


@transaction.atomic
def verify_asset(*, asset: Asset, by: AbstractBaseUser) -> Asset:
    """ "This is still right": the listing is fresh again from now."""
    asset.last_verified_at = timezone.now()
    asset.last_verified_by = by
    asset.reminder_sent_at = asset.escalated_at = None
    asset.save(
        update_fields=[
            "last_verified_at", "last_verified_by", "reminder_sent_at", "escalated_at",
            "updated_at",
        ]
    )  # fmt: skip
    record_event(by=by, action="asset_verified", object_type="asset", object_id=asset.pk)
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


# Publication states and the changes allowed between them.
PUBLICATION_TRANSITIONS = {
    Publication.DRAFT: {Publication.IN_REVIEW, Publication.ARCHIVED},
    Publication.IN_REVIEW: {Publication.PUBLISHED, Publication.DRAFT, Publication.ARCHIVED},
    Publication.PUBLISHED: {Publication.ARCHIVED, Publication.IN_REVIEW},
    Publication.ARCHIVED: {Publication.IN_REVIEW},
}


@transaction.atomic
def set_publication(*, asset: Asset, to: Publication, by: AbstractBaseUser | None) -> Asset:
    """Move a listing between draft, review, published and archived."""
    current = Publication(asset.publication)
    if Publication(to) not in PUBLICATION_TRANSITIONS[current]:
        raise Conflict(
            f"A listing that is {current.label.lower()} cannot become "
            f"{Publication(to).label.lower()}.",
            current_state=current.value,
        )
    asset.publication = to
    asset.save(update_fields=["publication", "updated_at"])
    record_event(
        by=by,
        action="asset_publication_set",
        object_type="asset",
        object_id=asset.pk,
        summary=f"from={current} to={to}",
    )
    return asset


# --- Claims and reports --------------------------------------------------------------


@transaction.atomic
def claim_listing(*, asset: Asset, role_in_group: str, by: AbstractBaseUser) -> ListingClaim:
    """Ask to keep a listing up to date. One open claim per person per listing."""
    if not role_in_group.strip():
        raise InvalidInput({"role_in_group": "Say what you do in the group."})
    if asset.claims.filter(claimant=by, status=ListingClaim.Status.PENDING).exists():
        raise Conflict("You have already asked to manage this listing.", current_state="pending")
    claim = ListingClaim.objects.create(
        asset=asset, claimant=by, role_in_group=role_in_group.strip()
    )
    record_event(by=by, action="listing_claimed", object_type="asset", object_id=asset.pk)
    return claim


@transaction.atomic
def decide_claim(*, claim: ListingClaim, approve: bool, by: AbstractBaseUser) -> ListingClaim:
    """Approve (the claimant becomes a group member of the listing's organisation) or reject."""
    from linkwork.accounts.services import grant_role

    claim = ListingClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ListingClaim.Status.PENDING:
        raise Conflict("This claim has already been decided.", current_state=claim.status)
    claim.status = ListingClaim.Status.APPROVED if approve else ListingClaim.Status.REJECTED
    claim.decided_by, claim.decided_at = by, timezone.now()
    claim.save()
    if approve:
        asset = claim.asset
        if asset.organisation is None:
            asset.organisation = ensure_organisation(
                name=asset.name, kind=OrganisationKind.UNCONSTITUTED_GROUP, by=by
            )
            asset.save(update_fields=["organisation", "updated_at"])
        grant_role(user=claim.claimant, organisation=asset.organisation, role=Role.GROUP, by=by)
    record_event(
        by=by,
        action="listing_claim_decided",
        object_type="listing_claim",
        object_id=claim.pk,
        summary=f"status={claim.status} asset={claim.asset_id}",
    )
    return claim


@transaction.atomic
def report_listing(
    *, asset: Asset, problem: str, details: str = "", by: AbstractBaseUser
) -> ListingReport:
    """ "This has closed / details are wrong": reaches the owner and the review queue."""
    from linkwork.notifications.models import Kind
    from linkwork.notifications.services import notify_organisation

    if problem not in ListingReport.Problem.values:
        raise InvalidInput({"problem": "Choose what is wrong."})
    report = ListingReport.objects.create(
        asset=asset, problem=problem, details=details.strip(), reported_by=by
    )
    if asset.organisation_id:
        notify_organisation(
            organisation=asset.organisation,
            kind=Kind.LISTING_DUE,
            subject="Someone reported a problem with your Linkwork listing",
            body=(
                f"A link worker said of \u201c{asset.name}\u201d: "
                f"{ListingReport.Problem(problem).label.lower()}. "
                "Sign in to Linkwork to check and update the listing."
            ),
        )
    record_event(
        by=by,
        action="listing_reported",
        object_type="asset",
        object_id=asset.pk,
        summary=f"problem={problem}",
    )
    return report


@transaction.atomic
def resolve_report(*, report: ListingReport, by: AbstractBaseUser) -> ListingReport:
    if report.resolved_at is None:
        report.resolved_at = timezone.now()
        report.save(update_fields=["resolved_at"])
        record_event(
            by=by,
            action="listing_report_resolved",
            object_type="listing_report",
            object_id=report.pk,
        )
    return report


# --- Freshness -----------------------------------------------------------------------


@dataclass
class ReminderReport:
    reminded: int = 0
    escalated: int = 0
    without_owner: int = 0


def send_reminders(*, now=None, by: AbstractBaseUser | None = None) -> ReminderReport:
    """Remind owners of listings falling due; escalate listings past due to reviewers.

    Each listing is reminded once per verification cycle and escalated once; verifying
    it resets both. Stale listings are marked in search results by their date alone.
    """
    from linkwork.directory.selectors import assets_due_for_reminder, assets_past_due
    from linkwork.notifications.models import Kind
    from linkwork.notifications.services import notify_organisation, notify_role

    now = now or timezone.now()
    report = ReminderReport()
    for asset in assets_due_for_reminder(now).select_related("organisation"):
        with transaction.atomic():
            sent = 0
            if asset.organisation_id is not None:
                sent = notify_organisation(
                    organisation=asset.organisation,
                    kind=Kind.LISTING_DUE,
                    subject="Is your Linkwork listing still right?",
                    body=(
                        f"Your listing \u201c{asset.name}\u201d is due to be checked. Sign in to "
                        "Linkwork and choose \u201cThis is still right\u201d, or update it."
                    ),
                )
            if sent:
                report.reminded += 1
            else:
                report.without_owner += 1
            Asset.objects.filter(pk=asset.pk).update(reminder_sent_at=now)
            record_event(
                by=by, action="asset_reminder_sent", object_type="asset", object_id=asset.pk
            )
    overdue = list(assets_past_due(now).values_list("pk", "name"))
    if overdue:
        with transaction.atomic():
            notify_role(
                role=Role.LINK_WORKER,
                kind=Kind.LISTING_DUE,
                subject=f"{len(overdue)} Linkwork listings are past due for checking",
                body="Listings past due are marked out of date in search. Sign in to review them.",
            )
            Asset.objects.filter(pk__in=[pk for pk, _ in overdue]).update(escalated_at=now)
            for pk, _ in overdue:
                record_event(by=by, action="asset_escalated", object_type="asset", object_id=pk)
        report.escalated = len(overdue)
    return report

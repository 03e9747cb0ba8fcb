"""Keeping a listing true: capacity, "this is still right", and publication (a table)."""

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from linkwork.audit.services import record_event
from linkwork.directory.capacity import record_capacity_change
from linkwork.directory.models import (
    Asset,
    CapacityStatus,
    PlacesPeriod,
    Publication,
)
from linkwork.errors import Conflict, InvalidInput

# "Leave as it is" for optional arguments where None means "clear it".
UNCHANGED = object()


@transaction.atomic
def set_capacity(
    *,
    asset: Asset,
    status: str,
    places: int | None = None,
    places_period: str | None = None,
    note: str | None = None,
    may_reopen_on: dt.date | None | object = UNCHANGED,
    cause: str = "Set on the listing.",
    by: AbstractBaseUser | None,
) -> Asset:
    """Say whether a listing can take new people, and how many. A change (not a
    confirmation) goes into the listing's capacity history with its cause. A full or
    paused listing may say when it may reopen (today or later); opening clears it."""
    errors = {}
    if isinstance(may_reopen_on, dt.date) and may_reopen_on < timezone.localdate():
        errors["may_reopen_on"] = "The date it may reopen must be today or in the future"
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
    if status in (CapacityStatus.OPEN, CapacityStatus.WAITLIST):
        asset.may_reopen_on = None
    elif may_reopen_on is not UNCHANGED:
        asset.may_reopen_on = may_reopen_on
    asset.capacity_updated_at = timezone.now()
    asset.save(
        update_fields=[
            "capacity_status",
            "places",
            "places_period",
            "capacity_note",
            "capacity_updated_at",
            "may_reopen_on",
            "updated_at",
        ]
    )
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
            "last_verified_at",
            "last_verified_by",
            "reminder_sent_at",
            "escalated_at",
            "updated_at",
        ]
    )
    record_event(by=by, action="asset_verified", object_type="asset", object_id=asset.pk)
    return asset


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

"""A listing's capacity history: every change, by hand or automatic, with its cause.

`set_capacity` (directory/services.py) records the changes people make; `take_last_place`
is the automatic one, made when a group accepts someone into its last place
(referrals/services.py `accept_connection`, inside the same transaction and row lock).
Causes never name a person: the group, curators and the audit trail all read them.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from linkwork.audit.services import record_event
from linkwork.directory.models import Asset, CapacityChange, CapacityStatus
from linkwork.notifications.models import Kind
from linkwork.notifications.services import notify_organisation


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th ... 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def record_capacity_change(
    *,
    asset: Asset,
    from_status: str,
    from_places: int | None,
    cause: str,
    automatic: bool = False,
    by: AbstractBaseUser | None,
) -> CapacityChange | None:
    """One row of the history for a change already made to `asset`; nothing when the
    status and places are as they were (a confirmation is not a change)."""
    if (from_status, from_places) == (asset.capacity_status, asset.places):
        return None
    return CapacityChange.objects.create(
        asset=asset,
        at=asset.capacity_updated_at or timezone.now(),
        by=by if by is not None and by.is_authenticated else None,
        from_status=from_status,
        to_status=asset.capacity_status,
        from_places=from_places,
        to_places=asset.places,
        cause=cause[:300],
        automatic=automatic,
    )


@transaction.atomic
def take_last_place(*, asset: Asset, taken_by: str, by: AbstractBaseUser | None) -> Asset:
    """The last of the listing's places has been taken: it is now full, automatically.
    Recorded as a change with its cause, audited, and the group is told (the message
    names the referral's reference, never the person). `taken_by` says what took it,
    e.g. "referral ref. 12"."""

    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    before = asset.capacity_status
    if before == CapacityStatus.FULL:
        return asset
    asset.capacity_status = CapacityStatus.FULL
    asset.capacity_updated_at = timezone.now()
    asset.save(update_fields=["capacity_status", "capacity_updated_at", "updated_at"])
    cause = f"The {ordinal(asset.places)} place was taken by {taken_by}."
    record_capacity_change(
        asset=asset,
        from_status=before,
        from_places=asset.places,
        cause=cause,
        automatic=True,
        by=None,
    )
    record_event(
        by=by,
        action="capacity_full_automatic",
        object_type="asset",
        object_id=asset.pk,
        summary=f"from={before} places={asset.places} cause={cause}",
    )
    if asset.organisation_id:
        notify_organisation(
            organisation=asset.organisation,
            kind=Kind.LISTING_DUE,
            subject=f"{asset.name} is now full",
            body=(
                f"{asset.name} is now full: {cause[0].lower()}{cause[1:]} Linkwork will not "
                "send you anyone new until you open it again. Sign in to Linkwork to "
                "change its capacity."
            ),
        )
    return asset

"""What every casework write shares: the audit line, the actor, and the record's truth
(cancelled reviews, the reopening window, what may be shared with a group).
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from linkwork.audit.services import record_event
from linkwork.errors import Conflict, InvalidInput
from linkwork.referrals.models import (
    BACKGROUND_NEEDS_MAX_LENGTH,
    SHAREABLE_FIELDS,
    FollowUp,
    FollowUpCancelled,
    Referral,
)


def _audit(by, action: str, object_type: str, object_id: Any, summary: str = "") -> None:
    record_event(
        by=by, action=action, object_type=object_type, object_id=object_id, summary=summary
    )


def _actor(by: AbstractBaseUser | None):
    return by if by is not None and by.is_authenticated else None


# --- The record tells the truth: cancelled reviews, reopening, what is shared ----------


def _check_pending(follow_up: FollowUp) -> None:
    """Only a review still to do can be done or moved (409 naming its state)."""
    follow_up.refresh_from_db(fields=["completed_at", "cancelled_at", "cancelled_reason"])
    if follow_up.completed_at is not None:
        raise Conflict("This follow-up is already done.", current_state="completed")
    if follow_up.cancelled_at is not None:
        raise Conflict(
            f"This follow-up was cancelled: {follow_up.get_cancelled_reason_display()}.",
            current_state="cancelled",
        )


def _cancel_reviews(referral: Referral, *, because: str, at: dt.datetime, by) -> None:
    """The referral ended: its reviews still to do are cancelled, with why, not done."""
    cancelled = (
        FollowUp.objects.filter(referral=referral)
        .pending()
        .update(cancelled_at=at, cancelled_reason=FollowUpCancelled(because))
    )
    if cancelled:
        _audit(by, "follow_ups_cancelled", "referral", referral.pk, f"n={cancelled} {because}")


def _check_reopen_window(referral: Referral, now: dt.datetime) -> None:
    window = dt.timedelta(days=settings.REOPEN_WINDOW_DAYS)
    if referral.closed_at is None or now - referral.closed_at <= window:
        return
    closed_on = timezone.localtime(referral.closed_at).strftime("%-d %B %Y")
    raise Conflict(
        f"This referral closed on {closed_on}, more than {settings.REOPEN_WINDOW_DAYS} days "
        "ago: it can no longer be reopened. Make a new referral instead.",
        current_state=referral.status,
    )


def _reopen(referral: Referral, *, by) -> None:
    """closed → in progress. The closing date leaves the referral (the history keeps when
    and by whom it closed); the summary stays, to start the next closing summary from;
    the reviews the closure cancelled are to do again; the person's feedback request
    stays as it was (they are not asked twice)."""
    referral.closed_at = None
    restored = (
        FollowUp.objects.filter(referral=referral, cancelled_reason=FollowUpCancelled.CLOSED)
        .filter(completed_at__isnull=True)
        .update(cancelled_at=None, cancelled_reason="")
    )
    _audit(by, "referral_reopened", "referral", referral.pk, f"reviews_restored={restored}")


def _checked_share(referral: Referral, share: Iterable[str], background_needs: str) -> list:
    """The fields to share with a group: known ones, only with the person's consent to
    share with groups, and the background note only when it is written and chosen."""
    share = list(dict.fromkeys(share))
    unknown = sorted(set(share) - set(SHAREABLE_FIELDS))
    if unknown:
        raise InvalidInput({"share": f"Cannot share: {', '.join(unknown)}."})
    errors = {}
    if share and not referral.consent_share_with_groups:
        errors["share"] = "The person has not agreed to share details with groups."
    if len(background_needs) > BACKGROUND_NEEDS_MAX_LENGTH:
        errors["background_needs"] = (
            f"Keep the note to {BACKGROUND_NEEDS_MAX_LENGTH} characters or fewer."
        )
    elif background_needs and not referral.consent_share_with_groups:
        errors["background_needs"] = "The person has not agreed to share details with groups."
    elif background_needs and "background_needs" not in share:
        errors["background_needs"] = (
            "Choose to share the background note with the group, or leave it empty."
        )
    elif "background_needs" in share and not background_needs:
        errors["background_needs"] = "Write the background note, or do not choose to share it."
    if errors:
        raise InvalidInput(errors)
    return share

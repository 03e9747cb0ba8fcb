"""Reads about single listings and their upkeep: a listing's page, who may edit or preview
it, the review queue, reminders due, a group member's own listings."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from linkwork.accounts.models import Membership
from linkwork.accounts.permissions import has_permission, organisations_with_permission
from linkwork.accounts.roles import Perm, Role
from linkwork.directory.models import (
    Asset,
    CapacityChange,
    CapacityStatus,
    ListingClaim,
    ListingReport,
    Organisation,
    Publication,
    Schedule,
    TaxonomyTerm,
    Vocabulary,
)
from linkwork.directory.schedules import LONDON, between
from linkwork.directory.selectors.search import published_assets


def asset_for_public(asset_id: int) -> Asset | None:
    """A published asset with everything its page shows, or None."""
    asset = asset_with_details(asset_id)
    return asset if asset is not None and asset.publication == Publication.PUBLISHED else None


def assets_editable_by(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Asset]:
    """Assets this user may edit: their own organisations' (groups), or all (curators)."""
    if has_permission(user, Perm.DIRECTORY_CURATE):
        return Asset.objects.all()
    return Asset.objects.filter(
        organisation_id__in=organisations_with_permission(user, Perm.DIRECTORY_EDIT_OWN)
    )


def may_preview(user: AbstractBaseUser | AnonymousUser, asset_id: int) -> bool:
    """Reviewers (who see the review queue) may open a listing waiting there."""
    return (
        has_permission(user, Perm.DIRECTORY_VERIFY)
        and Asset.objects.filter(pk=asset_id, publication=Publication.IN_REVIEW).exists()
    )


def sessions_this_week(now=None) -> list[tuple[object, list]]:
    """(day, sessions) for the next seven days from published listings, in Europe/London.

    Only schedules that may still run are read; the dates are worked out in Python
    (directory/schedules.py), one pass over those schedules.
    """

    start = (now or timezone.now()).astimezone(LONDON)
    end = datetime.combine(start.date() + timedelta(days=7), time(0), tzinfo=LONDON)
    schedules = (
        Schedule.objects.filter(asset__publication=Publication.PUBLISHED)
        .filter(Q(until__isnull=True) | Q(until__gte=start.date()))
        .exclude(freq="ONCE", dtstart__gte=end.date())
        .select_related("asset")
    )
    by_day: dict = {start.date() + timedelta(days=n): [] for n in range(7)}
    for occurrence in between(schedules, start=start, end=end):
        by_day[occurrence.starts.date()].append(occurrence)
    return list(by_day.items())


def listings_of(user: AbstractBaseUser) -> list[Asset]:
    """A group member's own listings, with what their home page shows: `full_note` on each
    that taking its last place made full ("You are now full: the 6th place was taken by
    referral ref. 12."), while that is still its latest capacity change."""
    latest = CapacityChange.objects.filter(asset=OuterRef("pk")).order_by("-at", "-pk")
    listings = list(
        Asset.objects.filter(
            organisation_id__in=organisations_with_permission(user, Perm.DIRECTORY_EDIT_OWN)
        )
        .exclude(publication=Publication.ARCHIVED)
        .annotate(latest_change_id=Subquery(latest.values("pk")[:1]))
        .order_by("name")
    )
    changes = CapacityChange.objects.filter(
        pk__in=[a.latest_change_id for a in listings if a.latest_change_id], automatic=True
    )
    notes = {change.asset_id: change.full_note for change in changes}
    for asset in listings:
        asset.full_note = (
            notes.get(asset.pk, "") if asset.capacity_status == CapacityStatus.FULL else ""
        )
    return listings


def capacity_history(asset: Asset, *, limit: int = 20) -> list[CapacityChange]:
    """The listing's latest capacity changes, newest first, with who made each by hand."""
    return list(asset.capacity_changes.select_related("by")[:limit])


def review_queue() -> dict[str, QuerySet]:
    """What waits for a link worker or panel: listings in review, claims and reports."""
    return {
        "listings": Asset.objects.filter(publication=Publication.IN_REVIEW).order_by("created_at"),
        "claims": ListingClaim.objects.filter(status=ListingClaim.Status.PENDING).select_related(
            "asset", "claimant"
        ),
        "reports": ListingReport.objects.filter(resolved_at__isnull=True).select_related("asset"),
    }


def terms_by_vocabulary() -> dict[str, list[TaxonomyTerm]]:
    terms = list(TaxonomyTerm.objects.filter(vocabulary__in=Vocabulary.values).order_by("name"))
    return {
        vocabulary: [term for term in terms if term.vocabulary == vocabulary]
        for vocabulary in Vocabulary.values
    }


def assets_due_for_reminder(now=None) -> QuerySet[Asset]:
    """Published listings that fall due within the reminder window and were not yet reminded."""
    now = now or timezone.now()
    window = timedelta(
        days=settings.LISTING_STALE_AFTER_DAYS - settings.LISTING_REMINDER_DAYS_BEFORE
    )
    return published_assets().filter(
        Q(last_verified_at__lte=now - window) | Q(last_verified_at__isnull=True),
        reminder_sent_at__isnull=True,
    )


def assets_past_due(now=None) -> QuerySet[Asset]:
    """Published listings past due that have not been escalated yet."""
    now = now or timezone.now()
    return published_assets().filter(
        Q(last_verified_at__lt=now - timedelta(days=settings.LISTING_STALE_AFTER_DAYS))
        | Q(last_verified_at__isnull=True),
        escalated_at__isnull=True,
    )


def asset_with_details(asset_id: int) -> Asset | None:
    """Any asset with everything its page shows (callers check who may see it)."""
    return (
        Asset.objects.select_related("organisation", "last_verified_by")
        .prefetch_related(
            "terms",
            "schedules",
            "contacts",
            "cost_options",
            "asset_locations__location",
            "coverage_areas",
        )
        .filter(pk=asset_id)
        .first()
    )


def has_group_members(asset: Asset) -> bool:
    """Whether someone already keeps this listing up to date (else it can be claimed)."""

    return (
        asset.organisation_id is not None
        and Membership.objects.filter(
            organisation_id=asset.organisation_id, role=Role.GROUP.value
        ).exists()
    )


def organisations_for_new_listing(user: AbstractBaseUser) -> list:
    """The organisations a group member may add listings for."""

    return list(
        Organisation.objects.filter(
            pk__in=organisations_with_permission(user, Perm.DIRECTORY_EDIT_OWN)
        ).order_by("name")
    )

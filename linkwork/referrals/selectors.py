"""Reads of casework, each scoped to the viewer; reads of a person's record are audited."""

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from linkwork.accounts.permissions import has_permission, organisations_with_permission
from linkwork.accounts.roles import Perm
from linkwork.audit.services import record_event
from linkwork.directory.models import Asset
from linkwork.directory.selectors import AssetFilters, search_assets
from linkwork.referrals import transitions as t
from linkwork.referrals.models import SHAREABLE_FIELDS, Connection, FollowUp, Referral

SNOMED = {
    "referred": {"code": "871731000000106", "term": "Referral to social prescribing service"},
    "declined": {"code": "871711000000103", "term": "Social prescribing declined"},
}


def referrals_visible_to(user: AbstractBaseUser) -> QuerySet[Referral]:
    """Link workers: their services' referrals. Referrers: the ones they made. Nobody
    else (groups see connections; panels and commissioners never see a person)."""
    services = organisations_with_permission(user, Perm.CASEWORK)
    visible = Q(service_id__in=services) if services else Q(pk__in=[])
    if has_permission(user, Perm.REFERRAL_VIEW_OWN):
        visible |= Q(referrer=user)
    return Referral.objects.filter(visible)


def referral_for(user: AbstractBaseUser, referral_id: int) -> Referral:
    """One referral the user may see (404 otherwise); the read is audited."""
    referral = (
        referrals_visible_to(user)
        .select_related("person", "service", "referrer", "assigned_to", "referrer_organisation")
        .prefetch_related("reasons", "events", "connections__asset", "unmet_needs__category")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404
    record_event(by=user, action="referral_viewed", object_type="referral", object_id=referral.pk)
    return referral


def is_case_worker(user: AbstractBaseUser, referral: Referral) -> bool:
    return has_permission(user, Perm.CASEWORK, organisation=referral.service_id)


def triage_queue(user: AbstractBaseUser) -> QuerySet[Referral]:
    """New referrals for the user's services, oldest first, with what triage needs."""
    return (
        Referral.objects.filter(
            service_id__in=organisations_with_permission(user, Perm.CASEWORK), status=t.RECEIVED
        )
        .select_related("person", "referrer_organisation")
        .prefetch_related("reasons")
        .order_by("received_at")
    )


def caseload(user: AbstractBaseUser, *, status: str = "", mine_only: bool = False):
    """Open referrals of the user's services (or only their own), and counts by status."""
    referrals = Referral.objects.filter(
        service_id__in=organisations_with_permission(user, Perm.CASEWORK),
        status__in=t.OPEN_REFERRAL_STATES,
    )
    if mine_only:
        referrals = referrals.filter(assigned_to=user)
    counts = dict(referrals.values_list("status").annotate(n=Count("pk")).order_by())
    if status:
        referrals = referrals.filter(status=status)
    return (
        referrals.select_related("person", "assigned_to")
        .prefetch_related("reasons")
        .order_by("first_contact_due"),
        counts,
    )


def overdue_first_contact(referral: Referral, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return referral.first_contacted_at is None and referral.first_contact_due < today


def follow_ups_due(user: AbstractBaseUser, today: dt.date | None = None) -> QuerySet[FollowUp]:
    today = today or timezone.localdate()
    return (
        FollowUp.objects.filter(
            referral__service_id__in=organisations_with_permission(user, Perm.CASEWORK),
            completed_at__isnull=True,
            due_on__lte=today,
        )
        .select_related("referral__person", "connection__asset")
        .order_by("due_on")
    )


def connections_visible_to(user: AbstractBaseUser) -> QuerySet[Connection]:
    """Groups: connections sent to their own assets. Link workers: their services'."""
    groups = organisations_with_permission(user, Perm.CONNECTION_RESPOND)
    services = organisations_with_permission(user, Perm.CASEWORK)
    visible = Q(pk__in=[])
    if groups:
        visible |= Q(asset__organisation_id__in=groups) & ~Q(status=t.PROPOSED)
    if services:
        visible |= Q(referral__service_id__in=services)
    return Connection.objects.filter(visible)


def group_inbox(user: AbstractBaseUser, *, status: str = "") -> QuerySet[Connection]:
    groups = organisations_with_permission(user, Perm.CONNECTION_RESPOND)
    inbox = Connection.objects.filter(asset__organisation_id__in=groups).exclude(status=t.PROPOSED)
    if status:
        inbox = inbox.filter(status=status)
    return inbox.select_related("asset", "referral__person").order_by("-sent_at")


def shared_with_group(connection: Connection) -> dict[str, str]:
    """Only what the person agreed to share with this group, in the group's words."""
    if connection.referral.consent_withdrawn_at is not None:
        return {}
    person = connection.referral.person
    values = {
        "first_name": person.given_name,
        "contact_preference": f"{person.get_preferred_contact_method_display()}"
        + (f" ({person.contact_times})" if person.contact_times else ""),
        "language": person.language.upper()
        + (" – needs an interpreter" if person.interpreter_needed else ""),
        "access_needs": person.access_needs or "None given",
        "accompanied": "Yes" if connection.accompanied else "No",
        "first_session": connection.proposed_first_session or "To be arranged",
    }
    return {
        SHAREABLE_FIELDS[field]: values[field]
        for field in connection.shared_fields
        if field in values
    }


def open_alternatives(asset: Asset, *, limit: int = 3) -> list:
    """Open assets in the same categories, nearest first (for a full or paused asset)."""
    from linkwork.places.selectors import Point

    location = asset.asset_locations.select_related("location").first()
    point = None
    if location and location.location.latitude is not None:
        point = Point(location.location.latitude, location.location.longitude)
    categories = list(asset.terms.filter(vocabulary="need").values_list("code", flat=True))
    page = search_assets(
        AssetFilters(point=point, within_km=10, categories=categories, open_only=True),
        limit=limit + 1,
    )
    return [result for result in page.results if result.asset.pk != asset.pk][:limit]


def closure_summary(referral: Referral) -> dict:
    """What the referrer hears at the end: what happened, connections made, needs unmet."""
    return {
        "status": referral.status,
        "summary": referral.closure_summary,
        "reason": referral.reason,
        "closed_at": referral.closed_at,
        "connections": [
            {"service": c.asset.name, "status": c.status} for c in referral.connections.all()
        ],
        "unmet_needs": [
            {"category": u.category.code, "reason": u.reason} for u in referral.unmet_needs.all()
        ],
        "snomed": SNOMED["declined"] if referral.status == t.DECLINED else SNOMED["referred"],
    }

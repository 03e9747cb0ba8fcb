"""A community group's side: the connections it may see, its inbox and register, and what is
shared with it."""

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from linkwork.accounts.permissions import organisations_with_permission
from linkwork.accounts.roles import Perm
from linkwork.audit.services import record_events
from linkwork.directory.models import Asset
from linkwork.directory.selectors import AssetFilters, search_assets
from linkwork.places.selectors import Point
from linkwork.referrals import transitions as t
from linkwork.referrals.models import SHAREABLE_FIELDS, Connection


def connections_visible_to(user: AbstractBaseUser) -> QuerySet[Connection]:
    """Groups: connections sent to their own assets. Link workers: their services'."""
    groups = organisations_with_permission(user, Perm.CONNECTION_RESPOND)
    services = organisations_with_permission(user, Perm.CASEWORK)
    visible = Q(pk__in=[])
    if groups:
        visible |= Q(asset__organisation_id__in=groups) & ~Q(
            status__in=t.CONNECTION_STATES_NEVER_SENT
        )
    if services:
        visible |= Q(referral__service_id__in=services)
    return Connection.objects.filter(visible)


def group_inbox(user: AbstractBaseUser, *, status: str = "") -> QuerySet[Connection]:
    groups = organisations_with_permission(user, Perm.CONNECTION_RESPOND)
    inbox = Connection.objects.filter(asset__organisation_id__in=groups).exclude(
        status__in=t.CONNECTION_STATES_NEVER_SENT
    )
    if status:
        inbox = inbox.filter(status=status)
    return inbox.select_related("asset", "referral__person").order_by("-sent_at")


def shared_with_group(connection: Connection) -> dict[str, str]:
    """Only what the person agreed to share with this group, in the group's words: the
    fields chosen for this connection, while the referral's consent to share with groups
    stands (withdrawing it empties every group's view at once)."""
    referral = connection.referral
    if not referral.consent_share_with_groups or referral.consent_withdrawn_at is not None:
        return {}
    person = referral.person
    values = {
        "first_name": person.given_name,
        "phone": person.phone or "Not given",
        "email": person.email or "Not given",
        "contact_preference": f"{person.get_preferred_contact_method_display()}"
        + (f" ({person.contact_times})" if person.contact_times else ""),
        "language": person.language.upper()
        + (" – needs an interpreter" if person.interpreter_needed else ""),
        "access_needs": person.access_needs or "None given",
        "accompanied": "Yes" if connection.accompanied else "No",
        "first_session": connection.proposed_first_session or "To be arranged",
        "background_needs": connection.background_needs or "None given",
    }
    return {
        SHAREABLE_FIELDS[field]: values[field]
        for field in connection.shared_fields
        if field in values
    }


def open_alternatives(asset: Asset, *, limit: int = 3) -> list:
    """Open assets in the same categories, nearest first (for a full or paused asset)."""

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


def connection_for_group(user: AbstractBaseUser, connection_id: int) -> Connection:
    """One connection sent to the user's group's own assets; 404 for anything else
    (another group's connection, or one not yet sent)."""
    connection = group_inbox(user).filter(pk=connection_id).first()
    if connection is None:
        raise Http404
    return connection


def shown_to_group(
    user: AbstractBaseUser, connections: Iterable[Connection]
) -> list[tuple[Connection, dict[str, str]]]:
    """Each connection with only what its person agreed to share. Showing it to the group
    is a read of a person's record, so each one is audited: in one insert, so a page's
    queries do not grow with the number of people on it."""
    shown = [(connection, shared_with_group(connection)) for connection in connections]
    record_events(
        by=user,
        action="connection_viewed",
        object_type="connection",
        object_ids=[connection.pk for connection, _ in shown],
    )
    return shown


def register_assets(user: AbstractBaseUser) -> QuerySet[Asset]:
    """The group's assets with people accepted and not yet seen at a first session."""
    groups = organisations_with_permission(user, Perm.CONNECTION_RESPOND)
    return (
        Asset.objects.filter(organisation_id__in=groups)
        .annotate(waiting=Count("connections", filter=Q(connections__status=t.ACCEPTED)))
        .filter(waiting__gt=0)
        .order_by("name")
    )


def register_for(user: AbstractBaseUser, asset_id: int) -> tuple[Asset, QuerySet[Connection]]:
    """One of the group's assets and its accepted connections, oldest first (404 when the
    asset is not the group's)."""
    groups = organisations_with_permission(user, Perm.CONNECTION_RESPOND)
    asset = Asset.objects.filter(pk=asset_id, organisation_id__in=groups).first()
    if asset is None:
        raise Http404
    return asset, group_inbox(user, status=t.ACCEPTED).filter(asset=asset).order_by("sent_at")

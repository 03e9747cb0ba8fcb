"""Reads of casework, each scoped to the viewer; reads of a person's record are audited."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from linkwork.accounts.models import Membership
from linkwork.accounts.permissions import has_permission, organisations_with_permission
from linkwork.accounts.roles import Perm, Role
from linkwork.audit.services import record_event, record_events
from linkwork.directory.models import Asset, Organisation, OrganisationKind
from linkwork.directory.selectors import AssetFilters, search_assets
from linkwork.notifications.texts import undelivered_texts
from linkwork.places.selectors import InvalidPostcode, Point, UnknownPostcode, postcode_point
from linkwork.referrals import transitions as t
from linkwork.referrals import worklists
from linkwork.referrals.models import (
    SHAREABLE_FIELDS,
    Connection,
    FeedbackRequest,
    FollowUp,
    Plan,
    Referral,
)

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


def search_visible(
    user: AbstractBaseUser, referrals: QuerySet[Referral], q: str
) -> QuerySet[Referral]:
    """Narrow referrals the user may see by a search: their services' by the person's
    record, the ones they made by the details they gave (never another referral's)."""
    as_worker = worklists.person_search(q)
    if as_worker is None:
        return referrals
    services = organisations_with_permission(user, Perm.CASEWORK)
    found = Q(service_id__in=services) & as_worker if services else Q(pk__in=[])
    if has_permission(user, Perm.REFERRAL_VIEW_OWN):
        found |= Q(referrer=user) & worklists.person_search(q, as_referred=True)
    return referrals.filter(found)


def referral_for(user: AbstractBaseUser, referral_id: int) -> Referral:
    """One referral the user may see (404 otherwise); the read is audited."""
    referral = (
        referrals_visible_to(user)
        .select_related(
            "person",
            "service",
            "referrer",
            "assigned_to",
            "referrer_organisation",
            "feedback_request",
        )
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


def triage_queue(
    user: AbstractBaseUser, *, q: str = "", due: str = "", sort: str = "urgency"
) -> QuerySet[Referral]:
    """New referrals for the user's services, with what triage needs: the most urgent
    first (first contact overdue, then due soon or marked urgent, then newest), or by
    date; narrowed by a search and by when first contact is due."""
    today = timezone.localdate()
    referrals = _searched(
        Referral.objects.filter(
            service_id__in=organisations_with_permission(user, Perm.CASEWORK), status=t.RECEIVED
        ),
        q,
    )
    referrals = worklists.by_contact_due(referrals, due, today)
    return worklists.ordered(
        worklists.with_contact_urgency(referrals, today)
        .select_related("person", "referrer_organisation")
        .prefetch_related("reasons"),
        sort,
    )


def triage_counts(user: AbstractBaseUser, *, q: str = "") -> dict[str, int]:
    """How many new referrals wait, and how many are overdue or due soon (one query)."""
    waiting = Referral.objects.filter(
        service_id__in=organisations_with_permission(user, Perm.CASEWORK), status=t.RECEIVED
    )
    return worklists.contact_counts(_searched(waiting, q), timezone.localdate())


def _searched(referrals: QuerySet[Referral], q: str, *, as_referred: bool = False):
    found = worklists.person_search(q, as_referred=as_referred)
    return referrals if found is None else referrals.filter(found)


def caseload(
    user: AbstractBaseUser,
    *,
    status: str = "",
    mine_only: bool = False,
    q: str = "",
    due: str = "",
    sort: str = "urgency",
):
    """Open referrals of the user's services (or only their own), the most urgent first
    unless another order is asked for, and counts by status and by first contact due
    (the counts follow the search and "mine", not the status or due filter)."""
    today = timezone.localdate()
    referrals = Referral.objects.filter(
        service_id__in=organisations_with_permission(user, Perm.CASEWORK),
        status__in=t.OPEN_REFERRAL_STATES,
    )
    if mine_only:
        referrals = referrals.filter(assigned_to=user)
    referrals = _searched(referrals, q)
    counts = dict(referrals.values_list("status").annotate(n=Count("pk")).order_by())
    counts |= worklists.contact_counts(
        referrals.filter(status=status) if status else referrals, today
    )
    if status:
        referrals = referrals.filter(status=status)
    referrals = worklists.by_contact_due(referrals, due, today)
    return (
        worklists.ordered(
            worklists.with_contact_urgency(referrals, today)
            .select_related("person", "assigned_to")
            .prefetch_related("reasons"),
            sort,
        ),
        counts,
    )


def overdue_first_contact(referral: Referral, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return referral.first_contacted_at is None and referral.first_contact_due < today


def follow_ups_due(
    user: AbstractBaseUser, today: dt.date | None = None, *, window: str = "", q: str = ""
) -> QuerySet[FollowUp]:
    """Reviews still to do (neither done nor cancelled) of the user's services, due by
    `today` (or in another window: overdue, today, the next week, all), soonest first."""
    today = today or timezone.localdate()
    follow_ups = worklists.follow_up_window(_pending_reviews(user, q), window, today)
    return follow_ups.select_related("referral__person", "connection__asset").order_by(
        "due_on", "pk"
    )


def follow_up_counts(user: AbstractBaseUser, *, q: str = "") -> dict[str, int]:
    return worklists.follow_up_counts(_pending_reviews(user, q), timezone.localdate())


def _pending_reviews(user: AbstractBaseUser, q: str) -> QuerySet[FollowUp]:
    pending = FollowUp.objects.pending().filter(
        referral__service_id__in=organisations_with_permission(user, Perm.CASEWORK),
    )
    found = worklists.person_search(q)
    if found is not None:
        pending = pending.filter(referral__in=Referral.objects.filter(found).values("pk"))
    return pending


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


def closure_summary(referral: Referral) -> dict:
    """What the referrer hears at the end: what happened, connections made, needs unmet."""
    return {
        "status": referral.status,
        "summary": referral.closure_summary,
        "reason": referral.reason,
        "closed_at": referral.closed_at,
        "connections": [
            {"service": c.asset.name, "status": c.status}
            for c in referral.connections.all()
            if c.status != t.WITHDRAWN  # never made: not part of what happened
        ],
        "unmet_needs": [
            {"category": u.category.code, "reason": u.reason} for u in referral.unmet_needs.all()
        ],
        "snomed": SNOMED["declined"] if referral.status == t.DECLINED else SNOMED["referred"],
        "person_feedback": person_feedback_for_referrer(referral),
    }


def reopen_until(referral: Referral) -> dt.datetime | None:
    """Until when a closed referral can be reopened (None when it is not closed)."""
    if referral.status != t.CLOSED or referral.closed_at is None:
        return None
    return referral.closed_at + dt.timedelta(days=settings.REOPEN_WINDOW_DAYS)


def feedback_request_of(referral: Referral) -> FeedbackRequest | None:
    """The person's feedback request, asked at closure (None before, or if never asked)."""
    return getattr(referral, "feedback_request", None)


def person_feedback_for_referrer(referral: Referral) -> dict | None:
    """What the referrer hears of the person's feedback: whether they were asked and the
    rating, never the comment (which may be personal; it stays with the link workers)."""
    request = feedback_request_of(referral)
    if request is None:
        return None
    return {"link_sent": request.sent_at is not None, "rating": request.rating}


def person_feedback_for_case_worker(referral: Referral) -> dict | None:
    """The state of the feedback link and the answer, comment included."""
    request = feedback_request_of(referral)
    if request is None:
        return None
    return {
        "state": request.state,
        "sent_at": request.sent_at,
        "expires_at": request.expires_at,
        "not_sent_reason": request.not_sent_reason or None,
        "rating": request.rating,
        "comment": request.comment,
        "answered_at": request.answered_at,
    }


# --- A community group's inbox and register ------------------------------------------


def connection_for_group(user: AbstractBaseUser, connection_id: int) -> Connection:
    """One connection sent to the user's group's own assets; 404 for anything else
    (another group's connection, or one not yet sent)."""
    connection = group_inbox(user).filter(pk=connection_id).first()
    if connection is None:
        raise Http404
    return connection


def group_inbox_counts(user: AbstractBaseUser) -> dict[str, int]:
    """How many connections of each status the user's group has."""
    return dict(group_inbox(user).order_by().values_list("status").annotate(n=Count("pk")))


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


# --- A referrer's own referrals --------------------------------------------------------


def referring_organisation(user: AbstractBaseUser) -> Organisation | None:
    """The organisation a user refers from (the first, by name, where they may refer)."""
    organisations = organisations_with_permission(user, Perm.REFERRAL_CREATE)
    return Organisation.objects.filter(pk__in=organisations).order_by("name", "pk").first()


def social_prescribing_services() -> QuerySet[Organisation]:
    """The services a referral can be sent to, by name (for a choice when there are several)."""
    return Organisation.objects.filter(kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE).order_by(
        "name"
    )


def referrals_made_by(
    user: AbstractBaseUser, *, q: str = "", show: str = "", sort: str = "newest"
) -> QuerySet[Referral]:
    """The referrals the user made themselves, with what their list shows: status and
    dates, never case notes (even for someone who is also a link worker). Newest first,
    or returned and declined first (`sort="urgency"`); searched as the referrer gave the
    details; `show` one of worklists.REFERRER_FILTERS."""
    referrals = _searched(referrals_visible_to(user).filter(referrer=user), q, as_referred=True)
    if show in worklists.REFERRER_FILTERS:
        referrals = referrals.filter(worklists.REFERRER_FILTERS[show][1])
    return worklists.ordered(
        worklists.with_referrer_urgency(referrals)
        .select_related("person", "service")
        .prefetch_related("events"),
        sort,
    )


def referrer_counts(user: AbstractBaseUser, *, q: str = "") -> dict[str, int]:
    mine = _searched(referrals_visible_to(user).filter(referrer=user), q, as_referred=True)
    return worklists.referrer_counts(mine)


def audit_listed(user: AbstractBaseUser, referrals: Iterable[Referral]) -> None:
    """A list that names people is a read of each person's record: one event each, in
    one insert."""
    record_events(
        by=user,
        action="referral_listed",
        object_type="referral",
        object_ids=[referral.pk for referral in referrals],
    )


# --- The link worker's casework pages ------------------------------------------------


def link_workers_by_service(service_ids: Iterable[int]) -> dict[int, list]:
    """The active link workers of each service: who a referral can be assigned to."""

    memberships = (
        Membership.objects.filter(
            organisation_id__in=set(service_ids),
            role=Role.LINK_WORKER.value,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    by_service: dict[int, list] = {}
    for membership in memberships:
        by_service.setdefault(membership.organisation_id, []).append(membership.user)
    return by_service


def case_file(referral: Referral) -> dict:
    """Everything the case page shows beyond the referral, in a fixed number of queries."""

    return {
        "conversations": list(referral.conversations.select_related("recorded_by")),
        "plan": Plan.objects.filter(referral=referral).first(),
        "connections": list(
            referral.connections.select_related(
                "asset__organisation", "shared_fields_chosen_by"
            ).order_by("created_at")
        ),
        "unmet_needs": list(
            referral.unmet_needs.select_related("category").order_by("recorded_at")
        ),
        "follow_ups": list(referral.follow_ups.select_related("connection__asset")),
        "events": list(referral.events.select_related("by")),
        "notes": list(referral.case_notes.select_related("by")),
        "feedback": feedback_request_of(referral),
        # Text messages about the case, newest first, and those the link worker should
        # act on (not delivered to the number: check it).
        "undelivered_texts": undelivered_texts(list(referral.text_messages.all())),
    }


def case_timeline(file: dict) -> list[dict]:
    """The case's status changes and its log (notes, calls, visits) in one dated list,
    newest first: what happened, when, and who recorded it."""
    lines = [{"at": e.at, "kind": "status", "event": e, "by": e.by} for e in file["events"]] + [
        {"at": n.happened_at, "kind": n.kind, "note": n, "by": n.by} for n in file["notes"]
    ]
    return sorted(lines, key=lambda line: line["at"], reverse=True)


def assets_to_connect(referral: Referral, *, text: str = "", limit: int = 10) -> list:
    """Published assets within 10 km of the person: those matching `text`, or else those
    helping with the referral's reasons. Nearest (or most relevant) first."""

    try:
        _, point, _ = postcode_point(referral.person.postcode)
    except (InvalidPostcode, UnknownPostcode):
        point = None
    text = text.strip()
    filters = AssetFilters(
        text=text,
        point=point,
        within_km=10 if point else None,
        categories=[] if text else [term.code for term in referral.reasons.all()],
    )
    return search_assets(filters, limit=limit).results

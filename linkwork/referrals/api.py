"""/api/v1/referrals, /connections and /follow-ups: the closed loop over JSON (DESIGN.md §9,
with the what-matters conversation, the plan and the reviews that the pages have too)."""

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from linkwork import paging
from linkwork.accounts.permissions import has_permission, organisations_with_permission
from linkwork.accounts.roles import Perm
from linkwork.audit.services import record_events
from linkwork.directory.models import Asset
from linkwork.errors import Conflict, Forbidden, InvalidInput
from linkwork.paging import Page
from linkwork.referrals import selectors, services, worklists
from linkwork.referrals import transitions as t
from linkwork.referrals.matching import possible_duplicates_for_case_worker
from linkwork.referrals.models import Connection, FollowUp, Referral
from linkwork.referrals.schemas import (
    ConnectionIn,
    ConnectionListParams,
    ConnectionOut,
    ConversationIn,
    ConversationOut,
    FollowUpDoneIn,
    FollowUpListParams,
    FollowUpOut,
    PlanIn,
    PlanOut,
    ReferralCreated,
    ReferralIn,
    ReferralListParams,
    ReferralOut,
    TransitionIn,
    UnmetNeedIn,
    UnmetNeedOut,
)

router = Router(tags=["referrals"])


def referral_out(referral: Referral, *, case_worker: bool, viewer=None) -> dict:
    """A referral as JSON; with `viewer` (one referral, not a list), a case worker also
    gets the person's possible duplicates."""
    body = {
        "id": referral.pk,
        "status": referral.status,
        "source": referral.source,
        "urgency": referral.urgency,
        "reasons": sorted(term.code for term in referral.reasons.all()),
        "received_at": referral.received_at,
        "first_contact_due": referral.first_contact_due,
        "reference": referral.reference,
        "status_text": t.referral_sentence(referral.status),
        "service_id": referral.service_id,
        "history": [
            {"from_status": e.from_status, "to_status": e.to_status, "reason": e.reason, "at": e.at}
            for e in referral.events.all()
        ],
        "closure": selectors.closure_summary(referral) if t.is_ended(referral.status) else None,
    }
    if case_worker:
        person = referral.person
        body["person"] = {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "birth_date": person.birth_date.isoformat(),
            "postcode": person.postcode,
        }
        body["eligibility_flags"] = referral.eligibility_flags
        body["assigned_to"] = referral.assigned_to.email if referral.assigned_to else None
        body["person_feedback"] = selectors.person_feedback_for_case_worker(referral)
        body["person_id"] = person.pk
        if viewer is not None:
            body["possible_duplicates"] = possible_duplicates_for_case_worker(
                referral, viewer=viewer
            )
    return body


def _case_referral(request: HttpRequest, referral_id: int) -> Referral:
    """A referral the caller works on as a link worker (404 when outside their scope)."""
    referral = selectors.referral_for(request.user, referral_id)
    if not selectors.is_case_worker(request.user, referral):
        raise Forbidden("Only the service's link workers can do this.")
    return referral


@router.post("/referrals", response={201: ReferralCreated}, summary="Make a referral")
def create_referral(request: HttpRequest, payload: ReferralIn) -> Status:
    if not has_permission(request.user, Perm.REFERRAL_CREATE):
        raise Forbidden()
    service = None
    if payload.service_id is not None:
        service = selectors.social_prescribing_services().filter(pk=payload.service_id).first()
        if service is None:
            raise InvalidInput({"service_id": "No social prescribing service has this id."})
    referrer_organisation = selectors.referring_organisation(request.user)
    referral = services.create_referral(
        person=payload.person.dict(),
        source=payload.source,
        reasons=payload.reasons,
        consent_to_refer=payload.consent.to_refer,
        share_with_groups=payload.consent.share_with_groups,
        contact_methods=payload.consent.contact_methods,
        urgency=payload.urgency,
        notes=payload.notes,
        service=service,
        referrer_organisation=referrer_organisation,
        idempotency_key=request.headers.get("Idempotency-Key", "")[:64],
        by=request.user,
    )
    return Status(
        201,
        {
            "id": referral.pk,
            "reference": referral.reference,
            "status": referral.status,
            "status_text": t.referral_sentence(referral.status),
        },
    )


@router.get("/referrals", response=Page[ReferralOut], summary="Referrals you may see")
def list_referrals(request: HttpRequest, params: Query[ReferralListParams]) -> dict:
    """Newest first, a page at a time; `q` finds a person as the pages' search does
    (audited as a search, never the words); each referral shown is an audited read."""
    referrals = (
        selectors.referrals_visible_to(request.user)
        .select_related("person", "assigned_to", "feedback_request")
        .prefetch_related("reasons", "events", "connections__asset", "unmet_needs__category")
    )
    if params.status:
        referrals = referrals.filter(status=params.status)
    referrals = selectors.search_visible(request.user, referrals, params.q)
    referrals, total = paging.window(referrals, params)
    if params.q.strip():
        worklists.audit_search(request.user, list_name="api_referrals", results=total)
    case_services = organisations_with_permission(request.user, Perm.CASEWORK)
    selectors.audit_listed(request.user, referrals)
    items = [referral_out(r, case_worker=r.service_id in case_services) for r in referrals]
    return paging.page_body(request, params, items, total)


@router.get("/referrals/{referral_id}", response=ReferralOut, summary="One referral")
def get_referral(request: HttpRequest, referral_id: int) -> dict:
    referral = selectors.referral_for(request.user, referral_id)
    return referral_out(
        referral,
        case_worker=selectors.is_case_worker(request.user, referral),
        viewer=request.user,
    )


@router.post("/referrals/{referral_id}/transitions", response=ReferralOut, summary="Change status")
def transition_referral(request: HttpRequest, referral_id: int, payload: TransitionIn) -> dict:
    referral = _case_referral(request, referral_id)
    services.transition_referral(
        referral=referral,
        to=payload.to,
        reason=payload.reason,
        summary=payload.summary,
        by=request.user,
    )
    return referral_out(selectors.referral_for(request.user, referral_id), case_worker=True)


def connection_out(connection: Connection, *, for_group: bool, alternatives=None) -> dict:
    return {
        "id": connection.pk,
        "status": connection.status,
        "service_id": connection.asset_id,
        "service_name": connection.asset.name,
        "referral_id": None if for_group else connection.referral_id,
        "shared": selectors.shared_with_group(connection),
        "instructions": connection.instructions,
        "response_due": connection.response_due,
        "alternatives": alternatives,
    }


@router.post(
    "/referrals/{referral_id}/connections",
    response={201: ConnectionOut},
    summary="Propose a connection to a service",
)
def create_connection(request: HttpRequest, referral_id: int, payload: ConnectionIn) -> Status:
    referral = _case_referral(request, referral_id)
    asset = Asset.objects.filter(pk=payload.service_id).first()
    if asset is None:
        raise InvalidInput({"service_id": "No service has this id."})
    connection = services.propose_connection(
        referral=referral,
        asset=asset,
        share=payload.share,
        accompanied=payload.accompanied,
        first_session=payload.first_session,
        background_needs=payload.background_needs,
        by=request.user,
    )
    return Status(201, connection_out(connection, for_group=False))


@router.get("/connections", response=Page[ConnectionOut], summary="Connections you may see")
def list_connections(request: HttpRequest, params: Query[ConnectionListParams]) -> dict:
    """Newest first, a page at a time; `q` finds a person as the pages' searches do (a
    group's by what it is shown), audited as a search, never the words; each connection
    shown (a person's first name, their access needs) is an audited read, in one insert."""
    connections = selectors.connections_visible_to(request.user).select_related(
        "asset", "referral__person"
    )
    if params.status:
        connections = connections.filter(status=params.status)
    connections = worklists.connection_search(request.user, connections, params.q)
    connections, total = paging.window(connections, params)
    if params.q.strip():
        worklists.audit_search(request.user, list_name="api_connections", results=total)
    record_events(
        by=request.user,
        action="connection_listed",
        object_type="connection",
        object_ids=[c.pk for c in connections],
    )
    case_services = organisations_with_permission(request.user, Perm.CASEWORK)
    items = [
        connection_out(c, for_group=c.referral.service_id not in case_services) for c in connections
    ]
    return paging.page_body(request, params, items, total)


@router.post(
    "/connections/{connection_id}/transitions",
    response={200: ConnectionOut, 409: dict},
    summary="Change a connection's status",
)
def transition_connection(
    request: HttpRequest, connection_id: int, payload: TransitionIn
) -> dict | Status:
    connection = (
        selectors.connections_visible_to(request.user)
        .select_related("asset", "referral")
        .filter(pk=connection_id)
        .first()
    )
    if connection is None:
        raise Http404
    case_worker = selectors.is_case_worker(request.user, connection.referral)
    own_group = has_permission(
        request.user, Perm.CONNECTION_RESPOND, organisation=connection.asset.organisation_id
    )
    if not case_worker and not (own_group and t.group_may(payload.to)):
        raise Forbidden()
    try:
        services.transition_connection(
            connection=connection, to=payload.to, reason=payload.reason, by=request.user
        )
    except Conflict as conflict:
        if payload.to == t.SENT:  # the 409 body (linkwork/api.py) offers open groups instead
            conflict.details["alternatives"] = [
                {"id": r.asset.pk, "name": r.asset.name, "distance_km": r.distance_km}
                for r in selectors.open_alternatives(connection.asset)
            ]
        raise
    connection.refresh_from_db()
    return connection_out(connection, for_group=not case_worker)


@router.post(
    "/referrals/{referral_id}/unmet-needs",
    response={201: UnmetNeedOut},
    summary="Record a need nothing could meet",
)
def create_unmet_need(request: HttpRequest, referral_id: int, payload: UnmetNeedIn) -> Status:
    referral = _case_referral(request, referral_id)
    unmet = services.record_unmet_need(
        referral=referral,
        category=payload.category,
        reason=payload.reason,
        notes=payload.notes,
        by=request.user,
    )
    return Status(
        201,
        {
            "id": unmet.pk,
            "category": unmet.category.code,
            "reason": unmet.reason,
            "area_code": unmet.area.code if unmet.area else None,
        },
    )


@router.post(
    "/referrals/{referral_id}/conversations",
    response={201: ConversationOut},
    summary="Record a what-matters conversation",
)
def create_conversation(request: HttpRequest, referral_id: int, payload: ConversationIn) -> Status:
    referral = _case_referral(request, referral_id)
    conversation = services.record_conversation(
        referral=referral,
        what_matters=payload.what_matters,
        strengths=payload.strengths,
        needs=payload.needs,
        barriers=payload.barriers,
        by=request.user,
    )
    referral.refresh_from_db(fields=["status"])
    return Status(
        201,
        {
            "id": conversation.pk,
            "referral_status": referral.status,
            "recorded_at": conversation.recorded_at,
        },
    )


@router.put("/referrals/{referral_id}/plan", response=PlanOut, summary="Save the plan")
def save_plan(request: HttpRequest, referral_id: int, payload: PlanIn) -> dict:
    referral = _case_referral(request, referral_id)
    plan = services.save_plan(referral=referral, goals=payload.goals, by=request.user)
    return {"goals": plan.goals, "agreed_at": plan.agreed_at}


def follow_up_out(follow_up: FollowUp) -> dict:
    return {
        "id": follow_up.pk,
        "referral_id": follow_up.referral_id,
        "kind": follow_up.kind,
        "due_on": follow_up.due_on,
        "connection_id": follow_up.connection_id,
        "service_name": follow_up.connection.asset.name if follow_up.connection_id else None,
        "completed_at": follow_up.completed_at,
        "outcome": follow_up.outcome,
        "status": follow_up.state,
        "cancelled_at": follow_up.cancelled_at,
        "cancelled_reason": follow_up.cancelled_reason,
    }


@router.get("/follow-ups", response=Page[FollowUpOut], summary="Reviews due")
def list_follow_ups(request: HttpRequest, params: Query[FollowUpListParams]) -> dict:
    """Reviews not yet done of the caller's services, falling due on or before `due_by`
    (default today), soonest first; nobody else has any."""
    due = selectors.follow_ups_due(request.user, params.due_by, q=params.q)
    due, total = paging.window(due, params)
    if params.q.strip():
        worklists.audit_search(request.user, list_name="api_follow_ups", results=total)
    return paging.page_body(request, params, [follow_up_out(f) for f in due], total)


@router.post(
    "/follow-ups/{follow_up_id}/complete", response=FollowUpOut, summary="Complete a review"
)
def complete_follow_up(request: HttpRequest, follow_up_id: int, payload: FollowUpDoneIn) -> dict:
    follow_up = (
        FollowUp.objects.filter(
            pk=follow_up_id,
            referral__service_id__in=organisations_with_permission(request.user, Perm.CASEWORK),
        )
        .select_related("connection__asset")
        .first()
    )
    if follow_up is None:
        raise Http404
    services.complete_follow_up(follow_up=follow_up, outcome=payload.outcome, by=request.user)
    return follow_up_out(follow_up)

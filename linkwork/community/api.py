"""/api/v1 routes of the community app: a panel's public decisions log; closing an
interest (optionally with the listing that answers it)."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from linkwork import paging
from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm
from linkwork.community import services
from linkwork.community.models import Interest
from linkwork.community.panels import selectors as panel_selectors
from linkwork.community.schemas import (
    DecisionOut,
    DecisionParams,
    InterestClosedOut,
    InterestCloseIn,
)
from linkwork.errors import Forbidden

router = Router(tags=["community"])


@router.get(
    "/panels/{panel_id}/decisions",
    response=paging.Page[DecisionOut],
    auth=None,
    summary="A panel's public decisions log, with the evidence looked at",
)
def panel_decisions(request: HttpRequest, panel_id: int, params: Query[DecisionParams]) -> dict:
    """Public, like the page /panels/{id}/decisions/ it mirrors: each decision with the
    published figures (small numbers withheld: null, named in `suppressed`) the panel
    looked at, as they were then. Newest meeting first."""
    panel = panel_selectors.public_panel(panel_id)
    rows, total = paging.window(panel_selectors.decisions_of_panel(panel), params)
    items = [panel_selectors.decision_record(row) for row in rows]
    return paging.page_body(request, params, items, total)


@router.post(
    "/interests/{interest_id}/close",
    response=InterestClosedOut,
    summary="Close an interest, optionally sending the person a listing that answers it",
)
def close_interest(request: HttpRequest, interest_id: int, payload: InterestCloseIn) -> dict:
    """Link workers (community development) close an open interest: it stops counting
    towards emerging groups. With `asset_id` (a published listing), the person is sent
    it by their chosen channel, when they consented to contact; nobody else's details
    are shared. Closed already: 409 naming the state."""

    if not has_permission(request.user, Perm.INTEREST_MANAGE):
        raise Forbidden()
    interest = get_object_or_404(Interest, pk=interest_id)
    interest, told = services.close_interest_answered(
        interest=interest, reason=payload.reason, asset_id=payload.asset_id, by=request.user
    )
    return {
        "id": interest.pk,
        "status": interest.status,
        "closed_reason": interest.closed_reason,
        "closed_at": interest.closed_at,
        "asset_id": interest.answered_by_id,
        "person_told": told,
    }

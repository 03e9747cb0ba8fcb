"""A community group's referral inbox: connections to its own assets, with only what the
person agreed to share; answering them in one click (htmx swaps the card, and every
form also works as a plain POST-redirect-GET); and the register for a session."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from linkwork import paging
from linkwork.accounts.decorators import permission_required
from linkwork.accounts.roles import Perm
from linkwork.errors import Conflict, InvalidInput
from linkwork.pages import refusal, safe_next, submitted
from linkwork.referrals import selectors, services, worklists
from linkwork.referrals import transitions as t
from linkwork.referrals.forms_group import (
    GROUP_STATUS_LABELS,
    InboxFilterForm,
    ReasonForm,
    RegisterForm,
)
from linkwork.referrals.models import Connection


@dataclass(frozen=True)
class Action:
    """One answer a group can give: its button, what it records, and its reason question
    when one is needed."""

    slug: str
    to: str
    button: str
    done: str
    reason_label: str = ""


ACTIONS = {
    action.slug: action
    for action in [
        Action("accept", t.ACCEPTED, "Accept", "You accepted the referral."),
        Action("waitlist", t.WAITLISTED, "Add to waiting list", "Added to your waiting list."),
        Action(
            "decline",
            t.DECLINED,
            "Decline",
            "You declined the referral.",
            "Why can your group not take them?",
        ),
        Action(
            "attended", t.ATTENDED_FIRST, "Came to the first session", "First session recorded."
        ),
        Action(
            "did-not-start",
            t.DID_NOT_START,
            "Did not start",
            "Recorded that they did not start.",
            "Why did they not start, if you know?",
        ),
        Action("attending", t.ATTENDING, "Attending regularly", "Recorded as attending."),
        Action("completed", t.COMPLETED, "Completed", "Recorded as completed."),
        Action(
            "stopped",
            t.STOPPED,
            "Stopped coming",
            "Recorded that they stopped coming.",
            "Why did they stop, if you know?",
        ),
    ]
}


def _next(request: HttpRequest) -> str:
    """Back to the inbox as it was (its filter and page), and only to our own pages."""
    return safe_next(request, reverse("group-inbox"))


def _display_name(connection: Connection, shared: dict[str, str]) -> str:
    first_name = shared.get("First name")
    return f"{first_name} (ref. {connection.pk})" if first_name else f"Referral {connection.pk}"


def _card(connection: Connection, shared: dict[str, str], today) -> dict:
    """What one card of the inbox shows and offers."""
    allowed = t.allowed_for_group(connection.status)
    return {
        "connection": connection,
        "shared": shared,
        "name": _display_name(connection, shared),
        "label": GROUP_STATUS_LABELS.get(connection.status, connection.status),
        "overdue": connection.status == t.SENT
        and connection.response_due is not None
        and connection.response_due < today,
        "actions": [action for action in ACTIONS.values() if action.to in allowed],
    }


def _render_card(request: HttpRequest, connection: Connection, **extra) -> HttpResponse:
    """The card alone, for htmx to swap in place."""
    connection = selectors.connection_for_group(request.user, connection.pk)
    ((connection, shared),) = selectors.shown_to_group(request.user, [connection])
    card = _card(connection, shared, timezone.localdate())
    return render(
        request,
        "referrals/group/_connection.jinja",
        {"card": card, "next": _next(request), "labels": GROUP_STATUS_LABELS, **extra},
    )


@permission_required(Perm.CONNECTION_RESPOND)
def inbox(request: HttpRequest) -> HttpResponse:
    """Connections sent to the group's own assets, searched by what the group is shown
    and filtered by status (with counts of the search): those waiting for an answer
    first, past their answer date before the rest, then newest. A search is audited."""
    form = InboxFilterForm(request.GET or None)
    q, status = form.value("q"), form.value("status")
    found = worklists.group_search(selectors.group_inbox(request.user), q)
    form.count(worklists.inbox_counts(found))
    today = timezone.localdate()
    inbox = worklists.inbox_ordered(found.filter(status=status) if status else found, today)
    page = paging.page_of(request, inbox)
    if q:
        worklists.audit_search(request.user, list_name="group_inbox", results=page.paginator.count)
    cards = [
        _card(connection, shared, today)
        for connection, shared in selectors.shown_to_group(request.user, page.object_list)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/group/inbox.jinja",
        {
            "form": form,
            "q": q,
            "cards": cards,
            "page": page,
            "query": query.urlencode(),
            "links": paging.pagination_links(request, page),
            "next": request.get_full_path(),
            "has_register": selectors.register_assets(request.user).exists(),
            "page_title": "Referral inbox",
        },
    )


def _respond(request: HttpRequest, connection: Connection, action: Action) -> HttpResponse:
    """Record the group's answer; a refusal (no places left, already answered) is shown
    as an error, and nothing changes."""
    htmx = bool(request.headers.get("HX-Request"))
    form = ReasonForm(request.POST, label=action.reason_label, required=bool(action.reason_label))
    if not form.is_valid():
        if htmx:
            return _render_card(request, connection, reason_errors={action.slug: form["reason"]})
        return _reason_page(request, connection, action, form)
    try:
        services.transition_connection(
            connection=connection,
            to=action.to,
            reason=form.cleaned_data.get("reason", ""),
            by=request.user,
        )
    except (Conflict, InvalidInput) as error:
        message = refusal(error)
        if htmx:
            return _render_card(request, connection, error=message)
        messages.error(request, message)
    else:
        if htmx:
            return _render_card(request, connection, notice=action.done)
        messages.success(request, action.done)
    return redirect(_next(request))


def _reason_page(
    request: HttpRequest, connection: Connection, action: Action, form: ReasonForm
) -> HttpResponse:
    ((connection, shared),) = selectors.shown_to_group(request.user, [connection])
    return render(
        request,
        "referrals/group/reason.jinja",
        {
            "form": form,
            "action": action,
            "card": _card(connection, shared, timezone.localdate()),
            "next": _next(request),
            "page_title": f"{action.button}: {connection.asset.name}",
        },
    )


@permission_required(Perm.CONNECTION_RESPOND)
@require_POST
def respond(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Accept, waiting list, first session, attending, completed: one click each."""
    connection = selectors.connection_for_group(request.user, pk)
    return _respond(request, connection, ACTIONS[action])


@permission_required(Perm.CONNECTION_RESPOND)
def respond_with_reason(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Decline, did not start, stopped: these need a reason, asked for on the card or on
    this page (which is also where a missing reason is pointed out without JavaScript)."""
    connection = selectors.connection_for_group(request.user, pk)
    chosen = ACTIONS[action]
    if request.method == "POST":
        return _respond(request, connection, chosen)
    return _reason_page(request, connection, chosen, ReasonForm(label=chosen.reason_label))


@permission_required(Perm.CONNECTION_RESPOND)
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Whether the referral was right for the group: yes or no, in one click."""
    connection = selectors.connection_for_group(request.user, pk)
    answer = request.POST.get("appropriate")
    if answer not in ("yes", "no"):
        if request.headers.get("HX-Request"):
            return _render_card(request, connection, error="Choose yes or no.")
        messages.error(request, "Choose yes or no.")
        return redirect(_next(request))
    services.record_group_feedback(
        connection=connection, appropriate=answer == "yes", by=request.user
    )
    if request.headers.get("HX-Request"):
        return _render_card(request, connection, notice="Thank you for saying.")
    messages.success(request, "Thank you for saying.")
    return redirect(_next(request))


@permission_required(Perm.CONNECTION_RESPOND)
def register(request: HttpRequest) -> HttpResponse:
    """The register for a session of one asset: tick who came, once, for everyone
    accepted; say why anyone did not start. Saved in one transaction."""
    assets = list(selectors.register_assets(request.user))
    chosen = request.POST.get("asset") or request.GET.get("asset") or ""
    if not chosen and len(assets) == 1:
        chosen = str(assets[0].pk)
    if not chosen.isdigit():
        return render(
            request,
            "referrals/group/register.jinja",
            {"assets": assets, "asset": None, "page_title": "Record a session"},
        )
    asset, accepted = selectors.register_for(request.user, int(chosen))
    shown = selectors.shown_to_group(request.user, accepted)
    people = [(connection, _display_name(connection, shared)) for connection, shared in shown]
    form = RegisterForm(request.POST or None, connections=people)
    if request.method == "POST" and form.is_valid():

        def said(recorded) -> str:
            came = sum(1 for connection in recorded if connection.status == t.ATTENDED_FIRST)
            return (
                f"{asset.name}: register saved. {came} came to their first session; "
                f"{len(recorded) - came} did not start."
            )

        done = submitted(
            request,
            form,
            lambda: services.record_register(
                asset=asset, came=form.came(), did_not_start=form.did_not_start(), by=request.user
            ),
            said=said,
            then=reverse("group-inbox"),
        )
        if done:
            return done
    return render(
        request,
        "referrals/group/register.jinja",
        {
            "assets": assets,
            "asset": asset,
            "form": form,
            "shared": {connection.pk: shared for connection, shared in shown},
            "page_title": f"Record a session: {asset.name}",
        },
    )

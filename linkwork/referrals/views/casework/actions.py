"""The case page's actions: each its own small POST URL that calls one service and
redirects back (POST, redirect, GET); a refusal shows the case page again.
"""

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from linkwork.errors import Conflict, InvalidInput
from linkwork.pages import refusal, safe_next, submitted
from linkwork.referrals import services
from linkwork.referrals import transitions as t
from linkwork.referrals.forms_casework import (
    AcceptForm,
    AttendanceForm,
    ConnectionForm,
    ConversationForm,
    DeclineForm,
    FollowUpForm,
    InsteadForm,
    PlanForm,
    ReopenForm,
    TransitionForm,
    UnmetNeedForm,
    WithdrawConnectionForm,
    need_terms,
)
from linkwork.referrals.models import Connection, Referral
from linkwork.referrals.views.casework.pages import (
    REOPENED,
    SAID,
    _case,
    _case_connection,
    _case_page,
    _colleagues,
    _connection,
    _detail_url,
    _invalid,
    casework,
)


def _run(
    request: HttpRequest,
    referral: Referral,
    key: str,
    form: forms.Form,
    act: Callable[[], tuple[str, str]],
    *,
    back: bool = False,
) -> HttpResponse:
    """The shape of every form-backed case action: an invalid form, or the service's
    refusal, shows the case page again with the form that asked (the refusal on its
    fields); otherwise `act` says what happened and where to go (or to `next`, with
    `back`)."""
    if not form.is_valid():
        return _invalid(request, referral, key, form)
    done = submitted(
        request,
        form,
        act,
        said=lambda outcome: outcome[0],
        then=lambda outcome: safe_next(request, outcome[1]) if back else outcome[1],
    )
    return done or _invalid(request, referral, key, form)


def _action(key: str, form_class: type[forms.Form], *, back: bool = False, **form_kwargs):
    """A case action as its service call alone: `act(request, referral, data, form=...,
    connection=... or follow_up=...)` returns (what to say, where to go). The decorator
    finds the case (and the connection or follow-up in the URL: 404 outside it), builds
    the form (`form_kwargs` are made from the request and referral; the key may name
    `{cid}` or `{fid}`), and runs it through `_run`."""

    def decorate(act: Callable[..., tuple[str, str]]) -> Callable[..., HttpResponse]:
        @casework
        @require_POST
        @wraps(act)
        def view(request: HttpRequest, pk: int, cid: int = 0, fid: int = 0) -> HttpResponse:
            referral = _case(request, pk)
            about = {}
            if cid:
                about["connection"] = _connection(referral, cid)
            if fid:
                about["follow_up"] = get_object_or_404(referral.follow_ups, pk=fid)
            name = key.format(cid=cid, fid=fid)
            made = {arg: make(request, referral) for arg, make in form_kwargs.items()}
            form = form_class(request.POST, auto_id=f"{name}-%s", **made)

            def run() -> tuple[str, str]:
                return act(request, referral, form.cleaned_data, form=form, **about)

            return _run(request, referral, name, form, run, back=back)

        return view

    return decorate


# --- Triage and status ---------------------------------------------------------------


@_action(
    "accept",
    AcceptForm,
    back=True,
    colleagues=lambda request, referral: _colleagues(referral),
    me=lambda request, referral: request.user,
)
def accept(request: HttpRequest, referral: Referral, data: dict, *, form) -> tuple[str, str]:
    services.accept_referral(referral=referral, link_worker=form.link_worker(), by=request.user)
    worker = form.link_worker()
    if worker.pk == request.user.pk:
        return "Referral accepted onto your caseload.", _detail_url(referral)
    return (
        f"Referral accepted and assigned to {worker.full_name or worker.email}.",
        _detail_url(referral),
    )


@casework
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    """contacted, in progress, closed (with a summary), declined or returned (with a
    reason); the transition table and the service decide what is allowed."""
    referral = _case(request, pk)
    to = request.POST.get("to", "")
    key = {t.DECLINED: "decline", t.RETURNED: "decline", t.CLOSED: "close"}.get(to, "status")
    if (referral.status, to) == t.REOPENING:
        key = "reopen"
    form_class = {"decline": DeclineForm, "reopen": ReopenForm}.get(key, TransitionForm)
    form = form_class(request.POST, auto_id=f"{key}-%s")

    def act() -> tuple[str, str]:
        data = form.cleaned_data
        services.transition_referral(
            referral=referral,
            to=data["to"],
            reason=data["reason"],
            summary=data["summary"],
            by=request.user,
        )
        return REOPENED if key == "reopen" else SAID[data["to"]], _detail_url(referral)

    return _run(request, referral, key, form, act, back=True)


@casework
@require_POST
def withdraw_consent(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _case(request, pk)
    services.withdraw_consent(referral=referral, by=request.user)
    messages.success(request, "Consent to share withdrawn: groups are shown nothing more.")
    return redirect(_detail_url(referral, "consent"))


# --- Conversation and plan -----------------------------------------------------------


@_action("conversation", ConversationForm, terms=lambda request, referral: need_terms())
def conversation(request: HttpRequest, referral: Referral, data: dict, *, form) -> tuple[str, str]:
    services.record_conversation(
        referral=referral,
        what_matters=data["what_matters"],
        strengths=data["strengths"],
        needs=form.needs(),
        barriers=data["barriers"],
        by=request.user,
    )
    return "Conversation recorded.", _detail_url(referral, "conversations")


@_action("plan", PlanForm)
def plan(request: HttpRequest, referral: Referral, data: dict, *, form) -> tuple[str, str]:
    services.save_plan(referral=referral, goals=form.goal_lines(), by=request.user)
    return "Plan saved.", _detail_url(referral, "plan")


# --- Connections ---------------------------------------------------------------------


@_action("connection", ConnectionForm)
def propose_connection(
    request: HttpRequest, referral: Referral, data: dict, **_
) -> tuple[str, str]:
    connection = services.propose_connection(
        referral=referral,
        asset=data["asset"],
        share=data["share"],
        accompanied=data["accompanied"],
        first_session=data["first_session"],
        background_needs=data["background_needs"],
        by=request.user,
    )
    return (
        f"Connection to {connection.asset.name} proposed. Send it when ready.",
        _detail_url(referral, f"connection-{connection.pk}"),
    )


def _sent(connection: Connection) -> str:
    if connection.status == t.WAITLISTED:
        return f"{connection.asset.name} has a waiting list: the connection is waitlisted."
    if connection.instructions:
        return f"Recorded as sent. {connection.instructions}"
    return f"Sent to {connection.asset.name}. The group has been told."


@casework
@require_POST
def send_connection(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    referral, connection = _case_connection(request, pk, cid)
    try:
        connection = services.send_connection(connection=connection, by=request.user)
    except Conflict as error:
        return _case_page(
            request,
            referral,
            problem=error.message,
            problem_href=f"#connection-{cid}",
        )
    messages.success(request, _sent(connection))
    return redirect(_detail_url(referral, f"connection-{cid}"))


@casework
@require_POST
def connect_instead(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    """One click from a full group to an open alternative, with the same choices."""
    referral, refused = _case_connection(request, pk, cid)
    form = InsteadForm(request.POST)
    if not form.is_valid():
        return _case_page(
            request,
            referral,
            problem="Choose one of the open alternatives.",
            problem_href=f"#connection-{cid}",
        )
    try:
        connection = services.connect_instead(
            connection=refused, asset=form.cleaned_data["asset"], by=request.user
        )
    except (InvalidInput, Conflict) as error:
        return _case_page(
            request, referral, problem=refusal(error), problem_href=f"#connection-{cid}"
        )
    messages.success(request, _sent(connection))
    return redirect(_detail_url(referral, f"connection-{connection.pk}"))


@_action("withdraw-{cid}", WithdrawConnectionForm)
def withdraw_connection(request: HttpRequest, referral: Referral, data: dict, *, form, connection):
    """A proposed connection that will not be sent leaves the plan (kept in the history)."""
    services.withdraw_connection(connection=connection, reason=data["reason"], by=request.user)
    return f"Connection to {connection.asset.name} withdrawn.", _detail_url(referral, "connections")


@_action("attendance-{cid}", AttendanceForm)
def record_attendance(request: HttpRequest, referral: Referral, data: dict, *, form, connection):
    services.transition_connection(
        connection=connection, to=data["outcome"], reason=data["reason"], by=request.user
    )
    return "Attendance recorded.", _detail_url(referral, f"connection-{connection.pk}")


# --- Unmet needs and follow-ups ------------------------------------------------------


@_action("unmet", UnmetNeedForm, terms=lambda request, referral: need_terms())
def record_unmet_need(request: HttpRequest, referral: Referral, data: dict, **_) -> tuple[str, str]:
    # The form's fields are the service's arguments: category, reason and notes.
    services.record_unmet_need(referral=referral, **data, by=request.user)
    return (
        "Unmet need recorded. It counts in the neighbourhood's gaps.",
        _detail_url(referral, "unmet-needs"),
    )


@_action("follow-up-{fid}", FollowUpForm, back=True)
def complete_follow_up(request: HttpRequest, referral: Referral, data: dict, *, form, follow_up):
    services.complete_follow_up(follow_up=follow_up, outcome=data["outcome"], by=request.user)
    return f"{follow_up.get_kind_display()}: done.", _detail_url(referral, "follow-ups")

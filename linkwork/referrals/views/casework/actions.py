"""The case page's actions: each its own small POST URL that calls one service and
redirects back (POST, redirect, GET); a refusal shows the case page again.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from linkwork.errors import Conflict, InvalidInput
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
from linkwork.referrals.models import Connection
from linkwork.referrals.views.casework.pages import (
    REOPENED,
    SAID,
    _back,
    _case,
    _case_page,
    _colleagues,
    _connection,
    _detail_url,
    _invalid,
    _refused,
    casework,
)

# --- Triage and status ---------------------------------------------------------------


@casework
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _case(request, pk)
    form = AcceptForm(
        request.POST, colleagues=_colleagues(referral), me=request.user, auto_id="accept-%s"
    )
    if not form.is_valid():
        return _invalid(request, referral, "accept", form)
    try:
        services.accept_referral(referral=referral, link_worker=form.link_worker(), by=request.user)
    except (InvalidInput, Conflict) as error:
        return _refused(request, referral, "accept", form, error)
    worker = form.link_worker()
    messages.success(
        request,
        "Referral accepted onto your caseload."
        if worker.pk == request.user.pk
        else f"Referral accepted and assigned to {worker.full_name or worker.email}.",
    )
    return _back(request, _detail_url(referral))


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
    if not form.is_valid():
        return _invalid(request, referral, key, form)
    data = form.cleaned_data
    try:
        services.transition_referral(
            referral=referral,
            to=data["to"],
            reason=data["reason"],
            summary=data["summary"],
            by=request.user,
        )
    except (InvalidInput, Conflict) as error:
        return _refused(request, referral, key, form, error)
    messages.success(request, REOPENED if key == "reopen" else SAID[data["to"]])
    return _back(request, _detail_url(referral))


@casework
@require_POST
def withdraw_consent(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _case(request, pk)
    services.withdraw_consent(referral=referral, by=request.user)
    messages.success(request, "Consent to share withdrawn: groups are shown nothing more.")
    return redirect(_detail_url(referral, "consent"))


# --- Conversation and plan -----------------------------------------------------------


@casework
@require_POST
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _case(request, pk)
    form = ConversationForm(request.POST, terms=need_terms(), auto_id="conversation-%s")
    if not form.is_valid():
        return _invalid(request, referral, "conversation", form)
    data = form.cleaned_data
    try:
        services.record_conversation(
            referral=referral,
            what_matters=data["what_matters"],
            strengths=data["strengths"],
            needs=form.needs(),
            barriers=data["barriers"],
            by=request.user,
        )
    except (InvalidInput, Conflict) as error:
        return _refused(request, referral, "conversation", form, error)
    messages.success(request, "Conversation recorded.")
    return redirect(_detail_url(referral, "conversations"))


@casework
@require_POST
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _case(request, pk)
    form = PlanForm(request.POST, auto_id="plan-%s")
    if not form.is_valid():
        return _invalid(request, referral, "plan", form)
    try:
        services.save_plan(referral=referral, goals=form.goal_lines(), by=request.user)
    except InvalidInput as error:
        return _refused(request, referral, "plan", form, error)
    messages.success(request, "Plan saved.")
    return redirect(_detail_url(referral, "plan"))


# --- Connections ---------------------------------------------------------------------


@casework
@require_POST
def propose_connection(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _case(request, pk)
    form = ConnectionForm(request.POST, auto_id="connection-%s")
    if not form.is_valid():
        return _invalid(request, referral, "connection", form)
    data = form.cleaned_data
    try:
        connection = services.propose_connection(
            referral=referral,
            asset=data["asset"],
            share=data["share"],
            accompanied=data["accompanied"],
            first_session=data["first_session"],
            background_needs=data["background_needs"],
            by=request.user,
        )
    except (InvalidInput, Conflict) as error:
        return _refused(request, referral, "connection", form, error)
    messages.success(
        request, f"Connection to {connection.asset.name} proposed. Send it when ready."
    )
    return redirect(_detail_url(referral, f"connection-{connection.pk}"))


def _sent(connection: Connection) -> str:
    if connection.status == t.WAITLISTED:
        return f"{connection.asset.name} has a waiting list: the connection is waitlisted."
    if connection.instructions:
        return f"Recorded as sent. {connection.instructions}"
    return f"Sent to {connection.asset.name}. The group has been told."


@casework
@require_POST
def send_connection(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    referral = _case(request, pk)
    connection = _connection(referral, cid)
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
    referral = _case(request, pk)
    refused = _connection(referral, cid)
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
        message = error.message if isinstance(error, Conflict) else str(error)
        return _case_page(request, referral, problem=message, problem_href=f"#connection-{cid}")
    messages.success(request, _sent(connection))
    return redirect(_detail_url(referral, f"connection-{connection.pk}"))


@casework
@require_POST
def withdraw_connection(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    """A proposed connection that will not be sent leaves the plan (kept in the history)."""
    referral = _case(request, pk)
    connection = _connection(referral, cid)
    key = f"withdraw-{cid}"
    form = WithdrawConnectionForm(request.POST, auto_id=f"{key}-%s")
    if not form.is_valid():
        return _invalid(request, referral, key, form)
    try:
        services.withdraw_connection(
            connection=connection, reason=form.cleaned_data["reason"], by=request.user
        )
    except Conflict as error:
        return _refused(request, referral, key, form, error)
    messages.success(request, f"Connection to {connection.asset.name} withdrawn.")
    return redirect(_detail_url(referral, "connections"))


@casework
@require_POST
def record_attendance(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    referral = _case(request, pk)
    connection = _connection(referral, cid)
    key = f"attendance-{cid}"
    form = AttendanceForm(request.POST, auto_id=f"{key}-%s")
    if not form.is_valid():
        return _invalid(request, referral, key, form)
    try:
        services.transition_connection(
            connection=connection,
            to=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except (InvalidInput, Conflict) as error:
        return _refused(request, referral, key, form, error)
    messages.success(request, "Attendance recorded.")
    return redirect(_detail_url(referral, f"connection-{cid}"))


# --- Unmet needs and follow-ups ------------------------------------------------------


@casework
@require_POST
def record_unmet_need(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _case(request, pk)
    form = UnmetNeedForm(request.POST, terms=need_terms(), auto_id="unmet-%s")
    if not form.is_valid():
        return _invalid(request, referral, "unmet", form)
    data = form.cleaned_data
    try:
        services.record_unmet_need(
            referral=referral,
            category=data["category"],
            reason=data["reason"],
            notes=data["notes"],
            by=request.user,
        )
    except InvalidInput as error:
        return _refused(request, referral, "unmet", form, error)
    messages.success(request, "Unmet need recorded. It counts in the neighbourhood's gaps.")
    return redirect(_detail_url(referral, "unmet-needs"))


@casework
@require_POST
def complete_follow_up(request: HttpRequest, pk: int, fid: int) -> HttpResponse:
    referral = _case(request, pk)
    follow_up = get_object_or_404(referral.follow_ups, pk=fid)
    key = f"follow-up-{fid}"
    form = FollowUpForm(request.POST, auto_id=f"{key}-%s")
    if not form.is_valid():
        return _invalid(request, referral, key, form)
    try:
        services.complete_follow_up(
            follow_up=follow_up, outcome=form.cleaned_data["outcome"], by=request.user
        )
    except (InvalidInput, Conflict) as error:
        return _refused(request, referral, key, form, error)
    messages.success(request, f"{follow_up.get_kind_display()}: done.")
    return _back(request, _detail_url(referral, "follow-ups"))

"""The link worker's casework pages: the triage queue, the caseload and the case page.

Everything here needs Perm.CASEWORK, and a referral of another service is a 404. Each
action is its own small POST URL that calls one service and redirects back (POST,
redirect, GET). When a service refuses (InvalidInput, Conflict) nothing was written and
the case page is shown again with the error summary.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from linkwork.accounts.decorators import permission_required
from linkwork.accounts.roles import Perm
from linkwork.audit.services import record_events
from linkwork.directory.models import CapacityStatus
from linkwork.errors import Conflict, InvalidInput
from linkwork.outcomes.selectors import due_at_closure
from linkwork.referrals import selectors, services
from linkwork.referrals import transitions as t
from linkwork.referrals.forms_casework import (
    OPEN_STATUSES,
    AcceptForm,
    AttendanceForm,
    CaseloadFilterForm,
    ConnectionForm,
    ConnectionSearchForm,
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
from linkwork.referrals.matching import other_open_referrals, possible_duplicates_of
from linkwork.referrals.models import SHAREABLE_FIELDS, Connection, Referral
from linkwork.referrals.views.people import people_context

casework = permission_required(Perm.CASEWORK)
# Ticked to start with: what a group needs to welcome someone, nothing about their health.
DEFAULT_SHARE = ("first_name", "accompanied", "first_session")
PAGE_SIZE = 50
# Where the case page prompts for closure questionnaires: about to close, or closed.
CLOSING = (t.IN_PROGRESS, t.CLOSED)
SAID = {
    t.ACCEPTED: "Referral accepted.",
    t.CONTACTED: "Marked as contacted.",
    t.IN_PROGRESS: "Marked as in progress.",
    t.CLOSED: "Referral closed. The referrer has been sent the summary.",
    t.DECLINED: "Referral declined. The referrer has been told.",
    t.RETURNED: "Referral returned to the referrer, who has been told.",
}
REOPENED = "Referral reopened: it is in progress again, and the referrer has been told."


def _case(request: HttpRequest, pk: int) -> Referral:
    """A referral of the user's own service (the read is audited), else 404."""
    referral = selectors.referral_for(request.user, pk)
    if not selectors.is_case_worker(request.user, referral):
        raise Http404
    return referral


def _connection(referral: Referral, cid: int) -> Connection:
    for connection in referral.connections.all():
        if connection.pk == cid:
            return connection
    raise Http404


def _detail_url(referral: Referral, anchor: str = "") -> str:
    return reverse("referral-detail", args=[referral.pk]) + (f"#{anchor}" if anchor else "")


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next") or default
    ours = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if ours else default)  # only ever back to one of our own pages


def _colleagues(referral: Referral) -> list:
    return selectors.link_workers_by_service([referral.service_id]).get(referral.service_id, [])


# --- Pages ---------------------------------------------------------------------------


@casework
def triage_queue(request: HttpRequest) -> HttpResponse:
    """New referrals, oldest first, each with what triage needs and its two decisions."""
    page = Paginator(selectors.triage_queue(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    referrals = list(page.object_list)
    record_events(
        by=request.user,
        action="referral_listed",
        object_type="referral",
        object_ids=[r.pk for r in referrals],
    )
    colleagues = selectors.link_workers_by_service({r.service_id for r in referrals})
    today = timezone.localdate()
    duplicates = possible_duplicates_of([r.person for r in referrals], viewer=request.user)
    others = other_open_referrals(referrals, viewer=request.user, duplicates=duplicates)
    rows = [
        {
            "referral": r,
            "others": others.get(r.pk, []),
            "duplicates": duplicates.get(r.person_id, []),
            "overdue": selectors.overdue_first_contact(r, today),
            "accept": AcceptForm(
                colleagues=colleagues.get(r.service_id, []),
                me=request.user,
                auto_id=f"accept-{r.pk}-%s",
            ),
            "decline": DeclineForm(auto_id=f"decline-{r.pk}-%s"),
        }
        for r in referrals
    ]
    return render(
        request,
        "referrals/casework/queue.jinja",
        {"rows": rows, "page": page, "page_title": "Referral queue"},
    )


@casework
def caseload(request: HttpRequest) -> HttpResponse:
    """Open referrals with counts by status and filters; htmx swaps in just the list."""
    form = CaseloadFilterForm(request.GET or None)
    status, mine = "", False
    if form.is_valid():
        status, mine = form.cleaned_data["status"], form.cleaned_data["mine"]
    referrals, counts = selectors.caseload(request.user, status=status, mine_only=mine)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    record_events(
        by=request.user,
        action="referral_listed",
        object_type="referral",
        object_ids=[r.pk for r in page.object_list],
    )
    query = request.GET.copy()
    query.pop("page", None)
    today = timezone.localdate()
    context = {
        "form": form,
        "page": page,
        "overdue": {r.pk for r in page.object_list if selectors.overdue_first_contact(r, today)},
        "counts": [(value, label, counts.get(value, 0)) for value, label in OPEN_STATUSES],
        "query": query.urlencode(),
        "page_title": "Your caseload",
    }
    partial = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    if partial:
        response = render(request, "referrals/casework/_caseload_results.jinja", context)
    else:
        follow_ups = list(selectors.follow_ups_due(request.user, today)[:PAGE_SIZE])
        context["follow_ups"] = [
            (f, FollowUpForm(auto_id=f"follow-up-{f.pk}-%s")) for f in follow_ups
        ]
        response = render(request, "referrals/casework/caseload.jinja", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@casework
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, _case(request, pk))


def _case_page(
    request: HttpRequest,
    referral: Referral,
    *,
    bound: dict[str, forms.Form] | None = None,
    problem: str = "",
    problem_href: str = "",
) -> HttpResponse:
    """The case page; `bound` holds a form that failed, shown with its errors. A page
    with errors is still a 200, as browsers treat any other status as a failed load."""
    bound = bound or {}
    file = selectors.case_file(referral)
    terms = need_terms()
    plan = file["plan"]
    consent = referral.consent_share_with_groups
    page_forms: dict[str, forms.Form] = {
        "accept": AcceptForm(
            colleagues=_colleagues(referral), me=request.user, auto_id="accept-%s"
        ),
        "decline": DeclineForm(auto_id="decline-%s"),
        # After reopening, the last closing summary is the starting point for the next.
        "close": TransitionForm(
            initial={"to": t.CLOSED, "summary": referral.closure_summary}, auto_id="close-%s"
        ),
        "reopen": ReopenForm(initial={"to": t.IN_PROGRESS}, auto_id="reopen-%s"),
        "status": TransitionForm(auto_id="status-%s"),
        "conversation": ConversationForm(terms=terms, auto_id="conversation-%s"),
        "plan": PlanForm(
            initial={"goals": "\n".join(plan.goals)} if plan else None, auto_id="plan-%s"
        ),
        "connection": ConnectionForm(
            initial={"share": list(DEFAULT_SHARE) if consent else []},
            auto_id="connection-%s",
        ),
        "unmet": UnmetNeedForm(terms=terms, auto_id="unmet-%s"),
    }
    for connection in file["connections"]:
        if connection.status == t.PROPOSED:
            key = f"withdraw-{connection.pk}"
            page_forms[key] = WithdrawConnectionForm(auto_id=f"{key}-%s")
        if connection.status == t.ACCEPTED:
            key = f"attendance-{connection.pk}"
            page_forms[key] = AttendanceForm(auto_id=f"{key}-%s")
    for follow_up in file["follow_ups"]:
        if follow_up.state == follow_up.PENDING:
            key = f"follow-up-{follow_up.pk}"
            page_forms[key] = FollowUpForm(auto_id=f"{key}-%s")
    page_forms |= bound
    search = ConnectionSearchForm(request.GET or None, auto_id="search-%s")
    can_connect = t.can_connect(referral.status)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    context = {
        "referral": referral,
        "person": referral.person,
        "file": file,
        "forms": page_forms,
        "failed": next(iter(bound.values()), None),
        "problem": problem,
        "problem_href": problem_href,
        "allowed": t.allowed("referral", referral.status),
        "overdue": selectors.overdue_first_contact(referral),
        "can_connect": can_connect,
        "search": search,
        "candidates": selectors.assets_to_connect(referral, text=text) if can_connect else [],
        "alternatives": _alternatives(file["connections"]),
        "shareable": SHAREABLE_FIELDS,
        "closure_due": due_at_closure(referral) if referral.status in CLOSING else [],
        "reopen_until": selectors.reopen_until(referral),
        "now": timezone.now(),
        "need_names": {term.code: term.name for term in terms},
        "page_title": f"Referral {str(referral.uuid)[:8]}",
        **people_context(request.user, referral),
    }
    return render(request, "referrals/casework/detail.jinja", context)


def _alternatives(connections: list[Connection]) -> dict[int, list]:
    """Open alternatives for each proposed connection whose asset cannot take anyone."""
    by_asset: dict[int, list] = {}
    for c in connections:
        stuck = c.asset.capacity_status in (CapacityStatus.FULL, CapacityStatus.PAUSED)
        if c.status == t.PROPOSED and stuck and c.asset_id not in by_asset:
            by_asset[c.asset_id] = selectors.open_alternatives(c.asset)
    return {
        c.pk: by_asset[c.asset_id]
        for c in connections
        if c.status == t.PROPOSED and c.asset_id in by_asset
    }


def _refused(
    request: HttpRequest, referral: Referral, key: str, form: forms.Form, error: Exception
) -> HttpResponse:
    """Put a service's refusal on the form that asked, and show the case page again."""
    if isinstance(error, InvalidInput):
        for field, message in error.errors.items():
            form.add_error(field if field in form.fields else None, message)
        return _case_page(request, referral, bound={key: form})
    form.add_error(None, str(error))
    return _case_page(request, referral, bound={key: form})


def _invalid(request: HttpRequest, referral: Referral, key: str, form: forms.Form):
    return _case_page(request, referral, bound={key: form})


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

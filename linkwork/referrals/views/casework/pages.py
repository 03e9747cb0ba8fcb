"""The link worker's casework pages: the triage queue, the caseload and the case page.

Everything here needs Perm.CASEWORK, and a referral of another service is a 404. When a
service refuses an action (InvalidInput, Conflict) nothing was written and the case page
is shown again with the error summary (`actions._act`, through `linkwork.pages.submitted`).
"""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from linkwork import paging
from linkwork.accounts.decorators import permission_required
from linkwork.accounts.roles import Perm
from linkwork.audit.services import record_events
from linkwork.directory.models import CapacityStatus
from linkwork.outcomes.selectors import due_at_closure
from linkwork.referrals import selectors, services, worklists
from linkwork.referrals import transitions as t
from linkwork.referrals.forms_casework import (
    OPEN_STATUSES,
    AcceptForm,
    AttendanceForm,
    CaseloadFilterForm,
    CaseNoteForm,
    ConnectionForm,
    ConnectionSearchForm,
    ConversationForm,
    DeclineForm,
    FollowUpForm,
    NoAnswerCloseForm,
    PlanForm,
    ReopenForm,
    TransitionForm,
    UnmetNeedForm,
    WithdrawConnectionForm,
    need_terms,
)
from linkwork.referrals.forms_worklists import FollowUpFilterForm, QueueFilterForm
from linkwork.referrals.matching import other_open_referrals, possible_duplicates_of
from linkwork.referrals.models import SHAREABLE_FIELDS, Connection, Referral
from linkwork.referrals.views.people import people_context

casework = permission_required(Perm.CASEWORK)
# Each card of the queue (and of the follow-ups) carries the referral and its decisions:
# 25 a page keep the page quick.
QUEUE_PAGE = 25
# Ticked to start with: what a group needs to welcome someone, nothing about their health.
DEFAULT_SHARE = ("first_name", "accompanied", "first_session")
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


def _case_connection(request: HttpRequest, pk: int, cid: int) -> tuple[Referral, Connection]:
    """A case of the user's own service and one of its connections, else 404."""
    referral = _case(request, pk)
    return referral, _connection(referral, cid)


def _detail_url(referral: Referral, anchor: str = "") -> str:
    return reverse("referral-detail", args=[referral.pk]) + (f"#{anchor}" if anchor else "")


def _colleagues(referral: Referral) -> list:
    return selectors.link_workers_by_service([referral.service_id]).get(referral.service_id, [])


# --- Pages ---------------------------------------------------------------------------


def _search_audited(request: HttpRequest, q: str, list_name: str, total: int) -> None:
    if q.strip():
        worklists.audit_search(request.user, list_name=list_name, results=total)


@casework
def triage_queue(request: HttpRequest) -> HttpResponse:
    """New referrals, most urgent first, each with what triage needs and its two
    decisions; searched, filtered and ordered from the URL."""
    counts = selectors.triage_counts(request.user, q=request.GET.get("q", ""))
    form = QueueFilterForm(request.GET or None, counts=counts)
    q, due, sort = form.value("q"), form.value("due"), form.value("sort", "urgency")
    page = paging.page_of(
        request, selectors.triage_queue(request.user, q=q, due=due, sort=sort), per_page=QUEUE_PAGE
    )
    referrals = list(page.object_list)
    _search_audited(request, q, "queue", page.paginator.count)
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
        }
        for r in referrals
    ]
    return render(
        request,
        "referrals/casework/queue.jinja",
        {
            "rows": rows,
            "page": page,
            "form": form,
            "q": q,
            "counts": counts,
            "links": paging.pagination_links(request, page),
            "page_title": "Referral queue",
        },
    )


@casework
def caseload(request: HttpRequest) -> HttpResponse:
    """Open referrals, most urgent first, with counts by status and by first contact
    due, search and filters in the URL; htmx swaps in just the list."""
    form = CaseloadFilterForm(request.GET or None)
    status, mine = form.value("status"), bool(form.value("mine"))
    q, due, sort = form.value("q"), form.value("due"), form.value("sort", "urgency")
    referrals, counts = selectors.caseload(
        request.user, status=status, mine_only=mine, q=q, due=due, sort=sort
    )
    page = paging.page_of(request, referrals)
    _search_audited(request, q, "caseload", page.paginator.count)
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
        "q": q,
        "overdue": {r.pk for r in page.object_list if selectors.overdue_first_contact(r, today)},
        "counts": [(value, label, counts.get(value, 0)) for value, label in OPEN_STATUSES],
        "contact_counts": counts,
        "query": query.urlencode(),
        "links": paging.pagination_links(request, page),
        "follow_ups_due": selectors.follow_up_counts(request.user),
        "page_title": "Your caseload",
    }
    partial = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "_caseload_results" if partial else "caseload"
    response = render(request, f"referrals/casework/{template}.jinja", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@casework
def follow_ups(request: HttpRequest) -> HttpResponse:
    """Reviews still to do, soonest first: due by today unless another window is
    chosen, with the count of each window; searchable; each can be marked done here."""
    q = request.GET.get("q", "")
    counts = selectors.follow_up_counts(request.user, q=q)
    form = FollowUpFilterForm(request.GET or None, counts=counts)
    window = form.cleaned_data.get("window", "") if form.is_bound and form.is_valid() else ""
    q = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    today = timezone.localdate()
    page = paging.page_of(
        request, selectors.follow_ups_due(request.user, today, window=window, q=q)
    )
    _search_audited(request, q, "follow_ups", page.paginator.count)
    record_events(
        by=request.user,
        action="referral_listed",
        object_type="referral",
        object_ids=sorted({f.referral_id for f in page.object_list}),
    )
    return render(
        request,
        "referrals/casework/follow_ups.jinja",
        {
            "form": form,
            "page": page,
            "q": q,
            "today": today,
            "rows": [(f, FollowUpForm(auto_id=f"follow-up-{f.pk}-%s")) for f in page.object_list],
            "links": paging.pagination_links(request, page),
            "page_title": "Follow-ups",
        },
    )


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
        "note": CaseNoteForm(auto_id="note-%s"),
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
    attempts = services.unanswered_attempts(referral)
    no_answer = services.can_close_without_answer(referral)
    if no_answer:
        page_forms["no_answer"] = NoAnswerCloseForm(
            initial={"summary": services.no_answer_summary(attempts)}, auto_id="no-answer-%s"
        )
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
        "closure_due": due_at_closure(referral) if referral.status in t.CLOSING else [],
        "reopen_until": selectors.reopen_until(referral),
        "now": timezone.now(),
        "need_names": {term.code: term.name for term in terms},
        "timeline": selectors.case_timeline(file),
        "unanswered_attempts": attempts,
        "can_close_without_answer": no_answer,
        "page_title": f"Referral {str(referral.uuid)[:8]}",
        **people_context(request.user, referral),
    }
    return render(request, "referrals/casework/detail.jinja", context)


def _alternatives(connections: list[Connection]) -> dict[int, list]:
    """Open alternatives for each proposed connection whose asset cannot take anyone."""
    by_asset: dict[int, list] = {}
    for c in connections:
        stuck = c.asset.capacity_status in CapacityStatus.CLOSED_TO_NEW_PEOPLE
        if c.status == t.PROPOSED and stuck and c.asset_id not in by_asset:
            by_asset[c.asset_id] = selectors.open_alternatives(c.asset)
    return {
        c.pk: by_asset[c.asset_id]
        for c in connections
        if c.status == t.PROPOSED and c.asset_id in by_asset
    }


def _invalid(request: HttpRequest, referral: Referral, key: str, form: forms.Form):
    return _case_page(request, referral, bound={key: form})

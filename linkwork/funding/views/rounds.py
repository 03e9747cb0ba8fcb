"""Round pages: the funding home for each role, a new round (from the top gaps), the
public page of a round, the funder's page of it, and its payments as CSV."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from linkwork.accounts.models import Membership
from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm, Role
from linkwork.audit.services import record_event
from linkwork.csvsafe import Writer
from linkwork.directory.models import Organisation
from linkwork.errors import Conflict, InvalidInput
from linkwork.funding import selectors, services, transitions
from linkwork.funding.forms import DecisionForm, PaymentForm, RoundForm
from linkwork.funding.models import ApplicationStatus, Payment, RoundStatus
from linkwork.funding.views.common import found, guard
from linkwork.insight.selectors import gaps, group_load, insight_scope
from linkwork.pages import put_errors

TOP_GAPS = 12


def funding_home(request: HttpRequest) -> HttpResponse:
    """Funders: their rounds and tariffs. Groups: open rounds, their applications and
    statements. Panel members: the rounds they score."""
    if (refused := guard(request)) is not None:
        return refused
    user = request.user
    rounds = list(selectors.rounds_visible_to(user))
    return render(
        request,
        "funding/home.jinja",
        {
            "is_funder": has_permission(user, Perm.GRANT_RECORD),
            "is_group": has_permission(user, Perm.GRANT_APPLY),
            "is_panel": has_permission(user, Perm.PANEL_DECIDE),
            "rounds": rounds,
            "own_rounds": [r for r in rounds if selectors.is_funder(user, r)],
            "open_rounds": [r for r in rounds if r.status == RoundStatus.OPEN],
            "scoring_rounds": [
                r
                for r in rounds
                if r.status == RoundStatus.SCORING and selectors.is_panel_member(user, r)
            ],
            "applications": list(
                selectors.applications_visible_to(user).filter(
                    organisation__in=selectors.applying_organisations(user)
                )
            ),
            "statements": list(
                selectors.statements_visible_to(user).filter(
                    organisation__in=selectors.applying_organisations(user)
                )[:12]
            ),
            "page_title": "Funding",
        },
    )


def gap_choices(limit: int = TOP_GAPS) -> list[tuple[str, str]]:
    """The top rows of the gap report as choices "area|category" → words."""

    rows = gaps(insight_scope(), limit=limit)
    return [
        (
            f"{row.area_code}|{row.category}",
            f"{row.category_name} in {row.area_name}: {row.evidence}",
        )
        for row in rows
    ]


def _panels():
    ids = Membership.objects.filter(role=Role.PANEL).values("organisation_id")
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def round_new(request: HttpRequest) -> HttpResponse:
    """A new round in draft. `?from=gaps` ticks the top five gaps as its priorities;
    `?from=unfunded` names the groups carrying load with no funding in its guidance."""
    if (refused := guard(request, Perm.GRANT_RECORD)) is not None:
        return refused
    choices = gap_choices()
    initial: dict = {"unconstituted_allowed": True}
    if request.GET.get("from") == "gaps":
        initial.update(
            name="Small grants for the biggest gaps",
            priorities=[value for value, _ in choices[:5]],
            question_1="Who will take part, and how will they hear about it?",
            question_2="What difference will it make to them?",
            question_3="How will you know it worked?",
        )
    elif request.GET.get("from") == "unfunded":
        initial.update(_unfunded_initial())
    form = RoundForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        gap_choices=choices,
        panels=_panels(),
    )
    if request.method == "POST" and form.is_valid():
        funder = selectors.funder_organisations(request.user).first()
        try:
            if funder is None:
                raise InvalidInput({"name": "You are not a member of a funding organisation."})
            round = services.create_round(funder=funder, **form.round_fields(), by=request.user)
        except InvalidInput as error:
            put_errors(form, error)
        else:
            messages.success(request, f"“{round.name}” saved as a draft. Open it when it is ready.")
            return redirect("funding-round-manage", pk=round.pk)
    return render(
        request,
        "funding/round_form.jinja",
        {"form": form, "page_title": ("Error: " if form.errors else "") + "Start a grant round"},
    )


def _unfunded_initial() -> dict:

    names = [r.organisation_name for r in group_load(insight_scope()) if r.unfunded_with_load]
    return {
        "name": "Small grants for groups carrying load without funding",
        "guidance": "This round is for groups that take people referred through social "
        "prescribing and have had no funding for it"
        + (f", such as {', '.join(names[:8])}." if names else "."),
        "question_1": "Who comes to your group, and how many are referred to you?",
        "question_2": "What would the money let you do that you cannot now?",
        "question_3": "How will you know it worked?",
    }


def public_round(request: HttpRequest, pk: int) -> HttpResponse:
    """The round as anyone may see it once decided: priorities with the evidence looked
    at, and the decisions. Before that, the people it is open to see it (to apply)."""
    round = found(lambda: selectors.round_for(request.user, pk))
    decided = round.status in selectors.PUBLIC_STATES
    applications = list(
        round.applications.exclude(status=ApplicationStatus.DRAFT).select_related("organisation")
    )
    own = None
    if has_permission(request.user, Perm.GRANT_APPLY):
        own = (
            selectors.applications_visible_to(request.user)
            .filter(round=round, organisation__in=selectors.applying_organisations(request.user))
            .first()
        )
    return render(
        request,
        "funding/round.jinja",
        {
            "round": round,
            "decided": decided,
            "summary": selectors.pot_summary(round),
            "awards": [a for a in applications if a.status == ApplicationStatus.AWARDED],
            "declined": sum(1 for a in applications if a.status == ApplicationStatus.DECLINED),
            "own": own,
            "can_apply": round.status == RoundStatus.OPEN
            and has_permission(request.user, Perm.GRANT_APPLY)
            and own is None,
            "is_funder": selectors.is_funder(request.user, round),
            "page_title": round.name,
        },
    )


def _own_round(request: HttpRequest, pk: int):
    round = found(lambda: selectors.round_for(request.user, pk))
    if not selectors.is_funder(request.user, round):
        raise Http404
    return round


def round_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The funder's page of a round: the pot, the applications with their scores, the
    decisions and payments."""
    if (refused := guard(request, Perm.GRANT_RECORD)) is not None:
        return refused
    round = _own_round(request, pk)
    return render(
        request,
        "funding/round_manage.jinja",
        {
            "round": round,
            "summary": selectors.pot_summary(round),
            "applications": selectors.applications_for_funder(round),
            "drafts": round.applications.filter(status=ApplicationStatus.DRAFT).count(),
            "next_states": sorted(transitions.allowed(round.status)),
            "decision_form": DecisionForm(),
            "payment_form": PaymentForm(),
            "page_title": round.name,
        },
    )


@require_POST
def round_transition(request: HttpRequest, pk: int) -> HttpResponse:
    if (refused := guard(request, Perm.GRANT_RECORD)) is not None:
        return refused
    round = _own_round(request, pk)
    try:
        services.transition_round(round=round, to=request.POST.get("to", ""), by=request.user)
    except (Conflict, InvalidInput) as error:
        messages.error(request, getattr(error, "message", None) or str(error))
    else:
        messages.success(request, f"The round is now {request.POST.get('to')}.")
    return redirect("funding-round-manage", pk=round.pk)


def round_payments_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Payments of a round for the funder's finance system (audited as an export)."""
    if (refused := guard(request, Perm.GRANT_RECORD)) is not None:
        return refused
    round = _own_round(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="linkwork-payments-round-{round.pk}.csv"'
    )
    out = Writer(response)
    out.writerow(
        [
            "round",
            "organisation",
            "holding_organisation",
            "awarded",
            "paid_on",
            "amount",
            "reference",
        ]
    )
    payments = Payment.objects.filter(application__round=round).select_related(
        "application__organisation"
    )
    for p in payments:
        a = p.application
        out.writerow(
            [
                round.name,
                a.organisation.name,
                a.holding_organisation,
                f"{a.decision_amount:.2f}",
                p.paid_on.isoformat(),
                f"{p.amount:.2f}",
                p.reference,
            ]
        )
    record_event(
        by=request.user,
        action="funding_payments_exported",
        object_type="funding_round",
        object_id=round.pk,
        summary=f"rows={len(payments)}",
    )
    return response

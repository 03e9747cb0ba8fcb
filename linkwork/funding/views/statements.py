"""Tariff pages: set a tariff, the month's statements (funder: every group, with approve
and paid; group: its own), and the statements as CSV for the finance system."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm
from linkwork.audit.services import record_event
from linkwork.csvsafe import Writer
from linkwork.errors import Conflict, InvalidInput
from linkwork.funding import selectors, services
from linkwork.funding.api import parse_month
from linkwork.funding.forms import PaidForm, TariffForm
from linkwork.funding.views.common import guard
from linkwork.pages import put_errors


def _month(request: HttpRequest) -> tuple[dt.date | None, str]:
    try:
        return parse_month(request.GET.get("month", "").strip()), ""
    except InvalidInput as error:
        return None, error.errors["month"]


def _recent_months(n: int = 12) -> list[dt.date]:
    first = timezone.localdate().replace(day=1)
    months = []
    for _ in range(n):
        months.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return months


def _statements_for(request: HttpRequest, month: dt.date):
    user = request.user
    services.bring_statements_up_to_date(viewer=user, month=month)
    tariffs = (
        list(selectors.tariffs_visible_to(user)) if has_permission(user, Perm.GRANT_RECORD) else []
    )
    return tariffs, list(selectors.statements_visible_to(user).filter(month=month))


def statements(request: HttpRequest) -> HttpResponse:
    """Monthly statements. Counts are the group's own connections, for the group and
    its funder only; no person is named."""
    if (refused := guard(request, Perm.GRANT_RECORD, Perm.GRANT_APPLY)) is not None:
        return refused
    month, error = _month(request)
    context = {"months": _recent_months(), "error": error, "page_title": "Statements"}
    if month is None:
        return render(request, "funding/statements.jinja", context, status=400)
    tariffs, rows = _statements_for(request, month)
    context.update(
        month=month,
        tariffs=tariffs,
        statements=rows,
        total=sum((s.amount_due for s in rows), start=services.tariffs.ZERO),
        is_funder=has_permission(request.user, Perm.GRANT_RECORD),
        paid_form=PaidForm(),
    )
    return render(request, "funding/statements.jinja", context)


def statements_csv(request: HttpRequest) -> HttpResponse:
    if (refused := guard(request, Perm.GRANT_RECORD, Perm.GRANT_APPLY)) is not None:
        return refused
    month, error = _month(request)
    if month is None:
        return HttpResponse(error, status=400, content_type="text/plain")
    _, rows = _statements_for(request, month)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="linkwork-statements-{month:%Y-%m}.csv"'
    )
    out = Writer(response)
    out.writerow(
        [
            "month",
            "tariff",
            "organisation",
            "people_started",
            "rate",
            "uncapped_amount",
            "amount_due",
            "capped",
            "status",
            "paid_reference",
        ]
    )
    for s in rows:
        out.writerow(
            [
                f"{month:%Y-%m}",
                s.tariff.name,
                s.organisation.name,
                s.people_started,
                f"{s.tariff.rate:.2f}",
                f"{s.uncapped_amount:.2f}",
                f"{s.amount_due:.2f}",
                "yes" if s.capped else "no",
                s.status,
                s.paid_reference,
            ]
        )
    record_event(
        by=request.user,
        action="funding_statements_exported",
        object_type="funding_statement",
        summary=f"month={month:%Y-%m} rows={len(rows)}",
    )
    return response


def _statement_action(request: HttpRequest, pk: int, act) -> HttpResponse:
    if (refused := guard(request, Perm.GRANT_RECORD)) is not None:
        return refused
    try:
        statement = selectors.statements_visible_to(request.user).get(pk=pk)
        act(statement)
    except ObjectDoesNotExist:
        raise Http404 from None
    except (Conflict, InvalidInput) as error:
        messages.error(request, getattr(error, "message", None) or "; ".join(error.errors.values()))
        return redirect(f"{_url('funding-statements')}?month={statement.month:%Y-%m}")
    return redirect(f"{_url('funding-statements')}?month={statement.month:%Y-%m}")


def _url(name: str) -> str:
    return reverse(name)


@require_POST
def statement_approve(request: HttpRequest, pk: int) -> HttpResponse:
    def act(statement):
        services.approve_statement(statement=statement, by=request.user)
        messages.success(request, f"Statement for {statement.organisation.name} approved.")

    return _statement_action(request, pk, act)


@require_POST
def statement_paid(request: HttpRequest, pk: int) -> HttpResponse:
    def act(statement):
        services.mark_statement_paid(
            statement=statement, reference=request.POST.get("reference", ""), by=request.user
        )
        messages.success(request, f"Statement for {statement.organisation.name} marked paid.")

    return _statement_action(request, pk, act)


def tariff_new(request: HttpRequest) -> HttpResponse:
    """Funding that follows the person: £ per person who starts at a group."""
    if (refused := guard(request, Perm.GRANT_RECORD)) is not None:
        return refused
    form = TariffForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        funder = selectors.funder_organisations(request.user).first()
        try:
            if funder is None:
                raise InvalidInput({"name": "You are not a member of a funding organisation."})
            services.create_tariff(funder=funder, **form.cleaned_data, by=request.user)
        except InvalidInput as error:
            put_errors(form, error)
        else:
            messages.success(request, "Tariff saved. Statements are worked out each month.")
            return redirect("funding-statements")
    return render(
        request,
        "funding/tariff_form.jinja",
        {"form": form, "page_title": ("Error: " if form.errors else "") + "Set a tariff"},
    )

"""Application pages: apply (save and return, check your answers), the application as
each role sees it, and the panel's, funder's and group's actions on it."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm
from linkwork.errors import Conflict, InvalidInput
from linkwork.funding import selectors, services
from linkwork.funding.forms import (
    ApplicationForm,
    ConflictForm,
    DecisionForm,
    PaymentForm,
    ReportForm,
    ScoreForm,
)
from linkwork.funding.models import Application, ApplicationStatus, RoundStatus
from linkwork.funding.views.common import found, guard
from linkwork.pages import put_errors


def _initial(draft: Application | None) -> dict:
    if draft is None:
        return {}
    initial = {
        "organisation": str(draft.organisation_id),
        "amount": f"{draft.amount:.2f}",
        "purpose": draft.purpose,
        "priority": str(draft.priority_id or ""),
        "size_band": draft.size_band,
        "holding_organisation": draft.holding_organisation,
    }
    for i, question in enumerate(draft.round.questions, start=1):
        initial[f"answer_{i}"] = draft.answers.get(question, "")
    return initial


def application_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply for your own group: save and come back, or continue to check your answers."""
    if (refused := guard(request, Perm.GRANT_APPLY)) is not None:
        return refused
    round = found(lambda: selectors.round_for(request.user, pk))
    organisations = list(selectors.applying_organisations(request.user))
    existing = {
        a.organisation_id: a
        for a in Application.objects.filter(round=round, organisation__in=organisations)
    }
    chosen = request.POST.get("organisation") or request.GET.get("organisation")
    draft = existing.get(int(chosen)) if chosen and chosen.isdigit() else None
    if draft is None and len(organisations) == 1:
        draft = existing.get(organisations[0].pk)
    if draft is not None and draft.status != ApplicationStatus.DRAFT:
        return redirect("funding-application", pk=draft.pk)
    form = ApplicationForm(
        request.POST if request.method == "POST" else None,
        initial=_initial(draft)
        or {"organisation": str(organisations[0].pk) if organisations else ""},
        round=round,
        organisations=organisations,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = next(o for o in organisations if str(o.pk) == data["organisation"])
        try:
            application = services.save_application(
                round=round,
                organisation=organisation,
                amount=data["amount"],
                purpose=data["purpose"],
                priority=data["priority"] or None,
                answers=form.answers(),
                size_band=data["size_band"],
                holding_organisation=data["holding_organisation"],
                application=existing.get(organisation.pk),
                by=request.user,
            )
        except InvalidInput as error:
            put_errors(form, error)
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("funding-round", pk=round.pk)
        else:
            if request.POST.get("action") == "save":
                messages.success(
                    request, "Saved. You can come back to it at any time before the round closes."
                )
                return redirect("funding-home")
            return redirect("funding-application-check", pk=application.pk)
    return render(
        request,
        "funding/apply.jinja",
        {
            "round": round,
            "form": form,
            "answer_fields": [form[f"answer_{i}"] for i in range(1, len(round.questions) + 1)],
            "page_title": ("Error: " if form.errors else "") + f"Apply to {round.name}",
        },
    )


def _own_draft(request: HttpRequest, pk: int) -> Application:
    application = found(lambda: selectors.application_for(request.user, pk))
    if not has_permission(request.user, Perm.GRANT_APPLY, organisation=application.organisation_id):
        raise Http404
    return application


def application_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check your answers, then send the application (the group's load is attached)."""
    if (refused := guard(request, Perm.GRANT_APPLY)) is not None:
        return refused
    application = _own_draft(request, pk)
    if application.status != ApplicationStatus.DRAFT:
        return redirect("funding-application", pk=application.pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            services.submit_application(application=application, by=request.user)
        except InvalidInput as error:
            errors = error.errors
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("funding-application", pk=application.pk)
        else:
            messages.success(
                request,
                "Your application has been sent. The panel will score it after the round closes.",
            )
            return redirect("funding-application", pk=application.pk)
    return render(
        request,
        "funding/check.jinja",
        {
            "application": application,
            "round": application.round,
            "errors": errors,
            "page_title": ("Error: " if errors else "") + "Check your answers before sending",
        },
    )


def application(request: HttpRequest, pk: int) -> HttpResponse:
    """One application, as the group, the panel member or the funder may see it: never
    any person's data, only the group's published load."""
    if (refused := guard(request)) is not None:
        return refused
    application = found(lambda: selectors.application_for(request.user, pk))
    round = application.round
    user = request.user
    is_panel = (
        selectors.is_panel_member(user, round) and application.status != ApplicationStatus.DRAFT
    )
    mine = application.scores.filter(member_id=user.pk).first() if is_panel else None
    return render(
        request,
        "funding/application.jinja",
        {
            "application": application,
            "round": round,
            "is_group": has_permission(
                user, Perm.GRANT_APPLY, organisation=application.organisation_id
            ),
            "is_panel": is_panel,
            "is_funder": selectors.is_funder(user, round),
            "conflicted": is_panel and services.is_conflicted(application, user),
            "your_score": mine,
            "score_form": ScoreForm(
                initial={"score": str(mine.score), "comment": mine.comment} if mine else None
            ),
            "conflict_form": ConflictForm(),
            "decision_form": DecisionForm(),
            "payment_form": PaymentForm(),
            "scores": selectors.scores_of(application) if selectors.is_funder(user, round) else [],
            "paid": services.paid_total(application),
            "report": getattr(application, "report", None)
            if hasattr(application, "report")
            else None,
            "scoring": round.status == RoundStatus.SCORING,
            "page_title": f"Application from {application.organisation.name}",
        },
    )


def _act(
    request: HttpRequest,
    pk: int,
    perm: Perm,
    form_class,
    act,
    done: str,
    back: str = "funding-application",
):
    """Run a POSTed action on an application: the form, then the service; errors come
    back as messages on the application's page."""
    if (refused := guard(request, perm)) is not None:
        return refused
    application = found(lambda: selectors.application_for(request.user, pk))
    form = form_class(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    else:
        try:
            act(application, form.cleaned_data)
        except ObjectDoesNotExist:
            raise Http404 from None
        except InvalidInput as error:
            for message in error.errors.values():
                messages.error(request, message)
        except Conflict as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
    target = application.round_id if back == "funding-round-manage" else application.pk
    return redirect(back, pk=target)


@require_POST
def application_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        Perm.PANEL_DECIDE,
        ConflictForm,
        lambda a, d: services.declare_conflict(application=a, reason=d["reason"], by=request.user),
        "Your conflict of interest is recorded: you will not score this application.",
    )


@require_POST
def application_score(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        Perm.PANEL_DECIDE,
        ScoreForm,
        lambda a, d: services.score_application(
            application=a, score=d["score"], comment=d["comment"], by=request.user
        ),
        "Your score is saved.",
    )


@require_POST
def application_decision(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        Perm.GRANT_RECORD,
        DecisionForm,
        lambda a, d: services.decide_application(
            application=a,
            decision=d["decision"],
            amount=d["amount"] or None,
            reason=d["reason"],
            by=request.user,
        ),
        "Decision recorded.",
        back="funding-round-manage",
    )


@require_POST
def application_payment(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        Perm.GRANT_RECORD,
        PaymentForm,
        lambda a, d: services.record_payment(
            application=a,
            paid_on=d["paid_on"],
            amount=d["amount"],
            reference=d["reference"],
            by=request.user,
        ),
        "Payment recorded.",
        back="funding-round-manage",
    )


def application_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The end-of-grant report: what happened, and one story with consent. Nothing more."""
    if (refused := guard(request, Perm.GRANT_APPLY)) is not None:
        return refused
    application = _own_draft(request, pk)
    if application.status != ApplicationStatus.AWARDED:
        raise Http404
    report = getattr(application, "report", None) if hasattr(application, "report") else None
    initial = (
        {
            "what_happened": report.what_happened,
            "story": report.story,
            "story_consent": report.story_consent,
        }
        if report
        else None
    )
    form = ReportForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_on_grant(application=application, **form.cleaned_data, by=request.user)
        except InvalidInput as error:
            put_errors(form, error)
        else:
            messages.success(request, "Thank you: your report is saved. That is all we ask.")
            return redirect("funding-application", pk=application.pk)
    return render(
        request,
        "funding/report.jinja",
        {
            "application": application,
            "form": form,
            "page_title": ("Error: " if form.errors else "") + "Tell us how the grant went",
        },
    )

"""Outcome pages: the link worker's (from the case page) and the person's questionnaire link.

Link workers' pages need Perm.CASEWORK and a referral of their own service (404 for
any other). The person's page needs no sign-in: the token in the link is the key, it
works once and expires; an unknown link is a 404 and a spent one a 410, each a polite
page, and nothing is written.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from linkwork.accounts.decorators import permission_required
from linkwork.accounts.roles import Perm
from linkwork.errors import Conflict, InvalidInput
from linkwork.outcomes import selectors, services
from linkwork.outcomes.forms import (
    CONTACT_LABELS,
    FLAG_LABELS,
    MONEY_LABELS,
    LinkForm,
    OtherOutcomesForm,
    QuestionnaireForm,
)
from linkwork.outcomes.instruments import Instrument, UnknownInstrument, instrument, ordered
from linkwork.outcomes.models import OtherOutcomes, Timepoint
from linkwork.pages import put_errors, submitted
from linkwork.referrals import selectors as referral_selectors
from linkwork.referrals import throttle
from linkwork.referrals import transitions as t
from linkwork.referrals.models import FollowUpKind, Plan, Referral
from linkwork.referrals.prescription import text_channel

casework = permission_required(Perm.CASEWORK)
REVIEWS = (FollowUpKind.SIX_WEEKS, FollowUpKind.TWELVE_WEEKS)


def _case(request: HttpRequest, pk: int) -> Referral:
    """A referral of the user's own service (the read is audited), else 404."""
    referral = referral_selectors.referral_for(request.user, pk)
    if not referral_selectors.is_case_worker(request.user, referral):
        raise Http404
    return referral


def _instrument(code: str) -> Instrument:
    try:
        return instrument(code)
    except UnknownInstrument:
        raise Http404 from None


def _outcomes_url(referral: Referral, anchor: str = "") -> str:
    return reverse("outcomes-case", args=[referral.pk]) + (f"#{anchor}" if anchor else "")


def _goals(referral: Referral) -> list[str]:
    plan = Plan.objects.filter(referral=referral).first()
    return list(plan.goals) if plan else []


# --- The link worker's outcomes page --------------------------------------------------


@casework
def outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    """Change since baseline per measure, what has been recorded, what to record next,
    other outcomes, and the questionnaire link."""
    referral = _case(request, pk)
    return _outcomes_page(request, referral)


def _outcomes_page(request: HttpRequest, referral: Referral, link_form=None) -> HttpResponse:
    ready, waiting = selectors.link_choices()
    due = [
        f
        for f in referral.follow_ups.pending().filter(kind__in=REVIEWS)
        if f.due_on <= timezone.localdate()
    ]
    responses = selectors.responses_of(referral)
    used = {r.instrument for r in responses}
    context = {
        "referral": referral,
        "person": referral.person,
        "changes": selectors.person_changes(referral),
        "responses": responses,
        "instruments": ordered(),
        "names": {found.code: found.short_name for found in ordered()},
        "recorded_once": selectors.recorded_once(referral),
        "open": referral.status in t.OPEN_REFERRAL_STATES,
        "closed": referral.status == t.CLOSED,
        "ended": referral.status in t.TURNED_AWAY,
        "other": OtherOutcomes.objects.filter(referral=referral).first(),
        "labels": MONEY_LABELS | FLAG_LABELS | CONTACT_LABELS,
        "link_form": link_form
        or LinkForm(
            choices=ready,
            initial={"instruments": [f.code for f in selectors.due_follow_up(referral)]},
        ),
        "link_waiting": waiting,
        "text_channel": text_channel(referral),
        "link_days": services.link_days(),
        "due_reviews": due,
        "due_instruments": selectors.due_follow_up(referral),
        "prompt_follow_up": request.GET.get("timepoint") == Timepoint.FOLLOW_UP or bool(due),
        "notices": [found for found in ordered() if found.code in used or found.licensed_wording],
        "has_goals": bool(_goals(referral)),
        "page_title": "Outcomes",
    }
    return render(request, "outcomes/case.jinja", context)


@casework
def record(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Record one questionnaire: radios per item (works without JavaScript)."""
    referral = _case(request, pk)
    found = _instrument(code)
    wording = selectors.item_wording(code)
    goals = _goals(referral) if found.items_from_plan else None
    timepoint = request.GET.get("timepoint")
    form = QuestionnaireForm(
        request.POST if request.method == "POST" else None,
        instrument=found,
        wording=wording,
        goals=goals,
        with_timepoint=True,
        with_date=True,
        initial={"timepoint": timepoint if timepoint in Timepoint.values else None},
    )
    if request.method == "POST" and form.is_valid():
        done = submitted(
            request,
            form,
            lambda: services.record_response(
                referral=referral,
                instrument_code=found.code,
                timepoint=form.cleaned_data["timepoint"],
                answers=form.answers(),
                completed_on=form.answered_on(),
                by=request.user,
            ),
            said=lambda response: _recorded_message(found, response),
            then=_outcomes_url(referral, "change"),
        )
        if done:
            return done
    return render(
        request,
        "outcomes/record.jinja",
        {
            "referral": referral,
            "person": referral.person,
            "instrument": found,
            "form": form,
            "wording_missing": found.licensed_wording and not all(wording),
            "no_goals": found.items_from_plan and not goals,
            "page_title": f"Record {found.short_name}",
        },
    )


def _recorded_message(found: Instrument, response) -> str:
    when = Timepoint(response.timepoint).label.lower()
    if not response.complete:
        return f"{found.short_name} {when} saved as incomplete: it is not scored."
    if found.code == "ons4":
        return f"{found.short_name} {when} recorded."
    return f"{found.short_name} {when} recorded: score {response.score.normalize():f}."


@casework
def other_outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    """Income, debt, grants, volunteering, groups and healthcare use."""
    referral = _case(request, pk)
    existing = OtherOutcomes.objects.filter(referral=referral).first()
    form = OtherOutcomesForm(
        request.POST if request.method == "POST" else None,
        initial=OtherOutcomesForm.initial_from(existing),
    )
    if request.method == "POST" and form.is_valid():
        done = submitted(
            request,
            form,
            lambda: services.save_other_outcomes(
                referral=referral, values=form.values(), by=request.user
            ),
            said="Other outcomes saved.",
            then=_outcomes_url(referral, "other"),
        )
        if done:
            return done
    return render(
        request,
        "outcomes/other.jinja",
        {
            "referral": referral,
            "person": referral.person,
            "form": form,
            "money": list(MONEY_LABELS),
            "flags": list(FLAG_LABELS),
            "contacts": list(CONTACT_LABELS),
            "page_title": "Other outcomes",
        },
    )


@casework
@require_POST
def send_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a one-use questionnaire link; show it once, and email it if asked."""
    referral = _case(request, pk)
    ready, _ = selectors.link_choices()
    form = LinkForm(request.POST, choices=ready, auto_id="link-%s")
    if form.is_valid():
        try:
            link, url = services.create_questionnaire_link(
                referral=referral,
                instruments=form.cleaned_data["instruments"],
                base_url=request.build_absolute_uri("/"),
                email=form.cleaned_data["email"],
                text=form.cleaned_data["text"],
                by=request.user,
            )
        except (InvalidInput, Conflict) as error:
            put_errors(form, error)
        else:
            response = render(
                request,
                "outcomes/link_made.jinja",
                {
                    "referral": referral,
                    "person": referral.person,
                    "link": link,
                    "link_url": url,
                    "emailed": form.cleaned_data["email"],
                    "texted": form.cleaned_data["text"],
                    "names": {found.code: found.short_name for found in ordered()},
                    "page_title": "Questionnaire link",
                },
            )
            response["Cache-Control"] = "no-store"  # the link is shown once
            return response
    return _outcomes_page(request, referral, link_form=form)


# --- The person's questionnaire, by link ----------------------------------------------


# What went wrong with a link -> the page's heading (the page explains each in words).
LINK_PROBLEMS = {
    "used": gettext_lazy("This link has already been used"),
    "expired": gettext_lazy("This link has expired"),
    "not_needed": gettext_lazy("This link is no longer needed"),
    "throttled": gettext_lazy("Please try again later"),
    "unknown": gettext_lazy("This link does not work"),
}


def _link_problem(request: HttpRequest, why: str, status: int) -> HttpResponse:
    title = str(LINK_PROBLEMS[why])
    response = render(
        request,
        "outcomes/link_problem.jinja",
        {"why": why, "title": title, "page_title": title},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


def _throttled(request: HttpRequest) -> bool:
    """Answers and unknown links are counted against the address (guessing links)."""
    return not throttle.allow(
        f"questionnaire:{throttle.client_address(request)}",
        limit=int(getattr(settings, "QUESTIONNAIRE_LIMIT_PER_HOUR", 20)),
    )


def _link_forms(link, data=None) -> list[tuple[Instrument, QuestionnaireForm]]:
    return [
        (
            instrument(code),
            QuestionnaireForm(
                data,
                instrument=instrument(code),
                wording=selectors.item_wording(code),
                prefix=code,
                require_an_answer=False,
            ),
        )
        for code in link.instruments
    ]


@never_cache
def questionnaire(request: HttpRequest, token: str) -> HttpResponse:
    """The person answers their follow-up questionnaires. Nothing about them is shown:
    whoever holds the link learns nothing from it."""
    try:
        link = services.open_link(token)
    except services.LinkNotFound:
        if _throttled(request):
            return _link_problem(request, "throttled", 429)
        return _link_problem(request, "unknown", 404)
    except services.LinkGone as gone:
        return _link_problem(request, gone.reason, 410)
    if request.method == "POST" and _throttled(request):
        return _link_problem(request, "throttled", 429)
    pairs = _link_forms(link, request.POST if request.method == "POST" else None)
    if request.method == "POST" and all(form.is_valid() for _, form in pairs):
        answers = {found.code: form.answers() for found, form in pairs}
        if not any(a is not None for given in answers.values() for a in given):
            pairs[0][1].add_error(None, "Answer at least one question.")
        else:
            try:
                services.complete_questionnaire_link(token=token, answers=answers)
            except services.LinkGone as gone:
                return _link_problem(request, gone.reason, 410)
            except services.LinkNotFound:
                return _link_problem(request, "unknown", 404)
            except (InvalidInput, Conflict):
                pairs[0][1].add_error(None, "Some answers could not be saved: please check them.")
            else:
                return redirect("questionnaire-done")
    response = render(
        request,
        "outcomes/questionnaire.jinja",
        {
            "pairs": pairs,
            "expires_at": link.expires_at,
            "forms": [form for _, form in pairs],
            "page_title": gettext("A few questions about how you are"),
        },
    )
    return response


def questionnaire_done(request: HttpRequest) -> HttpResponse:
    return render(
        request, "outcomes/questionnaire_done.jinja", {"page_title": gettext("Thank you")}
    )

"""A referrer's pages: make a referral, the referrals they made, and what happened to each.

Referrers see status, history and the closure summary; never case notes, conversations
or plans, which stay on the link workers' pages.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from linkwork import paging
from linkwork.accounts.decorators import permission_required
from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm
from linkwork.directory.models import Organisation
from linkwork.errors import InvalidInput
from linkwork.pages import put_errors
from linkwork.referrals import selectors, services, worklists
from linkwork.referrals import transitions as t
from linkwork.referrals.forms_referrer import ReferralForm
from linkwork.referrals.forms_worklists import ReferrerFilterForm
from linkwork.referrals.matching import other_open_referrals
from linkwork.referrals.models import Connection, FeedbackRequest, Referral, UnmetReason


def services_to_choose(referrer_organisation: Organisation | None) -> list[Organisation] | None:
    """The services to choose between when the receiving service is not obvious: [] when
    it is (services.receiving_service decides), None when the deployment has none yet."""
    try:
        services.receiving_service(referrer_organisation=referrer_organisation)
    except InvalidInput:
        return list(selectors.social_prescribing_services()) or None
    return []


@permission_required(Perm.REFERRAL_CREATE)
def referral_new(request: HttpRequest) -> HttpResponse:
    organisation = selectors.referring_organisation(request.user)
    choices = services_to_choose(organisation)
    form = ReferralForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        services=choices or [],
    )
    if request.method == "POST" and choices is not None and form.is_valid():
        try:
            referral = services.create_referral(
                **form.referral(), referrer_organisation=organisation, by=request.user
            )
        except InvalidInput as error:
            put_errors(form, error)
        else:
            messages.success(
                request,
                f"Your referral has been sent to {referral.service.name}. A link worker aims "
                f"to contact the person within {settings.FIRST_CONTACT_WORKING_DAYS} working "
                "days.",
            )
            _say_if_already_open(request, referral)
            return redirect(_after_referring(request, referral))
    return render(
        request,
        "referrals/referrer/new.jinja",
        {
            "form": form,
            "unavailable": choices is None,
            "organisation": organisation,
            "page_title": ("Error: " if form.errors else "") + "Refer someone",
        },
    )


def _say_if_already_open(request: HttpRequest, referral: Referral) -> None:
    """A clinician referring someone who already has an open referral is told at once,
    so it is not mistaken for new work. No name: messages can travel in a cookie."""
    others = other_open_referrals([referral])[referral.pk]
    if not others:
        return
    first = others[0]
    made_on = f"{timezone.localtime(first.referral.received_at):%-d %B %Y}"
    who = "This person" if first.same_person else "Someone with the same name and date of birth"
    messages.warning(
        request,
        f"{who} already has an open referral with {referral.service.name}, made on "
        f"{made_on}. The link worker will see the two referrals together"
        + ("." if first.same_person else " and check whether they are the same person."),
    )


def _after_referring(request: HttpRequest, referral: Referral) -> str:
    """Referrers follow their referral; a link worker who referred opens the case."""
    if has_permission(request.user, Perm.REFERRAL_VIEW_OWN):
        return reverse("referral-status", args=[referral.pk])
    if selectors.is_case_worker(request.user, referral):
        return reverse("referral-detail", args=[referral.pk])
    return reverse("home")


@permission_required(Perm.REFERRAL_VIEW_OWN)
def referral_list(request: HttpRequest) -> HttpResponse:
    """The referrals the user made: returned and declined first (they need the referrer),
    searchable by the details the referrer gave, filtered in the URL with counts."""
    q = request.GET.get("q", "")
    counts = selectors.referrer_counts(request.user, q=q)
    form = ReferrerFilterForm(request.GET or None, counts=counts)
    q, show, sort = form.value("q"), form.value("show"), form.value("sort", "urgency")
    page = paging.page_of(
        request, selectors.referrals_made_by(request.user, q=q, show=show, sort=sort)
    )
    if q.strip():
        worklists.audit_search(request.user, list_name="referrer", results=page.paginator.count)
    selectors.audit_listed(request.user, page.object_list)
    return render(
        request,
        "referrals/referrer/list.jinja",
        {
            "page": page,
            "form": form,
            "q": q,
            "links": paging.pagination_links(request, page),
            "page_title": "Your referrals",
        },
    )


@permission_required(Perm.REFERRAL_VIEW_OWN)
def referral_status(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_for(request.user, pk)
    services.referrer_saw_the_end(referral=referral, by=request.user)
    closure = selectors.closure_summary(referral) if t.is_ended(referral.status) else None
    return render(
        request,
        "referrals/referrer/status.jinja",
        {
            "referral": referral,
            "closure": closure,
            "need_names": {u.category.code: u.category.name for u in referral.unmet_needs.all()},
            "unmet_reasons": dict(UnmetReason.choices),
            "connection_states": dict(Connection._meta.get_field("status").choices),
            "ratings": FeedbackRequest.RATINGS,
            "page_title": "Referral",
        },
    )

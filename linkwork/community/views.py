"""Pages of the community app: say what is missing (an interest), emerging groups, grants."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from linkwork.accounts.decorators import permission_required
from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm
from linkwork.community import selectors, services
from linkwork.community.forms import GrantForm, InterestForm
from linkwork.disclosure import display
from linkwork.errors import InvalidInput
from linkwork.pages import put_errors
from linkwork.referrals import throttle


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(
        request, "community/too_many.jinja", {"page_title": _("Please try again later")}, status=429
    )


def interest_new(request: HttpRequest) -> HttpResponse:
    """Anyone may say what is missing (no account needed); a link worker records it on
    someone's behalf. A honeypot and a rate limit per address keep robots out."""
    on_behalf = request.user.is_authenticated and has_permission(request.user, Perm.CASEWORK)
    form = InterestForm(request.POST if request.method == "POST" else None, on_behalf=on_behalf)
    if request.method == "POST":
        if form.is_from_a_robot():
            return redirect("interest-sent")  # it looks sent; nothing is saved
        if form.is_valid():
            if not throttle.allow(
                f"interest:{throttle.client_address(request)}",
                limit=settings.INTEREST_LIMIT_PER_HOUR,
            ):
                return _too_many(request)
            try:
                services.register_interest(**form.interest(), by=request.user)
            except InvalidInput as error:
                put_errors(form, error)
            else:
                return redirect("interest-sent")
    title = _("Record what someone would join") if on_behalf else _("Tell us what is missing")
    return render(
        request,
        "community/interest_form.jinja",
        {
            "form": form,
            "on_behalf": on_behalf,
            "page_title": (_("Error: ") if form.errors else "") + title,
        },
    )


def interest_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "community/interest_sent.jinja",
        {"page_title": _("Thank you: we have noted what is missing")},
    )


@permission_required(Perm.EMERGING_GROUPS_VIEW)
def emerging_groups(request: HttpRequest) -> HttpResponse:
    """Clusters of interests with no open group answering them: counts only, never names,
    small numbers withheld."""
    return render(
        request,
        "community/emerging_groups.jinja",
        {
            "groups": selectors.emerging_groups(),
            "threshold": settings.EMERGING_GROUP_THRESHOLD,
            "disclosure_threshold": settings.DISCLOSURE_THRESHOLD,
            "display": display,
            "page_title": "Emerging groups",
        },
    )


@permission_required(Perm.GRANT_RECORD)
def grant_list(request: HttpRequest) -> HttpResponse:
    grants = list(selectors.grants())
    return render(
        request,
        "community/grants.jinja",
        {
            "grants": grants,
            "total": sum(grant.amount for grant in grants),
            "page_title": "Grants to community groups",
        },
    )


@permission_required(Perm.GRANT_RECORD)
def grant_new(request: HttpRequest) -> HttpResponse:
    form = GrantForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.record_grant(**form.grant(), by=request.user)
        except InvalidInput as error:
            put_errors(form, error)
        else:
            messages.success(
                request, f"Grant of £{grant.amount:,} to {grant.organisation} recorded."
            )
            return redirect("grant-list")
    return render(
        request,
        "community/grant_form.jinja",
        {"form": form, "page_title": ("Error: " if form.errors else "") + "Record a grant"},
    )

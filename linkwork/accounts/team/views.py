"""Team pages: the members and their caseloads, invitations, sharing out cases, and
adding an organisation. Thin: each checks, then calls a selector or a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from linkwork.accounts.decorators import permission_required
from linkwork.accounts.models import User
from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import ROLES, Perm, Role
from linkwork.accounts.team import selectors, services
from linkwork.accounts.team.forms import (
    AcceptInvitationForm,
    InviteForm,
    OrganisationForm,
    ReassignForm,
)
from linkwork.accounts.team.models import Invitation
from linkwork.directory.models import OrganisationKind
from linkwork.errors import Conflict, Forbidden, InvalidInput
from linkwork.pages import put_errors
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Referral
from linkwork.referrals.selectors import audit_listed


def _organisation_id(request: HttpRequest) -> int | None:
    raw = request.GET.get("organisation") or request.POST.get("organisation") or ""
    return int(raw) if raw.isdigit() else None


def _team_or_403(request: HttpRequest):
    organisation = selectors.team_for(request.user, _organisation_id(request))
    if organisation is None:
        raise PermissionDenied
    return organisation


def _team_url(organisation) -> str:
    return reverse("team") + f"?organisation={organisation.pk}"


def _team_page(request: HttpRequest, organisation, form: InviteForm | None = None):
    roles = selectors.roles_user_may_invite(request.user, organisation)
    with_caseloads = organisation.kind == OrganisationKind.SOCIAL_PRESCRIBING_SERVICE and (
        has_permission(request.user, Perm.TEAM_CASELOADS, organisation=organisation)
    )
    context = {
        "organisation": organisation,
        "teams": selectors.teams_of(request.user),
        "members": selectors.members_of(organisation, with_caseloads=with_caseloads),
        "with_caseloads": with_caseloads,
        "unassigned": selectors.unassigned_open_cases(organisation) if with_caseloads else 0,
        "invitations": selectors.pending_invitations(organisation),
        "form": form or InviteForm(roles=roles),
        "can_invite": bool(roles),
        "role_labels": {role.value: info.label for role, info in ROLES.items()},
        "page_title": ("Error: " if form is not None and form.errors else "")
        + f"Team: {organisation}",
    }
    return render(request, "accounts/team/team.jinja", context)


@login_required
def team(request: HttpRequest) -> HttpResponse:
    """Who is in the team, what each holds and what is overdue, and who is invited."""
    return _team_page(request, _team_or_403(request))


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    organisation = _team_or_403(request)
    roles = selectors.roles_user_may_invite(request.user, organisation)
    if not roles:
        raise PermissionDenied
    form = InviteForm(request.POST, roles=roles)
    if form.is_valid():
        try:
            invitation, _ = services.invite_colleague(
                email=form.cleaned_data["email"],
                organisation=organisation,
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except InvalidInput as error:
            put_errors(form, error)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email}. The link works once, for "
                f"{Invitation.lifetime().days} days.",
            )
            return redirect(_team_url(organisation))
    return _team_page(request, organisation, form)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _team_or_403(request)
    invitation = Invitation.objects.filter(pk=pk, organisation=organisation).first()
    if invitation is None:
        raise Http404
    services.withdraw_invitation(invitation=invitation, by=request.user)
    messages.success(request, f"Invitation to {invitation.email} withdrawn.")
    return redirect(_team_url(organisation))


def _service_team_or_403(request: HttpRequest):
    organisation = _team_or_403(request)
    if not has_permission(request.user, Perm.TEAM_CASELOADS, organisation=organisation):
        raise PermissionDenied
    return organisation


@permission_required(Perm.TEAM_CASELOADS)
def cases(request: HttpRequest) -> HttpResponse:
    """One link worker's open cases (or those nobody holds), each with "Assign to"."""

    organisation = _service_team_or_403(request)
    team = selectors.link_workers_of(organisation)
    raw_worker = request.GET.get("worker", "")
    worker = next((u for u in team if str(u.pk) == raw_worker), None)
    if raw_worker not in ("", "none") and worker is None:
        raise Http404
    referrals = list(selectors.cases_of(organisation, worker.pk if worker else None)[:200])
    audit_listed(request.user, referrals)
    forms = {
        referral.pk: ReassignForm(
            team=team,
            initial={"assigned_to": referral.assigned_to_id},
            auto_id=f"r{referral.pk}_%s",
        )
        for referral in referrals
    }
    who = (worker.full_name or worker.email) if worker else "Not assigned"
    return render(
        request,
        "accounts/team/cases.jinja",
        {
            "organisation": organisation,
            "worker": worker,
            "who": who,
            "referrals": referrals,
            "forms": forms,
            "overdue": {
                r.pk
                for r in referrals
                if selectors.overdue(r.first_contact_due, r.first_contacted_at)
            },
            "page_title": f"Cases: {who}",
        },
    )


@permission_required(Perm.TEAM_CASELOADS)
@require_POST
def reassign(request: HttpRequest, pk: int) -> HttpResponse:

    organisation = _service_team_or_403(request)
    referral = (
        Referral.objects.filter(pk=pk, service=organisation, status__in=t.OPEN_REFERRAL_STATES)
        .select_related("assigned_to")
        .first()
    )
    if referral is None:
        raise Http404
    back = request.POST.get("back_worker", "")
    back_url = reverse("team-cases") + f"?organisation={organisation.pk}&worker={back or 'none'}"
    form = ReassignForm(request.POST, team=selectors.link_workers_of(organisation))
    if not form.is_valid():
        messages.error(request, "Select a link worker in this service to give the case to.")
        return redirect(back_url)
    worker = form.link_worker()
    try:
        services.reassign_case(referral=referral, link_worker=worker, by=request.user)
    except (InvalidInput, Forbidden) as error:
        messages.error(request, getattr(error, "message", None) or str(error))
    else:
        messages.success(
            request,
            f"Referral {referral.reference} is now with {worker.full_name or worker.email}.",
        )
    return redirect(back_url)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person's page: a new account chooses its name and password; someone
    with an account joins once signed in as the invited address. Then: sign in."""
    found = selectors.invitation_for_link(token)
    if found is None:
        raise Http404
    if not found.is_usable:
        return render(
            request,
            "accounts/team/invitation_unusable.jinja",
            {"invitation": found, "page_title": "This invitation link has expired or been used"},
            status=410,
        )

    has_account = User.objects.filter(email=found.email).exists()
    form = AcceptInvitationForm(request.POST or None) if not has_account else None
    signed_in_as_invited = request.user.is_authenticated and request.user.email == found.email
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            services.accept_invitation(
                invitation=found,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password"] if form else "",
                by=request.user if request.user.is_authenticated else None,
            )
        except InvalidInput as error:
            put_errors(form, error)
        except (Conflict, Forbidden) as error:
            messages.error(request, error.message)
        else:
            if signed_in_as_invited:
                messages.success(request, f"You have joined {found.organisation}.")
                return redirect("home")
            # The normal sign-in: whatever it asks of a new account happens there.
            messages.success(
                request,
                f"Your account is ready. Sign in with {found.email} and the password you chose.",
            )
            return redirect(reverse("login") + "?next=" + reverse("home"))
    return render(
        request,
        "accounts/team/invitation.jinja",
        {
            "invitation": found,
            "role_label": ROLES[Role(found.role)].label.lower(),
            "form": form,
            "has_account": has_account,
            "signed_in_as_invited": signed_in_as_invited,
            "page_title": ("Error: " if form is not None and form.errors else "")
            + f"Join {found.organisation}",
        },
    )


@permission_required(Perm.ORGANISATION_CREATE)
def organisation_new(request: HttpRequest) -> HttpResponse:
    """Add an organisation (a new community group) and go on to invite its first member."""
    kinds = selectors.kinds_user_may_create(request.user)
    form = OrganisationForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(**form.cleaned_data, by=request.user)
        except InvalidInput as error:
            put_errors(form, error)
        else:
            messages.success(request, f"{organisation} added. Invite the first person who runs it.")
            return redirect(_team_url(organisation))
    return render(
        request,
        "accounts/team/organisation_new.jinja",
        {
            "form": form,
            "page_title": ("Error: " if form.errors else "") + "Add an organisation",
        },
    )

"""Writes for teams: invitations, reassignment and new organisations. Each is audited."""

import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from linkwork.accounts.models import Membership, User
from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import ROLES, Perm, Role
from linkwork.accounts.services import create_user, grant_role, token_digest
from linkwork.accounts.team.models import Invitation
from linkwork.accounts.team.selectors import kinds_user_may_create, roles_user_may_invite
from linkwork.audit.services import record_event
from linkwork.directory.models import Organisation
from linkwork.errors import Conflict, Forbidden, InvalidInput
from linkwork.notifications.services import send
from linkwork.referrals.services import assign_referral


def invitation_link(raw_token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("invitation", args=[raw_token])


@transaction.atomic
def invite_colleague(
    *, email: str, organisation: Organisation, role: Role | str, by: AbstractBaseUser
) -> tuple[Invitation, str]:
    """Invite someone into `organisation` with `role`, if `by` may (roles.INVITES).

    One live invitation per person, organisation and role: sending again withdraws the
    earlier link. Returns the invitation and the link's secret, which is never stored.
    """
    role = Role(role)
    if role not in roles_user_may_invite(by, organisation):
        raise Forbidden(f"You cannot invite a {ROLES[role].label.lower()} here.")
    email = email.strip().lower()
    if Membership.objects.filter(
        user__email=email, organisation=organisation, role=role.value
    ).exists():
        raise InvalidInput(
            {"email": f"{email} is already a {ROLES[role].label.lower()} in {organisation}."}
        )
    now = timezone.now()
    Invitation.objects.pending().filter(
        email=email, organisation=organisation, role=role.value
    ).update(withdrawn_at=now)
    raw = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        organisation=organisation,
        role=role.value,
        digest=token_digest(raw),
        invited_by=by,
        expires_at=now + Invitation.lifetime(),
    )
    record_event(
        by=by,
        action="invitation_sent",
        object_type="invitation",
        object_id=invitation.pk,
        summary=f"role={role.value} organisation={organisation.pk}",
    )
    inviter = getattr(by, "full_name", "") or "A colleague"
    send(
        to=[email],
        subject=f"You are invited to join {organisation} on Linkwork",
        body=(
            f"{inviter} has invited you to join {organisation} on Linkwork as a "
            f"{ROLES[role].label.lower()}.\n\n"
            f"Accept the invitation and choose your password here:\n{invitation_link(raw)}\n\n"
            f"The link works once and expires on {invitation.expires_at:%-d %B %Y}. "
            "If you were not expecting it, you can ignore this email."
        ),
    )
    return invitation, raw


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, by: AbstractBaseUser) -> Invitation:
    """Stop an unused invitation's link working (idempotent)."""
    if invitation.accepted_at is None and invitation.withdrawn_at is None:
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at"])
        record_event(
            by=by, action="invitation_withdrawn", object_type="invitation", object_id=invitation.pk
        )
    return invitation


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput({"password": " ".join(error.messages)}) from None


@transaction.atomic
def accept_invitation(
    *,
    invitation: Invitation,
    full_name: str = "",
    password: str = "",
    by: AbstractBaseUser | None,
) -> User:
    """Take up an invitation: a new account sets its own name and password; someone who
    already has an account must be signed in as the invited address. The link then stops
    working. Signing in (and whatever it asks of a new account) comes next."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        state = "used" if invitation.accepted_at else "no longer valid"
        raise Conflict(f"This invitation has been {state}.", current_state=state)
    user = User.objects.filter(email=invitation.email).first()
    if user is None:
        if not full_name.strip():
            raise InvalidInput({"full_name": "Enter your full name"})
        candidate = User(email=invitation.email, full_name=full_name.strip())
        _check_password(password, candidate)
        try:
            user = create_user(
                email=invitation.email, password=password, full_name=full_name.strip(), by=None
            )
        except IntegrityError:  # someone made the account a moment ago
            raise Conflict("An account with this email address already exists.") from None
    elif by is None or by.pk != user.pk:
        raise Forbidden("Sign in as the person this invitation was sent to.")
    grant_role(user=user, organisation=invitation.organisation, role=Role(invitation.role), by=user)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_event(
        by=user, action="invitation_accepted", object_type="invitation", object_id=invitation.pk
    )
    return user


def reassign_case(*, referral, link_worker: User, by: AbstractBaseUser):
    """Give an open case to another link worker of the same service. Service managers of
    that service (and administrators) may; the link worker must be in the service."""

    if not has_permission(by, Perm.TEAM_CASELOADS, organisation=referral.service_id):
        raise Forbidden("Only the service's managers can share out its cases.")
    return assign_referral(referral=referral, link_worker=link_worker, by=by)


@transaction.atomic
def create_organisation(
    *,
    name: str,
    kind: str,
    email: str = "",
    website: str = "",
    description: str = "",
    by: AbstractBaseUser,
) -> Organisation:
    """Add an organisation (a new community group, most often) without Django admin.
    The same name and kind twice is refused, naming the one that exists."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput({"name": "Enter the organisation's name"})
    if kind not in dict(kinds_user_may_create(by)):
        raise InvalidInput({"kind": "Select what kind of organisation it is"})
    existing = Organisation.objects.filter(name__iexact=name, kind=kind).first()
    if existing is not None:
        raise InvalidInput({"name": f"{existing.name} is already in Linkwork"})
    organisation = Organisation.objects.create(
        name=name, kind=kind, email=email, website=website, description=description
    )
    record_event(
        by=by,
        action="organisation_created",
        object_type="organisation",
        object_id=organisation.pk,
        summary=f"kind={kind}",
    )
    return organisation

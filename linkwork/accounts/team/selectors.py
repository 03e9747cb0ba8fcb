"""Reads for the team pages, each scoped to the viewer."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Q
from django.utils import timezone

from linkwork.accounts.models import Membership, User
from linkwork.accounts.permissions import (
    has_permission,
    memberships_of,
    organisations_with_permission,
)
from linkwork.accounts.roles import (
    DEPLOYMENT_WIDE_ROLES,
    FIRST_MEMBER_INVITES,
    INVITES,
    ROLES,
    Perm,
    Role,
)
from linkwork.accounts.services import token_digest
from linkwork.accounts.team.models import Invitation
from linkwork.directory.models import Organisation, OrganisationKind
from linkwork.referrals import transitions as t
from linkwork.referrals.models import FollowUp, Referral

# The kinds of organisation each role may add. Link workers add the community groups
# they meet; administrators add anything.
CREATABLE_KINDS: dict[Role, tuple[str, ...]] = {
    Role.LINK_WORKER: (OrganisationKind.VCFSE, OrganisationKind.UNCONSTITUTED_GROUP),
    Role.SERVICE_MANAGER: (OrganisationKind.VCFSE, OrganisationKind.UNCONSTITUTED_GROUP),
    Role.ADMIN: tuple(OrganisationKind.values),
}


def roles_user_may_invite(user: AbstractBaseUser, organisation: Organisation) -> list[Role]:
    """The roles `user` may invite someone into `organisation` with (roles.INVITES), in
    the order of ROLES. Someone who may add organisations invites the first member of
    one that has nobody yet (roles.FIRST_MEMBER_INVITES)."""
    allowed: set[Role] = set()
    for role, member_of in memberships_of(user):
        if member_of == organisation.pk or role in DEPLOYMENT_WIDE_ROLES:
            allowed |= INVITES.get(role, frozenset())
    if has_permission(user, Perm.ORGANISATION_CREATE) and not organisation.memberships.exists():
        for role, _ in memberships_of(user):
            allowed |= FIRST_MEMBER_INVITES.get(role, frozenset())
    return [role for role in ROLES if role in allowed]


def kinds_user_may_create(user: AbstractBaseUser) -> list[tuple[str, str]]:
    kinds = {kind for role, _ in memberships_of(user) for kind in CREATABLE_KINDS.get(role, ())}
    return [(value, label) for value, label in OrganisationKind.choices if value in kinds]


def teams_of(user: AbstractBaseUser) -> list[Organisation]:
    """The organisations whose team the user runs: where they may invite colleagues."""
    ids = organisations_with_permission(user, Perm.TEAM_INVITE)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def team_for(user: AbstractBaseUser, organisation_id: int | None) -> Organisation | None:
    """One team the user may run (administrators: any organisation); None otherwise."""
    if organisation_id is None:
        teams = teams_of(user)
        return teams[0] if teams else None
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return None
    if has_permission(user, Perm.TEAM_INVITE, organisation=organisation):
        return organisation
    # A link worker who added a group invites its first member from the same page.
    if roles_user_may_invite(user, organisation):
        return organisation
    return None


@dataclass
class Member:
    user: User
    roles: list[str]
    open_cases: int = 0
    overdue_first_contacts: int = 0
    follow_ups_overdue: int = 0


def members_of(organisation: Organisation, *, with_caseloads: bool) -> list[Member]:
    """Everyone holding a role in the organisation, with each link worker's open cases
    and overdue work when `with_caseloads` (a fixed number of queries, however big)."""
    members: dict[int, Member] = {}
    memberships = (
        Membership.objects.filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email", "role")
    )
    for membership in memberships:
        member = members.setdefault(membership.user_id, Member(user=membership.user, roles=[]))
        member.roles.append(ROLES[Role(membership.role)].label)
    if with_caseloads and members:
        _add_caseloads(organisation, members)
    return list(members.values())


def _add_caseloads(organisation: Organisation, members: dict[int, Member]) -> None:

    today = timezone.localdate()
    rows = (
        Referral.objects.filter(
            service=organisation,
            status__in=t.OPEN_REFERRAL_STATES,
            assigned_to_id__in=list(members),
        )
        .values("assigned_to_id")
        .annotate(
            open_cases=Count("pk"),
            overdue=Count("pk", filter=Q(first_contacted_at=None, first_contact_due__lt=today)),
        )
        .order_by()
    )
    for row in rows:
        member = members[row["assigned_to_id"]]
        member.open_cases, member.overdue_first_contacts = row["open_cases"], row["overdue"]
    follow_ups = (
        FollowUp.objects.pending()
        .filter(
            referral__service=organisation,
            referral__assigned_to_id__in=list(members),
            due_on__lt=today,
        )
        .values("referral__assigned_to_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in follow_ups:
        members[row["referral__assigned_to_id"]].follow_ups_overdue = row["n"]


def unassigned_open_cases(organisation: Organisation) -> int:

    return Referral.objects.filter(
        service=organisation, status__in=t.OPEN_REFERRAL_STATES, assigned_to=None
    ).count()


def pending_invitations(organisation: Organisation) -> list[Invitation]:
    return list(Invitation.objects.pending().filter(organisation=organisation))


def invitation_for_link(raw_token: str) -> Invitation | None:
    """The invitation a link names, used or not (the page says which); None if unknown."""
    return (
        Invitation.objects.select_related("organisation")
        .filter(digest=token_digest(raw_token))
        .first()
    )


def link_workers_of(organisation: Organisation) -> list[User]:
    """Who a case in this service can be given to ("Assign to" lists the team)."""
    return [
        membership.user
        for membership in Membership.objects.filter(
            organisation=organisation, role=Role.LINK_WORKER.value, user__is_active=True
        )
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ]


def cases_of(organisation: Organisation, worker_id: int | None):
    """Open cases of one link worker in the service (None: those nobody holds), most
    overdue first contact first."""

    return (
        Referral.objects.filter(
            service=organisation, status__in=t.OPEN_REFERRAL_STATES, assigned_to_id=worker_id
        )
        .select_related("person", "assigned_to")
        .order_by("first_contact_due", "pk")
    )


def overdue(first_contact_due: dt.date, first_contacted_at) -> bool:
    return first_contacted_at is None and first_contact_due < timezone.localdate()

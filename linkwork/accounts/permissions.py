"""The one permission check. Object scoping (which referrals, which assets) is in selectors."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from linkwork.accounts.roles import DEPLOYMENT_WIDE_ROLES, ROLES, Perm, Role
from linkwork.directory.models import Organisation

MEMBERSHIP_CACHE = "_linkwork_memberships"


def memberships_of(user: AbstractBaseUser | AnonymousUser) -> list[tuple[Role, int]]:
    """(role, organisation id) pairs, read once per user object."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, MEMBERSHIP_CACHE, None)
    if cached is None:
        cached = [
            (Role(role), organisation_id)
            for role, organisation_id in user.memberships.values_list("role", "organisation_id")
        ]
        setattr(user, MEMBERSHIP_CACHE, cached)
    return cached


def roles_of(user: AbstractBaseUser | AnonymousUser) -> list[Role]:
    """The user's roles, in the order of ROLES, without repeats."""
    held = {role for role, _ in memberships_of(user)}
    return [role for role in ROLES if role in held]


def has_permission(
    user: AbstractBaseUser | AnonymousUser,
    perm: Perm | str,
    *,
    organisation: Organisation | int | None = None,
) -> bool:
    """Whether any of the user's roles grants `perm`, in `organisation` when one is given.

    Deployment-wide roles (admin) hold their permissions in every organisation.
    """
    perm = Perm(perm)
    organisation_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    for role, member_of in memberships_of(user):
        if perm not in ROLES[role].permissions:
            continue
        if organisation_id is None or role in DEPLOYMENT_WIDE_ROLES or member_of == organisation_id:
            return True
    return False


def organisations_with_permission(
    user: AbstractBaseUser | AnonymousUser, perm: Perm | str
) -> set[int]:
    """Ids of the organisations in which the user holds `perm` (for selectors to scope by)."""
    perm = Perm(perm)
    return {
        organisation_id
        for role, organisation_id in memberships_of(user)
        if perm in ROLES[role].permissions
    }

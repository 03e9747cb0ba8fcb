"""Reads for accounts."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connections, router
from django.db.models import F, QuerySet

from linkwork.accounts.models import ApiToken, Membership, User
from linkwork.accounts.permissions import MEMBERSHIP_CACHE, roles_of
from linkwork.accounts.roles import ROLES, Role, RoleInfo
from linkwork.accounts.services import TOKEN_PREFIX, token_digest
from linkwork.statements import statement


def active_token(raw_token: str) -> ApiToken | None:
    """The unrevoked token matching `raw_token`, for a user who may still sign in."""
    if not raw_token.startswith(TOKEN_PREFIX):
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw_token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def _active_token_query(alias: str) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.db_manager(alias)
        .select_related("user")
        .filter(digest="", revoked_at__isnull=True, user__is_active=True)  # "": the digest
        .annotate(
            member_role=F("user__memberships__role"),
            member_of=F("user__memberships__organisation_id"),
        )
        .order_by()
    )


def active_token_with_roles(raw_token: str) -> ApiToken | None:
    """`active_token`, with its user's memberships read in the same statement (one row a
    membership) and kept where `has_permission` looks for them: a request with a bearer
    token is authenticated and its permissions known in one query, compiled once
    (linkwork/statements.py)."""
    if not raw_token.startswith(TOKEN_PREFIX):
        return None
    # The active flag is a condition on its own, with no value: the digest is the only one.
    found = statement(_active_token_query, router.db_for_read(ApiToken), ("",))
    rows = found.instances([token_digest(raw_token)])
    if not rows:
        return None
    token = rows[0]
    memberships = [(Role(r.member_role), r.member_of) for r in rows if r.member_role is not None]
    setattr(token.user, MEMBERSHIP_CACHE, memberships)
    return token


def _user_with_roles_query(alias: str) -> QuerySet[User]:
    return (
        User._default_manager.db_manager(alias)
        .filter(pk=0)  # the placeholder for the user's id
        .annotate(member_role=F("memberships__role"), member_of=F("memberships__organisation_id"))
        .order_by()
    )


def user_with_roles(user_id: object) -> User | None:
    """The user with this id, with their memberships read in the same statement (one row
    a membership) and kept where `has_permission` looks for them: a signed-in request
    knows its user and their permissions in one query after the session's. The query
    is compiled once (linkwork/statements.py): it runs on every signed-in request."""
    alias = router.db_for_read(User)
    found = statement(_user_with_roles_query, alias, (0,))
    pk = User._meta.pk.get_db_prep_value(user_id, connections[alias])
    rows = found.instances([pk])
    if not rows:
        return None
    user = rows[0]
    memberships = [(Role(r.member_role), r.member_of) for r in rows if r.member_role is not None]
    setattr(user, MEMBERSHIP_CACHE, memberships)
    return user


def tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def memberships_for_display(*, user: AbstractBaseUser) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation")


def rooms_of(user: AbstractBaseUser | AnonymousUser) -> list[tuple[Role, RoleInfo]]:
    """The role homes (rooms) this user can enter, in a stable order."""
    return [(role, ROLES[role]) for role in roles_of(user)]

"""Writes for accounts: users, memberships and API tokens. Each one is audited."""

import hashlib
import secrets

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from linkwork.accounts.models import ApiToken, Membership, User
from linkwork.accounts.roles import Role
from linkwork.audit.services import record_event
from linkwork.directory.models import Organisation

TOKEN_PREFIX = "lw_"


def token_digest(raw_token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough; no salt is needed.
    return hashlib.sha256(raw_token.encode()).hexdigest()


@transaction.atomic
def create_user(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    operator: bool = False,
    by: AbstractBaseUser | None,
) -> User:
    """Create an account; the email address is the sign-in name.

    `operator` also opens Django's admin site (staff and superuser), for deployment admins.
    """
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        is_staff=operator,
        is_superuser=operator,
    )
    record_event(
        by=by,
        action="user_created",
        object_type="user",
        object_id=user.pk,
        summary="operator" if operator else "",
    )
    return user


@transaction.atomic
def grant_role(
    *, user: User, organisation: Organisation | None, role: Role, by: AbstractBaseUser | None
) -> Membership:
    """Give `user` a role in `organisation` (idempotent). Only residents act for no organisation."""
    if organisation is None and Role(role) != Role.RESIDENT:
        raise ValueError(f"The {role} role is held in an organisation.")
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=Role(role).value
    )
    if created:
        record_event(
            by=by,
            action="role_granted",
            object_type="membership",
            object_id=membership.pk,
            summary=(
                f"role={membership.role} organisation={membership.organisation_id} user={user.pk}"
            ),
        )
    return membership


@transaction.atomic
def create_api_token(
    *, user: User, name: str = "", by: AbstractBaseUser | None
) -> tuple[ApiToken, str]:
    """Make a token for `user`. Returns the stored token and the secret, which is never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=raw[:10], digest=token_digest(raw)
    )
    record_event(
        by=by,
        action="api_token_created",
        object_type="api_token",
        object_id=token.pk,
        summary=f"user={user.pk}",
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: AbstractBaseUser | None) -> ApiToken:
    """Stop a token working from now on (idempotent)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            by=by,
            action="api_token_revoked",
            object_type="api_token",
            object_id=token.pk,
            summary=f"user={token.user_id}",
        )
    return token


@transaction.atomic
def revoke_all_api_tokens(*, user: User, reason: str, by: AbstractBaseUser | None) -> int:
    """Stop every token of `user` working (when their password changes or is reset: a
    token made by whoever knew the old password must not outlive it). Returns how many."""
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at=None))
    now = timezone.now()
    for token in tokens:
        token.revoked_at = now
        record_event(
            by=by,
            action="api_token_revoked",
            object_type="api_token",
            object_id=token.pk,
            summary=f"user={user.pk} reason={reason}",
        )
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=now)
    return len(tokens)


def mark_token_used(*, token: ApiToken) -> None:
    """Record when a token was last used, at most once a minute to spare the database."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)

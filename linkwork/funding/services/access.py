"""Who acts on a round: its funder, its panel, the applying group (rules as functions,
permissions from accounts.roles)."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from linkwork.accounts.permissions import has_permission, memberships_of
from linkwork.accounts.roles import Perm
from linkwork.funding.models import Application, Round

User = AbstractBaseUser | AnonymousUser


def is_funder(user: User, round: Round) -> bool:
    """Members of the funding organisation who record grants (admins everywhere)."""
    return has_permission(user, Perm.GRANT_RECORD, organisation=round.funder_id)


def is_panel_member(user: User, round: Round) -> bool:
    """Members of the round's panel; with no panel named, members of any panel."""
    if round.panel_id is None:
        return has_permission(user, Perm.PANEL_DECIDE)
    return has_permission(user, Perm.PANEL_DECIDE, organisation=round.panel_id)


def is_applicant(user: User, application: Application) -> bool:
    return has_permission(user, Perm.GRANT_APPLY, organisation=application.organisation_id)


def member_of_applicant(user: User, application: Application) -> bool:
    """Any membership of the applying organisation: a conflict of interest, declared or not."""
    return any(org == application.organisation_id for _, org in memberships_of(user))


def is_applicant_of(user: User, organisation_id: int) -> bool:
    return has_permission(user, Perm.GRANT_APPLY, organisation=organisation_id)

import pytest

from linkwork.accounts.models import Membership
from linkwork.accounts.permissions import has_permission, organisations_with_permission
from linkwork.accounts.roles import ROLES, Perm, Role
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_every_role_has_a_home_and_at_least_one_permission():
    for role in Role:
        assert ROLES[role].permissions, role
        assert ROLES[role].home_url_name


def test_a_group_member_may_edit_listings_only_in_their_own_organisation():
    own, other = OrganisationFactory(), OrganisationFactory()
    member = user_with_role(Role.GROUP, organisation=own)
    assert has_permission(member, Perm.DIRECTORY_EDIT_OWN, organisation=own)
    assert not has_permission(member, Perm.DIRECTORY_EDIT_OWN, organisation=other)
    assert organisations_with_permission(member, Perm.DIRECTORY_EDIT_OWN) == {own.pk}


def test_a_referrer_cannot_manage_casework():
    referrer = user_with_role(Role.REFERRER)
    assert has_permission(referrer, Perm.REFERRAL_CREATE)
    assert not has_permission(referrer, Perm.CASEWORK)


def test_commissioners_and_panels_never_hold_casework_permissions():
    for role in (Role.COMMISSIONER, Role.PANEL):
        user = user_with_role(role)
        assert not has_permission(user, Perm.CASEWORK)
        assert not has_permission(user, Perm.REFERRAL_VIEW_OWN)
        assert has_permission(user, Perm.INSIGHT_VIEW)


def test_admin_permissions_reach_every_organisation():
    admin = user_with_role(Role.ADMIN)
    assert has_permission(admin, Perm.AUDIT_VIEW, organisation=OrganisationFactory())


def test_anonymous_and_deactivated_users_hold_no_permission():
    from django.contrib.auth.models import AnonymousUser

    assert not has_permission(AnonymousUser(), Perm.DIRECTORY_SEARCH)
    user = user_with_role(Role.ADMIN)
    user.is_active = False
    user.save()
    assert not has_permission(user, Perm.AUDIT_VIEW)


def test_roles_from_several_memberships_combine():
    user = user_with_role(Role.GROUP)
    Membership.objects.create(user=user, organisation=None, role=Role.RESIDENT.value)
    assert has_permission(user, Perm.SELF_REFER)
    assert has_permission(user, Perm.CONNECTION_RESPOND)


def test_only_residents_hold_a_role_without_an_organisation():
    from linkwork.accounts.services import grant_role

    user = user_with_role(Role.RESIDENT)
    with pytest.raises(ValueError):
        grant_role(user=user, organisation=None, role=Role.LINK_WORKER, by=None)

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from linkwork.accounts.models import ApiToken
from linkwork.accounts.roles import Role
from linkwork.accounts.services import create_api_token, revoke_api_token
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_command_prints_the_token_once_and_stores_only_a_hash(client):
    user = user_with_role(Role.REFERRER)
    out, err = StringIO(), StringIO()
    call_command("create-api-token", user.email, stdout=out, stderr=err)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(user=user)
    assert raw.startswith("lw_") and len(raw) > 40
    assert raw not in (token.digest, token.prefix, token.name)
    assert "shown only now" in err.getvalue()
    response = client.get("/api/v1/me", **bearer(raw))
    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_command_refuses_an_unknown_email():
    with pytest.raises(CommandError, match="No active user"):
        call_command("create-api-token", "nobody@example.test", stdout=StringIO())


def test_me_lists_roles_with_their_organisations(client):
    user = user_with_role(Role.LINK_WORKER)
    _, raw = create_api_token(user=user, by=None)
    body = client.get("/api/v1/me", **bearer(raw)).json()
    organisation = user.memberships.get().organisation
    assert body["roles"] == [
        {
            "role": "link_worker",
            "organisation_id": organisation.pk,
            "organisation_name": organisation.name,
        }
    ]


def test_revoked_token_no_longer_works(client):
    user = user_with_role(Role.GROUP)
    token, raw = create_api_token(user=user, by=None)
    revoke_api_token(token=token, by=None)
    response = client.get("/api/v1/me", **bearer(raw))
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Authentication required")


def test_revoke_command_stops_a_token(client):
    user = user_with_role(Role.GROUP)
    token, raw = create_api_token(user=user, by=None)
    call_command("revoke-api-token", token.prefix, stdout=StringIO())
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401


@pytest.mark.parametrize("header", ["Bearer lw_made-up-token", "Bearer ", "Basic abc", "lw_x"])
def test_bad_credentials_get_401(client, header):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_token_of_a_deactivated_user_gets_401(client):
    user = user_with_role(Role.REFERRER)
    _, raw = create_api_token(user=user, by=None)
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401


def test_token_use_is_recorded(client):
    user = user_with_role(Role.REFERRER)
    token, raw = create_api_token(user=user, by=None)
    client.get("/api/v1/me", **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_and_its_users_roles_are_read_in_one_query(client, django_assert_num_queries):
    from linkwork.directory.models import Organisation, OrganisationKind

    user = user_with_role(Role.LINK_WORKER)
    second = Organisation.objects.create(name="Second", kind=OrganisationKind.VCFSE)
    user.memberships.create(organisation=second, role=Role.GROUP.value)
    _, raw = create_api_token(user=user, by=None)
    client.get("/api/v1/me", **bearer(raw))  # marks the token used (once a minute)
    from linkwork.accounts.permissions import memberships_of
    from linkwork.accounts.selectors import active_token_with_roles

    with django_assert_num_queries(1):
        token = active_token_with_roles(raw)
        held = memberships_of(token.user)
    assert token.user == user
    assert sorted(held) == sorted(
        (Role(role), org) for role, org in user.memberships.values_list("role", "organisation_id")
    )


def test_a_token_of_someone_with_no_role_still_authenticates(client):
    from tests.factories import UserFactory

    user = UserFactory()
    _, raw = create_api_token(user=user, by=None)
    response = client.get("/api/v1/me", **bearer(raw))
    assert response.status_code == 200
    assert response.json()["email"] == user.email

"""Schemathesis against /api/v1 as every other role that holds an API token (group
member, panel member, commissioner, service manager, admin): one generated request per
operation each in CI (most answer 403, which must be documented too); `make fuzz` runs
more."""

import os

import pytest
from hypothesis import HealthCheck, settings

from linkwork.accounts.roles import Role
from tests.security.test_api_fuzz import CHECKS, schema, token_for

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1"))
ROLES = [Role.GROUP, Role.PANEL, Role.COMMISSIONER, Role.SERVICE_MANAGER, Role.ADMIN]


@pytest.fixture(params=ROLES, ids=str)
def token(request, db) -> str:
    return token_for(request.param)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_api_keeps_its_schema_for_every_role(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

"""Schemathesis against /api/v1/openapi.json as a link worker and a referrer with bearer
tokens (the other roles: test_api_fuzz_roles.py): a bounded number of generated requests
per operation (CI time), and every answer must be a non-5xx status the schema documents,
with a body that matches it.

The long run (thousands of cases) is `make fuzz`.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from linkwork.accounts.roles import Role
from linkwork.accounts.services import create_api_token
from linkwork.wsgi import application
from tests.factories import AssetFactory, user_with_role

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


# The API's everyday callers; the other roles are fuzzed in test_api_fuzz_roles.py (a
# file of its own, so the two run side by side on the test workers).
ROLES = [Role.LINK_WORKER, Role.REFERRER]


def token_for(role: Role) -> str:
    user = user_with_role(role)
    AssetFactory(name="Fuzzed walk")
    return create_api_token(user=user, name="fuzz", by=None)[1]


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
def test_api_keeps_its_schema(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

"""Schemathesis against the Open Referral UK feed, from the upstream ORUK 3.0 OpenAPI
(the profile Linkwork publishes): no server errors, every answer in the profile's shape."""

import json
import os

import pytest
import schemathesis
from django.conf import settings as django_settings
from hypothesis import HealthCheck, settings

from linkwork.wsgi import application
from tests.factories import AssetFactory

SPEC = django_settings.PACKAGE_DIR / "interop/openreferral/oruk-3.0/openapi.json"
raw = json.loads(SPEC.read_text())
raw["servers"] = [{"url": "/openreferral"}]
schema = schemathesis.openapi.from_dict(raw)
schema.app = application
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.response_schema_conformance]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
@pytest.mark.django_db
def test_open_referral_feed_keeps_the_profile(case):
    AssetFactory(name="Fuzzed walk")
    case.call_and_validate(checks=CHECKS)

"""Shared fixtures: one signed-in persona per role, an anonymous visitor, and the bulk
builder of casework and its borough (tests/worlds.py) that insight, funding and community
share."""

import pytest
from django.test import Client

from linkwork.accounts.roles import Role
from tests.factories import user_with_role
from tests.fake_notify import fake_notify  # noqa: F401  (a fake GOV.UK Notify, for any test)
from tests.worlds import Builder, town_of


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_public_page_cache():
    # Each worker's memory holds the public pages (linkwork/public_cache.py): a test
    # starts without the pages an earlier test stored.
    from django.core.cache import caches

    caches["pages"].clear()


@pytest.fixture
def persona(db):
    """persona(role) -> a Client signed in as a new user holding that role."""

    def make(role: Role) -> Client:
        client = Client()
        user = user_with_role(role)
        client.force_login(user)
        client.user = user
        return client

    return make


@pytest.fixture
def anonymous() -> Client:
    return Client()


@pytest.fixture
def build(db) -> Builder:
    return Builder()


@pytest.fixture
def town(build):
    return town_of(build)


def pytest_report_header(config) -> str:
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"

"""The public page cache with Redis (CACHE_URL): pages and the listings' version live in
Redis, so every worker serves and invalidates the same pages. Skipped when no Redis
answers at REDIS_TEST_URL (redis://127.0.0.1:6379/15 unless set)."""

import os
import uuid

import pytest
from django.core.cache import caches
from django.test import Client

from linkwork.accounts.roles import Role
from linkwork.directory.services import update_asset
from linkwork.public_cache import CACHE_HEADER, PAGES, VERSION_KEY
from tests.factories import AssetFactory, LocationFactory, user_with_role

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def _redis():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis answers at {REDIS_URL}")
    return client


@pytest.fixture
def in_redis(settings):
    """Both caches in Redis, as settings.py makes them with CACHE_URL, under a prefix of
    this test's own (so parallel test runs never share keys); the keys removed after."""
    client = _redis()
    prefix = f"linkwork-test-{uuid.uuid4().hex}"
    backend = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {
        "default": {"BACKEND": backend, "LOCATION": REDIS_URL, "KEY_PREFIX": prefix},
        PAGES: {"BACKEND": backend, "LOCATION": REDIS_URL, "KEY_PREFIX": f"{prefix}-pages"},
    }
    yield client, prefix
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture
def walking(taxonomy, postcodes):
    return AssetFactory(
        name="Walking for health",
        location=LocationFactory(latitude=53.5780, longitude=-2.4260, postcode="BL1 1AP"),
    )


def _page_keys(client, prefix: str) -> list[bytes]:
    return list(client.scan_iter(f"{prefix}-pages:*"))


def test_a_page_is_stored_in_redis_and_served_from_it(in_redis, walking):
    client, prefix = in_redis
    address = f"/directory/assets/{walking.pk}/"
    first = Client().get(address)
    assert first[CACHE_HEADER] == "miss"
    assert len(_page_keys(client, prefix)) == 1
    # Another worker's memory holds nothing: what it serves comes from Redis.
    caches[PAGES].close()
    second = Client().get(address)
    assert second[CACHE_HEADER] == "hit"
    assert b"Walking for health" in second.content


def test_a_listing_edit_shows_at_once_from_redis(in_redis, walking):
    client, prefix = in_redis
    for address in (f"/directory/assets/{walking.pk}/", "/openreferral/services"):
        Client().get(address)
        assert Client().get(address)[CACHE_HEADER] == "hit", address
    version = caches["default"].get(VERSION_KEY)
    update_asset(asset=walking, by=None, name="Walking for wellbeing")
    assert caches["default"].get(VERSION_KEY) != version  # in Redis: every worker sees it
    for address in (f"/directory/assets/{walking.pk}/", "/openreferral/services"):
        response = Client().get(address)
        assert response[CACHE_HEADER] == "miss", address
        assert b"Walking for wellbeing" in response.content, address


def test_a_signed_in_person_is_never_served_or_stored_from_redis(in_redis, walking):
    client, prefix = in_redis
    address = f"/directory/assets/{walking.pk}/"
    Client().get(address)  # an anonymous visitor's page, now in Redis
    stored = _page_keys(client, prefix)
    member = Client()
    member.force_login(user_with_role(Role.LINK_WORKER))
    response = member.get(address)
    assert CACHE_HEADER not in response
    assert "no-store" in response["Cache-Control"]
    assert _page_keys(client, prefix) == stored

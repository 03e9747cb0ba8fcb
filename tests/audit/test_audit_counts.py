"""The audit log's filters say how many events each choice would show, under the other
filters chosen, and the choices stay in the URL through the pages."""

import re

import pytest

from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.audit.selectors import audit_filter_counts

pytestmark = pytest.mark.django_db


def option(html: str, value: str) -> str:
    found = re.search(rf'<option value="{value}"[^>]*>\s*([^<]*?)\s*</option>', html)
    assert found, value
    return found.group(1)


@pytest.fixture
def events():
    for _ in range(3):
        AuditEvent.objects.create(action="referral_viewed", object_type="referral")
    AuditEvent.objects.create(action="asset_updated", object_type="asset")
    AuditEvent.objects.create(action="asset_verified", object_type="asset")
    AuditEvent.objects.create(action="referral_viewed", object_type="person")


def test_each_action_and_object_type_shows_its_count(persona, events):
    html = persona(Role.ADMIN).get("/audit/").content.decode()
    assert option(html, "referral_viewed") == "referral_viewed (4)"
    assert option(html, "asset_updated") == "asset_updated (1)"
    assert option(html, "asset") == "asset (2)"


def test_the_counts_follow_the_other_filters(persona, events):
    html = persona(Role.ADMIN).get("/audit/", {"object_type": "asset"}).content.decode()
    # Another action can still be chosen, and says what it would show with this type.
    assert option(html, "referral_viewed") == "referral_viewed (0)"
    assert option(html, "asset_verified") == "asset_verified (1)"
    # The chosen type's own list still counts every type under the (empty) action filter.
    assert option(html, "referral") == "referral (3)"
    assert "2 events." in html


def test_counts_in_one_grouped_query_each(django_assert_num_queries, events):
    with django_assert_num_queries(2):
        counts = audit_filter_counts(action="referral_viewed")
    assert counts["actions"]["asset_updated"] == 1
    assert counts["object_types"] == {"referral": 3, "person": 1}


def test_a_bad_filter_is_a_clear_message_and_counts_everything(persona, events):
    html = persona(Role.ADMIN).get("/audit/", {"since": "yesterday-ish"}).content.decode()
    assert "Enter a valid date." in html
    assert option(html, "referral_viewed") == "referral_viewed (4)"


def test_the_filters_are_kept_through_the_pages(persona):
    AuditEvent.objects.bulk_create(
        AuditEvent(action="asset_updated", object_type="asset", object_id=str(n)) for n in range(55)
    )
    html = persona(Role.ADMIN).get("/audit/", {"action": "asset_updated"}).content.decode()
    assert "action=asset_updated&amp;page=2" in html or "action=asset_updated&page=2" in html


@pytest.mark.parametrize("role", [Role.LINK_WORKER, Role.PANEL, Role.COMMISSIONER, Role.GROUP])
def test_only_administrators_see_the_counts(persona, events, role):
    response = persona(role).get("/audit/", {"action": "referral_viewed"})
    assert response.status_code in (403, 404) and b"referral_viewed (" not in response.content

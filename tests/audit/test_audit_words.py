"""Audit entries in plain English, linked to what they are about."""

import pytest

from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.audit.services import record_event
from linkwork.directory.models import Publication
from linkwork.directory.services import set_publication
from tests.factories import AssetFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_a_publication_reads_as_a_sentence_with_a_link(persona):
    admin = persona(Role.ADMIN)
    curator = user_with_role(Role.LINK_WORKER, full_name="Sam Okafor")
    asset = AssetFactory(name="Tonge Walking for Health", publication=Publication.IN_REVIEW)
    set_publication(asset=asset, to=Publication.PUBLISHED, by=curator)
    page = admin.get("/audit/").content.decode()
    assert (
        f'Sam Okafor published <a href="/directory/assets/{asset.pk}/">Tonge Walking for Health</a>'
        in page
    )
    assert "asset_publication_set" not in page.split("<table")[1]


def test_an_event_about_something_gone_keeps_its_type_and_id(persona):
    admin = persona(Role.ADMIN)
    record_event(by=None, action="referral_viewed", object_type="referral", object_id=999)
    page = admin.get("/audit/").content.decode()
    assert 'viewed <a href="/casework/referrals/999/">referral 999</a>' in page or (
        "viewed" in page and "referral 999" in page
    )
    assert AuditEvent.objects.count() >= 1

"""The same referral reference in emails, pages and the API, with a link in every email."""

import pytest

from tests.referrals.conftest import REFERRAL

pytestmark = pytest.mark.django_db


def test_the_reference_is_the_same_in_the_api_the_email_and_the_page(world, mailoutbox):
    created = world.gp.post("/api/v1/referrals", REFERRAL, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    reference = body["reference"]
    assert body["status_text"] == "Waiting for the social prescribing service to look at it"
    (arrived,) = [m for m in mailoutbox if reference in m.subject]
    assert "http" in arrived.body
    mailoutbox.clear()
    moved = world.link_worker.post(
        f"/api/v1/referrals/{body['id']}/transitions",
        {"to": "accepted"},
        content_type="application/json",
    )
    assert moved.status_code == 200, moved.content
    (update,) = [m for m in mailoutbox if world.gp.user.email in m.to]
    assert reference in update.subject and "Accepted by the service" in update.subject
    assert f"/referrals/{body['id']}/" in update.body and "Pat" not in update.body
    page = world.gp.get(f"/referrals/{body['id']}/").content.decode()
    assert reference in page

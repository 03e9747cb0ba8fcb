"""From interest to a new group: message the consented people through Linkwork, propose
a first meeting, record who came, set up the group with a draft listing, close the
interests (each person told); and closing one interest with an existing listing (API)."""

import json

import pytest
from django.test import Client

from linkwork.accounts.models import Membership
from linkwork.accounts.roles import Role
from linkwork.community import services
from linkwork.community.models import GroupStart, Interest
from linkwork.directory.models import Asset, Publication
from linkwork.notifications import adapters
from tests.factories import AssetFactory, user_with_role

pytestmark = pytest.mark.django_db


def _interests(place, n_email=3, n_text=2, n_phone=1, n_silent=2):
    made = []
    for i in range(n_email):
        made.append(
            services.register_interest(
                activity_code="activity-arts-crafts",
                community_of_interest="Women",
                postcode="BL2 6LT",
                consent_to_contact=True,
                contact={
                    "contact_by": "either",
                    "contact_method": "email",
                    "contact_name": f"Amina{i} Khan",
                    "contact_detail": f"amina{i}@example.com",
                },
                by=None,
            )
        )
    for i in range(n_text):
        made.append(
            services.register_interest(
                activity_code="activity-arts-crafts",
                community_of_interest="women",
                postcode="BL2 6LT",
                consent_to_contact=True,
                contact={
                    "contact_by": "either",
                    "contact_method": "text",
                    "contact_name": f"Beth{i}",
                    "contact_detail": f"0770090012{i}",
                },
                by=None,
            )
        )
    for _ in range(n_phone):
        made.append(
            services.register_interest(
                activity_code="activity-arts-crafts",
                community_of_interest="Women",
                postcode="BL2 6LT",
                consent_to_contact=True,
                contact={
                    "contact_by": "either",
                    "contact_method": "phone",
                    "contact_name": "Carol",
                    "contact_detail": "01204 123456",
                },
                by=None,
            )
        )
    for _ in range(n_silent):
        made.append(
            services.register_interest(
                activity_code="activity-arts-crafts",
                community_of_interest="Women",
                postcode="BL2 6LT",
                by=None,
            )
        )
    return made


@pytest.fixture
def worker(db):
    client = Client()
    user = user_with_role(Role.LINK_WORKER)
    client.force_login(user)
    client.user = user
    return client


def test_a_link_worker_takes_the_tonge_craft_interests_to_a_new_group(
    place, worker, mailoutbox, settings
):
    settings.SMS_BACKEND = "locmem"
    adapters.sms_outbox.clear()
    made = _interests(place)
    page = worker.get("/insight/emerging-groups/").content.decode()
    assert "Start a group" in page
    response = worker.post(
        "/group-starts/new/",
        {"activity": "activity-arts-crafts", "neighbourhood": "BOL-NBH-01", "community": "Women"},
    )
    start = GroupStart.objects.get()
    assert response["Location"] == f"/group-starts/{start.pk}/"
    assert start.people.count() == 6  # the consented ones only

    detail = worker.get(f"/group-starts/{start.pk}/").content.decode()
    assert "Amina0" in detail and "Khan" not in detail  # a first name only
    assert "amina0@example.com" not in detail  # emails go through Linkwork
    assert "01204 123456" in detail  # she asked for a phone call

    worker.post(
        f"/group-starts/{start.pk}/",
        {"action": "message", "subject": "Craft group", "body": "Would a Tuesday suit?"},
    )
    assert sorted(m.to[0] for m in mailoutbox) == [f"amina{i}@example.com" for i in range(3)]
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mailoutbox)
    assert len(adapters.sms_outbox) == 2
    for message in mailoutbox:
        assert "amina" not in message.body.lower() and "beth" not in message.body.lower()

    mailoutbox.clear()
    when = "Tuesday 12 January, 10am, Tonge library"
    worker.post(f"/group-starts/{start.pk}/", {"action": "meeting", "when_and_where": when})
    start.refresh_from_db()
    assert start.status == "meeting_proposed" and len(mailoutbox) == 3
    came = list(start.people.values_list("pk", flat=True))[:4]
    worker.post(
        f"/group-starts/{start.pk}/", {"action": "attendance", "attended": [str(pk) for pk in came]}
    )
    assert start.people.filter(attended=True).count() == 4

    mailoutbox.clear()
    response = worker.post(
        f"/group-starts/{start.pk}/",
        {
            "action": "found",
            "name": "Tonge Women's Craft Circle",
            "description": "Sewing, knitting and crafts for women, Tuesday mornings.",
            "founder_email": "amina0@example.com",
            "founder_name": "Amina",
        },
    )
    assert response.status_code == 302
    start.refresh_from_db()
    assert start.status == "founded"
    asset = start.asset
    assert asset.publication == Publication.DRAFT and asset.organisation == start.organisation
    assert Membership.objects.filter(
        user__email="amina0@example.com", organisation=start.organisation, role="group"
    ).exists()
    # Every interest it answers is closed, consented or not; each consented person told.
    assert not Interest.objects.filter(pk__in=[i.pk for i in made], status="open").exists()
    assert Interest.objects.filter(answered_by=asset).count() == 8
    assert len([m for m in mailoutbox if "A new group has started" in m.subject]) == 3


def test_found_needs_a_name_description_and_founder_and_saves_nothing_otherwise(place, worker):
    _interests(place)
    cluster = {"activity": "activity-arts-crafts", "neighbourhood": "BOL-NBH-01"}
    worker.post("/group-starts/new/", {**cluster, "community": "Women"})
    start = GroupStart.objects.get()
    response = worker.post(
        f"/group-starts/{start.pk}/", {"action": "found", "name": "", "founder_email": "nope"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Enter the new group" in page and "founding member" in page
    assert not Asset.objects.exists()
    assert Interest.objects.filter(status="open").count() == 8


def test_only_community_workers_start_groups(place, persona):
    for role in (Role.GROUP, Role.PANEL, Role.RESIDENT):
        assert persona(role).get("/group-starts/").status_code == 403


def test_closing_an_interest_with_a_listing_sends_it_to_the_person(place, worker, mailoutbox):
    (interest,) = _interests(place, n_email=1, n_text=0, n_phone=0, n_silent=0)
    asset = AssetFactory(name="Breightmet Stitchers")
    response = worker.post(
        f"/api/v1/interests/{interest.pk}/close",
        json.dumps({"reason": "An existing group answers it", "asset_id": asset.pk}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["asset_id"], body["person_told"]) == ("closed", asset.pk, True)
    (message,) = mailoutbox
    assert message.to == ["amina0@example.com"] and "Breightmet Stitchers" in message.body
    again = worker.post(
        f"/api/v1/interests/{interest.pk}/close",
        json.dumps({"reason": "again"}),
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["current_state"] == "closed"


def test_closing_an_interest_refuses_bad_input_by_name(place, worker, persona):
    (interest,) = _interests(place, n_email=0, n_text=0, n_phone=0, n_silent=1)
    url = f"/api/v1/interests/{interest.pk}/close"
    draft = AssetFactory(publication=Publication.DRAFT)
    for body, field in (
        ({"reason": "x", "asset_id": draft.pk}, "asset_id"),
        ({"reason": ""}, "reason"),
        ({"reason": "x", "tell_everyone": True}, "tell_everyone"),
    ):
        response = worker.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 422
        assert field in [e["field"] for e in response.json()["errors"]]
    interest.refresh_from_db()
    assert interest.status == "open"
    group = persona(Role.GROUP)
    response = group.post(url, json.dumps({"reason": "x"}), content_type="application/json")
    assert response.status_code == 403
    missing = worker.post(
        "/api/v1/interests/999999/close",
        json.dumps({"reason": "x"}),
        content_type="application/json",
    )
    assert missing.status_code == 404

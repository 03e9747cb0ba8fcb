"""Every list of /api/v1 pages (DESIGN.md §9): ?page=&per_page= → {items, total, page,
per_page, next}; nothing is cut short, and each person shown is an audited read."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection as db_connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linkwork.accounts.services import create_api_token
from linkwork.audit.models import AuditEvent
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, FollowUp, Person, Referral


def make_referrals(world, count: int, **fields) -> list[Referral]:
    """Referrals written in bulk: the same second for all of them, so paging must not
    depend on received_at alone to keep its order."""
    people = Person.objects.bulk_create(
        Person(
            given_name=f"Pg{n:04d}",
            family_name="Paged",
            birth_date=dt.date(1960, 1, 1),
            postcode="BL2 6LT",
        )
        for n in range(count)
    )
    now = timezone.now()
    return Referral.objects.bulk_create(
        Referral(
            person=person,
            service=world.service,
            source="gp",
            referrer=world.gp.user,
            consent_to_refer=True,
            consent_recorded_at=now,
            first_contact_due=now.date(),
            **fields,
        )
        for person in people
    )


def make_connections(world, referrals, status=t.SENT) -> list[Connection]:
    return Connection.objects.bulk_create(
        Connection(
            referral=r,
            asset=world.walk,
            status=status,
            shared_fields=["first_name"],
            sent_at=timezone.now(),
        )
        for r in referrals
    )


def token_client(user) -> Client:
    _, token = create_api_token(user=user, by=None)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def walk(client: Client, url: str, params: dict | None = None) -> tuple[list[dict], int]:
    """Follow `next` from the first page to the last: every item, and the pages taken."""
    items, pages = [], 0
    response = client.get(url, params or {})
    while True:
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        items += body["items"]
        pages += 1
        if body["next"] is None:
            return items, pages
        response = client.get(body["next"])


def test_an_integrating_client_pages_through_1000_referrals_to_the_last(world):
    referrals = make_referrals(world, 1000)
    client = token_client(world.link_worker.user)

    items, pages = walk(client, "/api/v1/referrals", {"per_page": 200})

    assert pages == 5
    assert len(items) == 1000
    assert {item["id"] for item in items} == {r.pk for r in referrals}


def test_a_page_says_the_total_and_links_the_next_page_keeping_the_filters(world):
    make_referrals(world, 60)
    make_referrals(world, 3, status=t.CLOSED)

    first = world.link_worker.get("/api/v1/referrals", {"status": "received"}).json()

    assert (len(first["items"]), first["total"], first["page"], first["per_page"]) == (
        50,
        60,
        1,
        50,
    )
    url = urlsplit(first["next"])
    assert url.path == "/api/v1/referrals"
    assert parse_qs(url.query) == {"status": ["received"], "page": ["2"]}
    second = world.link_worker.get(first["next"]).json()
    assert (len(second["items"]), second["next"]) == (10, None)
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_a_page_past_the_last_is_empty(world):
    make_referrals(world, 3)

    body = world.link_worker.get("/api/v1/referrals", {"page": 9}).json()

    assert (body["items"], body["total"], body["next"]) == ([], 3, None)


def test_only_the_referrals_on_the_page_are_audited_as_read(world):
    make_referrals(world, 30)
    before = AuditEvent.objects.filter(action="referral_listed").count()

    body = world.link_worker.get("/api/v1/referrals", {"per_page": 7, "page": 2}).json()

    listed = AuditEvent.objects.filter(action="referral_listed").order_by("id")[before:]
    assert sorted(int(e.object_id) for e in listed) == sorted(i["id"] for i in body["items"])
    assert {e.actor_id for e in listed} == {world.link_worker.user.pk}


def test_connections_page_past_200(world):
    connections = make_connections(world, make_referrals(world, 230))

    items, pages = walk(world.group, "/api/v1/connections", {"per_page": 200})

    assert pages == 2
    assert sorted(i["id"] for i in items) == sorted(c.pk for c in connections)


def test_listing_connections_audits_each_person_the_group_sees_in_one_insert(world):
    connections = make_connections(world, make_referrals(world, 4))

    with CaptureQueriesContext(db_connection) as queries:
        body = world.group.get("/api/v1/connections").json()

    assert len(body["items"]) == 4
    events = AuditEvent.objects.filter(action="connection_listed", object_type="connection")
    assert sorted(int(e.object_id) for e in events) == sorted(c.pk for c in connections)
    assert {e.actor_id for e in events} == {world.group.user.pk}
    inserts = [q["sql"] for q in queries if q["sql"].startswith("INSERT") and "audit" in q["sql"]]
    assert len(inserts) == 1


def test_follow_ups_page_and_keep_their_due_by_filter(world):
    referrals = make_referrals(world, 55)
    FollowUp.objects.bulk_create(
        FollowUp(referral=r, kind="review", due_on=timezone.localdate()) for r in referrals
    )

    first = world.link_worker.get("/api/v1/follow-ups", {"due_by": "2099-01-01"}).json()
    items, _ = walk(world.link_worker, "/api/v1/follow-ups", {"due_by": "2099-01-01"})

    assert first["total"] == 55 and len(first["items"]) == 50
    assert parse_qs(urlsplit(first["next"]).query)["due_by"] == ["2099-01-01"]
    assert len({i["id"] for i in items}) == 55


LISTS = [
    "/api/v1/referrals",
    "/api/v1/connections",
    "/api/v1/follow-ups",
    "/api/v1/services",
]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "201"}, "per_page"),
        ({"per_page": "-5"}, "per_page"),
    ],
)
def test_bad_paging_is_a_422_naming_the_field(url, params, field, world):
    response = world.link_worker.get(url, params)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize("url", LISTS)
def test_every_list_answers_the_same_envelope(url, world):
    body = world.link_worker.get(url, {"per_page": 200}).json()

    assert set(body) == {"items", "total", "page", "per_page", "next"}
    assert (body["page"], body["per_page"]) == (1, 200)

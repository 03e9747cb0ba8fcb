"""/api/v1/connections takes the same `?q=` as /api/v1/referrals: a link worker finds a
person by name, NHS number, reference or postcode among their services' connections; a
group by what it is shown; audited as a search, never the words."""

import pytest

from linkwork.audit.models import AuditEvent
from linkwork.referrals.models import Person
from tests.referrals.test_group_inbox_search import people

pytestmark = pytest.mark.django_db

API = "/api/v1/connections"


def ids(client, **params) -> list[int]:
    response = client.get(API, params)
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert body["total"] == len(body["items"])
    return sorted(item["id"] for item in body["items"])


@pytest.mark.parametrize("q", ["Pat", "paged", "Pat Paged", "BL2 6LT", "9434765919"])
def test_a_link_worker_searches_connections_as_the_referrals_are(world, q):
    pat, sam = people(world, "Pat", "Sam")
    Person.objects.filter(pk=pat.referral.person_id).update(nhs_number="9434765919")
    found = ids(world.link_worker, q=q)
    assert pat.pk in found
    if q in ("Pat", "9434765919"):
        assert found == [pat.pk]


def test_a_reference_finds_the_connections_of_that_referral(world):
    pat, sam = people(world, "Pat", "Sam")
    assert ids(world.link_worker, q=sam.referral.reference) == [sam.pk]


def test_a_group_searches_only_what_it_is_shown(world):
    pat, sam = people(world, "Pat", "Sam")
    people(world, "Pat", asset=world.full)  # the choir's: never the walking group's
    assert ids(world.group, q="Pat") == [pat.pk]
    assert ids(world.group, q=str(sam.pk)) == [sam.pk]
    for hidden in ("Paged", "BL2 6LT", sam.referral.reference):
        assert ids(world.group, q=hidden) == []


def test_another_service_never_finds_our_people(world):
    people(world, "Pat")
    assert ids(world.other_link_worker, q="Pat") == []


def test_the_search_is_audited_without_the_words_and_pages_keep_it(world):
    people(world, "Pat", "Patience", "Sam")
    body = world.link_worker.get(API, {"q": "Pat", "per_page": 1}).json()
    assert body["total"] == 2 and "q=Pat" in body["next"]
    world.link_worker.get(API)
    (search,) = AuditEvent.objects.filter(action="people_searched")
    assert search.summary == "list=api_connections results=2"


def test_an_over_long_search_is_a_422_naming_q(world):
    response = world.link_worker.get(API, {"q": "x" * 101})
    assert response.status_code == 422 and "q" in response.content.decode()
    assert not AuditEvent.objects.filter(action="people_searched").exists()

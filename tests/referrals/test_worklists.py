"""The daily work lists: search by name, NHS number, reference or postcode (audited as a
search, never the words), filters with counts in the URL, the most urgent first."""

import datetime as dt

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linkwork.audit.models import AuditEvent
from linkwork.referrals import services
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Referral
from tests.referrals.test_casework_pages import accepted, refer

pytestmark = pytest.mark.django_db

OTHER = {
    "given_name": "Sam",
    "family_name": "Okafor",
    "birth_date": "1980-01-02",
    "nhs_number": "",
    "postcode": "BL2 6LT",
}


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def due_in(referral: Referral, days: int) -> None:
    Referral.objects.filter(pk=referral.pk).update(
        first_contact_due=timezone.localdate() + dt.timedelta(days=days)
    )


@pytest.mark.parametrize(
    "q", ["943 476 5919", "9434765919", "holden", "Pat Hol", "BL2 6LT", "bl26lt", "BL2"]
)
def test_the_queue_finds_a_person_by_nhs_number_name_or_postcode(world, q):
    pat = refer(world)
    sam = refer(world, **OTHER)
    page = html(world.link_worker.get(reverse("triage-queue"), {"q": q}))
    assert f'id="referral-{pat.pk}"' in page
    if q not in ("BL2 6LT", "bl26lt", "BL2"):
        assert f'id="referral-{sam.pk}"' not in page


def test_a_reference_finds_the_referral(world):
    pat = refer(world)
    sam = refer(world, **OTHER)
    page = html(world.link_worker.get(reverse("triage-queue"), {"q": str(sam.uuid)[:8]}))
    assert f'id="referral-{sam.pk}"' in page and f'id="referral-{pat.pk}"' not in page


def test_a_search_is_audited_without_the_words(world):
    refer(world)
    html(world.link_worker.get(reverse("caseload"), {"q": "9434765919"}))
    html(world.link_worker.get(reverse("triage-queue"), {"q": "Holden"}))
    searches = AuditEvent.objects.filter(action="people_searched").order_by("id")
    assert [e.summary for e in searches] == ["list=caseload results=1", "list=queue results=1"]
    assert all(e.actor_id == world.link_worker.user.pk for e in searches)
    everything = " ".join(AuditEvent.objects.values_list("summary", flat=True))
    assert "9434765919" not in everything and "Holden" not in everything


def test_no_search_no_search_event(world):
    refer(world)
    html(world.link_worker.get(reverse("triage-queue")))
    assert not AuditEvent.objects.filter(action="people_searched").exists()


def test_search_never_reaches_another_service(world):
    refer(world)
    page = html(world.other_link_worker.get(reverse("triage-queue"), {"q": "Holden"}))
    assert "Pat Holden" not in page and "No new referrals match your search" in page


def test_the_queue_puts_overdue_then_due_soon_then_newest_first(world):
    old_routine = refer(world, given_name="Ann")
    overdue = refer(world, given_name="Bea")
    soon = refer(world, given_name="Cat")
    newest = refer(world, given_name="Dee")
    for referral, days in ((old_routine, 5), (overdue, -1), (soon, 1), (newest, 5)):
        due_in(referral, days)
    page = html(world.link_worker.get(reverse("triage-queue")))
    order = [page.index(f'id="referral-{r.pk}"') for r in (overdue, soon, newest, old_routine)]
    assert order == sorted(order)
    assert "1 overdue" in page and "1 due soon" in page
    oldest = html(world.link_worker.get(reverse("triage-queue"), {"sort": "oldest"}))
    assert oldest.index(f'id="referral-{old_routine.pk}"') < oldest.index(
        f'id="referral-{newest.pk}"'
    )


def test_the_queue_filters_overdue_with_counts_in_the_choices(world):
    overdue = refer(world, given_name="Bea")
    later = refer(world, given_name="Cat")
    due_in(overdue, -2)
    due_in(later, 6)
    page = html(world.link_worker.get(reverse("triage-queue"), {"due": "overdue"}))
    assert f'id="referral-{overdue.pk}"' in page and f'id="referral-{later.pk}"' not in page
    assert "First contact overdue (1)" in page and "Any (2)" in page


def test_the_caseload_searches_and_keeps_the_filters_in_the_pagination(world):
    for n in range(55):
        accepted(world, given_name=f"Person{n}", family_name="Holden")
    accepted(world, **OTHER)
    page = html(world.link_worker.get(reverse("caseload"), {"q": "holden", "status": "accepted"}))
    assert "55 referrals" in page and "Okafor" not in page
    assert "q=holden" in page and "status=accepted" in page and "page=2" in page


def test_caseload_queries_do_not_grow_with_the_list(world):
    accepted(world)
    url = reverse("caseload")
    with CaptureQueriesContext(db_connection) as few:
        html(world.link_worker.get(url, {"q": "Holden"}))
    for n in range(20):
        accepted(world, given_name=f"P{n}")
    with CaptureQueriesContext(db_connection) as many:
        html(world.link_worker.get(url, {"q": "Holden"}))
    assert len(many) == len(few)


def test_follow_ups_have_their_own_list_with_windows_and_counts(world):
    referral = accepted(world)
    six = referral.follow_ups.get(kind="six_weeks")
    twelve = referral.follow_ups.get(kind="twelve_weeks")
    today = timezone.localdate()
    six.due_on = today - dt.timedelta(days=3)
    six.save()
    twelve.due_on = today + dt.timedelta(days=3)
    twelve.save()
    page = html(world.link_worker.get(reverse("follow-ups")))
    assert "six-week review" in page and "twelve-week review" not in page
    assert "Overdue (1)" in page and "Due in the next 7 days (1)" in page
    week = html(world.link_worker.get(reverse("follow-ups"), {"window": "week"}))
    assert "twelve-week review" in week and "six-week review" not in week
    none = html(world.link_worker.get(reverse("follow-ups"), {"q": "Okafor"}))
    assert "six-week review" not in none


def test_a_referrer_sees_returned_referrals_first_marked_new(world):
    first = refer(world, given_name="Ann")
    returned = refer(world, given_name="Bea")
    refer(world, given_name="Cat")
    services.transition_referral(
        referral=returned, to=t.RETURNED, reason="Crisis team today", by=world.link_worker.user
    )
    page = html(world.gp.get(reverse("referral-list")))
    assert page.index("Bea Holden") < page.index("Cat Holden") < page.index("Ann Holden")
    assert "New</strong>" in page
    assert "Returned or declined (1)" in page
    html(world.gp.get(reverse("referral-status", args=[returned.pk])))
    returned.refresh_from_db()
    assert returned.referrer_seen_end_at is not None
    assert "New</strong>" not in html(world.gp.get(reverse("referral-list")))
    only = html(world.gp.get(reverse("referral-list"), {"show": "needs_you"}))
    assert "Bea Holden" in only and "Ann Holden" not in only
    assert first.pk


def test_a_referrer_searches_only_what_they_gave(world):
    mine = refer(world, nhs_number="")
    # Another referrer gives the same person's NHS number; the record now holds it.
    services.create_referral(
        person={**mine.person_details, "birth_date": "1956-03-14", "nhs_number": "9434765919"},
        source="gp",
        reasons=["need-loneliness"],
        consent_to_refer=True,
        referrer_organisation=world.practice,
        by=world.other_gp.user,
    )
    mine.person.refresh_from_db()
    page = html(world.gp.get(reverse("referral-list"), {"q": "9434765919"}))
    assert "No referrals match your search" in page
    assert "Pat Holden" in html(world.gp.get(reverse("referral-list"), {"q": "Holden"}))


def test_the_group_inbox_puts_answers_overdue_first(world):
    # Ordering only: the inbox's rows are built by the group page tests' helpers.
    from linkwork.referrals.models import Connection
    from linkwork.referrals.worklists import inbox_ordered

    today = timezone.localdate()
    referral = accepted(world)
    now = timezone.now()

    def sent(status, due=None):
        return Connection.objects.create(
            referral=referral, asset=world.walk, status=status, sent_at=now, response_due=due
        )

    a = sent(t.ACCEPTED)
    b = sent(t.SENT, today - dt.timedelta(days=1))
    c = sent(t.SENT, today + dt.timedelta(days=3))
    ordered = list(inbox_ordered(Connection.objects.all(), today))
    assert ordered == [b, c, a]


def test_the_api_takes_the_same_search(world):
    pat = refer(world)
    refer(world, **OTHER)
    body = world.link_worker.get("/api/v1/referrals", {"q": "943 476 5919"}).json()
    assert [item["id"] for item in body["items"]] == [pat.pk] and body["total"] == 1
    assert AuditEvent.objects.filter(action="people_searched", summary__contains="api").exists()
    mine = world.gp.get("/api/v1/referrals", {"q": "Okafor"}).json()
    assert mine["total"] == 1
    too_long = world.link_worker.get("/api/v1/referrals", {"q": "x" * 101})
    assert too_long.status_code == 422 and "q" in too_long.content.decode()
    follow_ups = world.link_worker.get("/api/v1/follow-ups", {"q": "Okafor"})
    assert follow_ups.status_code == 200 and follow_ups.json()["total"] == 0

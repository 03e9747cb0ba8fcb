"""Each role's home opens with what needs them now, counted, linked, most urgent first;
rooms that do not exist are not shown."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.directory.models import Schedule
from linkwork.referrals import services
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, FollowUp, Referral
from tests.referrals.test_casework_pages import accepted, refer

pytestmark = pytest.mark.django_db


def home(client, name: str) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('id="todo"') :]


def test_the_link_workers_home_lists_overdue_work_first(world):
    overdue = refer(world)
    Referral.objects.filter(pk=overdue.pk).update(
        first_contact_due=timezone.localdate() - dt.timedelta(days=1)
    )
    case = accepted(
        world, given_name="Ann", family_name="Okafor", nhs_number="", birth_date="1980-01-02"
    )
    FollowUp.objects.filter(referral=case, kind="six_weeks").update(due_on=timezone.localdate())
    Connection.objects.create(
        referral=case,
        asset=world.walk,
        status=t.SENT,
        sent_at=timezone.now(),
        response_due=timezone.localdate() - dt.timedelta(days=2),
    )
    page = home(world.link_worker, "home-link-worker")
    assert "1 first contact overdue" in page
    assert "1 connection waiting on a group past its answer date" in page
    assert "1 follow-up due today" in page
    assert "1 new referral to triage" in page
    assert page.index("first contact overdue") < page.index("follow-up due today")
    assert page.index("follow-up due today") < page.index("new referral to triage")
    assert 'href="/casework/?due=overdue"' in page
    assert 'href="/casework/follow-ups/?window=today"' in page
    late = world.link_worker.get("/casework/?due=group_late").content.decode()
    assert "Ann Okafor" in late and "Pat Holden" not in late


def test_another_services_link_worker_has_nothing_to_do(world):
    refer(world)
    page = home(world.other_link_worker, "home-link-worker")
    assert "Nothing needs you now" in page


def test_no_room_says_coming_soon(persona):
    for role, name in (
        (Role.GROUP, "home-group"),
        (Role.PANEL, "home-panel"),
        (Role.ADMIN, "home-admin"),
        (Role.RESIDENT, "home-resident"),
    ):
        page = persona(role).get(reverse(name)).content.decode()
        assert "Coming soon" not in page, role


def test_the_groups_home_lists_answers_due_and_todays_sessions(world):
    case = accepted(world)
    today = timezone.localdate()
    Connection.objects.create(
        referral=case,
        asset=world.walk,
        status=t.SENT,
        sent_at=timezone.now(),
        response_due=today - dt.timedelta(days=1),
    )
    Connection.objects.create(
        referral=case, asset=world.walk, status=t.ACCEPTED, sent_at=timezone.now()
    )
    Schedule.objects.create(
        asset=world.walk,
        weekday=today.weekday(),
        opens_at=dt.time(23, 0),
        closes_at=dt.time(23, 30),
    )
    page = home(world.group, "home-group")
    assert "1 referral waiting for your answer past its answer date" in page
    assert "Health walk today at 11pm: 1 new person expected" in page
    assert "group/referrals/?status=sent" in page
    assert "Nothing needs you now" in home(world.other_group, "home-group")


def test_the_referrers_home_shows_a_returned_referral_at_once(world):
    returned = refer(world)
    services.transition_referral(
        referral=returned,
        to=t.RETURNED,
        reason="Please refer to the crisis team today",
        by=world.link_worker.user,
    )
    page = home(world.gp, "home-referrer")
    assert "1 referral returned or declined" in page
    assert "?show=needs_you" in page
    world.gp.get(reverse("referral-status", args=[returned.pk]))
    assert "returned or declined" not in home(world.gp, "home-referrer")
    assert "Nothing needs you now" in home(world.other_gp, "home-referrer")


def test_a_closed_referral_not_yet_seen_is_on_the_referrers_home(world):
    referral = accepted(world)
    services.record_conversation(referral=referral, what_matters="x", by=world.link_worker.user)
    services.transition_referral(referral=referral, to=t.IN_PROGRESS, by=world.link_worker.user)
    services.transition_referral(
        referral=referral, to=t.CLOSED, summary="Walking weekly", by=world.link_worker.user
    )
    page = home(world.gp, "home-referrer")
    assert "1 referral closed that you have not seen yet" in page
    listed = world.gp.get(reverse("referral-list"), {"show": "closed_unseen"}).content.decode()
    assert "Pat Holden" in listed


def test_the_panels_home_counts_listings_to_verify(world, persona):
    from linkwork.directory.models import Publication

    world.walk.publication = Publication.IN_REVIEW
    world.walk.save()
    page = home(persona(Role.PANEL), "home-panel")
    assert "1 listing or report to verify" in page

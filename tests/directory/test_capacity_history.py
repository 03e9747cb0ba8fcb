"""Every capacity change is recorded with its cause: taking the last place sets the
listing to full automatically, with an audit event, a note on the group's page, an email
to the group without personal data, and a row in the listing's capacity history; changes
by hand are in the same history."""

import html as html_lib

import pytest
from django.urls import reverse

from linkwork.audit.models import AuditEvent
from linkwork.directory.capacity import ordinal
from linkwork.directory.models import CapacityChange, CapacityStatus
from linkwork.directory.services import set_capacity
from linkwork.referrals import services
from linkwork.referrals import transitions as t
from tests.factories import AssetFactory, hears_immediately
from tests.referrals.conftest import REFERRAL, world  # noqa: F401 (the casework world)

pytestmark = pytest.mark.django_db

PHONE = "07700 900123"


def sent(world, asset, count):  # noqa: F811
    person = dict(REFERRAL["person"], phone=PHONE)
    referral = services.create_referral(
        person=person,
        source="gp",
        reasons=REFERRAL["reasons"],
        consent_to_refer=True,
        share_with_groups=True,
        service=world.service,
        by=world.gp.user,
    )
    for to in (t.ACCEPTED, t.CONTACTED):
        services.transition_referral(referral=referral, to=to, by=world.link_worker.user)
    made = []
    for _ in range(count):
        connection = services.propose_connection(
            referral=referral,
            asset=asset,
            share=["first_name", "phone"],
            by=world.link_worker.user,
        )
        made.append(services.send_connection(connection=connection, by=world.link_worker.user))
    return made


def text(response) -> str:
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("n", "said"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (6, "6th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (101, "101st"),
        (111, "111th"),
    ],
)
def test_places_are_counted_in_words(n, said):
    assert ordinal(n) == said


def test_the_last_place_taken_makes_the_listing_full_with_its_cause(world, mailoutbox):  # noqa: F811
    asset = AssetFactory(organisation=world.walk.organisation, name="Tuesday walk", places=2)
    hears_immediately(world.group.user)
    first, second = sent(world, asset, 2)
    services.accept_connection(connection=first, by=world.group.user)
    asset.refresh_from_db()
    assert asset.capacity_status == CapacityStatus.OPEN
    assert not CapacityChange.objects.filter(asset=asset).exists()
    mailoutbox.clear()

    services.accept_connection(connection=second, by=world.group.user)

    asset.refresh_from_db()
    assert asset.capacity_status == CapacityStatus.FULL
    (change,) = CapacityChange.objects.filter(asset=asset)
    assert change.automatic and change.by is None
    assert (change.from_status, change.to_status) == ("open", "full")
    assert change.cause == f"The 2nd place was taken by referral ref. {second.pk}."
    event = AuditEvent.objects.get(action="capacity_full_automatic", object_id=str(asset.pk))
    assert event.actor_id == world.group.user.pk
    assert f"ref. {second.pk}" in event.summary
    (told,) = [m for m in mailoutbox if "now full" in m.subject]
    assert told.to == [world.group.user.email]
    assert f"the 2nd place was taken by referral ref. {second.pk}" in told.body
    for personal in ("Pat", "Holden", PHONE):  # no personal data in the email or the cause
        assert personal not in told.body and personal not in change.cause


def test_the_groups_page_says_why_it_is_full_until_it_changes_capacity(world):  # noqa: F811
    asset = AssetFactory(organisation=world.walk.organisation, name="Tuesday walk", places=1)
    (connection,) = sent(world, asset, 1)
    services.accept_connection(connection=connection, by=world.group.user)
    note = f"You are now full: the 1st place was taken by referral ref. {connection.pk}."
    assert note in text(world.group.get(reverse("home-group")))
    assert note not in text(world.other_group.get(reverse("home-group")))

    world.group.post(reverse("asset-capacity", args=[asset.pk]), {"status": "open"})
    assert note not in text(world.group.get(reverse("home-group")))


def test_the_listing_page_shows_its_capacity_history_to_the_group_only(world):  # noqa: F811
    asset = AssetFactory(organisation=world.walk.organisation, name="Tuesday walk", places=1)
    (connection,) = sent(world, asset, 1)
    services.accept_connection(connection=connection, by=world.group.user)
    world.group.post(reverse("asset-capacity", args=[asset.pk]), {"status": "waitlist"})

    url = reverse("asset-detail", args=[asset.pk])
    shown = text(world.group.get(url))
    assert "Capacity history" in shown
    assert f"The 1st place was taken by referral ref. {connection.pk}." in shown
    assert "Linkwork, automatically" in shown
    assert "Full → Waiting list; places 1 → not set" in shown and "Set on the listing." in shown
    assert shown.index("Full → Waiting list") < shown.index("Open to new people → Full")
    for viewer in (world.other_group, world.gp):
        assert "Capacity history" not in text(viewer.get(url))


def test_every_change_by_hand_is_recorded_and_a_confirmation_is_not(world):  # noqa: F811
    asset = AssetFactory(organisation=world.walk.organisation, places=4)
    user = world.group.user
    set_capacity(asset=asset, status="waitlist", places=4, by=user)
    set_capacity(asset=asset, status="waitlist", places=4, by=user)  # the same again
    set_capacity(asset=asset, status="waitlist", places=6, by=user)
    changes = list(CapacityChange.objects.filter(asset=asset).order_by("at", "pk"))
    assert [(c.from_status, c.to_status, c.from_places, c.to_places) for c in changes] == [
        ("open", "waitlist", 4, 4),
        ("waitlist", "waitlist", 4, 6),
    ]
    assert all(c.by == user and not c.automatic for c in changes)


def test_a_capacity_change_through_the_api_is_in_the_history(world):  # noqa: F811
    asset = world.walk
    response = world.group.put(
        f"/api/v1/services/{asset.pk}/capacity",
        {"status": "paused", "places": 2},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    change = CapacityChange.objects.get(asset=asset)
    assert (change.to_status, change.by) == ("paused", world.group.user)


def test_the_last_place_of_a_waiting_list_is_recorded_too_and_full_again_is_no_change(world):  # noqa: F811, E501
    asset = AssetFactory(organisation=world.walk.organisation, places=1)
    set_capacity(asset=asset, status="waitlist", places=1, by=world.group.user)
    (connection,) = sent(world, asset, 1)
    assert connection.status == t.WAITLISTED
    services.accept_connection(connection=connection, by=world.group.user)
    automatic = CapacityChange.objects.get(asset=asset, automatic=True)
    assert (automatic.from_status, automatic.to_status) == ("waitlist", "full")

    set_capacity(asset=asset, status="full", places=1, by=world.group.user)  # as it is
    assert CapacityChange.objects.filter(asset=asset).count() == 2

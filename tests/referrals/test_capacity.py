"""No group is sent more people than it can take, even when accepts race."""

import threading

import pytest
from django.db import connection as db_connection
from django.db import connections

from linkwork.accounts.roles import Role
from linkwork.errors import Conflict
from linkwork.referrals import services
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection
from tests.factories import AssetFactory, user_with_role
from tests.referrals.conftest import REFERRAL


def _sent_connections(world, asset, count):
    referral = services.create_referral(
        person=REFERRAL["person"],
        source="gp",
        reasons=REFERRAL["reasons"],
        consent_to_refer=True,
        service=world.service,
        by=world.gp.user,
    )
    services.transition_referral(referral=referral, to=t.ACCEPTED, by=world.link_worker.user)
    services.transition_referral(referral=referral, to=t.CONTACTED, by=world.link_worker.user)
    made = []
    for _ in range(count):
        connection = services.propose_connection(
            referral=referral, asset=asset, by=world.link_worker.user
        )
        made.append(services.send_connection(connection=connection, by=world.link_worker.user))
    return made


@pytest.mark.django_db
def test_the_last_place_sets_the_asset_to_full_and_no_more_are_accepted(world):
    asset = AssetFactory(organisation=world.walk.organisation, places=1)
    first, second = _sent_connections(world, asset, 2)
    group_user = world.group.user
    services.accept_connection(connection=first, by=group_user)
    asset.refresh_from_db()
    assert asset.capacity_status == "full"
    with pytest.raises(Conflict) as refused:
        services.accept_connection(connection=second, by=group_user)
    assert refused.value.current_state == "sent"
    assert Connection.objects.get(pk=second.pk).status == "sent"


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_accepts_never_exceed_the_places(world):
    if db_connection.vendor != "postgresql":
        pytest.skip("Row locks are exercised on PostgreSQL; SQLite serialises writers.")
    places, attempts = 3, 12
    asset = AssetFactory(organisation=world.walk.organisation, places=places)
    pending = _sent_connections(world, asset, attempts)
    group_user = user_with_role(Role.GROUP, organisation=world.walk.organisation)
    barrier = threading.Barrier(attempts)
    outcomes: list[str] = []

    def accept(connection):
        try:
            barrier.wait()
            services.accept_connection(connection=connection, by=group_user)
            outcomes.append("accepted")
        except Conflict:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(c,)) for c in pending]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("accepted") == places
    assert Connection.objects.filter(asset=asset, status="accepted").count() == places

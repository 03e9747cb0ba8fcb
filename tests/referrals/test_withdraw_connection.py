"""A proposed connection that cannot be sent (the group is full) is withdrawn: it leaves
the plan, stays in the history, and the group never hears of it."""

import pytest
from django.urls import reverse

from linkwork.audit.models import AuditEvent
from linkwork.referrals import services
from linkwork.referrals.models import Connection, ConnectionEvent
from tests.referrals.test_casework_pages import case_url, contacted, html, shows_problem

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def transitions_url(connection) -> str:
    return f"/api/v1/connections/{connection.pk}/transitions"


@pytest.fixture
def refused(world):
    """A connection proposed to a full group: it cannot be sent."""
    referral = contacted(world)
    connection = services.propose_connection(
        referral=referral, asset=world.full, share=["first_name"], by=world.link_worker.user
    )
    return connection


def test_the_case_page_offers_to_withdraw_a_connection_that_cannot_be_sent(world, refused):
    page = html(world.link_worker.get(case_url(refused.referral)))
    assert "Full walk is full and cannot take anyone new" in page
    assert "Withdraw this connection" in page
    assert (
        f'action="{case_url(refused.referral, "casework-connection-withdraw", cid=refused.pk)}"'
        in page
    )


def test_a_link_worker_withdraws_a_connection_and_the_case_page_shows_it(world, refused):
    referral = refused.referral
    url = case_url(referral, "casework-connection-withdraw", cid=refused.pk)
    response = world.link_worker.post(url, {"reason": "Full until spring; Pat will not wait."})
    assert response.status_code == 302
    refused.refresh_from_db()
    assert refused.status == "withdrawn"
    assert refused.reason == "Full until spring; Pat will not wait."
    event = ConnectionEvent.objects.filter(connection=refused).last()
    assert (event.from_status, event.to_status) == ("proposed", "withdrawn")
    assert event.by == world.link_worker.user
    assert AuditEvent.objects.filter(
        action="connection_transition", object_id=str(refused.pk), summary__contains="withdrawn"
    ).exists()

    page = html(world.link_worker.get(case_url(referral)))
    withdrawn = page[page.index('id="withdrawn-connections"') :]
    assert "Full walk</strong>: withdrawn on" in withdrawn
    assert "Full until spring; Pat will not wait." in withdrawn
    assert "No connections in the plan yet." in page
    # Gone from the plan: no alternatives, no send or withdraw button for it.
    assert "Connect to this instead" not in page
    assert "Withdraw this connection" not in page
    assert "Send<span" not in page


def test_withdrawing_needs_no_reason(world, refused):
    world.link_worker.post(
        case_url(refused.referral, "casework-connection-withdraw", cid=refused.pk)
    )
    refused.refresh_from_db()
    assert refused.status == "withdrawn" and refused.reason == ""


def test_a_reason_too_long_is_refused_and_nothing_changes(world, refused):
    url = case_url(refused.referral, "casework-connection-withdraw", cid=refused.pk)
    response = world.link_worker.post(url, {"reason": "x" * 501})
    assert shows_problem(response)
    assert f'href="#withdraw-{refused.pk}-reason"' in html(response)
    refused.refresh_from_db()
    assert refused.status == "proposed"


def test_a_sent_connection_cannot_be_withdrawn(world):
    referral = contacted(world)
    connection = services.propose_connection(
        referral=referral, asset=world.walk, by=world.link_worker.user
    )
    services.send_connection(connection=connection, by=world.link_worker.user)
    response = world.link_worker.post(
        case_url(referral, "casework-connection-withdraw", cid=connection.pk)
    )
    assert shows_problem(response)
    assert "A connection that is sent cannot become withdrawn" in html(response)
    connection.refresh_from_db()
    assert connection.status == "sent"


def test_connecting_instead_withdraws_the_connection_to_the_full_group(world, refused):
    referral = refused.referral
    world.link_worker.post(
        case_url(referral, "casework-connection-instead", cid=refused.pk),
        {"asset": world.walk.pk},
    )
    refused.refresh_from_db()
    assert refused.status == "withdrawn" and refused.reason == "Connected to Health walk instead."
    assert Connection.objects.get(asset=world.walk).status == "sent"


def test_a_withdrawn_connection_is_not_in_the_referrers_summary(world, refused):
    referral = refused.referral
    services.withdraw_connection(connection=refused, by=world.link_worker.user)
    other = services.propose_connection(
        referral=referral, asset=world.walk, by=world.link_worker.user
    )
    services.send_connection(connection=other, by=world.link_worker.user)
    services.transition_referral(
        referral=referral, to="closed", summary="Walking.", by=world.link_worker.user
    )
    closure = world.gp.get(f"/api/v1/referrals/{referral.pk}").json()["closure"]
    assert closure["connections"] == [{"service": "Health walk", "status": "sent"}]
    assert "Full walk" not in html(world.gp.get(reverse("referral-status", args=[referral.pk])))


# --- Through the API -------------------------------------------------------------------


def test_the_api_withdraws_a_proposed_connection_with_a_reason(world, refused):
    response = post(
        world.link_worker, transitions_url(refused), {"to": "withdrawn", "reason": "Full."}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "withdrawn"
    refused.refresh_from_db()
    assert refused.reason == "Full."
    listed = world.link_worker.get("/api/v1/connections", {"status": "withdrawn"}).json()["items"]
    assert [c["id"] for c in listed] == [refused.pk]


@pytest.mark.parametrize("then", ["sent", "withdrawn", "accepted"])
def test_nothing_follows_withdrawn(world, refused, then):
    services.withdraw_connection(connection=refused, by=world.link_worker.user)
    response = post(world.link_worker, transitions_url(refused), {"to": then})
    assert response.status_code == 409
    assert response.json()["current_state"] == "withdrawn"


@pytest.mark.parametrize("status", ["sent", "accepted", "attended_first", "declined"])
def test_only_proposed_connections_can_be_withdrawn(world, status):
    referral = contacted(world)
    connection = services.propose_connection(
        referral=referral, asset=world.walk, by=world.link_worker.user
    )
    Connection.objects.filter(pk=connection.pk).update(status=status)
    response = post(world.link_worker, transitions_url(connection), {"to": "withdrawn"})
    assert response.status_code == 409
    assert response.json()["current_state"] == status
    connection.refresh_from_db()
    assert connection.status == status


def test_only_the_services_link_workers_withdraw(world, refused):
    for client in (world.other_link_worker, world.gp, world.commissioner):
        assert post(client, transitions_url(refused), {"to": "withdrawn"}).status_code == 404
    # The group cannot even see a connection that was never sent.
    assert post(world.other_group, transitions_url(refused), {"to": "withdrawn"}).status_code == 404
    refused.refresh_from_db()
    assert refused.status == "proposed"


def test_a_group_cannot_withdraw_a_connection_sent_to_it(world):
    referral = contacted(world)
    connection = services.propose_connection(
        referral=referral, asset=world.walk, by=world.link_worker.user
    )
    services.send_connection(connection=connection, by=world.link_worker.user)
    assert post(world.group, transitions_url(connection), {"to": "withdrawn"}).status_code == 403


def test_groups_never_see_withdrawn_connections(world):
    referral = contacted(world)
    connection = services.propose_connection(
        referral=referral, asset=world.walk, by=world.link_worker.user
    )
    services.withdraw_connection(connection=connection, by=world.link_worker.user)
    assert world.group.get("/api/v1/connections").json()["items"] == []
    assert "Pat" not in html(world.group.get(reverse("group-inbox")))

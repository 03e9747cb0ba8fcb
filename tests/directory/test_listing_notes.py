"""Link workers' private log on listings: their service's only (issue 13, item 5)."""

import datetime as dt

import pytest
from django.test import Client

from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.directory.models import ListingNote
from tests.factories import AssetFactory, OrganisationFactory, user_with_role
from tests.worlds import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def services():
    """Two social prescribing services, a link worker in each, and a listing."""
    ours, theirs = OrganisationFactory(name="Bolton SP"), OrganisationFactory(name="Wigan SP")
    return {
        "asset": AssetFactory(name="Women's group"),
        "ours": user_with_role(Role.LINK_WORKER, organisation=ours),
        "colleague": user_with_role(Role.LINK_WORKER, organisation=ours),
        "theirs": user_with_role(Role.LINK_WORKER, organisation=theirs),
    }


def add(client: Client, asset, **fields):
    return client.post(f"/directory/assets/{asset.pk}/notes/", fields)


def test_a_visit_is_seen_and_searched_by_the_services_link_workers_only(taxonomy, services):
    asset = services["asset"]
    response = add(
        signed_in(services["ours"]),
        asset,
        kind="visit",
        text="Safe for people with experience of abuse; step-free but noisy.",
        visited_on_day="3",
        visited_on_month="11",
        visited_on_year="2026",
    )
    assert response.status_code == 302
    note = ListingNote.objects.get()
    assert note.visited_on == dt.date(2026, 11, 3) and note.author == services["ours"]
    assert AuditEvent.objects.filter(action="listing_note_added").exists()
    page = signed_in(services["colleague"]).get(f"/directory/assets/{asset.pk}/").content
    assert b"step-free but noisy" in page
    found = signed_in(services["colleague"]).get("/directory/notes/", {"q": "NOISY"}).content
    assert b"Women&#39;s group" in found and b"step-free but noisy" in found
    for other in (
        services["theirs"],
        user_with_role(Role.GROUP, organisation=asset.organisation),
        user_with_role(Role.RESIDENT),
        user_with_role(Role.ADMIN),
    ):
        assert (
            b"step-free but noisy"
            not in signed_in(other).get(f"/directory/assets/{asset.pk}/").content
        )
    assert b"noisy" not in signed_in(services["theirs"]).get("/directory/notes/").content
    assert b"noisy" not in Client().get(f"/openreferral/services/{asset.uuid}").content
    assert b"noisy" not in Client().get(f"/directory/assets/{asset.pk}/").content


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "note", "text": " "}, "text"),
        ({"kind": "visit", "text": "Went along"}, "visited_on"),
        (
            {
                "kind": "visit",
                "text": "Went",
                "visited_on_day": "1",
                "visited_on_month": "1",
                "visited_on_year": "2999",
            },
            "visited_on",
        ),
    ],
)
def test_bad_notes_are_named_and_nothing_is_saved(taxonomy, services, fields, field):
    response = add(signed_in(services["ours"]), services["asset"], **fields)
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html and f'href="#id_{field}' in html
    assert not ListingNote.objects.exists()


@pytest.mark.parametrize("role", [Role.GROUP, Role.RESIDENT, Role.REFERRER, Role.PANEL])
def test_only_link_workers_add_notes(taxonomy, services, role):
    response = add(signed_in(user_with_role(role)), services["asset"], kind="note", text="x")
    assert response.status_code == 403 and not ListingNote.objects.exists()

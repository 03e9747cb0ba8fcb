"""Everything a listing says, through POST/PATCH /api/v1/services (issue 13)."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client

from linkwork.accounts.roles import Role
from linkwork.directory.models import Asset, CostOption, Location, Schedule
from linkwork.directory.schedules import LONDON
from tests.factories import AssetFactory, OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db

TOMORROW = (dt.datetime.now(tz=LONDON).date() + dt.timedelta(days=1)).isoformat()
YESTERDAY = (dt.datetime.now(tz=LONDON).date() - dt.timedelta(days=1)).isoformat()

FIRST_FRIDAY = {
    "freq": "MONTHLY",
    "byday": "1FR",
    "opens_at": "10:00",
    "closes_at": "12:00",
    "description": "Taster welcome",
}


def signed_in(role: Role, organisation=None) -> Client:
    client = Client()
    client.force_login(user_with_role(role, organisation=organisation))
    return client


def patch(client: Client, asset: Asset, body: dict):
    return client.patch(
        f"/api/v1/services/{asset.pk}", json.dumps(body), content_type="application/json"
    )


def test_a_group_sets_sessions_cost_online_and_safeguarding_through_the_api(taxonomy):
    organisation = OrganisationFactory()
    asset = AssetFactory(organisation=organisation)
    response = patch(
        signed_in(Role.GROUP, organisation),
        asset,
        {
            "schedules": [
                FIRST_FRIDAY,
                {
                    "freq": "WEEKLY",
                    "interval": 2,
                    "byday": "MO,WE",
                    "dtstart": TOMORROW,
                    "opens_at": "18:00",
                    "closes_at": "19:30",
                    "term_time_only": True,
                },
            ],
            "cost_options": [
                {"amount": "2.00", "currency": "GBP", "option": "Per session"},
                {"amount": 1, "option": "Concessions"},
            ],
            "taster_session": True,
            "duration": "Six-week course",
            "online_url": "https://meet.example.org/walk",
            "safeguarding_policy": True,
            "safeguarding_policy_reviewed_on": "2026-09-01",
            "dbs_checked_lead": True,
            "dbs_checked_on": "2026-01-15",
            "languages": ["en", "ur"],
            "travel_notes": "Bus 501 stops outside.",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [s["byday"] for s in body["schedules"]] == ["MO", "WE", "1FR"]
    first_friday = next(s for s in body["schedules"] if s["byday"] == "1FR")
    assert first_friday["freq"] == "MONTHLY" and first_friday["opens_at"] == "10:00:00"
    assert first_friday["in_words"] == "First Friday of the month, 10am to 12pm"
    assert [c["in_words"] for c in body["cost_options"]] == ["£2 per session", "Concessions: £1"]
    assert body["is_free"] is False
    assert len(body["next_dates"]) == 3
    assert body["online_url"] == "https://meet.example.org/walk"
    assert body["duration"] == "Six-week course" and body["taster_session"] is True
    assert body["dbs_checked_on"] == "2026-01-15"
    assert CostOption.objects.get(asset=asset, option="Per session").amount == Decimal("2.00")
    assert Location.objects.get(asset_locations__asset=asset, location_type="virtual").url


def test_a_suggested_donation_still_counts_as_free(taxonomy):
    organisation = OrganisationFactory()
    asset = AssetFactory(organisation=organisation, is_free=False)
    body = patch(
        signed_in(Role.GROUP, organisation),
        asset,
        {"cost_options": [{"amount": 3, "option": "Suggested donation"}]},
    ).json()
    assert body["is_free"] is True
    assert body["cost_options"][0]["in_words"] == "Suggested donation: £3"


def test_creating_a_service_with_sessions_and_costs(taxonomy):
    organisation = OrganisationFactory()
    response = signed_in(Role.GROUP, organisation).post(
        "/api/v1/services",
        {
            "organization_id": organisation.pk,
            "name": "Craft club",
            "description": "Make things together.",
            "schedules": [{"dtstart": TOMORROW, "opens_at": "14:00", "closes_at": "16:00"}],
            "cost_options": [{"amount": 0, "option": "Free"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["schedules"][0]["freq"] is None and body["schedules"][0]["dtstart"] == TOMORROW
    assert [d[:10] for d in body["next_dates"]] == [TOMORROW]
    assert body["is_free"] is True


BAD = [
    ({"schedules": [{**FIRST_FRIDAY, "closes_at": "09:00"}]}, "schedules[0].closes_at"),
    ({"schedules": [{**FIRST_FRIDAY, "byday": "FR"}]}, "schedules[0].byday"),
    ({"schedules": [{**FIRST_FRIDAY, "byday": ""}]}, "schedules[0].byday"),
    (
        {
            "schedules": [
                FIRST_FRIDAY,
                {"dtstart": YESTERDAY, "opens_at": "10:00", "closes_at": "11:00"},
            ]
        },
        "schedules[1].dtstart",
    ),
    (
        {"schedules": [{**FIRST_FRIDAY, "dtstart": TOMORROW, "until": YESTERDAY}]},
        "schedules[0].until",
    ),
    ({"cost_options": [{"amount": -2, "option": "Per session"}]}, "cost_options[0].amount"),
    ({"cost_options": [{"amount": "two", "option": "Per session"}]}, "cost_options[0].amount"),
    ({"online_url": "http://meet.example.org/walk"}, "online_url"),
    ({"online_url": "https://not a link"}, "online_url"),
]


@pytest.mark.parametrize(("body", "field"), BAD, ids=[field for _, field in BAD])
def test_bad_input_names_the_field_and_writes_nothing(taxonomy, body, field):
    organisation = OrganisationFactory()
    asset = AssetFactory(organisation=organisation, name="Walk")
    Schedule.objects.create(asset=asset, weekday=0, opens_at=dt.time(9), closes_at=dt.time(10))
    before = asset.updated_at
    response = patch(signed_in(Role.GROUP, organisation), asset, {"name": "Renamed", **body})
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    asset.refresh_from_db()
    assert asset.name == "Walk" and asset.updated_at == before
    assert list(asset.schedules.values_list("weekday", flat=True)) == [0]
    assert not asset.cost_options.exists()


def test_a_group_cannot_change_another_groups_sessions(taxonomy):
    asset = AssetFactory()
    response = patch(
        signed_in(Role.GROUP, OrganisationFactory()), asset, {"schedules": [FIRST_FRIDAY]}
    )
    assert response.status_code == 404
    assert not asset.schedules.exists()


@pytest.mark.parametrize("role", [Role.LINK_WORKER, Role.ADMIN])
def test_link_workers_and_admins_edit_any_listings_sessions(taxonomy, role):
    asset = AssetFactory()
    assert patch(signed_in(role), asset, {"schedules": [FIRST_FRIDAY]}).status_code == 200
    assert asset.schedules.get().byday == "1FR"


def test_free_only_keeps_meaning_free_once_costs_are_given(taxonomy):
    organisation = OrganisationFactory()
    client = signed_in(Role.GROUP, organisation)
    charged, donation, free = (
        AssetFactory(organisation=organisation, name=name)
        for name in ("Charged", "Donation", "Free")
    )
    patch(client, charged, {"cost_options": [{"amount": 2, "option": "Per session"}]})
    patch(client, donation, {"cost_options": [{"amount": 3, "option": "Suggested donation"}]})
    patch(client, free, {"cost_options": [{"amount": 0, "option": "Free"}]})
    body = client.get("/api/v1/services", {"free_only": "true"}).json()
    assert sorted(r["name"] for r in body["items"]) == ["Donation", "Free"]
    patch(client, charged, {"cost_options": []})  # no costs left: free again
    body = client.get("/api/v1/services", {"free_only": "true"}).json()
    assert sorted(r["name"] for r in body["items"]) == ["Charged", "Donation", "Free"]

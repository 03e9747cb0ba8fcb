"""Sessions, online options and listing facts out through ORUK and back in (issue 13)."""

import datetime as dt

import pytest

from linkwork.directory.listing_edit import update_listing
from linkwork.directory.models import Asset, Location, Schedule
from linkwork.directory.schedules import LONDON
from linkwork.interop.openreferral import listing_facts
from tests.factories import AssetFactory
from tests.interop.import_factories import write_json
from tests.interop.test_import_oruk import run

pytestmark = pytest.mark.django_db

NEXT_MONTH = dt.datetime.now(tz=LONDON).date() + dt.timedelta(days=30)

FACT_FIELDS = [
    "safeguarding_policy",
    "safeguarding_policy_reviewed_on",
    "dbs_checked_lead",
    "dbs_checked_on",
    "first_aid",
    "first_aid_until",
    "insurance",
    "insurance_until",
    "capacity_status",
    "places",
    "places_period",
    "duration",
    "first_visit",
    "taster_session",
    "welcome_contact_name",
]
SCHEDULE_FIELDS = ["weekday", "ordinal", "freq", "interval", "dtstart", "until", "opens_at"]


def a_full_listing() -> Asset:
    asset = AssetFactory(
        name="Knit and natter",
        capacity_status="waitlist",
        places=12,
        first_visit="Come for a brew.",
        welcome_contact_name="Jo",
    )
    return update_listing(
        asset=asset,
        by=None,
        schedules=[
            {"freq": "MONTHLY", "byday": "1FR", "opens_at": "10:00", "closes_at": "12:00"},
            {"freq": "MONTHLY", "byday": "-1TU", "opens_at": "18:00", "closes_at": "19:00"},
            {"dtstart": NEXT_MONTH.isoformat(), "opens_at": "14:00", "closes_at": "16:00"},
        ],
        online_url="https://meet.example.org/knit",
        online_phone="01204 333 444",
        safeguarding_policy=True,
        safeguarding_policy_reviewed_on=dt.date(2026, 9, 1),
        dbs_checked_lead=True,
        dbs_checked_on=dt.date(2026, 1, 15),
        first_aid=True,
        insurance=True,
        insurance_until=dt.date(2027, 3, 31),
        duration="Six-week course",
        taster_session=True,
    )


def test_listing_facts_are_oruk_attributes_with_values(client):
    asset = a_full_listing()
    body = client.get(f"/openreferral/services/{asset.uuid}").json()
    facts = {
        a["taxonomy_term"]["code"]: a["value"]
        for a in body["attributes"]
        if a["link_type"] == listing_facts.LINK_TYPE
    }
    assert facts == {
        "listing-safeguarding-policy": "2026-09-01",
        "listing-dbs-checked-lead": "2026-01-15",
        "listing-first-aid": "yes",
        "listing-insurance": "2027-03-31",
        "listing-capacity": "waitlist",
        "listing-places": "12/week",
        "listing-duration": "Six-week course",
        "listing-first-visit": "Come for a brew.",
        "listing-taster-session": "yes",
        "listing-welcome-contact": "Jo",
    }
    bydays = sorted(s.get("byday") for s in body["schedules"])
    assert bydays == ["-1TU", "1FR", Schedule.objects.get(freq="ONCE").byday]
    once = next(s for s in body["schedules"] if "freq" not in s)
    assert once["dtstart"] == NEXT_MONTH.isoformat()
    [online] = [
        sal["location"]
        for sal in body["service_at_locations"]
        if sal["location"]["location_type"] == "virtual"
    ]
    assert online["url"] == "https://meet.example.org/knit"


def test_linkworks_own_feed_round_trips_sessions_online_and_facts(client, tmp_path):
    original = a_full_listing()
    record = client.get(f"/openreferral/services/{original.uuid}").json()
    out, _ = run(write_json(tmp_path / "feed.json", [record]))
    assert out.startswith("created 1, updated 0, unchanged 0, rejected 0"), out
    copy = Asset.objects.exclude(pk=original.pk).get()
    assert {f: getattr(copy, f) for f in FACT_FIELDS} == {
        f: getattr(original, f) for f in FACT_FIELDS
    }
    assert sorted(copy.schedules.values_list(*SCHEDULE_FIELDS), key=str) == sorted(
        original.schedules.values_list(*SCHEDULE_FIELDS), key=str
    )
    online = Location.objects.get(asset_locations__asset=copy, location_type="virtual")
    assert (online.url, online.phone) == ("https://meet.example.org/knit", "01204 333 444")
    assert not copy.terms.filter(code__startswith="listing-").exists()
    # The same feed again changes nothing.
    again, _ = run(write_json(tmp_path / "feed.json", [record]))
    assert again.startswith("created 0, updated 0, unchanged 1, rejected 0"), again


def test_an_insecure_online_link_in_a_feed_is_rejected(client, tmp_path):
    record = client.get(f"/openreferral/services/{a_full_listing().uuid}").json()
    for sal in record["service_at_locations"]:
        if sal["location"]["location_type"] == "virtual":
            sal["location"]["url"] = "http://meet.example.org/knit"
    record["id"] = "00000000-0000-4000-8000-000000000001"
    out, _ = run(write_json(tmp_path / "feed.json", [record]))
    assert "rejected 1" in out and "not a secure https link" in out

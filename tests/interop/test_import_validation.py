"""`import-oruk` checks each record's shape (ORUK 3.0) and size before writing anything;
a bad record is rejected alone, with its reason in the report (issue 22, item 7)."""

import copy

import pytest

from linkwork.directory.models import Asset, AssetLocation, Location, Organisation, Schedule
from linkwork.interop.imports.oruk import import_services
from linkwork.interop.imports.validation import MAX_ITEMS, MAX_TEXT_LENGTH
from tests.factories import PostcodeFactory
from tests.interop.import_factories import service_record

pytestmark = pytest.mark.django_db

SOURCE = "feed.example.org"


@pytest.fixture(autouse=True)
def _postcode():
    PostcodeFactory(postcode="BL1 1AA")


def imported(*records: dict):
    report = import_services(list(records), source=SOURCE, by=None)
    return report, dict(report.rejected)


def broken(path: str, value) -> dict:
    """A good record with the value at `path` (dots and [n]) replaced."""
    record = copy.deepcopy(service_record(2))
    target, key = record, path
    parts = path.replace("[", ".").replace("]", "").split(".")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    key = parts[-1]
    target[int(key) if key.isdigit() else key] = value
    return record


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        ("service_at_locations", "not-a-list", 'service_at_locations "not-a-list" is not a list'),
        ("service_at_locations[0].location", ["x"], "service_at_locations[0].location"),
        ("schedules", {"byday": "MO"}, "schedules"),
        ("organization", "Feed Community Trust", 'organization "Feed Community Trust"'),
        ("minimum_age", "eighteen", 'minimum_age "eighteen" is not a number'),
        ("name", ["Walking"], 'name ["Walking"] is not text'),
        ("service_at_locations[0].location.latitude", {"lat": 1}, "latitude"),
        ("contacts", "Call 01204 222222", "contacts"),
        ("attributes[0].taxonomy_term", "walking", "attributes[0].taxonomy_term"),
    ],
)
def test_a_record_of_the_wrong_shape_is_rejected_alone_with_the_field_named(path, value, reason):
    good = service_record(1)
    bad = broken(path, value)

    report, rejected = imported(good, bad)

    assert (report.created, len(report.rejected)) == (1, 1)
    assert reason in rejected[bad["id"]]
    assert "ORUK 3.0 schema" in rejected[bad["id"]]
    # Nothing of the bad record was written: only the good one's listing and location.
    assert list(Asset.objects.values_list("source_id", flat=True)) == [good["id"]]
    assert AssetLocation.objects.count() == Location.objects.count() == 1


def test_a_nine_megabyte_description_is_rejected_not_published():
    bad = broken("description", "x" * 9_000_000)
    report, rejected = imported(bad)
    assert report.created == 0
    assert rejected[bad["id"]] == (
        f"description is 9,000,000 characters long; at most {MAX_TEXT_LENGTH:,}"
    )
    assert not Asset.objects.exists() and not Organisation.objects.exists()


def test_too_much_text_anywhere_in_the_record_is_rejected():
    bad = broken("service_at_locations[0].location.addresses[0].address_1", "y" * 20_000)
    _, rejected = imported(bad)
    assert rejected[bad["id"]].startswith(
        "service_at_locations[0].location.addresses[0].address_1 is 20,000 characters long"
    )


def test_too_many_items_in_a_list_are_rejected():
    bad = broken("schedules", [{"byday": "MO", "opens_at": "10:00"}] * (MAX_ITEMS + 1))
    report, rejected = imported(bad)
    assert rejected[bad["id"]] == f"schedules has {MAX_ITEMS + 1:,} items; at most {MAX_ITEMS}"
    assert not Schedule.objects.exists()


def test_absurdly_deep_nesting_is_rejected():
    deep: dict = {}
    inner = deep
    for _ in range(20):
        inner["x"] = {}
        inner = inner["x"]
    bad = broken("extra", deep)
    _, rejected = imported(bad)
    assert "nested more than" in rejected[bad["id"]]


def test_nulls_blanks_and_numbers_written_as_text_are_accepted():
    # A data package's CSV carries every value as text; many feeds send null for "none".
    record = service_record(3)
    record.update(minimum_age="18", maximum_age="", url=None, email=None)
    record["service_at_locations"][0]["location"].update(latitude="53.578", longitude="-2.44")
    report, rejected = imported(record)
    assert (report.created, rejected) == (1, {})
    asset = Asset.objects.get()
    assert asset.minimum_age == 18
    assert asset.asset_locations.get().location.longitude == pytest.approx(-2.44)

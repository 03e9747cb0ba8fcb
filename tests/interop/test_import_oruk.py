import io
import json
import shutil
import threading
import time
import zipfile
from contextlib import contextmanager
from datetime import time as clock
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command

from linkwork.audit.models import AuditEvent
from linkwork.directory.models import (
    Asset,
    AssetLocation,
    Contact,
    CostOption,
    Location,
    Organisation,
    Publication,
    ReferralMethod,
    Schedule,
    Taxonomy,
    TaxonomyTerm,
    Vocabulary,
)
from linkwork.interop.imports.oruk import import_services
from linkwork.interop.imports.readers import FeedError, open_feed
from tests.factories import AssetFactory, PostcodeFactory, TaxonomyTermFactory
from tests.interop.import_factories import (
    envelope,
    feed_id,
    make_directory,
    service_record,
    snapshot,
    write_json,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
MODELS = [Asset, AssetLocation, Location, Schedule, Contact, CostOption, Organisation]
MODELS += [Taxonomy, TaxonomyTerm, AuditEvent]


def run(path_or_url: str, *args: str) -> tuple[str, str]:
    """`linkwork import-oruk ...`: (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import-oruk", str(path_or_url), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def feed_file(tmp_path: Path, records: list, name: str = "feed.json") -> Path:
    return write_json(tmp_path / name, records)


# --- Files ---------------------------------------------------------------------------


def test_a_json_file_of_services_is_imported_and_published(tmp_path):
    PostcodeFactory(postcode="BL1 1AA")
    path = feed_file(tmp_path, [service_record(1), service_record(2)])

    out, _ = run(path)

    assert out.splitlines()[0] == "created 2, updated 0, unchanged 0, rejected 0"
    asset = Asset.objects.get(source="feed.json", source_id=feed_id("service", 1))
    assert asset.name == "Feed walking group 1"
    assert asset.publication == Publication.PUBLISHED
    assert asset.referral_method == ReferralMethod.PHONE_FIRST
    assert asset.minimum_age == 18 and asset.maximum_age is None
    assert asset.is_free is True
    assert asset.last_verified_at.date().isoformat() == "2025-01-15"
    assert asset.organisation.name == "Feed Community Trust"
    assert asset.organisation.kind == "vcfse"
    assert asset.organisation.source_id == feed_id("organization", 1)
    location = asset.asset_locations.get().location
    assert (location.postcode, location.city, location.latitude) == ("BL1 1AA", "Bolton", 53.578)
    assert location.area_id is None or location.area_id  # area comes from our postcode data
    schedule = asset.schedules.get()
    assert (schedule.byday, schedule.opens_at, schedule.closes_at) == (
        "TU",
        clock(10, 0),
        clock(11, 30),
    )
    assert asset.contacts.get().phone == "01204 000000"
    assert asset.cost_options.get().amount == Decimal("0.00")
    assert [term.code for term in asset.terms.all()] == ["activity-walking"]
    assert "Walking group" in asset.search_text
    # Both services meet at the same venue: one location, one organisation.
    assert Location.objects.count() == 1
    assert Organisation.objects.count() == 1
    assert AuditEvent.objects.filter(action="asset_created").count() == 2
    assert AuditEvent.objects.filter(action="directory_imported").count() == 1


def test_an_oruk_page_envelope_is_imported(tmp_path):
    TaxonomyTermFactory(code="activity-exercise", name="Exercise class")
    money = TaxonomyTermFactory(code="need-money-debt", name="Money and debt")

    out, _ = run(FIXTURES / "oruk-services-page.json")

    assert out.startswith("created 2, updated 0, unchanged 0, rejected 0")
    chair = Asset.objects.get(name="Chair-based exercise")
    assert chair.is_free is False
    assert sorted(s.byday for s in chair.schedules.all()) == ["MO", "TH"]
    assert chair.asset_locations.get().location.accessibility_notes == "Step-free entrance"
    assert [t.code for t in chair.terms.all()] == ["activity-exercise"]
    # Matched by name, whatever its case, so no new term is made.
    advice = Asset.objects.get(name="Money advice drop-in")
    assert list(advice.terms.all()) == [money]
    assert "new taxonomy term" not in out
    assert TaxonomyTerm.objects.count() == 2


def test_an_hsds_datapackage_zip_is_imported(tmp_path):
    PostcodeFactory(postcode="BL1 1AA")
    TaxonomyTermFactory(code="need-loneliness", name="Loneliness and isolation")
    crafts = TaxonomyTermFactory(
        code="activity-arts-crafts", name="Arts and crafts", vocabulary=Vocabulary.ACTIVITY
    )
    package = tmp_path / "bolton-directory.zip"
    with zipfile.ZipFile(package, "w") as archive:
        for csv_file in (FIXTURES / "datapackage").iterdir():
            archive.write(csv_file, csv_file.name)

    out, _ = run(package)

    assert out.splitlines()[0] == "created 2, updated 0, unchanged 0, rejected 0"
    knit = Asset.objects.get(source="bolton-directory.zip", name="Knit and natter")
    assert knit.organisation.email == "tonge.crafters@example.org"
    assert knit.is_free is False and knit.cost_description == "£2 a session"
    assert knit.language_codes == ",en,pl,"
    assert list(knit.terms.all()) == [crafts]
    assert knit.contacts.get().phone == "07700 900001"
    library = knit.asset_locations.get().location
    assert library.postcode == "BL1 1AA" and library.latitude == 53.578  # from our postcodes
    shed = Asset.objects.get(name="Men's shed")
    assert shed.phone == "01204 900002"
    assert shed.referral_method == ReferralMethod.DROP_IN
    assert shed.asset_locations.get().location.postcode == "BL2 6AB"
    schedule = shed.schedules.get()
    assert (schedule.byday, schedule.interval, schedule.description) == (
        "SA",
        2,
        "Every other Saturday",
    )
    assert sorted(t.code for t in shed.terms.all()) == [
        "bolton-directory-activities-woodwork",
        "need-loneliness",
    ]
    woodwork = TaxonomyTerm.objects.get(name="Woodwork")
    assert woodwork.vocabulary == Vocabulary.ACTIVITY
    assert woodwork.taxonomy.name == "Bolton directory activities"
    assert "new taxonomy term 'bolton-directory-activities-woodwork' (Woodwork)" in out


def test_a_datapackage_folder_is_imported_the_same_way(tmp_path):
    folder = shutil.copytree(FIXTURES / "datapackage", tmp_path / "package")
    out, _ = run(folder)
    assert out.startswith("created 2,")


# --- Feeds on the web ----------------------------------------------------------------


class FeedHandler(BaseHTTPRequestHandler):
    routes: dict = {}
    delay: dict = {}

    def do_GET(self):  # noqa: N802 - the name http.server calls
        target = urlsplit(self.path)
        key = target.path + (f"?{target.query}" if target.query else "")
        time.sleep(self.delay.get(key, self.delay.get(target.path, 0)))
        body = self.routes.get(key, self.routes.get(target.path))
        if body is None:
            self.send_error(404)
            return
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        pass  # the client gave up (a timeout test): nothing to report


@contextmanager
def serve_feed(routes: dict, delay: dict | None = None):
    """A small ORUK feed on 127.0.0.1, in a thread: no outside network."""
    handler = type("Handler", (FeedHandler,), {"routes": routes, "delay": delay or {}})
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def feed_routes(records: list[dict], per_page: int = 50) -> dict:
    pages = [records[i : i + per_page] for i in range(0, len(records), per_page)] or [[]]
    routes = {"/": {"version": "HSDS-UK-3.0", "profile": "https://openreferraluk.org/"}}
    for number, page in enumerate(pages, start=1):
        summaries = [{"id": r["id"], "name": r["name"]} for r in page]
        routes[f"/services?page={number}&per_page=50"] = envelope(
            summaries, number, len(pages), total_items=len(records)
        )
    for record in records:
        routes[f"/services/{record['id']}"] = record
    return routes


def test_a_feed_url_is_read_page_by_page():
    records = [service_record(n) for n in range(1, 76)]
    routes = feed_routes(records, per_page=50)
    with serve_feed(routes) as url:
        out, err = run(url + "/", "--progress-every", "25")

    assert out.startswith("created 75, updated 0, unchanged 0, rejected 0")
    assert Asset.objects.filter(source="127.0.0.1:" + url.rsplit(":", 1)[1]).count() == 75
    assert "25 of 75 services read" in err and "75 of 75 services read" in err


def test_a_feed_that_is_not_version_3_is_refused():
    with serve_feed({"/": {"version": "HSDS-UK-1.0"}}) as url, pytest.raises(CommandError) as error:
        run(url)
    assert "only Open Referral UK / HSDS 3.0 feeds" in str(error.value)


def test_a_feed_that_times_out_is_a_clear_error_and_imports_nothing():
    routes = feed_routes([service_record(1)])
    with serve_feed(routes, delay={"/": 1.0}) as url, pytest.raises(CommandError) as error:
        run(url, "--timeout", "0.2")
    assert str(error.value) == f"{url}/ did not answer within 0.2 seconds."
    assert Asset.objects.count() == 0


def test_a_feed_that_stops_answering_part_way_keeps_what_was_read_and_says_so():
    records = [service_record(n) for n in range(1, 6)]
    routes = feed_routes(records)
    slow = {f"/services/{records[n]['id']}": 1.0 for n in (2, 3, 4)}
    with serve_feed(routes, delay=slow) as url:
        out, _ = run(url, "--timeout", "0.2")

    assert Asset.objects.count() == 2
    assert out.splitlines()[0] == "created 2, updated 0, unchanged 0, rejected 2"
    assert f"rejected {records[2]['id']}: {url}/services/{records[2]['id']} did not answer" in out
    assert "stopped early after 4 services: 3 services in a row could not be fetched" in out


def test_an_unreachable_feed_is_a_clear_error():
    with serve_feed({}) as url:
        pass  # closed again: nothing listens on that port now
    with pytest.raises(CommandError, match="Could not reach"):
        run(url)


@pytest.mark.django_db(transaction=True)
def test_linkworks_own_openreferral_feed_imports_cleanly(live_server):
    make_directory()
    originals = snapshot()

    out, _ = run(live_server.url + "/openreferral/")

    assert out.startswith("created 3, updated 0, unchanged 0, rejected 0")
    copies = snapshot(Asset.objects.exclude(source=""))
    same = ["description", "url", "email", "phone", "minimum_age", "maximum_age", "is_free"]
    same += ["language_codes", "referral_method", "schedules", "contacts"]
    for name, original in originals.items():
        assert {key: copies[name][key] for key in same} == {key: original[key] for key in same}
        assert [t[0] for t in copies[name]["terms"]] == [t[0] for t in original["terms"]]
        assert [p[3:6] for p in copies[name]["locations"]] == [
            p[3:6] for p in original["locations"]
        ]


# --- Running again -------------------------------------------------------------------


def test_a_second_run_changes_nothing(tmp_path):
    PostcodeFactory(postcode="BL1 1AA")
    path = feed_file(tmp_path, [service_record(n) for n in range(1, 4)])
    run(path)
    before = counts()
    stamps = dict(Asset.objects.values_list("pk", "updated_at"))
    organisation_stamps = dict(Organisation.objects.values_list("pk", "updated_at"))

    out, _ = run(path)

    assert out.splitlines()[0] == "created 0, updated 0, unchanged 3, rejected 0"
    assert counts() == before
    assert dict(Asset.objects.values_list("pk", "updated_at")) == stamps
    assert dict(Organisation.objects.values_list("pk", "updated_at")) == organisation_stamps


def test_the_datapackage_and_url_imports_are_idempotent_too(tmp_path):
    run(FIXTURES / "datapackage")
    before = counts()
    out, _ = run(FIXTURES / "datapackage")
    assert out.startswith("created 0, updated 0, unchanged 2, rejected 0")
    assert counts() == before


def test_a_changed_service_is_updated_and_only_that_one(tmp_path):
    path = feed_file(tmp_path, [service_record(1), service_record(2)])
    run(path)
    changed = service_record(
        2,
        name="Feed walking group two",
        schedules=[{"byday": "FR", "opens_at": "14:00", "closes_at": "15:00"}],
        cost_options=[{"option": "Per walk", "amount": "1.50"}],
    )
    feed_file(tmp_path, [service_record(1), changed])

    out, _ = run(path)

    assert out.splitlines()[0] == "created 0, updated 1, unchanged 1, rejected 0"
    asset = Asset.objects.get(source_id=feed_id("service", 2))
    assert asset.name == "Feed walking group two" and "two" in asset.search_text
    assert [s.byday for s in asset.schedules.all()] == ["FR"]
    assert asset.is_free is False
    event = AuditEvent.objects.get(action="asset_updated")
    assert event.summary == "import source=feed.json fields=cost_options,is_free,name,schedules"


def test_a_later_run_does_not_undo_a_curators_publication_decision(tmp_path):
    path = feed_file(tmp_path, [service_record(1)])
    run(path, "--review")
    Asset.objects.update(publication=Publication.ARCHIVED)
    out, _ = run(path)
    assert "unchanged 1" in out
    assert Asset.objects.get().publication == Publication.ARCHIVED


def test_a_service_the_feed_marks_defunct_is_archived(tmp_path):
    path = feed_file(tmp_path, [service_record(1)])
    run(path)
    feed_file(tmp_path, [service_record(1, status="defunct")])
    out, _ = run(path)
    assert "updated 1" in out
    assert Asset.objects.get().publication == Publication.ARCHIVED


# --- Dry runs and review -------------------------------------------------------------


def test_a_dry_run_checks_and_reports_but_saves_nothing(tmp_path):
    bad = service_record(3, minimum_age=-1)
    path = feed_file(tmp_path, [service_record(1), service_record(2), bad])

    out, _ = run(path, "--dry-run")

    assert counts() == dict.fromkeys(counts(), 0)
    assert out.splitlines()[0] == "Dry run: nothing was saved. This is what the import would do."
    assert out.splitlines()[1] == "created 2, updated 0, unchanged 0, rejected 1"
    assert f"rejected {feed_id('service', 3)}: minimum_age -1 must be 0 or more" in out
    assert "new taxonomy term 'activity-walking'" in out


def test_a_dry_run_after_a_real_run_reports_what_would_change(tmp_path):
    path = feed_file(tmp_path, [service_record(1), service_record(2)])
    run(path)
    before = counts()
    feed_file(tmp_path, [service_record(1), service_record(2, name="Renamed"), service_record(3)])
    out, _ = run(path, "--dry-run")
    assert "created 1, updated 1, unchanged 1, rejected 0" in out
    assert counts() == before
    assert not Asset.objects.filter(name="Renamed").exists()


def test_review_puts_new_listings_in_the_review_queue(tmp_path):
    run(feed_file(tmp_path, [service_record(1), service_record(2)]), "--review")
    assert set(Asset.objects.values_list("publication", flat=True)) == {Publication.IN_REVIEW}


# --- Bad records ---------------------------------------------------------------------


def test_bad_records_are_rejected_with_their_id_and_reason_and_the_rest_load(tmp_path):
    lonely_org = {"id": feed_id("organization", "bad"), "name": "Only in a bad record"}
    bad = {
        "late": service_record(
            10,
            organization=lonely_org,
            schedules=[{"id": "late", "byday": "MO", "opens_at": "18:00", "closes_at": "09:30"}],
        ),
        "postcode": service_record(
            11,
            service_at_locations=[
                {"location": {"name": "Hall", "addresses": [{"postal_code": "NOT A CODE"}]}}
            ],
        ),
        "nameless": service_record(12, name="  "),
        "negative": service_record(13, cost_options=[{"option": "Entry", "amount": -3}]),
        "unknown-term": service_record(
            14, attributes=[{"taxonomy_term_id": "0e8b7a4c-0000-4000-8000-00000000dead"}]
        ),
        "equal-times": service_record(
            15, schedules=[{"byday": "TU", "opens_at": "10:00", "closes_at": "10:00"}]
        ),
    }
    path = feed_file(tmp_path, [service_record(1), *bad.values(), service_record(2)])

    out, _ = run(path)

    lines = out.splitlines()
    assert lines[0] == "created 2, updated 0, unchanged 0, rejected 6"
    reasons = {
        "late": "schedule late: closes_at 09:30 is not after opens_at 18:00",
        "postcode": "location 'Hall': postcode 'NOT A CODE' is not a valid UK postcode",
        "nameless": "name is required",
        "negative": "cost option 'Entry': amount -3.00 is negative",
        "unknown-term": (
            "taxonomy term '0e8b7a4c-0000-4000-8000-00000000dead' is not one Linkwork knows, "
            "and the feed does not give its name"
        ),
        "equal-times": "schedule TU: closes_at 10:00 is not after opens_at 10:00",
    }
    for key, reason in reasons.items():
        assert f"  rejected {bad[key]['id']}: {reason}" in lines
    assert Asset.objects.count() == 2
    # Nothing half-written: no organisation, location or session from a rejected record.
    assert not Organisation.objects.filter(name="Only in a bad record").exists()
    assert Schedule.objects.count() == 2
    assert Location.objects.count() == 1
    assert AuditEvent.objects.filter(action="organisation_created").count() == 1


def test_a_record_that_fails_after_writing_rolls_back_alone(tmp_path):
    # The contact's email is only checked as the contact is saved, after the listing,
    # its organisation and location were written: all of them must go.
    bad = service_record(
        5,
        organization={"id": feed_id("organization", 5), "name": "Short-lived"},
        contacts=[{"name": "Sam", "email": "not-an-email"}],
    )
    out, _ = run(feed_file(tmp_path, [bad, service_record(1)]))

    assert f"rejected {bad['id']}: contact 'Sam': email 'not-an-email': " in out
    assert list(Asset.objects.values_list("source_id", flat=True)) == [feed_id("service", 1)]
    assert not Organisation.objects.filter(name="Short-lived").exists()
    assert Contact.objects.count() == 1
    assert AuditEvent.objects.filter(action="asset_created").count() == 1
    assert AuditEvent.objects.filter(action="organisation_created").count() == 1


def test_the_same_id_twice_in_a_feed_is_rejected_the_second_time(tmp_path):
    out, _ = run(feed_file(tmp_path, [service_record(1), service_record(1, name="Again")]))
    assert f"rejected {feed_id('service', 1)}: this id appears more than once in the feed" in out
    assert Asset.objects.get().name == "Feed walking group 1"


def test_a_rejected_records_new_term_is_not_reused_by_later_records(tmp_path):
    term = {"id": feed_id("term", "yoga"), "name": "Yoga", "taxonomy": "Feed categories"}
    attributes = [{"taxonomy_term": term}]
    bad = service_record(1, attributes=attributes, minimum_age=200)
    good = service_record(2, attributes=attributes)
    out, _ = run(feed_file(tmp_path, [bad, good]))
    assert "created 1, updated 0, unchanged 0, rejected 1" in out
    assert list(Asset.objects.get().terms.values_list("name", flat=True)) == ["Yoga"]
    assert TaxonomyTerm.objects.filter(name="Yoga").count() == 1


def test_a_malformed_json_file_is_a_clear_error():
    with pytest.raises(CommandError) as error:
        run(FIXTURES / "malformed.json")
    assert str(error.value) == (
        "malformed.json is not valid JSON: Expecting ',' delimiter at line 4, column 3."
    )
    assert Asset.objects.count() == 0


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="There is no file or folder at"):
        run(tmp_path / "nowhere.json")


def test_a_zip_that_is_not_a_datapackage_is_a_clear_error(tmp_path):
    package = tmp_path / "not-a-package.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(CommandError, match="has no datapackage.json"):
        run(package)


def test_json_that_is_not_services_is_a_clear_error(tmp_path):
    with pytest.raises(FeedError, match="neither a list of services nor a page"):
        open_feed(str(feed_file(tmp_path, {"hello": "world"})))


# --- As a function -------------------------------------------------------------------


def test_import_services_can_be_called_with_records_directly():
    report = import_services([service_record(1)], source="unit", by=None)
    assert (report.created, report.rejected) == (1, [])
    again = import_services([service_record(1)], source="unit", by=None)
    assert (again.created, again.unchanged) == (0, 1)


def test_imported_listings_sit_beside_local_ones_without_touching_them(tmp_path):
    local = AssetFactory(name="Feed walking group 1", organisation__name="Feed Community Trust")
    path = feed_file(tmp_path, [service_record(1)])
    run(path)
    out, _ = run(path)

    assert "unchanged 1" in out
    local.refresh_from_db()
    assert local.source == "" and Asset.objects.count() == 2
    # The feed's organisation has the name of one already here: the listing joins it,
    # and the import leaves it as it was.
    imported = Asset.objects.exclude(pk=local.pk).get()
    assert imported.organisation == local.organisation
    assert local.organisation.source == "" and local.organisation.description == ""


def test_fields_the_record_leaves_out_keep_what_the_listing_has(tmp_path):
    # ORUK 3.0 services carry no phones and may name no organisation: a curator's phone
    # and a group that claimed the listing stay.
    record = service_record(1)
    del record["organization"]
    path = feed_file(tmp_path, [record])
    run(path)
    group = Organisation.objects.create(name="Walkers who claimed it", kind="unconstituted_group")
    Asset.objects.update(phone="01204 222222", organisation=group)

    out, _ = run(path)

    assert "unchanged 1" in out
    asset = Asset.objects.get()
    assert (asset.phone, asset.organisation) == ("01204 222222", group)
    feed_file(tmp_path, [{**record, "phones": []}])
    run(path)
    assert Asset.objects.get().phone == ""

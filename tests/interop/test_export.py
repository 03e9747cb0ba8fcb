import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.directory.models import (
    Asset,
    Location,
    Organisation,
    Publication,
    ReferralMethod,
    Taxonomy,
    TaxonomyTerm,
)
from linkwork.interop.exports.datapackage import DESCRIPTOR_PATH, export_datapackage
from linkwork.interop.openreferral.serializers import derived_id
from tests.factories import AssetFactory
from tests.interop.import_factories import make_directory, snapshot

pytestmark = pytest.mark.django_db

URL = "/directory/export/hsds-datapackage.zip"


def read_package(payload: bytes) -> tuple[dict, dict[str, list[dict]]]:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        tables = {
            resource["name"]: list(
                csv.DictReader(io.StringIO(archive.read(resource["path"]).decode("utf-8")))
            )
            for resource in descriptor["resources"]
        }
    return descriptor, tables


def empty_the_directory() -> None:
    Asset.objects.all().delete()
    Location.objects.all().delete()
    TaxonomyTerm.objects.all().delete()
    Taxonomy.objects.all().delete()
    Organisation.objects.filter(memberships__isnull=True).delete()


# --- Who may download it -------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(anonymous):
    response = anonymous.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not AuditEvent.objects.filter(action="directory_exported").exists()


@pytest.mark.parametrize("role", [Role.GROUP, Role.LINK_WORKER, Role.COMMISSIONER])
def test_other_roles_are_refused(persona, role):
    assert persona(role).get(URL).status_code == 403
    assert not AuditEvent.objects.filter(action="directory_exported").exists()


def test_an_admin_downloads_the_package_and_the_export_is_audited(persona):
    make_directory()
    admin = persona(Role.ADMIN)

    response = admin.get(reverse("hsds-datapackage"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    event = AuditEvent.objects.get(action="directory_exported")
    assert (event.actor_id, event.object_type) == (admin.user.pk, "directory")
    assert event.summary == "format=hsds-3.0-datapackage services=3"


# --- What is in it -------------------------------------------------------------------


def test_the_package_has_every_hsds_table_with_its_columns():
    make_directory()
    standard = json.loads(DESCRIPTOR_PATH.read_text())
    assert standard["version"] == "3.0.0" and len(standard["resources"]) == 21

    with zipfile.ZipFile(io.BytesIO(export_datapackage(by=None))) as archive:
        names = set(archive.namelist())
        for resource in standard["resources"]:
            header = archive.read(resource["path"]).decode().splitlines()[0]
            assert header.split(",") == [field["name"] for field in resource["schema"]["fields"]]
    assert names == {"datapackage.json", *(r["path"] for r in standard["resources"])}


def test_only_published_listings_are_exported_with_our_ids():
    make_directory()
    descriptor, tables = read_package(export_datapackage(by=None))

    assert descriptor["name"] == "linkwork-directory" and "license" not in descriptor
    services = {row["name"]: row for row in tables["service"]}
    assert set(services) == {"Harvey walkers", "Harvey coffee morning", "No organisation garden"}
    walk = Asset.objects.get(name="Harvey walkers")
    row = services["Harvey walkers"]
    assert row["id"] == str(walk.uuid)
    assert row["organization_id"] == str(walk.organisation.uuid)
    assert row["application_process"] == "Drop in, no referral needed."
    assert [o["name"] for o in tables["organization"]] == ["Harvey Trust"]
    assert len(tables["location"]) == 1  # both listings meet at Harvey Hall
    assert tables["address"][0]["postal_code"] == "BL1 1AA"
    assert {s["byday"] for s in tables["schedule"]} == {"MO", "TH"}
    assert {t["code"] for t in tables["taxonomy_term"]} == {"need-loneliness", "activity-walking"}
    assert len(tables["attribute"]) == 3


def test_values_kept_as_columns_have_the_same_ids_as_in_the_openreferral_feed():
    make_directory()
    _, tables = read_package(export_datapackage(by=None))
    walk = Asset.objects.get(name="Harvey walkers")
    hall = walk.asset_locations.get().location
    assert tables["address"][0]["id"] == derived_id(hall.uuid, "address")
    phone = next(p for p in tables["phone"] if p["service_id"] == str(walk.uuid))
    assert phone["id"] == derived_id(walk.uuid, "phone")


def test_an_own_referral_form_survives_the_round_trip(tmp_path):
    AssetFactory(
        name="Counselling",
        referral_method=ReferralMethod.OWN_FORM,
        referral_form_url="https://counselling.example.org/refer",
    )
    package = tmp_path / "package.zip"
    package.write_bytes(export_datapackage(by=None))
    empty_the_directory()
    call_command("import-oruk", str(package), stdout=io.StringIO(), stderr=io.StringIO())
    asset = Asset.objects.get()
    assert asset.referral_method == ReferralMethod.OWN_FORM
    assert asset.referral_form_url == "https://counselling.example.org/refer"


def test_a_listing_that_is_not_free_says_so_even_without_cost_options():
    AssetFactory(name="Pottery", is_free=False, cost_description="£5 for clay")
    _, tables = read_package(export_datapackage(by=None))
    assert tables["cost_option"][0]["option"] == "Cost"
    assert tables["cost_option"][0]["amount"] == ""
    assert tables["cost_option"][0]["amount_description"] == "£5 for clay"


# --- Round trip ----------------------------------------------------------------------


def test_exporting_then_importing_into_an_empty_directory_recreates_the_listings(persona, tmp_path):
    make_directory()
    before = snapshot()
    package = tmp_path / "hsds-datapackage.zip"
    package.write_bytes(persona(Role.ADMIN).get(URL).content)
    empty_the_directory()
    assert Asset.objects.count() == 0

    out = io.StringIO()
    call_command("import-oruk", str(package), stdout=out, stderr=io.StringIO())

    assert out.getvalue().startswith("created 3, updated 0, unchanged 0, rejected 0")
    assert snapshot() == before
    assert set(Asset.objects.values_list("publication", flat=True)) == {Publication.PUBLISHED}


def test_importing_the_export_again_changes_nothing(tmp_path):
    make_directory()
    package = tmp_path / "hsds-datapackage.zip"
    package.write_bytes(export_datapackage(by=None))
    empty_the_directory()
    call_command("import-oruk", str(package), stdout=io.StringIO(), stderr=io.StringIO())
    events = AuditEvent.objects.count()

    out = io.StringIO()
    call_command("import-oruk", str(package), stdout=out, stderr=io.StringIO())

    assert out.getvalue().startswith("created 0, updated 0, unchanged 3, rejected 0")
    assert AuditEvent.objects.count() == events

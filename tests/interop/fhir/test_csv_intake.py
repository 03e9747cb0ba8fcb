"""CSV intake: the template, a preview with row-level errors that writes nothing, the
import of the good rows (each whole or not at all), idempotent on the reference."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from linkwork.interop.csv_intake import rows
from linkwork.referrals.models import Person, Referral

pytestmark = pytest.mark.django_db

HEADER = ",".join(rows.COLUMNS)


def line(**changes) -> str:
    values = {**rows.EXAMPLE, **changes}
    return ",".join(values[c] for c in rows.COLUMNS)


FILE = (
    "\n".join(
        [
            HEADER,
            line(),
            line(reference="SURG-0002", nhs_number="9434765918"),  # bad check digit
            line(
                reference="SURG-0003",
                nhs_number="",
                given_name="Sam",
                reasons="need-made-up",
                postcode="ZZ9 9ZZ",
            ),
            line(reference="SURG-0004", nhs_number="", given_name="Alex", consent_to_refer="no"),
            line(reference="SURG-0005", nhs_number="", given_name="Jo", birth_date="14/03/1960"),
        ]
    )
    + "\n"
)


def upload(client, text: str, **extra):
    data = {"file": SimpleUploadedFile("referrals.csv", text.encode(), "text/csv"), **extra}
    return client.post("/casework/import/", data)


def test_the_template_downloads_with_every_column(world):
    response = world.link_worker.get("/casework/import/template.csv")
    assert response.status_code == 200
    header = response.content.decode().splitlines()[0]
    assert header.split(",") == list(rows.COLUMNS)
    assert world.gp.get("/casework/import/template.csv").status_code == 403


def test_the_preview_shows_row_errors_and_writes_nothing(world):
    response = upload(world.link_worker, FILE)
    assert response.status_code == 200
    page = " ".join(response.content.decode().split())
    assert "2 rows ready to import, 3 with problems" in page
    assert "nhs_number" in page and "not a valid NHS number" in page
    assert "Not need codes: need-made-up" in page and "ZZ9 9ZZ" in page
    assert "Only refer someone who agreed" in page
    assert not Referral.objects.exists() and not Person.objects.exists()


def test_importing_takes_the_good_rows_once(world):
    lw = world.link_worker
    response = lw.post("/casework/import/", {"text": FILE, "action": "import"})
    assert response.status_code == 200
    assert "2 referrals imported" in " ".join(response.content.decode().split())
    assert Referral.objects.count() == 2
    referral = Referral.objects.get(person__given_name="Jo")
    assert referral.service == world.service and referral.status == "received"
    assert str(referral.person.birth_date) == "1960-03-14"
    again = lw.post("/casework/import/", {"text": FILE, "action": "import"})
    said = " ".join(again.content.decode().split())
    assert "0 referrals imported" in said and "2 rows imported before were skipped" in said
    assert Referral.objects.count() == 2


def test_a_file_without_the_template_columns_is_refused(world):
    response = upload(world.link_worker, "name,dob\nPat,1956-03-14\n")
    assert response.status_code == 422
    assert "Missing columns" in response.content.decode()
    assert upload(world.link_worker, "").status_code == 422


def test_only_link_workers_import(world):
    assert upload(world.gp, FILE).status_code == 403
    assert upload(world.group, FILE).status_code == 403


def test_the_command_checks_and_imports(world, tmp_path):
    path = tmp_path / "referrals.csv"
    path.write_text(FILE)
    out = io.StringIO()
    email = world.link_worker.user.email
    call_command("import-referrals", str(path), "--by", email, "--dry-run", stdout=out)
    assert "2 ready, 3 with problems" in out.getvalue()
    assert not Referral.objects.exists()
    out = io.StringIO()
    call_command("import-referrals", str(path), "--by", email, stdout=out)
    assert "2 imported" in out.getvalue()
    assert Referral.objects.count() == 2

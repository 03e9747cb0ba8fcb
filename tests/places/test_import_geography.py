"""linkwork import-geography: the ONS/MHCLG files a user downloads, bad rows rejected with
reasons, nothing half-written, re-runs change nothing, real figures clear synthetic flags."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from linkwork.audit.models import AuditEvent
from linkwork.places.imports.population import age_band, band_of
from linkwork.places.models import Area, AreaPopulation, Postcode
from tests.places.factories import AreaFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str) -> str:
    out = StringIO()
    call_command("import-geography", *args, stdout=out)
    return out.getvalue()


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def bolton_lsoas(**fields) -> dict[str, Area]:
    return {
        code: AreaFactory(code=code, name=code, vintage="2021", **fields)
        for code in ("E01004817", "E01004785", "E01004766", "E01004767", "E01004768")
    }


# --- Postcodes ------------------------------------------------------------------------


def test_onspd_with_both_vintages_asks_which_to_use_and_writes_nothing():
    with pytest.raises(CommandError, match="both 2011 and 2021 LSOA codes.*--vintage"):
        run("--postcodes", fixture("onspd_sample.csv"))
    assert not Postcode.objects.exists() and not Area.objects.exists()


def test_onspd_loads_live_postcodes_and_reports_each_row_it_left_out():
    out = run("--postcodes", fixture("onspd_sample.csv"), "--vintage", "2021")
    assert set(Postcode.objects.values_list("postcode", flat=True)) == {
        "BL1 1AP",
        "BL2 6LT",
        "BL3 5BG",
        "M1 1AE",
    }
    point = Postcode.objects.get(postcode="BL2 6LT")
    assert (point.latitude, point.longitude, point.lsoa.code) == (53.588152, -2.383118, "E01004785")
    assert "loaded 4, updated 0, unchanged 0, skipped 2, rejected 5" in out
    assert "skipped 1: terminated postcode" in out
    assert "skipped 1: no LSOA for this postcode (pseudo code or blank)" in out
    assert "rejected line 9: 'NOTAPC' is not a UK postcode" in out
    assert "rejected line 10: 'BOLTON-1' is not an area code" in out
    assert "rejected line 11: coordinates 48.200000, -2.550000 are not in the UK" in out
    assert "rejected line 12 (BL2 6LT): the postcode appears twice" in out
    assert "rejected line 8: no coordinates in the file and LSOA E01004785 has no centroid" in out
    # New LSOAs are created, named by their code until a boundaries file names them.
    lsoa = Area.objects.get(code="E01004817")
    assert (lsoa.area_type, lsoa.name, lsoa.vintage) == ("lsoa", "E01004817", "2021")
    assert "3 LSOAs were new and have been added" in out


def test_local_authority_filter_keeps_only_its_postcodes():
    out = run(
        "--postcodes",
        fixture("onspd_sample.csv"),
        "--vintage",
        "2011",
        "--local-authority",
        "e08000001",
    )
    assert not Postcode.objects.filter(postcode="M1 1AE").exists()
    assert "skipped 2: outside local authority E08000001" in out
    assert Area.objects.get(code="E01004817").vintage == "2011"


def test_local_authority_filter_needs_a_local_authority_column(tmp_path):
    lookup = tmp_path / "lookup.csv"
    lookup.write_text("postcode,lsoa_code\nBL1 1AP,E01004817\n")
    with pytest.raises(CommandError, match="no local authority column"):
        run("--postcodes", str(lookup), "--local-authority", "E08000001")


def test_reimporting_the_same_postcodes_changes_nothing_and_a_moved_point_is_updated():
    run("--postcodes", fixture("onspd_sample.csv"), "--vintage", "2021")
    again = run("--postcodes", fixture("onspd_sample.csv"), "--vintage", "2021")
    assert "loaded 0, updated 0, unchanged 4" in again
    Postcode.objects.filter(postcode="BL1 1AP").update(latitude=53.0)
    third = run("--postcodes", fixture("onspd_sample.csv"), "--vintage", "2021")
    assert "loaded 0, updated 1, unchanged 3" in third
    assert Postcode.objects.get(postcode="BL1 1AP").latitude == 53.577585


def test_a_lookup_without_coordinates_uses_the_lsoa_centroid_from_the_boundaries():
    out = run(
        "--boundaries",
        fixture("lsoa_boundaries_2021.geojson"),
        "--add-lsoas",
        "--postcodes",
        fixture("postcode_lsoa_lookup.csv"),
    )
    point = Postcode.objects.get(postcode="BL1 1AP")
    assert (point.latitude, point.longitude) == (53.5776, -2.4251)
    assert "3 postcodes had no coordinates in the file and use their LSOA's centroid" in out
    # The centroid of a feature without LAT/LONG is the mean of its outer ring.
    assert Postcode.objects.get(postcode="BL7 9PS").lsoa.name == "Bolton 099Z"


def test_a_lookup_without_coordinates_and_no_boundaries_rejects_with_a_way_forward():
    out = run("--postcodes", fixture("postcode_lsoa_lookup.csv"))
    assert "rejected 3" in out
    assert "import its boundary first: --boundaries FILE --add-lsoas" in out
    assert not Area.objects.exists()


def test_a_missing_file_is_refused_before_anything_is_written():
    with pytest.raises(CommandError, match="Cannot read"):
        run(
            "--postcodes",
            fixture("onspd_sample.csv"),
            "--vintage",
            "2021",
            "--imd",
            fixture("no-such-file.csv"),
        )
    assert not Postcode.objects.exists()


def test_no_file_at_all_is_an_error():
    with pytest.raises(CommandError, match="at least one file"):
        run()


# --- Boundaries -----------------------------------------------------------------------


def test_boundaries_update_loaded_lsoas_and_reject_what_cannot_be_drawn():
    lsoas = bolton_lsoas()
    out = run("--boundaries", fixture("lsoa_boundaries_2021.geojson"))
    central = Area.objects.get(pk=lsoas["E01004817"].pk)
    assert json.loads(central.boundary_geojson)["type"] == "Polygon"
    assert (central.latitude, central.longitude, central.name) == (53.5776, -2.4251, "Bolton 022E")
    assert json.loads(Area.objects.get(code="E01004785").boundary_geojson)["type"] == (
        "MultiPolygon"
    )
    assert "loaded 0, updated 2, unchanged 0, skipped 1, rejected 3" in out
    assert "feature 3 (E01004766): coordinates are not longitude/latitude" in out
    assert "feature 4: no LSOA code" in out
    assert "feature 6 (E01004767): geometry is Point, not a Polygon or MultiPolygon" in out
    assert "skipped 1: LSOA not loaded in this deployment (add it with --add-lsoas)" in out
    assert Area.objects.get(code="E01004766").boundary_geojson == ""
    assert not Area.objects.filter(code="E01099999").exists()


def test_boundaries_with_the_other_vintage_are_refused():
    with pytest.raises(CommandError, match="2021 LSOA codes .LSOA21CD., not the 2011"):
        run("--boundaries", fixture("lsoa_boundaries_2021.geojson"), "--vintage", "2011")


def test_a_file_that_is_not_geojson_is_refused(tmp_path):
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "Feature"}')
    with pytest.raises(CommandError, match="not a GeoJSON FeatureCollection"):
        run("--boundaries", str(broken))
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="not valid GeoJSON"):
        run("--boundaries", str(broken))


def test_reimporting_boundaries_changes_nothing():
    bolton_lsoas()
    run("--boundaries", fixture("lsoa_boundaries_2021.geojson"))
    assert "updated 0, unchanged 2" in run("--boundaries", fixture("lsoa_boundaries_2021.geojson"))


# --- IMD ------------------------------------------------------------------------------


def test_imd_deciles_update_loaded_lsoas_and_clear_the_synthetic_flag():
    lsoas = bolton_lsoas(imd_decile=5, imd_is_synthetic=True)
    out = run("--imd", fixture("imd2019_sample.csv"))
    central = Area.objects.get(pk=lsoas["E01004817"].pk)
    assert (central.imd_decile, central.imd_vintage, central.imd_is_synthetic) == (1, "2019", False)
    assert Area.objects.get(code="E01004766").imd_decile == 8  # not the income decile
    assert "updated 3, unchanged 0, skipped 1, rejected 2" in out
    assert "rejected line 6 (E01004767): IMD decile '11' is not a whole number from 1 to 10" in out
    assert "rejected line 7 (E01004768): IMD decile '' is not a whole number" in out
    # A rejected row leaves the LSOA's synthetic decile as it was, still marked synthetic.
    untouched = Area.objects.get(code="E01004767")
    assert (untouched.imd_decile, untouched.imd_is_synthetic) == (5, True)
    assert not Area.objects.filter(code="E01000001").exists()
    assert "updated 0, unchanged 3" in run("--imd", fixture("imd2019_sample.csv"))


def test_imd_release_can_be_named():
    bolton_lsoas()
    run("--imd", fixture("imd2019_sample.csv"), "--imd-release", "2019-revised")
    assert Area.objects.get(code="E01004817").imd_vintage == "2019-revised"


def test_imd_file_without_a_decile_column_is_refused():
    with pytest.raises(CommandError, match="no IMD decile column"):
        run("--imd", fixture("postcode_lsoa_lookup.csv"))


# --- Population -----------------------------------------------------------------------


def test_single_years_of_age_are_grouped_into_bands():
    assert [age_band(a) for a in (0, 17, 18, 24, 25, 34, 35, 84, 85, 90)] == [
        "0-17",
        "0-17",
        "18-24",
        "18-24",
        "25-34",
        "25-34",
        "35-44",
        "75-84",
        "85+",
        "85+",
    ]
    assert band_of("90+") == "85+" and band_of("45-54") == "45-54" and band_of(" 7 ") == "0-17"
    with pytest.raises(ValueError):
        band_of("40+")


def test_ons_wide_population_loads_bands_and_totals_and_rejects_a_bad_total():
    lsoas = bolton_lsoas(population_total=999, population_is_synthetic=True)
    out = run("--population", fixture("population_ons_wide.csv"), "--population-year", "mid-2022")
    central = Area.objects.get(pk=lsoas["E01004817"].pk)
    assert (central.population_total, central.population_vintage) == (91 * 10 + 91 * 11, "mid-2022")
    assert central.population_is_synthetic is False
    cells = dict(central.population.filter(sex="female").values_list("age_band", "count"))
    assert cells["0-17"] == 18 * 10 and cells["85+"] == 6 * 10 and cells["25-34"] == 100
    assert "rejected line 3 (E01004785): the total 5 is not the sum of the ages (1547)" in out
    # The rejected LSOA keeps its old (synthetic) figures, and has no band rows half-written.
    rejected = Area.objects.get(code="E01004785")
    assert (rejected.population_total, rejected.population_is_synthetic) == (999, True)
    assert not rejected.population.exists()
    assert "updated 2, unchanged 0" in out
    again = run("--population", fixture("population_ons_wide.csv"), "--population-year", "mid-2022")
    assert "unchanged 2" in again


def test_long_population_adds_up_single_years_and_rejects_the_whole_lsoa_on_one_bad_row():
    bolton_lsoas()
    out = run("--population", fixture("population_long.csv"))
    central = Area.objects.get(code="E01004817")
    assert central.population_total == 300 + 120 + 310 + 4 + 6
    assert central.population.get(sex="male", age_band="85+").count == 10
    assert Area.objects.get(code="E01004785").population.get(sex="female").count == 45
    assert "rejected line 10 (E01004766): line 11: sex 'unknown' is not female or male" in out
    assert not AreaPopulation.objects.filter(area__code="E01004766").exists()
    assert "loaded 2, updated 0, unchanged 0, skipped 1, rejected 1" in out


def test_population_file_in_neither_layout_is_refused():
    with pytest.raises(CommandError, match="neither the ONS layout"):
        run("--population", fixture("postcode_lsoa_lookup.csv"))


# --- Dry run and audit ----------------------------------------------------------------


def test_dry_run_reports_what_would_happen_and_saves_nothing():
    out = run("--postcodes", fixture("onspd_sample.csv"), "--vintage", "2021", "--dry-run")
    assert out.startswith("Dry run: nothing was saved.")
    assert "loaded 4" in out
    assert not Postcode.objects.exists() and not Area.objects.exists()
    assert not AuditEvent.objects.filter(action="geography_imported").exists()


def test_each_file_imported_is_audited_with_its_counts():
    run("--postcodes", fixture("onspd_sample.csv"), "--vintage", "2021")
    event = AuditEvent.objects.get(action="geography_imported")
    assert event.summary.startswith("postcodes: loaded=4 updated=0")


def test_progress_is_reported_as_it_goes():
    out = run(
        "--postcodes", fixture("onspd_sample.csv"), "--vintage", "2021", "--progress-every", "5"
    )
    assert "postcodes: " in out.splitlines()[0] and " read (loaded" in out.splitlines()[0]


def test_a_row_the_database_refuses_is_rejected_alone(monkeypatch):
    from django.db import DatabaseError

    from linkwork.places.models import Postcode as PostcodeModel

    real_bulk_create = PostcodeModel.objects.bulk_create

    def refuse_bl3(objects, *args, **kwargs):
        objects = list(objects)
        if any(found.postcode == "BL3 5BG" for found in objects):
            raise DatabaseError("value too long")
        return real_bulk_create(objects, *args, **kwargs)

    monkeypatch.setattr(PostcodeModel.objects, "bulk_create", refuse_bl3)
    out = run("--postcodes", fixture("onspd_sample.csv"), "--vintage", "2021")
    assert "rejected line 4 (BL3 5BG): not saved: value too long" in out
    assert set(Postcode.objects.values_list("postcode", flat=True)) == {
        "BL1 1AP",
        "BL2 6LT",
        "M1 1AE",
    }
    # The LSOAs made for the refused batch were rolled back and made again, once each.
    assert Area.objects.filter(code="E01004817").count() == 1


def test_a_rerun_that_changes_nothing_adds_no_audit_event():
    run("--postcodes", fixture("onspd_sample.csv"), "--vintage", "2021")
    run("--postcodes", fixture("onspd_sample.csv"), "--vintage", "2021")
    assert AuditEvent.objects.filter(action="geography_imported").count() == 1


def test_a_boundary_without_a_centroid_keeps_the_point_an_lsoa_already_has():
    lsoas = bolton_lsoas()
    Area.objects.filter(pk=lsoas["E01004785"].pk).update(latitude=53.6, longitude=-2.38)
    run("--boundaries", fixture("lsoa_boundaries_2021.geojson"))
    kept = Area.objects.get(code="E01004785")
    assert (kept.latitude, kept.longitude) == (53.6, -2.38)
    assert kept.boundary_geojson


def test_records_saved_before_their_postcode_was_loaded_get_their_lsoa():
    import datetime as dt

    from linkwork.community.models import Interest
    from linkwork.referrals.models import Person
    from tests.factories import LocationFactory

    location = LocationFactory(postcode="BL1 1AP", area=None)
    elsewhere = LocationFactory(postcode="ZZ9 9ZZ", area=None)
    person = Person.objects.create(
        given_name="Ada", family_name="Test", birth_date=dt.date(1950, 1, 1), postcode="BL2 6LT"
    )
    interest = Interest.objects.create(description="Chess", postcode="BL3 5BG")
    out = run("--postcodes", fixture("onspd_sample.csv"), "--vintage", "2021")
    location.refresh_from_db()
    person.refresh_from_db()
    interest.refresh_from_db()
    assert location.area.code == "E01004817"
    assert person.area.code == "E01004785"
    assert interest.lsoa.code == "E01004817"
    elsewhere.refresh_from_db()
    assert elsewhere.area is None
    assert "1 location records saved before their postcode was loaded now have their LSOA" in out
    assert AuditEvent.objects.filter(action="postcodes_linked").exists()


def test_an_lsoa_population_the_database_refuses_is_rejected_alone(monkeypatch):
    from django.db import DatabaseError

    lsoas = bolton_lsoas()
    real_bulk_create = AreaPopulation.objects.bulk_create
    refused = lsoas["E01004785"].pk

    def refuse_one(objects, *args, **kwargs):
        objects = list(objects)
        if any(row.area_id == refused for row in objects):
            raise DatabaseError("disk full")
        return real_bulk_create(objects, *args, **kwargs)

    monkeypatch.setattr(AreaPopulation.objects, "bulk_create", refuse_one)
    out = run("--population", fixture("population_long.csv"))
    assert "rejected line 7 (E01004785): not saved: disk full" in out
    assert not AreaPopulation.objects.filter(area_id=refused).exists()
    assert Area.objects.get(pk=refused).population_total is None
    assert Area.objects.get(code="E01004817").population_total == 740


def test_a_release_name_too_long_to_store_is_refused_before_anything_is_written():
    bolton_lsoas()
    with pytest.raises(CommandError, match="--imd-release must be 16 characters or fewer"):
        run("--imd", fixture("imd2019_sample.csv"), "--imd-release", "x" * 17)
    assert not Area.objects.exclude(imd_decile=None).exists()

"""Instrument definitions are data, checked when loaded: a bad one fails loudly."""

import json
import shutil
from pathlib import Path

import pytest

from linkwork.outcomes.instruments import (
    DATA_DIR,
    InstrumentDefinitionError,
    instrument,
    load_instruments,
    ordered,
)


def test_the_shipped_instruments_load():
    assert [i.code for i in ordered()] == ["swemwbs", "ons4", "ucla3", "ons_loneliness", "goals"]
    ons4 = instrument("ons4")
    assert [item.key for item in ons4.items] == [
        "life_satisfaction",
        "worthwhile",
        "happiness",
        "anxiety",
    ]
    assert ons4.measure("anxiety").higher_is_better is False


def test_swemwbs_wording_is_not_shipped_but_its_notice_is():
    swemwbs = instrument("swemwbs")
    assert swemwbs.licensed_wording
    assert all(item.wording == "" for item in swemwbs.items)
    assert "© NHS Health Scotland, University of Warwick and University of Edinburgh, 2008" in (
        swemwbs.copyright
    )
    assert [o.value for o in swemwbs.options] == [1, 2, 3, 4, 5]


def test_no_file_in_the_package_holds_licensed_wording():
    # A marker phrase of the first SWEMWBS statement: must never be committed.
    for path in Path(DATA_DIR).rglob("*"):
        if path.is_file():
            assert "optimistic about the future" not in path.read_text().lower(), path


@pytest.fixture
def definitions(tmp_path):
    folder = tmp_path / "instruments"
    shutil.copytree(DATA_DIR / "instruments", folder)
    return folder


def _edit(folder: Path, code: str, change) -> None:
    path = folder / f"{code}.json"
    definition = json.loads(path.read_text())
    change(definition)
    path.write_text(json.dumps(definition))


@pytest.mark.parametrize(
    ("code", "change", "problem"),
    [
        ("swemwbs", lambda d: d["items"][0].update(wording="Some licensed words"), "licensed"),
        ("swemwbs", lambda d: d["items"].pop(), "raw total"),
        ("swemwbs", lambda d: d["scoring"].update(table="missing.csv"), "not found"),
        ("ons4", lambda d: d["items"][2].update(wording=""), "no wording"),
        ("ons4", lambda d: d["items"][2].update(wording="How happy are you?"), "differs"),
        ("ons4", lambda d: d["options"].pop(), "cover the scale 0-9"),
        ("ons4", lambda d: d["measures"][3].update(direction="up"), "direction"),
        ("ucla3", lambda d: d["options"][1].update(value=5), "counting up"),
        ("ucla3", lambda d: d["items"][1].update(number=3), "numbered"),
        ("ucla3", lambda d: d["measures"][0].update(change_threshold=-1), "positive"),
        ("ucla3", lambda d: d.update(code="ucla"), "file name"),
        ("goals", lambda d: d["scoring"].update(method="magic"), "scoring method"),
        ("goals", lambda d: d.update(copyright=""), "copyright"),
    ],
)
def test_a_bad_definition_fails_loudly_naming_the_file(definitions, code, change, problem):
    _edit(definitions, code, change)
    with pytest.raises(InstrumentDefinitionError) as error:
        load_instruments(definitions)
    assert str(error.value).startswith(f"{code}.json")
    assert problem in str(error.value)


def test_a_gap_in_the_metric_table_fails_loudly(tmp_path, monkeypatch):
    import linkwork.outcomes.instruments as module

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    table = data / "swemwbs_raw_to_metric.csv"
    table.write_text(
        "\n".join(line for line in table.read_text().splitlines() if not line.startswith("20,"))
    )
    monkeypatch.setattr(module, "DATA_DIR", data)
    with pytest.raises(InstrumentDefinitionError, match="one row for each raw total"):
        load_instruments(data / "instruments")


def test_unreadable_json_fails_loudly(definitions):
    (definitions / "ons4.json").write_text("{not json")
    with pytest.raises(InstrumentDefinitionError, match="ons4.json: cannot be read"):
        load_instruments(definitions)

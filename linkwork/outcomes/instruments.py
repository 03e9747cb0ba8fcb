"""Outcome instruments as data: `data/instruments/<code>.json` plus the publishers' tables.

Each definition is validated when it is loaded (at start-up, from `OutcomesConfig.ready`):
a bad definition stops the project with `InstrumentDefinitionError` naming the file and
the problem, rather than scoring someone wrongly later.

An instrument has numbered items (answered in order), one response scale shared by its
items (`options`), a scoring method, and one or more *measures*: what is reported and
compared. SWEMWBS, UCLA-3, the ONS loneliness question and the goal ladder have one
measure each (keyed by the instrument's code); ONS4 has four (`life_satisfaction`,
`worthwhile`, `happiness`, `anxiety`), never summed. Each measure says which direction
is better and the change that counts for one person (`change_threshold`; None when the
publisher gives none, so any change of a step counts).

Licensed wording (SWEMWBS) is never in these files: `licensed_wording` instruments must
ship with empty item wording, and a deploying organisation imports its licensed wording
into the database (`linkwork import-instrument-wording`, see `wording.py`).
"""

import csv
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
HIGHER_IS_BETTER = "higher_is_better"
HIGHER_IS_WORSE = "higher_is_worse"
METHODS = ("metric_table", "item_bands", "sum_threshold", "category", "mean")
KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class InstrumentDefinitionError(ValueError):
    """A definition file or scoring table is wrong: fail loudly, never score with it."""


class UnknownInstrument(LookupError):
    pass


@dataclass(frozen=True)
class Option:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    number: int
    key: str
    label: str
    wording: str  # empty for licensed instruments until the wording is imported


@dataclass(frozen=True)
class Band:
    name: str  # e.g. "low", "very high"
    low: int
    high: int


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    direction: str  # HIGHER_IS_BETTER or HIGHER_IS_WORSE
    minimum: int
    maximum: int
    change_threshold: Decimal | None
    change_threshold_note: str
    bands: tuple[Band, ...] = ()

    @property
    def higher_is_better(self) -> bool:
        return self.direction == HIGHER_IS_BETTER


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    short_name: str
    instructions: str
    items: tuple[Item, ...]
    options: tuple[Option, ...]
    method: str
    measures: tuple[Measure, ...]
    copyright: str
    licence: str
    source: str
    licensed_wording: bool
    scorable_by_api: bool
    items_from_plan: bool = False  # the goal ladder: one item per goal of the person's plan
    scoring: dict[str, Any] = field(default_factory=dict)
    metric_table: dict[int, Decimal] = field(default_factory=dict)  # SWEMWBS raw -> metric

    @property
    def lowest(self) -> int:
        return self.options[0].value

    @property
    def highest(self) -> int:
        return self.options[-1].value

    def option_label(self, value: int) -> str:
        return next((o.label for o in self.options if o.value == value), str(value))

    def measure(self, key: str) -> Measure:
        return next(m for m in self.measures if m.key == key)


def _fail(path: Path, problem: str) -> InstrumentDefinitionError:
    return InstrumentDefinitionError(f"{path.name}: {problem}")


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise _fail(path, "scoring table not found")
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _int(path: Path, value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _fail(path, f"{what} must be a whole number, not {value!r}")
    try:
        return int(value)
    except ValueError:
        raise _fail(path, f"{what} must be a whole number, not {value!r}") from None


def _metric_table(path: Path, raw_min: int, raw_max: int) -> dict[int, Decimal]:
    """The raw-to-metric conversion: exactly one row per raw total, increasing."""
    table: dict[int, Decimal] = {}
    for row in _read_csv(path):
        raw = _int(path, row.get("raw_score"), "raw_score")
        try:
            table[raw] = Decimal(row.get("metric_score") or "")
        except InvalidOperation:
            raise _fail(path, f"metric_score for raw {raw} is not a number") from None
    if sorted(table) != list(range(raw_min, raw_max + 1)):
        raise _fail(path, f"needs one row for each raw total {raw_min}-{raw_max}")
    values = [table[raw] for raw in sorted(table)]
    if any(b <= a for a, b in zip(values, values[1:], strict=False)):
        raise _fail(path, "metric scores must increase with the raw total")
    return table


def _check_bands(path: Path, key: str, bands: list[Band], low: int, high: int) -> None:
    """Bands must cover the whole scale, in order, with no gap or overlap."""
    expected = low
    for band in sorted(bands, key=lambda b: b.low):
        if band.low != expected or band.high < band.low:
            raise _fail(path, f"bands of {key} leave a gap or overlap at {expected}")
        expected = band.high + 1
    if expected != high + 1:
        raise _fail(path, f"bands of {key} do not cover the scale {low}-{high} exactly")


def _item_bands(path: Path, keys: list[str]) -> dict[str, list[Band]]:
    bands: dict[str, list[Band]] = {}
    for row in _read_csv(path):
        bands.setdefault(row.get("measure", ""), []).append(
            Band(
                name=row.get("band", "").strip(),
                low=_int(path, row.get("min_score"), "min_score"),
                high=_int(path, row.get("max_score"), "max_score"),
            )
        )
    if sorted(bands) != sorted(keys):
        raise _fail(path, f"bands are for {sorted(bands)}, the items are {sorted(keys)}")
    return bands


def _measures(path: Path, raw: list[dict[str, Any]]) -> list[Measure]:
    measures = []
    for entry in raw:
        key = entry.get("key", "")
        if not KEY.match(str(key)):
            raise _fail(path, f"measure key {key!r} is not a lower-case identifier")
        if entry.get("direction") not in (HIGHER_IS_BETTER, HIGHER_IS_WORSE):
            raise _fail(
                path, f"measure {key} needs a direction ({HIGHER_IS_BETTER} or {HIGHER_IS_WORSE})"
            )
        threshold = entry.get("change_threshold")
        if threshold is not None and (
            isinstance(threshold, bool) or not isinstance(threshold, int | float) or threshold <= 0
        ):
            raise _fail(path, f"change_threshold of {key} must be a positive number or null")
        measures.append(
            Measure(
                key=key,
                label=str(entry.get("label") or "").strip() or key,
                direction=entry["direction"],
                minimum=_int(path, entry.get("minimum"), f"minimum of {key}"),
                maximum=_int(path, entry.get("maximum"), f"maximum of {key}"),
                change_threshold=None if threshold is None else Decimal(str(threshold)),
                change_threshold_note=str(entry.get("change_threshold_note") or ""),
            )
        )
    if not measures:
        raise _fail(path, "an instrument needs at least one measure")
    return measures


def _items(path: Path, definition: dict[str, Any]) -> list[Item]:
    items = []
    for position, entry in enumerate(definition.get("items") or [], start=1):
        number = _int(path, entry.get("number"), "item number")
        if number != position:
            raise _fail(path, f"items must be numbered 1, 2, 3... in order (found {number})")
        key = str(entry.get("key") or "")
        if not KEY.match(key):
            raise _fail(path, f"item {number} key {key!r} is not a lower-case identifier")
        wording = str(entry.get("wording") or "").strip()
        if definition.get("licensed_wording") and wording:
            raise _fail(path, f"item {number}: licensed wording must not be shipped in the file")
        if not definition.get("licensed_wording") and not wording:
            raise _fail(path, f"item {number} has no wording")
        items.append(Item(number, key, str(entry.get("label") or "").strip() or key, wording))
    if len({item.key for item in items}) != len(items):
        raise _fail(path, "item keys must be unique")
    if not items and not definition.get("items_from_plan"):
        raise _fail(path, "an instrument needs items")
    return items


def _options(path: Path, raw: list[dict[str, Any]]) -> list[Option]:
    options = [
        Option(_int(path, entry.get("value"), "option value"), str(entry.get("label") or ""))
        for entry in raw or []
    ]
    values = [option.value for option in options]
    if len(values) < 2 or values != list(range(values[0], values[0] + len(values))):
        raise _fail(path, "options must be whole numbers counting up by one")
    if any(not option.label.strip() for option in options):
        raise _fail(path, "every option needs a label")
    return options


def parse_definition(path: Path) -> Instrument:
    """Read and check one definition file (and the table it names). The error names the
    definition file first, then the table when the table is at fault."""
    try:
        return _parse(path)
    except InstrumentDefinitionError as error:
        if str(error).startswith(f"{path.name}:"):
            raise
        raise InstrumentDefinitionError(f"{path.name}: {error}") from None


def _parse(path: Path) -> Instrument:
    try:
        definition = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise _fail(path, f"cannot be read as JSON ({error})") from None
    code = definition.get("code")
    if code != path.stem:
        raise _fail(path, f"code {code!r} must match the file name")
    for required in ("name", "short_name", "copyright", "licence", "source"):
        if not str(definition.get(required) or "").strip():
            raise _fail(path, f"{required} is required")
    items, options = _items(path, definition), _options(path, definition.get("options"))
    measures = _measures(path, definition.get("measures") or [])
    scoring = definition.get("scoring") or {}
    method = scoring.get("method")
    if method not in METHODS:
        raise _fail(path, f"scoring method must be one of {', '.join(METHODS)}")
    table_path = DATA_DIR / str(scoring.get("table") or "-")
    metric_table: dict[int, Decimal] = {}
    if method == "metric_table":
        low, high = len(items) * options[0].value, len(items) * options[-1].value
        metric_table = _metric_table(table_path, low, high)
        if (measures[0].minimum, measures[0].maximum) != (low, high):
            raise _fail(path, f"the measure's range must be the raw range {low}-{high}")
    elif method == "item_bands":
        bands = _item_bands(table_path, [item.key for item in items])
        questions = {r.get("measure"): r.get("question") for r in _read_csv(table_path)}
        for item in items:
            if questions.get(item.key) != item.wording:
                raise _fail(path, f"item {item.number} wording differs from {table_path.name}")
        if sorted(m.key for m in measures) != sorted(item.key for item in items):
            raise _fail(path, "an item-banded instrument needs one measure per item")
        measures = [
            _with_bands(path, m, bands[m.key], options[0].value, options[-1].value)
            for m in measures
        ]
    elif method == "sum_threshold":
        _check_sum_table(path, table_path, items, options)
        _int(path, scoring.get("default_threshold"), "default_threshold")
    elif method == "category":
        _check_category_table(path, table_path, items, options)
    if method != "item_bands" and len(measures) != 1:
        raise _fail(path, "only item-banded instruments report more than one measure")
    return Instrument(
        code=code,
        name=definition["name"].strip(),
        short_name=definition["short_name"].strip(),
        instructions=str(definition.get("instructions") or ""),
        items=tuple(items),
        options=tuple(options),
        method=method,
        measures=tuple(measures),
        copyright=definition["copyright"].strip(),
        licence=definition["licence"].strip(),
        source=definition["source"].strip(),
        licensed_wording=bool(definition.get("licensed_wording")),
        scorable_by_api=bool(definition.get("scorable_by_api")),
        items_from_plan=bool(definition.get("items_from_plan")),
        scoring=scoring,
        metric_table=metric_table,
    )


def _with_bands(path: Path, measure: Measure, bands: list[Band], low: int, high: int) -> Measure:
    _check_bands(path, measure.key, bands, low, high)
    return Measure(**{**measure.__dict__, "bands": tuple(sorted(bands, key=lambda b: b.low))})


def _check_sum_table(path: Path, table: Path, items: list[Item], options: list[Option]) -> None:
    """The publisher's item table must agree with the definition: wording and scores."""
    rows = _read_csv(table)
    for item in items:
        mine = [r for r in rows if _int(table, r.get("item_number"), "item_number") == item.number]
        if {r.get("item_text") for r in mine} != {item.wording}:
            raise _fail(path, f"item {item.number} wording differs from {table.name}")
        if sorted((_int(table, r.get("score"), "score"), r.get("response")) for r in mine) != [
            (o.value, o.label) for o in options
        ]:
            raise _fail(path, f"item {item.number} options differ from {table.name}")


def _check_category_table(
    path: Path, table: Path, items: list[Item], options: list[Option]
) -> None:
    rows = _read_csv(table)
    found = sorted(
        (_int(table, r.get("response_order"), "response_order"), r.get("response")) for r in rows
    )
    if found != [(o.value, o.label) for o in options]:
        raise _fail(path, f"options differ from {table.name}")
    if {r.get("question") for r in rows} != {items[0].wording}:
        raise _fail(path, f"the question differs from {table.name}")


def load_instruments(directory: Path | None = None) -> dict[str, Instrument]:
    """Every definition in `directory` (default: the shipped ones), validated."""
    directory = directory or DATA_DIR / "instruments"
    instruments = {}
    for path in sorted(directory.glob("*.json")):
        instrument = parse_definition(path)
        instruments[instrument.code] = instrument
    if not instruments:
        raise InstrumentDefinitionError(f"no instrument definitions in {directory}")
    return instruments


@cache
def all_instruments() -> dict[str, Instrument]:
    """The shipped instruments, read once per process."""
    return load_instruments()


def instrument(code: str) -> Instrument:
    """One instrument by code; UnknownInstrument when there is none."""
    try:
        return all_instruments()[code]
    except KeyError:
        raise UnknownInstrument(code) from None


# The order forms and summaries list them in.
ORDER = ("swemwbs", "ons4", "ucla3", "ons_loneliness", "goals")


def ordered() -> list[Instrument]:
    found = all_instruments()
    return [found[code] for code in ORDER if code in found] + [
        found[code] for code in sorted(found) if code not in ORDER
    ]

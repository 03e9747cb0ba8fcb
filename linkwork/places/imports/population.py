"""LSOA populations by age and sex, grouped into Linkwork's age bands on import.

Two layouts are read (detected by the header):

* **ONS wide** (the ONS "LSOA population estimates" by single year of age, and the
  like): one row per LSOA with an LSOA code column, optionally `Total`, and one
  column per sex and single year of age: `F0`..`F90` and `M0`..`M90` (90 = 90 and
  over).
* **Long** (simple, hand-made): `lsoa_code,sex,age,count` — `sex` is female/male
  (or F/M); `age` is a band of Linkwork's (`0-17`, `18-24`, ..., `85+`), a single
  year (`42`) or an open-ended age (`90+`); rows for the same band add up.

One LSOA is one record: every row of it is checked, then its total and band rows
are replaced together, or none of it is written. A real population clears
`population_is_synthetic`. Only LSOAs already loaded are updated.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction

from linkwork.places.imports.readers import (
    GeographyFileError,
    find_column,
    lsoa_code_column,
    lsoa_code_problem,
    open_csv,
    update_rows,
)
from linkwork.places.imports.report import FileReport
from linkwork.places.models import AGE_BANDS, Area, AreaPopulation, AreaType

WIDE_AGE = re.compile(r"^([fm])(\d{1,3})\+?$")
SEXES = {"female": "female", "f": "female", "male": "male", "m": "male"}
TOTAL_COLUMNS = ["total", "all ages", "all_ages", "population"]


def age_band(age: int) -> str:
    """The band a single year of age falls in (0-17, 18-24, ten-year bands, 85+)."""
    if age < 18:
        return "0-17"
    if age < 25:
        return "18-24"
    if age >= 85:
        return "85+"
    low = (age - 5) // 10 * 10 + 5
    return f"{low}-{low + 9}"


def band_of(raw: str) -> str:
    """Linkwork's band for an age, band or open-ended age; ValueError if it is none."""
    value = raw.strip().replace(" ", "")
    if value in AGE_BANDS:
        return value
    match = re.fullmatch(r"(\d{1,3})\+?", value)
    if match and (value.isdigit() or int(match.group(1)) >= 85):
        return age_band(int(match.group(1)))
    raise ValueError(f"age {raw!r} is not a year of age or one of {', '.join(AGE_BANDS)}")


@dataclass(frozen=True)
class Columns:
    lsoa: str
    vintage: str | None
    wide: dict[str, tuple[str, str]]  # column -> (sex, band), for the wide layout
    total: str | None = None
    sex: str | None = None
    age: str | None = None
    count: str | None = None


@dataclass
class Record:
    """One LSOA's figures, as read."""

    first_line: int
    cells: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    total: int | None = None
    problems: list[str] = field(default_factory=list)


def detect(path: str, vintage: str | None) -> Columns:
    header, _ = open_csv(path)
    lsoa, found_vintage = lsoa_code_column(header, vintage, path=path)
    wide = {}
    for name in header:
        match = WIDE_AGE.match(name)
        if match:
            sex = "female" if match.group(1) == "f" else "male"
            wide[name] = (sex, age_band(int(match.group(2))))
    total = find_column(header, TOTAL_COLUMNS)
    if wide:
        return Columns(lsoa=lsoa, vintage=found_vintage, wide=wide, total=total)
    sex, age, count = (find_column(header, [n]) for n in ("sex", "age", "count"))
    if not (sex and age and count):
        raise GeographyFileError(
            f"{path} is neither the ONS layout (F0..F90, M0..M90 columns) nor the long "
            "layout (lsoa_code, sex, age, count)."
        )
    return Columns(lsoa=lsoa, vintage=found_vintage, wide={}, sex=sex, age=age, count=count)


def _count(raw: str) -> int:
    value = raw.replace(",", "").strip()
    if not value.isdigit():
        raise ValueError(f"count {raw!r} is not a whole number of people")
    return int(value)


def read_records(path: str, columns: Columns, report: FileReport) -> dict[str, Record]:
    """Every LSOA's figures, with the problems found in its rows."""
    _, rows = open_csv(path)
    records: dict[str, Record] = {}
    for line, row in rows:
        code = row.get(columns.lsoa, "").upper()
        problem = lsoa_code_problem(code)
        if problem:
            report.reject(f"line {line}", problem)
            continue
        record = records.get(code)
        if record is None:
            record = records[code] = Record(first_line=line)
        elif columns.wide:
            record.problems.append(f"line {line}: the LSOA appears twice in the file")
            continue
        try:
            _read_row(row, columns, record)
        except ValueError as error:
            record.problems.append(f"line {line}: {error}")
    return records


def _read_row(row: dict[str, str], columns: Columns, record: Record) -> None:
    if columns.wide:
        for column, cell in columns.wide.items():
            record.cells[cell] += _count(row.get(column, ""))
        if columns.total and row.get(columns.total, ""):
            record.total = _count(row[columns.total])
        return
    sex = SEXES.get(row.get(columns.sex, "").strip().lower())
    if sex is None:
        raise ValueError(f"sex {row.get(columns.sex, '')!r} is not female or male")
    record.cells[(sex, band_of(row.get(columns.age, "")))] += _count(row.get(columns.count, ""))


def import_population(
    path: str,
    columns: Columns,
    *,
    year: str,
    report: FileReport,
    progress: Callable[[FileReport], None],
    progress_every: int,
) -> None:
    """Replace each loaded LSOA's total and age-band rows, clearing the synthetic flag."""
    records = read_records(path, columns, report)
    known = {
        code: (pk, total, vintage, synthetic)
        for code, pk, total, vintage, synthetic in Area.objects.filter(
            area_type=AreaType.LSOA, code__in=list(records)
        ).values_list(
            "code", "id", "population_total", "population_vintage", "population_is_synthetic"
        )
    }
    stored = defaultdict(dict)
    for area_id, sex, band, count in AreaPopulation.objects.filter(
        area_id__in=[values[0] for values in known.values()]
    ).values_list("area_id", "sex", "age_band", "count"):
        stored[area_id][(sex, band)] = count
    batch: list[_Write] = []
    for number, (code, record) in enumerate(records.items(), start=1):
        where = f"line {record.first_line} ({code})"
        total = sum(record.cells.values())
        if record.total is not None and record.total != total:
            record.problems.append(f"the total {record.total} is not the sum of the ages ({total})")
        if record.problems:
            report.reject(where, "; ".join(record.problems))
        elif code not in known:
            report.skipped["LSOA not loaded in this deployment"] += 1
        else:
            pk, old_total, old_year, synthetic = known[code]
            if (stored[pk], old_total, old_year, synthetic) == (record.cells, total, year, False):
                report.unchanged += 1
            else:
                new = old_total is None and not stored[pk]
                batch.append(_Write(where, pk, dict(record.cells), total, new))
        if len(batch) >= BATCH_SIZE:
            _write_batch(batch, year, report)
            batch = []
        if number % progress_every == 0:
            progress(report)
    _write_batch(batch, year, report)


BATCH_SIZE = 500


@dataclass(frozen=True)
class _Write:
    where: str
    area_id: int
    cells: dict[tuple[str, str], int]
    total: int
    new: bool


def _write_batch(batch: list[_Write], year: str, report: FileReport) -> None:
    """Each LSOA's rows and total replaced together. One transaction per batch; if the
    database refuses it, each LSOA is retried alone so only the one it refuses is lost."""
    if not batch:
        return
    try:
        with transaction.atomic():
            _write(batch, year)
    except DatabaseError:
        for write in batch:
            try:
                with transaction.atomic():
                    _write([write], year)
            except DatabaseError as error:
                report.reject(write.where, f"not saved: {error}")
            else:
                _tally(write, report)
        return
    for write in batch:
        _tally(write, report)


def _tally(write: _Write, report: FileReport) -> None:
    if write.new:
        report.loaded += 1
    else:
        report.updated += 1


def _write(batch: list[_Write], year: str) -> None:
    AreaPopulation.objects.filter(area_id__in=[write.area_id for write in batch]).delete()
    AreaPopulation.objects.bulk_create(
        (
            AreaPopulation(area_id=write.area_id, sex=sex, age_band=band, count=count)
            for write in batch
            for (sex, band), count in sorted(write.cells.items())
        ),
        batch_size=1000,
    )
    update_rows(
        Area,
        ["population_total", "population_vintage", "population_is_synthetic"],
        [(write.total, year, False, write.area_id) for write in batch],
    )

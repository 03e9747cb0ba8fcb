"""Reading the files users download: CSV with ONS-style headers, and GeoJSON.

Headers are matched case-insensitively with spaces collapsed, so "LSOA code (2011)",
"lsoa11cd" and "LSOA11CD" are all recognised. A file whose columns cannot be
recognised is refused as a whole (GeographyFileError) before anything is written.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.db import connection

VINTAGES = ("2011", "2021")

# LSOA code columns by vintage, across ONSPD/NSPL, ONS lookups, IoD files and our own.
LSOA_CODE_COLUMNS = {
    "2011": ["lsoa11", "lsoa11cd", "lsoa code (2011)", "lsoa 2011 code", "lsoa11_code"],
    "2021": ["lsoa21", "lsoa21cd", "lsoa code (2021)", "lsoa 2021 code", "lsoa21_code"],
    None: ["lsoa_code", "lsoa code", "lsoa", "lsoacd", "code"],
}
LSOA_NAME_COLUMNS = {
    "2011": ["lsoa11nm", "lsoa name (2011)", "lsoa 2011 name"],
    "2021": ["lsoa21nm", "lsoa name (2021)", "lsoa 2021 name"],
    None: ["lsoa_name", "lsoa name", "name"],
}
# ONS pseudo codes for places with no LSOA (Channel Islands, Isle of Man, unallocated).
PSEUDO_CODE = re.compile(r"^[A-Z]99999999$")
AREA_CODE = re.compile(r"^[A-Z][0-9]{8}$")


class GeographyFileError(ValueError):
    """The whole file is unusable (missing, unreadable, unrecognised columns)."""


def normalise_header(name: str) -> str:
    return re.sub(r"\s+", " ", (name or "").replace("\ufeff", "").strip().lower())


def find_column(header: Iterable[str], candidates: Iterable[str]) -> str | None:
    """The first candidate (already normalised) present in the header."""
    present = set(header)
    return next((name for name in candidates if name in present), None)


def lsoa_code_column(
    header: list[str], vintage: str | None, *, path: str
) -> tuple[str, str | None]:
    """(column, vintage) of the LSOA codes. With both vintages present, --vintage decides."""
    found = {v: find_column(header, LSOA_CODE_COLUMNS[v]) for v in VINTAGES}
    if vintage is not None and found.get(vintage):
        return found[vintage], vintage
    if vintage is not None and any(found.values()):
        other = next(v for v in VINTAGES if found[v])
        raise GeographyFileError(
            f"{path} has {other} LSOA codes ({found[other]}), not the {vintage} codes asked for."
        )
    present = [v for v in VINTAGES if found[v]]
    if len(present) == 2:
        raise GeographyFileError(
            f"{path} has both 2011 and 2021 LSOA codes: say which to use with --vintage."
        )
    if present:
        return found[present[0]], present[0]
    generic = find_column(header, LSOA_CODE_COLUMNS[None])
    if generic is None:
        raise GeographyFileError(
            f"{path} has no LSOA code column (looked for lsoa11/lsoa21, LSOA11CD/LSOA21CD, "
            f"'LSOA code (2011)', lsoa_code). Columns found: {', '.join(header)}."
        )
    return generic, vintage


def lsoa_name_column(header: list[str], vintage: str | None) -> str | None:
    return find_column(header, LSOA_NAME_COLUMNS.get(vintage, []) + LSOA_NAME_COLUMNS[None])


def open_csv(path: str | Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The normalised header and an iterator of (line number, row) with normalised keys."""
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed by rows()
    except OSError as error:
        raise GeographyFileError(f"Cannot read {path}: {error.strerror or error}.") from None
    reader = csv.reader(handle)
    try:
        header = [normalise_header(name) for name in next(reader)]
    except StopIteration:
        handle.close()
        raise GeographyFileError(f"{path} is empty.") from None
    except (UnicodeDecodeError, csv.Error) as error:
        handle.close()
        raise GeographyFileError(f"{path} is not a readable UTF-8 CSV file: {error}.") from None

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        with handle:
            try:
                for values in reader:
                    if not any(value.strip() for value in values):
                        continue
                    yield (
                        reader.line_num,
                        dict(zip(header, (v.strip() for v in values), strict=False)),
                    )
            except (UnicodeDecodeError, csv.Error) as error:
                raise GeographyFileError(
                    f"{path} stopped being readable after line {reader.line_num}: {error}."
                ) from None

    return header, rows()


def lsoa_code_problem(code: str) -> str:
    """Why a value is not an area code ('' when it is one)."""
    if not code:
        return "no LSOA code"
    if not AREA_CODE.match(code):
        return f"{code!r} is not an area code (expected a letter and 8 digits, e.g. E01004817)"
    return ""


def update_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """UPDATE model SET fields... WHERE id = ... for each row (values..., id), as one
    executemany: Django's bulk_update builds a CASE per field, which is slow for tens of
    thousands of rows."""
    if not rows:
        return

    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in fields)
    # Identifiers come from the model and are quoted; every value is a parameter.
    sql = f"UPDATE {quote(model._meta.db_table)} SET {columns} WHERE {quote('id')} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)

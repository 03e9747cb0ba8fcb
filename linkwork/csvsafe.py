"""Every CSV Linkwork writes goes through here, so no cell runs as a spreadsheet formula.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula
by Excel, LibreOffice and Google Sheets (a listing or area named `=HYPERLINK(...)`).
Such text is written with a leading apostrophe (OWASP's advice), which spreadsheets show
as text. Plain numbers (`-0.1278`, `+44`) are left alone: they are not formulas, and
coordinates and changes in scores must survive the round trip.
"""

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(value: str) -> str:
    """`value`, with a leading apostrophe when a spreadsheet would run it as a formula."""
    if value.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    return neutralise(value) if isinstance(value, str) else value


class Writer:
    """csv.writer, neutralising every text cell."""

    def __init__(self, out: TextIO, **options: Any) -> None:
        options.setdefault("lineterminator", "\r\n")
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class DictWriter:
    """csv.DictWriter, neutralising every text cell (the header is ours, so left alone)."""

    def __init__(self, out: TextIO, fieldnames: Sequence[str], **options: Any) -> None:
        options.setdefault("lineterminator", "\r\n")
        self._writer = csv.DictWriter(out, fieldnames=fieldnames, **options)

    def writeheader(self) -> Any:
        return self._writer.writeheader()

    def writerow(self, row: Mapping[str, Any]) -> Any:
        return self._writer.writerow({name: _cell(value) for name, value in row.items()})

    def writerows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)

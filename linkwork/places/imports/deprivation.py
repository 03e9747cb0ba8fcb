"""IMD deciles from the English Indices of Deprivation (MHCLG) CSV.

IoD 2019 "File 1" (or File 7) columns: "LSOA code (2011)" and "Index of Multiple
Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"; IoD 2025 uses
"LSOA code (2021)". A simple `lsoa_code,imd_decile` CSV works too. The release is
2019 for 2011 codes and 2025 for 2021 codes unless told otherwise. Only LSOAs
already loaded are updated; each row is one record (one decile), and a real decile
clears the synthetic flag.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from linkwork.places.imports.readers import (
    GeographyFileError,
    lsoa_code_column,
    lsoa_code_problem,
    open_csv,
    update_rows,
)
from linkwork.places.imports.report import FileReport
from linkwork.places.models import Area, AreaType

RELEASE_OF_VINTAGE = {"2011": "2019", "2021": "2025"}


@dataclass(frozen=True)
class Columns:
    lsoa: str
    decile: str
    vintage: str | None


def detect(path: str, vintage: str | None) -> Columns:
    header, _ = open_csv(path)
    lsoa, found_vintage = lsoa_code_column(header, vintage, path=path)
    decile = next(
        (
            name
            for name in header
            if name in ("imd_decile", "imd decile", "imd19 decile", "imd25 decile")
            or name.startswith("index of multiple deprivation (imd) decile")
        ),
        None,
    )
    if decile is None:
        raise GeographyFileError(
            f"{path} has no IMD decile column ('Index of Multiple Deprivation (IMD) Decile "
            f"...' or imd_decile). Columns found: {', '.join(header)}."
        )
    return Columns(lsoa=lsoa, decile=decile, vintage=found_vintage)


def import_deciles(
    path: str,
    columns: Columns,
    *,
    release: str,
    report: FileReport,
    progress: Callable[[FileReport], None],
    progress_every: int,
) -> None:
    """Set each loaded LSOA's decile and release, clearing `imd_is_synthetic`."""
    _, rows = open_csv(path)
    known = {
        code: (pk, decile, vintage, synthetic)
        for code, pk, decile, vintage, synthetic in Area.objects.filter(
            area_type=AreaType.LSOA
        ).values_list("code", "id", "imd_decile", "imd_vintage", "imd_is_synthetic")
    }
    changes: dict[int, int] = {}
    seen: set[str] = set()
    for line, row in rows:
        code = row.get(columns.lsoa, "").upper()
        where = f"line {line} ({code})" if code else f"line {line}"
        raw = row.get(columns.decile, "")
        problem = lsoa_code_problem(code)
        if problem:
            report.reject(where, problem)
        elif not raw.isdigit() or not 1 <= int(raw) <= 10:
            report.reject(where, f"IMD decile {raw!r} is not a whole number from 1 to 10")
        elif code in seen:
            report.reject(where, "the LSOA appears twice in the file")
        elif code not in known:
            report.skipped["LSOA not loaded in this deployment"] += 1
        elif known[code][1:] == (int(raw), release, False):
            report.unchanged += 1
        else:
            changes[known[code][0]] = int(raw)
            report.updated += 1
        seen.add(code)
        if line % progress_every == 0:
            progress(report)
    _save(changes, release)


@transaction.atomic
def _save(changes: dict[int, int], release: str) -> None:
    update_rows(
        Area,
        ["imd_decile", "imd_vintage", "imd_is_synthetic"],
        [(decile, release, False, pk) for pk, decile in changes.items()],
    )

"""Postcode -> LSOA lookups: ONSPD / NSPL (pcds, lsoa11/lsoa21, lat, long, doterm,
oslaua), or a simple postcode-to-LSOA CSV (postcode, lsoa_code[, lsoa_name,
latitude, longitude]).

Each row is one record (a postcode's point and LSOA): it is written whole or
rejected with its reason. Rows are validated one by one, then written in batches; a
batch that the database refuses is retried row by row so one bad row cannot take
good ones with it. New LSOAs named in the file are created (named from the file, or
by their code). Rows without coordinates take their LSOA's centroid, which comes
from a boundaries import.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db import DatabaseError, transaction

from linkwork.places.imports.readers import (
    PSEUDO_CODE,
    GeographyFileError,
    find_column,
    lsoa_code_column,
    lsoa_code_problem,
    lsoa_name_column,
    open_csv,
    update_rows,
)
from linkwork.places.imports.report import FileReport
from linkwork.places.models import Area, AreaType, Postcode
from linkwork.places.postcodes import InvalidPostcode, normalise_postcode

BATCH_SIZE = 2000
POSTCODE_COLUMNS = ["pcds", "postcode", "pcd", "pcd7", "pcd8", "pcd2"]
LATITUDE_COLUMNS = ["lat", "latitude"]
LONGITUDE_COLUMNS = ["long", "longitude", "lng", "lon"]
TERMINATED_COLUMNS = ["doterm"]
LA_CODE_COLUMNS = [
    "oslaua",
    "lad",
    "ladcd",
    "lad25cd",
    "lad24cd",
    "lad23cd",
    "lad22cd",
    "lad21cd",
    "lad11cd",
    "local_authority_code",
]
LA_NAME_COLUMNS = [
    "ladnm",
    "lad25nm",
    "lad24nm",
    "lad23nm",
    "lad22nm",
    "lad21nm",
    "lad11nm",
    "local_authority_name",
]
# The UK, generously (Scilly to Shetland, Northern Ireland to Lowestoft).
LATITUDE_RANGE = (49.0, 61.5)
LONGITUDE_RANGE = (-8.8, 2.0)


@dataclass(frozen=True)
class Columns:
    postcode: str
    lsoa: str
    vintage: str | None
    lsoa_name: str | None
    latitude: str | None
    longitude: str | None
    terminated: str | None
    la_code: str | None
    la_name: str | None


@dataclass(frozen=True)
class PostcodeRow:
    line: int
    postcode: str
    lsoa_code: str
    lsoa_name: str
    latitude: float | None
    longitude: float | None
    la_code: str
    la_name: str


def detect(path: str, vintage: str | None, local_authority: str | None) -> Columns:
    header, _ = open_csv(path)
    postcode = find_column(header, POSTCODE_COLUMNS)
    if postcode is None:
        raise GeographyFileError(
            f"{path} has no postcode column (pcds, postcode, pcd). Columns: {', '.join(header)}."
        )
    lsoa, found_vintage = lsoa_code_column(header, vintage, path=path)
    latitude = find_column(header, LATITUDE_COLUMNS)
    longitude = find_column(header, LONGITUDE_COLUMNS)
    if bool(latitude) != bool(longitude):
        raise GeographyFileError(f"{path} has a latitude or a longitude column but not both.")
    la_code = find_column(header, LA_CODE_COLUMNS)
    if local_authority and la_code is None:
        raise GeographyFileError(
            f"{path} has no local authority column (oslaua, ladcd), so --local-authority "
            "cannot pick out its postcodes."
        )
    return Columns(
        postcode=postcode,
        lsoa=lsoa,
        vintage=found_vintage,
        lsoa_name=lsoa_name_column(header, found_vintage),
        latitude=latitude,
        longitude=longitude,
        terminated=find_column(header, TERMINATED_COLUMNS),
        la_code=la_code,
        la_name=find_column(header, LA_NAME_COLUMNS),
    )


def _coordinate(value: str, bounds: tuple[float, float]) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if bounds[0] <= number <= bounds[1] else None


def parse_row(
    line: int, row: dict[str, str], columns: Columns, local_authority: str | None
) -> tuple[PostcodeRow | None, str, str]:
    """(row, '', '') when usable; (None, 'skip', reason) or (None, 'reject', reason)."""
    try:
        postcode = normalise_postcode(row.get(columns.postcode, ""))
    except InvalidPostcode:
        return None, "reject", f"{row.get(columns.postcode, '')!r} is not a UK postcode"
    if columns.terminated and row.get(columns.terminated):
        return None, "skip", "terminated postcode"
    la_code = row.get(columns.la_code, "") if columns.la_code else ""
    if local_authority and la_code != local_authority:
        return None, "skip", f"outside local authority {local_authority}"
    lsoa_code = row.get(columns.lsoa, "").upper()
    if PSEUDO_CODE.match(lsoa_code) or not lsoa_code:
        return None, "skip", "no LSOA for this postcode (pseudo code or blank)"
    problem = lsoa_code_problem(lsoa_code)
    if problem:
        return None, "reject", problem
    latitude = longitude = None
    if columns.latitude:
        raw = (row.get(columns.latitude, ""), row.get(columns.longitude, ""))
        latitude = _coordinate(raw[0], LATITUDE_RANGE)
        longitude = _coordinate(raw[1], LONGITUDE_RANGE)
        # ONSPD marks "no grid reference" with latitude 99.999999: treat as missing.
        if (latitude is None or longitude is None) and raw[0] not in ("", "99.999999"):
            return None, "reject", f"coordinates {raw[0]}, {raw[1]} are not in the UK"
    return (
        PostcodeRow(
            line=line,
            postcode=postcode,
            lsoa_code=lsoa_code,
            lsoa_name=row.get(columns.lsoa_name, "") if columns.lsoa_name else "",
            latitude=latitude,
            longitude=longitude,
            la_code=la_code,
            la_name=row.get(columns.la_name, "") if columns.la_name else "",
        ),
        "",
        "",
    )


class _Lsoas:
    """Known LSOAs by code (id and centroid); creates those the file names for the first time."""

    def __init__(self, vintage: str | None) -> None:
        self.vintage = vintage or ""
        self.by_code = {
            code: (pk, lat, lon)
            for code, pk, lat, lon in Area.objects.filter(area_type=AreaType.LSOA).values_list(
                "code", "id", "latitude", "longitude"
            )
        }
        self.local_authorities = dict(
            Area.objects.filter(area_type=AreaType.LOCAL_AUTHORITY).values_list("code", "id")
        )
        self.created = 0

    def with_centroid(self, row: PostcodeRow) -> tuple[PostcodeRow | None, str, str]:
        """The row with its LSOA's centroid as its point, or why it cannot have one."""
        _, latitude, longitude = self.by_code.get(row.lsoa_code, (None, None, None))
        if latitude is None or longitude is None:
            return (
                None,
                "reject",
                f"no coordinates in the file and LSOA {row.lsoa_code} has no centroid yet "
                "(import its boundary first: --boundaries FILE --add-lsoas)",
            )
        return replace(row, latitude=latitude, longitude=longitude), "", ""

    def ensure(self, rows: list[PostcodeRow]) -> None:
        new = {row.lsoa_code: row for row in rows if row.lsoa_code not in self.by_code}
        if not new:
            return
        for row in new.values():
            if row.la_code and row.la_name and row.la_code not in self.local_authorities:
                authority, _ = Area.objects.get_or_create(
                    code=row.la_code,
                    defaults={"name": row.la_name[:200], "area_type": AreaType.LOCAL_AUTHORITY},
                )
                self.local_authorities[row.la_code] = authority.pk
        taken = set(Area.objects.filter(code__in=new).values_list("code", flat=True))
        if taken:  # a code already used by another kind of area
            raise GeographyFileError(
                f"Area codes {', '.join(sorted(taken))} are in use by areas that are not LSOAs."
            )
        Area.objects.bulk_create(
            Area(
                code=code,
                name=(row.lsoa_name or code)[:200],
                area_type=AreaType.LSOA,
                vintage=self.vintage,
                parent_id=self.local_authorities.get(row.la_code),
            )
            for code, row in new.items()
        )
        for code, pk in Area.objects.filter(code__in=new).values_list("code", "id"):
            self.by_code[code] = (pk, None, None)
        self.created += len(new)


def import_postcodes(
    path: str,
    columns: Columns,
    *,
    local_authority: str | None,
    report: FileReport,
    progress: Callable[[FileReport], None],
    progress_every: int,
) -> None:
    """Load or update each postcode's point and LSOA."""
    _, rows = open_csv(path)
    lsoas = _Lsoas(columns.vintage)
    batch: dict[str, PostcodeRow] = {}
    centroids_used = 0
    for line, raw in rows:
        parsed, outcome, reason = parse_row(line, raw, columns, local_authority)
        if parsed is not None and parsed.latitude is None:
            parsed, outcome, reason = lsoas.with_centroid(parsed)
            centroids_used += parsed is not None
        if outcome == "skip":
            report.skipped[reason] += 1
        elif outcome == "reject":
            report.reject(f"line {line}", reason)
        elif parsed.postcode in batch:
            report.reject(f"line {line} ({parsed.postcode})", "the postcode appears twice")
        else:
            batch[parsed.postcode] = parsed
        if len(batch) >= BATCH_SIZE:
            _write_batch(list(batch.values()), lsoas, report)
            batch = {}
        if line % progress_every == 0:
            progress(report)
    if batch:
        _write_batch(list(batch.values()), lsoas, report)
    if lsoas.created:
        report.notes.append(f"{lsoas.created} LSOAs were new and have been added")
    if centroids_used:
        report.notes.append(
            f"{centroids_used} postcodes had no coordinates in the file and use their "
            "LSOA's centroid"
        )


def _write_batch(batch: list[PostcodeRow], lsoas: _Lsoas, report: FileReport) -> None:
    """Write one batch in one transaction; if the database refuses it, retry row by row
    so that only the row it refuses is rejected."""
    snapshot = dict(lsoas.by_code), lsoas.created
    try:
        with transaction.atomic():
            counts = _write(batch, lsoas)
    except DatabaseError:
        lsoas.by_code, lsoas.created = snapshot
    else:
        _count(report, counts)
        return
    for row in batch:
        snapshot = dict(lsoas.by_code), lsoas.created
        try:
            with transaction.atomic():
                _count(report, _write([row], lsoas))
        except DatabaseError as error:
            lsoas.by_code, lsoas.created = snapshot
            report.reject(f"line {row.line} ({row.postcode})", f"not saved: {error}")


def _count(report: FileReport, counts: tuple[int, int, int]) -> None:
    report.loaded += counts[0]
    report.updated += counts[1]
    report.unchanged += counts[2]


def _write(batch: list[PostcodeRow], lsoas: _Lsoas) -> tuple[int, int, int]:
    """(loaded, updated, unchanged) for the batch."""
    lsoas.ensure(batch)
    existing = {
        found.postcode: found
        for found in Postcode.objects.filter(postcode__in=[row.postcode for row in batch])
    }
    new, changed = [], []
    for row in batch:
        values = (row.latitude, row.longitude, lsoas.by_code[row.lsoa_code][0])
        found = existing.get(row.postcode)
        if found is None:
            new.append(
                Postcode(
                    postcode=row.postcode,
                    latitude=values[0],
                    longitude=values[1],
                    lsoa_id=values[2],
                )
            )
        elif (found.latitude, found.longitude, found.lsoa_id) != values:
            changed.append((*values, found.pk))
    Postcode.objects.bulk_create(new)
    update_rows(Postcode, ["latitude", "longitude", "lsoa"], changed)
    return len(new), len(changed), len(batch) - len(new) - len(changed)

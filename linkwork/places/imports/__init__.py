"""`linkwork import-geography`: postcodes, LSOA boundaries, IMD deciles and populations
from the files a user downloads from the ONS Open Geography Portal and MHCLG.

All files are checked for recognisable columns before anything is written. Then
they load in the order that lets each build on the last: boundaries (which give
LSOA centroids), postcodes (which may need them), IMD, population. Each record is
written whole or rejected with its reason (see each module); re-running with the
same files changes nothing. `dry_run` does all the work inside a transaction and
rolls it back, so the report is exactly what a real run would do.
See linkwork/places/README.md.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from linkwork.audit.services import record_event
from linkwork.places.imports import boundaries, deprivation, population, postcodes
from linkwork.places.imports.readers import VINTAGES, GeographyFileError
from linkwork.places.imports.report import FileReport, GeographyReport
from linkwork.places.services import link_postcodes_to_lsoas

__all__ = ["GeographyFileError", "GeographyReport", "import_geography"]


@dataclass(frozen=True)
class Files:
    postcodes: str | None = None
    boundaries: str | None = None
    imd: str | None = None
    population: str | None = None


class _DryRun(Exception):
    pass


def import_geography(
    files: Files,
    *,
    vintage: str | None = None,
    local_authority: str | None = None,
    add_lsoas: bool = False,
    imd_release: str | None = None,
    population_year: str = "",
    dry_run: bool = False,
    by: AbstractBaseUser | None,
    progress: Callable[[FileReport], None] = lambda report: None,
    progress_every: int = 10_000,
) -> GeographyReport:
    """Load the given files; raises GeographyFileError (nothing written) when a file
    cannot be used at all."""
    if vintage is not None and vintage not in VINTAGES:
        raise GeographyFileError(f"--vintage must be one of {', '.join(VINTAGES)}.")
    for label, value in (("--imd-release", imd_release), ("--population-year", population_year)):
        if value and len(value) > 16:
            raise GeographyFileError(f"{label} must be 16 characters or fewer, like 2019.")
    if not any(vars(files).values()):
        raise GeographyFileError(
            "Give at least one file: --postcodes, --boundaries, --imd, --population."
        )
    settings = Settings(
        vintage=vintage,
        local_authority=local_authority,
        add_lsoas=add_lsoas,
        imd_release=imd_release,
        population_year=population_year,
    )
    plan = _plan(files, settings)
    report = GeographyReport(dry_run=dry_run)
    options = {"progress": progress, "progress_every": max(1, progress_every)}
    try:
        with transaction.atomic():
            for kind, path, run in plan:
                file_report = FileReport(kind=kind, path=path)
                report.files.append(file_report)
                started = time.perf_counter()
                run(file_report, options)
                file_report.seconds = time.perf_counter() - started
                _audit(by, file_report, dry_run)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


@dataclass(frozen=True)
class Settings:
    vintage: str | None
    local_authority: str | None
    add_lsoas: bool
    imd_release: str | None
    population_year: str


def _plan(files: Files, settings: Settings) -> list[tuple[str, str, Callable]]:
    """(kind, path, run(report, options)) for each file in load order, after every
    file's columns have been checked."""
    plan = []
    if files.boundaries:
        features = boundaries.read(files.boundaries)
        found = boundaries.choose_vintage(features, settings.vintage, files.boundaries)
        plan.append(
            (
                "boundaries",
                files.boundaries,
                lambda report, options: boundaries.import_boundaries(
                    features, vintage=found, add_lsoas=settings.add_lsoas, report=report, **options
                ),
            )
        )
    if files.postcodes:
        columns = postcodes.detect(files.postcodes, settings.vintage, settings.local_authority)
        plan.append(
            (
                "postcodes",
                files.postcodes,
                lambda report, options: _postcodes_then_link(
                    files.postcodes, columns, settings, report, options
                ),
            )
        )
    if files.imd:
        imd_columns = deprivation.detect(files.imd, settings.vintage)
        release = settings.imd_release or deprivation.RELEASE_OF_VINTAGE.get(
            imd_columns.vintage or "", ""
        )
        plan.append(
            (
                "IMD deciles",
                files.imd,
                lambda report, options: deprivation.import_deciles(
                    files.imd, imd_columns, release=release, report=report, **options
                ),
            )
        )
    if files.population:
        population_columns = population.detect(files.population, settings.vintage)
        plan.append(
            (
                "population",
                files.population,
                lambda report, options: population.import_population(
                    files.population,
                    population_columns,
                    year=settings.population_year,
                    report=report,
                    **options,
                ),
            )
        )
    return plan


def _postcodes_then_link(
    path: str, columns: postcodes.Columns, settings: Settings, report: FileReport, options: dict
) -> None:
    """Load the postcodes, then give records saved before their postcode was known
    (listings' locations, people, interests) their LSOA."""
    postcodes.import_postcodes(
        path, columns, local_authority=settings.local_authority, report=report, **options
    )
    linked = link_postcodes_to_lsoas(by=None)
    report.notes += [
        f"{count} {name.lower()} records saved before their postcode was loaded now have their LSOA"
        for name, count in linked.items()
        if count
    ]


def _audit(by: AbstractBaseUser | None, report: FileReport, dry_run: bool) -> None:
    """One event per file that changed something (a re-run that changes nothing adds none)."""
    if dry_run or not (report.loaded or report.updated):
        return
    record_event(
        by=by,
        action="geography_imported",
        object_type="area",
        summary=(
            f"{report.kind}: loaded={report.loaded} updated={report.updated} "
            f"unchanged={report.unchanged} skipped={sum(report.skipped.values())} "
            f"rejected={len(report.rejected)}"
        ),
    )

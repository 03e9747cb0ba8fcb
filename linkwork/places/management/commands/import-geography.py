"""linkwork import-geography [--postcodes CSV] [--boundaries GEOJSON] [--imd CSV]
[--population CSV] [--vintage 2011|2021] [--local-authority CODE] [--add-lsoas]
[--dry-run]

Load geography from files downloaded from the ONS Open Geography Portal and MHCLG
(Open Government Licence). Progress and the report go to stdout. Exit status is
non-zero only when a file cannot be used at all (then nothing is written).
See linkwork/places/README.md for the files and their columns.
"""

from django.core.management.base import BaseCommand, CommandError

from linkwork.places.imports import Files, GeographyFileError, import_geography
from linkwork.places.imports.report import FileReport


class Command(BaseCommand):
    help = (
        "Load postcodes -> LSOA, LSOA boundaries, IMD deciles and populations from ONS and "
        "MHCLG files. Re-running with the same files changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--postcodes",
            metavar="CSV",
            help="ONSPD or NSPL (pcds, lsoa11/lsoa21, lat, long), or a postcode-to-LSOA CSV.",
        )
        parser.add_argument(
            "--boundaries",
            metavar="GEOJSON",
            help="LSOA boundaries in WGS84 (properties LSOA21CD/LSOA11CD and name).",
        )
        parser.add_argument(
            "--imd", metavar="CSV", help="English Indices of Deprivation file with IMD deciles."
        )
        parser.add_argument(
            "--population",
            metavar="CSV",
            help="LSOA population by age and sex: ONS F0..F90/M0..M90, or lsoa_code,sex,age,count.",
        )
        parser.add_argument(
            "--vintage",
            choices=["2011", "2021"],
            help="Which LSOA codes to use when a file has both (ONSPD), or none named.",
        )
        parser.add_argument(
            "--local-authority",
            metavar="CODE",
            help="Only load postcodes in this local authority (e.g. E08000001).",
        )
        parser.add_argument(
            "--add-lsoas",
            action="store_true",
            help="Add LSOAs found in the boundaries file that are not loaded yet.",
        )
        parser.add_argument(
            "--imd-release", help="The IoD release (default 2019 for 2011 codes, 2025 for 2021)."
        )
        parser.add_argument(
            "--population-year", default="", help="What the population estimate is, e.g. mid-2022."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything and report; save nothing."
        )
        parser.add_argument(
            "--progress-every", type=int, default=10_000, help="Report progress every N rows."
        )

    def handle(self, *args, **options) -> None:
        files = Files(
            postcodes=options["postcodes"],
            boundaries=options["boundaries"],
            imd=options["imd"],
            population=options["population"],
        )
        try:
            report = import_geography(
                files,
                vintage=options["vintage"],
                local_authority=(options["local_authority"] or "").strip().upper() or None,
                add_lsoas=options["add_lsoas"],
                imd_release=options["imd_release"],
                population_year=options["population_year"].strip(),
                dry_run=options["dry_run"],
                by=None,
                progress=self._progress,
                progress_every=options["progress_every"],
            )
        except GeographyFileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(report))

    def _progress(self, report: FileReport) -> None:
        self.stdout.write(
            f"{report.kind}: {report.read} read (loaded {report.loaded}, updated "
            f"{report.updated}, unchanged {report.unchanged}, skipped "
            f"{sum(report.skipped.values())}, rejected {len(report.rejected)})"
        )

"""linkwork import-oruk PATH_OR_URL [--dry-run] [--review] [--source NAME]

Import services from an Open Referral UK / HSDS 3.0 feed (its base URL), a JSON file
of service records, or an HSDS data package (zip or folder). The report goes to
stdout, progress to stderr; the exit status is non-zero only when nothing could be read.
"""

from django.core.management.base import BaseCommand, CommandError

from linkwork.interop.imports.oruk import OrukImportReport, import_services
from linkwork.interop.imports.readers import DEFAULT_TIMEOUT, FeedError, open_feed


class Command(BaseCommand):
    help = (
        "Import services from an Open Referral UK / HSDS 3.0 feed URL, a JSON file of "
        "services, or an HSDS data package. Running it again changes only what changed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path_or_url", metavar="PATH_OR_URL")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything and report; save nothing."
        )
        parser.add_argument(
            "--review",
            action="store_true",
            help="Put new listings in the review queue instead of publishing them.",
        )
        parser.add_argument(
            "--source",
            default="",
            help="Name the feed's listings are kept under (default: the URL's host or file name).",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=DEFAULT_TIMEOUT,
            help="Seconds to wait for each answer from a feed (default %(default)s).",
        )
        parser.add_argument(
            "--progress-every", type=int, default=100, help="Report progress every N services."
        )

    def handle(self, *args, path_or_url: str, **options) -> None:
        try:
            feed = open_feed(path_or_url, timeout=options["timeout"])
            report = import_services(
                feed.records,
                source=(options["source"] or feed.source).strip()[:200],
                publish=not options["review"],
                dry_run=options["dry_run"],
                by=None,
                progress=self._progress(feed.total),
                progress_every=max(1, options["progress_every"]),
            )
        except FeedError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(report))

    def _progress(self, total: int | None):
        def show(report: OrukImportReport) -> None:
            of = f" of {total}" if total else ""
            self.stderr.write(
                f"{report.read}{of} services read: created {report.created}, updated "
                f"{report.updated}, unchanged {report.unchanged}, rejected {len(report.rejected)}"
            )

        return show

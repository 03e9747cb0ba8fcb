"""linkwork table-checksums: each table's row count and checksum, to compare a restore."""

from django.core.management.base import BaseCommand

from linkwork.operations.backup import live_checksums


class Command(BaseCommand):
    help = (
        "Print each table's row count and a SHA-256 of its rows. Run it against the "
        "restored database (DATABASE_URL or SQLITE_PATH pointing at it) and compare with "
        "`linkwork backup --checksums`."
    )

    def handle(self, *args, **options) -> None:
        for table in live_checksums():
            self.stdout.write(f"{table.table}\t{table.rows}\t{table.checksum}")

"""linkwork backup --out PATH: a consistent backup of the database."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from linkwork.operations.backup import backup_database, live_checksums


class Command(BaseCommand):
    help = (
        "Back up the database while Linkwork serves: SQLite's online backup to a file, or "
        "pg_dump's custom format for PostgreSQL. Prints each table's rows and checksum "
        "(--checksums) so a restore can be compared (docs/operations.md)."
    )

    def add_arguments(self, parser) -> None:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        parser.add_argument("--out", default=f"var/backups/linkwork-{stamp}.backup")
        parser.add_argument("--checksums", action="store_true")

    def handle(self, *args, out: str, checksums: bool, **options) -> None:
        path = backup_database(Path(out))
        self.stdout.write(f"Backed up to {path} ({path.stat().st_size:,} bytes).")
        if checksums:
            for table in live_checksums():
                self.stdout.write(f"{table.table}\t{table.rows}\t{table.checksum}")

"""linkwork import-taxonomy FILE --code CODE --name NAME: load another taxonomy from a CSV.

Columns: code, vocabulary (need|activity), name, description, parent_code (optional).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linkwork.directory.services import import_taxonomy, read_taxonomy_csv


class Command(BaseCommand):
    help = "Import taxonomy terms from a CSV (code, vocabulary, name, description, parent_code)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--code", required=True, help="A short code for the taxonomy.")
        parser.add_argument("--name", required=True, help="The taxonomy's name.")

    def handle(self, *args, file: Path, code: str, name: str, **options) -> None:
        try:
            rows = read_taxonomy_csv(file)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Could not read {file}: {error}") from error
        if rows and "code" not in rows[0]:
            raise CommandError("The CSV needs a header: code,vocabulary,name,description")
        self.stdout.write(
            str(import_taxonomy(rows=rows, taxonomy_code=code, taxonomy_name=name, by=None))
        )

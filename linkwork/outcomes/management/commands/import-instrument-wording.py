"""linkwork import-instrument-wording FILE: add licensed item wording (e.g. SWEMWBS).

The wording of some instruments is copyright and is not shipped with Linkwork. A
deploying organisation that holds a licence supplies it as a CSV with the columns
instrument,item_number,wording (every item of each instrument named); it is stored in
the database. Re-running replaces it.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linkwork.errors import InvalidInput
from linkwork.outcomes.instruments import instrument
from linkwork.outcomes.services import import_wording, read_wording_csv


class Command(BaseCommand):
    help = "Import licensed item wording from a CSV (instrument,item_number,wording)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Could not read {file}: {error}") from error
        try:
            stored = import_wording(rows=read_wording_csv(text), by=None)
        except InvalidInput as error:
            raise CommandError(
                "Nothing imported. " + " ".join(f"{k}: {v}" for k, v in error.errors.items())
            ) from error
        for code, count in stored.items():
            self.stdout.write(f"{instrument(code).short_name}: wording of {count} items imported.")
            self.stdout.write(instrument(code).copyright)

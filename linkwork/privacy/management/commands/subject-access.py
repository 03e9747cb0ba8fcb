"""linkwork subject-access PERSON_ID --out FILE: everything held about a person."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linkwork.privacy.registry import person_model
from linkwork.privacy.subject_access import as_html, as_json, subject_access


class Command(BaseCommand):
    help = (
        "Export everything held about the person PERSON_ID (UK GDPR subject access): JSON "
        "to FILE and a readable page beside it (FILE with .html). Audited."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("person_id", type=int)
        parser.add_argument("--out", required=True, help="the JSON file to write")

    def handle(self, *args, person_id: int, out: str, **options) -> None:
        person = person_model().objects.filter(pk=person_id).first()
        if person is None:
            raise CommandError(f"No person has the id {person_id}.")
        export = subject_access(person=person, by=None)
        json_path = Path(out)
        html_path = json_path.with_suffix(".html")
        json_path.write_text(as_json(export), encoding="utf-8")
        html_path.write_text(as_html(export), encoding="utf-8")
        rows = sum(len(s["rows"]) for s in export["records"].values())
        self.stdout.write(f"{rows} records about person {person_id}: {json_path}, {html_path}")

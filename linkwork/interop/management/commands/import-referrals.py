"""linkwork import-referrals PATH --by EMAIL [--dry-run]: the CSV intake from the command
line (the same checks and import as /casework/import/), for the link worker's service."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linkwork.accounts.models import User
from linkwork.accounts.permissions import organisations_with_permission
from linkwork.accounts.roles import Perm
from linkwork.directory.models import Organisation
from linkwork.interop.csv_intake import rows


class Command(BaseCommand):
    help = "Import referrals from a CSV made from the template (see /casework/import/)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--by", required=True, help="The importing link worker's email.")
        parser.add_argument("--dry-run", action="store_true", help="Check the rows only.")

    def handle(self, *args, path: str, by: str, dry_run: bool, **options) -> None:
        user = User.objects.filter(email__iexact=by, is_active=True).first()
        services = organisations_with_permission(user, Perm.CASEWORK) if user else []
        if not services:
            raise CommandError(f"{by} is not an active link worker.")
        service = Organisation.objects.filter(pk__in=services).order_by("name", "pk").first()
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        preview = rows.read(text, service=service)
        if preview.file_errors:
            raise CommandError(" ".join(preview.file_errors))
        for row in preview.bad:
            problems = "; ".join(f"{k}: {v}" for k, v in row.errors.items())
            self.stdout.write(f"line {row.number} ({row.reference or 'no reference'}): {problems}")
        if dry_run:
            self.stdout.write(
                f"{len(preview.good)} ready, {len(preview.bad)} with problems, "
                f"{len(preview.already)} imported before (dry run: nothing written)."
            )
            return
        done = rows.import_rows(text=text, service=service, by=user)
        self.stdout.write(
            f"{len(done.created)} imported, {len(done.skipped)} imported before, "
            f"{len(done.failed)} not imported."
        )

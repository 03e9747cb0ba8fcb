"""linkwork apply-retention [--dry-run]: erase people past the retention period."""

from django.conf import settings
from django.core.management.base import BaseCommand

from linkwork.privacy.retention import apply_retention, retention_cutoff


class Command(BaseCommand):
    help = (
        "Erase everyone whose last referral ended more than RETENTION_YEARS ago and who has "
        "no open referral (run daily from the scheduler). --dry-run lists them only."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run: bool, **options) -> None:
        ids = apply_retention(dry_run=dry_run)
        cutoff = retention_cutoff().date()
        verb = "would be erased" if dry_run else "erased"
        self.stdout.write(
            f"{len(ids)} people {verb} (last referral ended before {cutoff}, "
            f"RETENTION_YEARS={settings.RETENTION_YEARS})."
        )
        if dry_run and ids:
            self.stdout.write("Person ids: " + ", ".join(str(i) for i in ids))

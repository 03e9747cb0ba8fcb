"""linkwork compute-statements [--month YYYY-MM]: every tariff's statements for a month
(last month when not given). Run monthly (or daily) from cron: due statements are
brought up to date, approved and paid ones never change, so repeats are harmless."""

from django.core.management.base import BaseCommand, CommandError

from linkwork.errors import InvalidInput
from linkwork.funding.api import parse_month
from linkwork.funding.models import Statement, Tariff
from linkwork.funding.services import compute_month


class Command(BaseCommand):
    help = "Work out every tariff's monthly statements (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--month", default="", help="YYYY-MM; last month if left out.")

    def handle(self, *args, **options) -> None:
        try:
            month = parse_month(options["month"].strip())
        except InvalidInput as error:
            raise CommandError(error.errors["month"]) from None
        compute_month(month=month, tariffs=list(Tariff.objects.all()), by=None)
        count = Statement.objects.filter(month=month).count()
        self.stdout.write(f"{count} statement(s) for {month:%B %Y}.")

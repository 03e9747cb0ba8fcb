"""linkwork demo: load the demo dataset (idempotent) and print the demo accounts."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from linkwork.demo.dataset import DEMO_PASSWORD
from linkwork.demo.services import load_demo


class Command(BaseCommand):
    help = "Load the demo dataset (Bolton, fictional groups and people) and print the accounts."

    def handle(self, *args, **options) -> None:
        try:
            accounts = load_demo()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Demo data loaded. Demo accounts (password: {DEMO_PASSWORD}):")
        for email, role in accounts:
            self.stdout.write(f"  {email:<28} {role}")

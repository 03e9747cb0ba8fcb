"""linkwork deliver-fhir: push Task changes and messages back to the GP record to each
active FHIR Subscription (run it every few minutes; failures are retried next run)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from linkwork.interop.fhir.subscriptions import deliver


class Command(BaseCommand):
    help = "Deliver FHIR Subscription notifications (rest-hook), retrying earlier failures."

    def handle(self, *args, **options) -> None:
        done = deliver(base=settings.SITE_URL.rstrip("/") + "/fhir")
        self.stdout.write(
            f"{done.sent} subscription(s) sent {done.resources} resource(s); {done.failed} failed."
        )

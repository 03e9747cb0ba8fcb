"""linkwork send-digests: each person's daily and weekly digest, one message each.

Cron-able at any interval: a period's digest is never sent twice (see digests.py).
"""

from django.core.management.base import BaseCommand

from linkwork.notifications.digests import send_digests


class Command(BaseCommand):
    help = "Send each person the daily or weekly digest they chose, at most once a period."

    def handle(self, *args, **options) -> None:
        report = send_digests()
        self.stdout.write(f"Sent {report.digests} digest(s) carrying {report.messages} message(s).")

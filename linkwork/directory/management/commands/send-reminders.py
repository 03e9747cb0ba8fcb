"""linkwork send-reminders: remind owners of listings falling due; escalate those past due.

Run daily from cron; each listing is reminded once per cycle, so repeats are harmless.
"""

from django.core.management.base import BaseCommand

from linkwork.directory.services import send_reminders


class Command(BaseCommand):
    help = "Email owners of directory listings that fall due; escalate listings past due."

    def handle(self, *args, **options) -> None:
        report = send_reminders()
        self.stdout.write(
            f"Reminded {report.reminded} listing owner(s); {report.without_owner} listing(s) "
            f"falling due have no owner; escalated {report.escalated} listing(s) past due."
        )

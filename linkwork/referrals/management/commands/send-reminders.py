"""linkwork send-reminders: the daily clocks (here, not in directory, because referrals
sits above directory: the command reads both). Listings falling due remind their owners and
escalate when past due; referrals a group has not answered remind the group, then tell
the link worker; people who asked for one are texted the day before their first session.

Run daily from cron; each reminder and escalation is sent once, so repeats are harmless.
"""

from django.core.management.base import BaseCommand

from linkwork.directory.services import send_reminders
from linkwork.referrals.services import send_connection_reminders, send_session_reminders


class Command(BaseCommand):
    help = (
        "Email owners of directory listings that fall due and escalate listings past due; "
        "remind groups of unanswered referrals and tell link workers of those still waiting; "
        "text reminders of first sessions tomorrow to people who asked for them."
    )

    def handle(self, *args, **options) -> None:
        report = send_reminders()
        self.stdout.write(
            f"Reminded {report.reminded} listing owner(s); {report.without_owner} listing(s) "
            f"falling due have no owner; escalated {report.escalated} listing(s) past due."
        )
        connections = send_connection_reminders()
        self.stdout.write(
            f"Reminded groups of {connections.reminded} unanswered referral(s); told link "
            f"workers of {connections.escalated} still unanswered after a reminder."
        )
        sessions = send_session_reminders()
        self.stdout.write(f"Texted {sessions} reminder(s) of a first session tomorrow.")

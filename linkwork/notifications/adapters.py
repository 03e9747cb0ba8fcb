"""Where messages go: Django's email backend (default) or GOV.UK Notify (production).

Messages never carry personal data about the people referred: they say something
happened and link to Linkwork, where permissions apply.
"""

from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from notifications_python_client.notifications import NotificationsAPIClient


class Adapter(Protocol):
    def send(self, *, to: str, subject: str, body: str) -> None: ...


class EmailAdapter:
    def send(self, *, to: str, subject: str, body: str) -> None:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)


class GovukNotifyAdapter:
    """One Notify email template with ((subject)) and ((body)) placeholders."""

    def __init__(self) -> None:
        self.client = NotificationsAPIClient(settings.NOTIFY_API_KEY)
        self.template_id = settings.NOTIFY_EMAIL_TEMPLATE_ID

    def send(self, *, to: str, subject: str, body: str) -> None:
        self.client.send_email_notification(
            email_address=to,
            template_id=self.template_id,
            personalisation={"subject": subject, "body": body},
        )


def current_adapter() -> Adapter:
    if settings.NOTIFICATIONS_BACKEND == "govuk_notify":
        return GovukNotifyAdapter()
    return EmailAdapter()

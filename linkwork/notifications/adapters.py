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


class SmsAdapter(Protocol):
    def send_sms(self, *, to: str, body: str) -> None: ...


class GovukNotifySmsAdapter:
    """One Notify text-message template with a ((body)) placeholder."""

    def __init__(self) -> None:
        self.client = NotificationsAPIClient(settings.NOTIFY_API_KEY)
        self.template_id = settings.NOTIFY_SMS_TEMPLATE_ID

    def send_sms(self, *, to: str, body: str) -> None:
        self.client.send_sms_notification(
            phone_number=to, template_id=self.template_id, personalisation={"body": body}
        )


# Text messages "sent" with SMS_BACKEND=locmem (tests, the demo): kept here, like
# django.core.mail.outbox.
sms_outbox: list[dict[str, str]] = []


class LocmemSmsAdapter:
    def send_sms(self, *, to: str, body: str) -> None:
        sms_outbox.append({"to": to, "body": body})


def current_sms_adapter() -> SmsAdapter | None:
    """The text-message adapter, or None where SMS is not available."""
    backend = getattr(settings, "SMS_BACKEND", "")
    if backend == "govuk_notify":
        return GovukNotifySmsAdapter()
    if backend == "locmem":
        return LocmemSmsAdapter()
    return None

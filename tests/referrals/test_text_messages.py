"""Text messages to the person through GOV.UK Notify (a fake one on 127.0.0.1): the
feedback link as a short link to someone without email, answered through it; delivery
receipts that move the message on, and a permanent failure shown on the case page."""

import datetime as dt
import hashlib
import logging
import re
import uuid

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from linkwork.audit.models import AuditEvent
from linkwork.notifications.models import TextKind, TextMessage, TextStatus
from linkwork.referrals import feedback
from linkwork.referrals.models import FeedbackRequest, Referral
from tests.fake_notify import CALLBACK_TOKEN, SERVICE_ID, TEMPLATE_ID
from tests.referrals.test_casework_pages import case_url, html
from tests.referrals.test_person_feedback import close, in_progress

pytestmark = pytest.mark.django_db

PHONE = "07700 900123"
SHORT_LINK = re.compile(r"https://linkwork\.example\.org/f/([\w-]+)")


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def texted_person(world, *, email: str = "", methods=("phone", "text"), prefers: str = ""):
    """In progress, with a mobile number and agreement to texts (and no email)."""
    referral = in_progress(world, email=email, methods=methods)
    referral.person.phone = PHONE
    referral.person.preferred_contact_method = prefers or referral.person.preferred_contact_method
    referral.person.save(update_fields=["phone", "preferred_contact_method"])
    return referral


def receipt(client: Client, message: TextMessage, status: str, token: str = CALLBACK_TOKEN):
    return client.post(
        "/notify/callbacks/",
        {
            "id": str(message.notification_id),
            "reference": str(message.reference),
            "to": PHONE,
            "status": status,
            "created_at": "2026-12-03T10:00:00.000000Z",
            "completed_at": "2026-12-03T10:00:05.000000Z",
            "sent_at": "2026-12-03T10:00:01.000000Z",
            "notification_type": "sms",
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"} if token else {},
    )


def test_a_person_without_email_gets_a_short_feedback_link_by_text_and_answers_it(
    world, fake_notify, mailoutbox, settings, caplog
):
    settings.SITE_URL = "https://linkwork.example.org"
    referral = texted_person(world)
    with caplog.at_level(logging.DEBUG):
        close(world, referral)

    (sent,) = fake_notify.texts
    assert sent["jwt"]["iss"] == SERVICE_ID  # signed with the key's secret
    body = sent["json"]
    assert body["phone_number"] == PHONE and body["template_id"] == TEMPLATE_ID
    fields = body["personalisation"]
    assert set(fields) == {"first_name", "service", "link", "expires", "body"}
    assert fields["first_name"] == "Pat" and fields["service"] == "Community Links"
    # Nothing personal but the first name: no family name, birth date, reasons or notes.
    words = str(fields)
    for personal in ("Holden", "1956", "bereaved", "BL2", "lonel"):
        assert personal not in words
    token = SHORT_LINK.fullmatch(fields["link"]).group(1)
    assert len(token) <= 22 and fields["link"] in fields["body"]
    assert not [m for m in mailoutbox if "feedback" in m.body]

    request = FeedbackRequest.objects.get(referral=referral)
    assert request.digest == hashlib.sha256(token.encode()).hexdigest()
    assert request.sent_by == "text" and request.state == "waiting"
    assert request.expires_at - request.sent_at == dt.timedelta(days=settings.FEEDBACK_LINK_DAYS)
    message = TextMessage.objects.get()
    assert (message.kind, message.referral, message.person) == (
        TextKind.FEEDBACK_LINK,
        referral,
        referral.person,
    )
    assert str(message.reference) == body["reference"] and message.notification_id
    # Neither the number nor the token reaches the logs, the audit trail or the record.
    logged = caplog.text + str(list(AuditEvent.objects.values_list("summary", flat=True)))
    assert "900123" not in logged and token not in logged
    assert token not in str(TextMessage.objects.values().get())
    assert AuditEvent.objects.filter(action="feedback_link_sent", summary="by=text").exists()
    page = html(world.link_worker.get(case_url(referral)))
    assert "A feedback link was sent by text message to Pat" in page

    person = Client()
    opened = person.get(f"/f/{token}")
    assert opened.status_code == 200 and "no-store" in opened["Cache-Control"]
    assert "How helpful was the support?" in html(opened) and "Holden" not in html(opened)
    answered = person.post(f"/f/{token}", {"rating": "5", "comment": "Lovely people."})
    assert answered.status_code == 302
    request.refresh_from_db()
    assert (request.rating, request.state) == (5, "answered")
    assert person.get(f"/f/{token}").status_code == 410  # once only


def test_the_short_link_expires_as_the_email_one_does(world, fake_notify, settings):
    settings.SITE_URL = "https://linkwork.example.org"
    referral = texted_person(world)
    close(world, referral)
    token = SHORT_LINK.fullmatch(fake_notify.texts[0]["json"]["personalisation"]["link"])[1]
    FeedbackRequest.objects.filter(referral=referral).update(expires_at=timezone.now())
    assert Client().get(f"/f/{token}").status_code == 410
    assert Client().get("/f/not-a-token").status_code == 404


def test_email_still_goes_first_unless_the_person_prefers_texts(world, fake_notify, mailoutbox):
    emailed = texted_person(world, email="pat@example.com", methods=("email", "text"))
    close(world, emailed)
    assert not fake_notify.texts
    assert FeedbackRequest.objects.get(referral=emailed).sent_by == "email"

    prefers = texted_person(
        world, email="sam@example.com", methods=("email", "text"), prefers="text"
    )
    close(world, prefers)
    assert len(fake_notify.texts) == 1
    assert FeedbackRequest.objects.get(referral=prefers).sent_by == "text"


def test_without_texts_set_up_the_case_page_still_says_why_no_link_went(world, settings):
    settings.SMS_BACKEND = ""
    referral = texted_person(world)
    close(world, referral)
    request = FeedbackRequest.objects.get(referral=referral)
    assert request.not_sent_reason == "no_email" and not TextMessage.objects.exists()


def test_a_text_notify_refuses_is_a_failure_on_record_and_the_referral_still_closes(
    world, fake_notify
):
    fake_notify.fail_with = 400
    referral = texted_person(world)
    close(world, referral)
    referral.refresh_from_db()
    assert referral.status == "closed"
    assert TextMessage.objects.get().status == TextStatus.TECHNICAL_FAILURE


def test_a_number_notify_refuses_is_a_permanent_failure_to_check(world, fake_notify):
    fake_notify.fail_with, fake_notify.fail_message = 400, "phone_number Not a UK mobile number"
    referral = texted_person(world)
    close(world, referral)
    assert TextMessage.objects.get().status == TextStatus.PERMANENT_FAILURE
    page = html(world.link_worker.get(case_url(referral)))
    assert "could not be delivered to the number we have: check the number." in page


def test_a_permanent_failure_shows_on_the_case_page(world, fake_notify):
    referral = texted_person(world)
    close(world, referral)
    message = TextMessage.objects.get()
    warning = "The text message with the feedback link could not be delivered to the number"
    assert warning not in html(world.link_worker.get(case_url(referral)))

    response = receipt(Client(), message, "permanent-failure")
    assert response.status_code == 200 and response.json()["status"] == "permanent-failure"
    message.refresh_from_db()
    assert message.status == TextStatus.PERMANENT_FAILURE
    assert message.completed_at == dt.datetime(2026, 12, 3, 10, 0, 5, tzinfo=dt.UTC)
    page = html(world.link_worker.get(case_url(referral)))
    assert f"{warning} we have: check the number." in page


def test_receipts_are_idempotent_and_never_undo_a_final_status(world, fake_notify):
    referral = texted_person(world)
    close(world, referral)
    message = TextMessage.objects.get()
    for _ in range(2):
        assert receipt(Client(), message, "delivered").status_code == 200
    assert receipt(Client(), message, "sending").status_code == 200  # late, out of order
    message.refresh_from_db()
    assert message.status == TextStatus.DELIVERED


@pytest.mark.parametrize("token", ["", "wrong-token"])
def test_a_receipt_without_the_callback_token_is_refused(world, fake_notify, token):
    referral = texted_person(world)
    close(world, referral)
    message = TextMessage.objects.get()
    response = receipt(Client(), message, "permanent-failure", token=token)
    assert response.status_code == 401
    message.refresh_from_db()
    assert message.status == TextStatus.CREATED


def test_a_receipt_for_a_text_linkwork_did_not_send_is_ignored(fake_notify):
    stranger = TextMessage(notification_id=uuid.uuid4(), reference=uuid.uuid4())
    response = receipt(Client(), stranger, "delivered")
    assert response.status_code == 200 and response.json() == {"result": "ignored"}


def test_a_receipt_that_is_not_a_receipt_is_a_400(fake_notify):
    response = Client().post(
        "/notify/callbacks/",
        "not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {CALLBACK_TOKEN}"},
    )
    assert response.status_code == 400


def test_no_callback_token_configured_refuses_every_receipt(fake_notify, settings):
    settings.NOTIFY_CALLBACK_TOKEN = ""
    stranger = TextMessage(notification_id=uuid.uuid4(), reference=uuid.uuid4())
    assert receipt(Client(), stranger, "delivered", token="").status_code == 401


def test_the_token_is_not_kept(world, fake_notify):
    referral = texted_person(world)
    _, token = feedback.ask_for_feedback(referral=referral, by=world.link_worker.user)
    assert token and token not in str(FeedbackRequest.objects.values().get())


def test_short_links_are_redacted_from_logs_and_the_access_log():
    from linkwork.gunicorn_conf import SECRET_PATHS
    from linkwork.middleware import ONE_USE_LINK_PREFIXES

    for path, shown in (("/f/abcDEF-123_xyz", "/f/[token]"), ("/q/abcDEF-123_xyz", "/q/[token]")):
        line = (f"GET {path} HTTP/1.1", "200")
        record = logging.getLogger("django.server").makeRecord(
            "django.server", logging.INFO, __file__, 1, '"%s" %s', line, None
        )
        assert record.getMessage() == f'"GET {shown} HTTP/1.1" 200'
    assert {"/f/", "/q/"} <= set(SECRET_PATHS) & set(ONE_USE_LINK_PREFIXES)


def test_retention_leaves_nothing_of_a_text_and_its_short_link_stops_working(
    world, fake_notify, settings
):
    """apply-retention clears texts on the emails' schedule: a text row never held the
    number or the words (so nothing of either is left once the person is erased), the
    person's number goes, and the short link it carried opens nothing."""
    settings.SITE_URL = "https://linkwork.example.org"
    referral = texted_person(world)
    close(world, referral)
    token = SHORT_LINK.fullmatch(fake_notify.texts[0]["json"]["personalisation"]["link"])[1]
    long_ago = timezone.now() - dt.timedelta(days=365 * (settings.RETENTION_YEARS + 1))
    Referral.objects.filter(pk=referral.pk).update(closed_at=long_ago, received_at=long_ago)

    call_command("apply-retention")

    referral.person.refresh_from_db()
    assert "900123" not in referral.person.phone
    kept = str(list(TextMessage.objects.values()))
    assert TextMessage.objects.count() == 1  # that a text went, for the counts
    for personal in ("900123", token, "Pat", "Community Links"):
        assert personal not in kept
    assert Client().get(f"/f/{token}").status_code in (404, 410)

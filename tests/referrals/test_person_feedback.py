"""The person's feedback at closure: a link that works once, without signing in, sent by
email when they agreed to it; the rating reaches the referrer, the comment stays with
the link workers; the token is kept nowhere but in the email."""

import datetime as dt
import hashlib
import logging
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linkwork.audit.models import AuditEvent
from linkwork.referrals import feedback, services
from linkwork.referrals.models import FeedbackRequest
from tests.referrals.test_casework_pages import (
    accepted,
    case_url,
    contacted,
    html,
    shows_problem,
)

pytestmark = pytest.mark.django_db

EMAIL = "pat.holden@example.com"
COMMENT = "The walking group got me out of the house. Jo was kind about Jim."


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def in_progress(world, *, email: str = EMAIL, methods=("phone", "email")):
    referral = contacted(world, email=email)
    referral.consent_contact_methods = ",".join(methods)
    referral.save(update_fields=["consent_contact_methods"])
    services.transition_referral(referral=referral, to="in_progress", by=world.link_worker.user)
    return referral


def close(world, referral) -> None:
    response = world.link_worker.post(
        case_url(referral, "casework-transition"),
        {"to": "closed", "summary": "Walking weekly; feels better."},
    )
    assert response.status_code == 302


def token_from(mailoutbox) -> str:
    (message,) = [m for m in mailoutbox if m.to == [EMAIL]]
    return re.search(r"/feedback/([\w-]+)/", message.body).group(1)


@pytest.fixture
def link(world, mailoutbox):
    """A closed referral whose person was emailed a feedback link: (referral, token)."""
    referral = in_progress(world)
    close(world, referral)
    return referral, token_from(mailoutbox)


def feedback_url(token: str) -> str:
    return reverse("person-feedback", args=[token])


# --- Asking ------------------------------------------------------------------------------


def test_closing_emails_the_person_a_link_that_works_once_for_30_days(world, mailoutbox, settings):
    settings.SITE_URL = "https://linkwork.example.org"
    referral = in_progress(world)
    close(world, referral)
    (message,) = [m for m in mailoutbox if m.to == [EMAIL]]
    assert "https://linkwork.example.org/feedback/" in message.body
    assert "Community Links" in message.subject
    assert "Pat" not in message.body + message.subject  # nothing personal in the email
    token = token_from(mailoutbox)
    request = FeedbackRequest.objects.get(referral=referral)
    assert request.digest == hashlib.sha256(token.encode()).hexdigest()
    assert request.sent_at is not None and request.state == "waiting"
    assert request.expires_at - request.sent_at == dt.timedelta(days=30)


def test_the_token_is_kept_nowhere_but_the_email(world, link):
    referral, token = link
    stored = FeedbackRequest.objects.filter(referral=referral).values().get()
    assert token not in str(stored)
    events = list(AuditEvent.objects.values_list("summary", "object_id", "action"))
    assert token not in str(events)
    assert AuditEvent.objects.filter(
        action="feedback_link_sent", object_id=str(referral.pk)
    ).exists()


def test_the_link_lasts_as_long_as_the_setting_says(world, mailoutbox, settings):
    settings.FEEDBACK_LINK_DAYS = 7
    referral = in_progress(world)
    close(world, referral)
    request = FeedbackRequest.objects.get(referral=referral)
    assert request.expires_at - request.sent_at == dt.timedelta(days=7)


@pytest.mark.parametrize(
    ("email", "methods", "reason", "shown"),
    [
        ("", ("phone", "email"), "no_email", "they have no email address"),
        (EMAIL, ("phone",), "no_consent", "they have not agreed to be contacted by email"),
    ],
)
def test_no_link_is_sent_without_an_email_address_or_consent_and_the_page_says_so(
    world, mailoutbox, email, methods, reason, shown
):
    referral = in_progress(world, email=email, methods=methods)
    close(world, referral)
    assert not [m for m in mailoutbox if m.to == [EMAIL]]
    request = FeedbackRequest.objects.get(referral=referral)
    assert request.digest is None and request.sent_at is None
    assert request.not_sent_reason == reason and request.state == "not_sent"
    page = html(world.link_worker.get(case_url(referral)))
    assert f"No feedback link was sent: {shown}" in page.replace("&#39;", "'")
    assert AuditEvent.objects.filter(
        action="feedback_link_not_sent", summary=f"reason={reason}"
    ).exists()


def test_the_person_is_asked_once(world, link):
    referral, _ = link
    again, token = feedback.ask_for_feedback(referral=referral, by=world.link_worker.user)
    assert token == "" and FeedbackRequest.objects.count() == 1
    assert again.sent_at is not None


def test_declined_referrals_ask_for_no_feedback(world, mailoutbox):
    referral = accepted(world, email=EMAIL)
    services.transition_referral(
        referral=referral, to="declined", reason="Beyond us.", by=world.link_worker.user
    )
    assert not FeedbackRequest.objects.exists()
    assert not [m for m in mailoutbox if m.to == [EMAIL]]


# --- The public page ---------------------------------------------------------------------


def test_the_link_opens_a_form_without_signing_in(world, link):
    _, token = link
    response = Client().get(feedback_url(token))
    assert response.status_code == 200
    page = html(response)
    assert "How helpful was the support?" in page and "Community Links" in page
    for n in range(1, 6):
        assert f'value="{n}"' in page
    assert "Pat" not in page and "Holden" not in page  # a forwarded link tells nothing
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "strict-origin"  # the origin only, not the token


def test_the_person_rates_the_support_and_comments(world, link):
    referral, token = link
    response = Client().post(feedback_url(token), {"rating": "4", "comment": COMMENT})
    assert response.status_code == 302
    assert response["Location"] == reverse("person-feedback-thanks")
    request = FeedbackRequest.objects.get(referral=referral)
    assert (request.rating, request.comment, request.state) == (4, COMMENT, "answered")
    thanks = Client().get(response["Location"])
    assert "Thank you for your feedback" in html(thanks)
    event = AuditEvent.objects.get(action="feedback_given")
    assert event.object_id == str(referral.pk) and event.summary == "rating=4"
    assert event.actor_id is None
    assert "walking" not in str(list(AuditEvent.objects.values_list("summary", flat=True)))


def test_a_used_link_is_gone_and_changes_nothing(world, link):
    referral, token = link
    Client().post(feedback_url(token), {"rating": "5"})
    again = Client().get(feedback_url(token))
    assert again.status_code == 410
    assert "You have already given your feedback" in html(again)
    resent = Client().post(feedback_url(token), {"rating": "1", "comment": "Changed my mind"})
    assert resent.status_code == 410
    request = FeedbackRequest.objects.get(referral=referral)
    assert (request.rating, request.comment) == (5, "")
    assert AuditEvent.objects.filter(action="feedback_given").count() == 1


def test_an_expired_link_is_gone_and_writes_nothing(world, link):
    referral, token = link
    FeedbackRequest.objects.filter(referral=referral).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    response = Client().get(feedback_url(token))
    assert response.status_code == 410 and "This link has expired" in html(response)
    posted = Client().post(feedback_url(token), {"rating": "3"})
    assert posted.status_code == 410
    assert FeedbackRequest.objects.get(referral=referral).rating is None
    assert not AuditEvent.objects.filter(action="feedback_given").exists()


def test_an_unknown_link_is_not_found(world, link):
    response = Client().get(feedback_url("not-a-real-token"))
    assert response.status_code == 404
    assert "We cannot find this link" in html(response)
    posted = Client().post(feedback_url("not-a-real-token"), {"rating": "3"})
    assert posted.status_code == 404
    assert FeedbackRequest.objects.get().rating is None


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"comment": "Good"}, "rating", "Choose how helpful the support was, from 1 to 5."),
        ({"rating": "0"}, "rating", "Choose how helpful the support was, from 1 to 5."),
        ({"rating": "6"}, "rating", "Choose how helpful the support was, from 1 to 5."),
        ({"rating": "four"}, "rating", "Choose how helpful the support was, from 1 to 5."),
        (
            {"rating": "4", "comment": "x" * 1001},
            "comment",
            "Your comment must be 1,000 characters or fewer.",
        ),
    ],
)
def test_bad_answers_are_shown_with_an_error_summary_and_nothing_is_stored(
    world, link, body, field, message
):
    referral, token = link
    response = Client().post(feedback_url(token), body)
    assert response.status_code == 200
    page = html(response)
    assert "nhsuk-error-summary" in page and message in page
    assert f'href="#id_{field}"' in page
    assert "<title>Error:" in page
    request = FeedbackRequest.objects.get(referral=referral)
    assert request.answered_at is None and request.rating is None
    assert Client().get(feedback_url(token)).status_code == 200  # the link still works


def test_a_comment_of_exactly_the_limit_is_kept(world, link):
    referral, token = link
    Client().post(feedback_url(token), {"rating": "2", "comment": "y" * 1000})
    assert len(FeedbackRequest.objects.get(referral=referral).comment) == 1000


def test_answers_need_the_forms_csrf_token(world, link):
    _, token = link
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(feedback_url(token), {"rating": "4"}).status_code == 403
    assert FeedbackRequest.objects.get().rating is None


def test_guessing_links_is_rate_limited(world, link, settings):
    settings.FEEDBACK_LIMIT_PER_HOUR = 2
    client = Client()
    assert client.get(feedback_url("guess-1")).status_code == 404
    assert client.get(feedback_url("guess-2")).status_code == 404
    assert client.get(feedback_url("guess-3")).status_code == 429


def test_the_service_refuses_two_answers_and_bad_ratings(world, link):
    referral, token = link
    request = FeedbackRequest.objects.get(referral=referral)
    for rating in (0, 6, True, None, "4"):
        with pytest.raises(feedback.InvalidInput):
            feedback.record_feedback(feedback_request=request, rating=rating, by=None)
    feedback.give_feedback(token=token, rating=4)
    with pytest.raises(feedback.FeedbackLinkGone):
        # A second answer sent at the same moment, from a request read before the first.
        feedback.record_feedback(feedback_request=request, rating=1, by=None)
    assert FeedbackRequest.objects.get(pk=request.pk).rating == 4


# --- Logs --------------------------------------------------------------------------------


def test_the_token_never_reaches_the_logs(world, link, caplog):
    _, token = link
    caplog.set_level(logging.INFO)
    client = Client()
    client.get(feedback_url(token))
    client.post(feedback_url(token), {"rating": "9"})
    client.post(feedback_url(token), {"rating": "4", "comment": COMMENT})
    client.get(feedback_url(token))  # 410: logged by django.request
    client.get(feedback_url(token + "x"))  # 404: logged by django.request
    assert caplog.records, "the 404 and 410 answers are logged"
    assert token not in caplog.text
    assert "/feedback/[token]" in caplog.text
    assert COMMENT not in caplog.text


def test_runserver_request_lines_are_redacted():
    record = logging.getLogger("django.server").makeRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /feedback/abcDEF-123_xyz/ HTTP/1.1", "200", "4242"),
        None,
    )
    assert record.getMessage() == '"GET /feedback/[token]/ HTTP/1.1" 200 4242'
    thanks = logging.getLogger("django.server").makeRecord(
        "django.server", logging.INFO, __file__, 1, "GET /feedback/thank-you/", (), None
    )
    assert thanks.getMessage() == "GET /feedback/thank-you/"


def test_a_refused_csrf_check_logs_no_token(world, link, caplog):
    _, token = link
    caplog.set_level(logging.INFO)
    Client(enforce_csrf_checks=True).post(feedback_url(token), {"rating": "4"})
    assert "django.security.csrf" in {r.name for r in caplog.records}
    assert token not in caplog.text


# --- Who sees what -----------------------------------------------------------------------


def test_the_link_worker_sees_the_rating_and_the_comment(world, link):
    referral, token = link
    page = html(world.link_worker.get(case_url(referral)))
    assert "No answer yet" in page
    Client().post(feedback_url(token), {"rating": "4", "comment": COMMENT})
    page = html(world.link_worker.get(case_url(referral)))
    assert "4 out of 5: Helpful" in page and COMMENT in page
    body = world.link_worker.get(f"/api/v1/referrals/{referral.pk}").json()
    assert body["person_feedback"]["rating"] == 4
    assert body["person_feedback"]["comment"] == COMMENT
    assert body["person_feedback"]["state"] == "answered"


def test_the_referrer_sees_the_rating_but_never_the_comment(world, link):
    referral, token = link
    status = html(world.gp.get(reverse("referral-status", args=[referral.pk])))
    assert "has been asked how helpful the support was" in status
    Client().post(feedback_url(token), {"rating": "4", "comment": COMMENT})
    status = html(world.gp.get(reverse("referral-status", args=[referral.pk])))
    assert "4 out of 5" in status and "(helpful)" in status
    assert COMMENT not in status
    body = world.gp.get(f"/api/v1/referrals/{referral.pk}").json()
    assert body["closure"]["person_feedback"] == {"link_sent": True, "rating": 4}
    assert body["person_feedback"] is None
    assert COMMENT not in str(body)
    listed = world.gp.get("/api/v1/referrals").json()
    assert COMMENT not in str(listed)


def test_an_expired_link_is_shown_to_the_link_worker(world, link):
    referral, _ = link
    FeedbackRequest.objects.filter(referral=referral).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    page = html(world.link_worker.get(case_url(referral)))
    assert "without an answer" in page


def test_reading_the_referral_list_does_not_cost_a_query_per_feedback(world, mailoutbox):
    from django.db import connection as db_connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(db_connection) as captured:
            assert world.gp.get("/api/v1/referrals").status_code == 200
        return len(captured)

    close(world, in_progress(world))
    few = queries()
    for n in range(4):
        close(world, in_progress(world, email=f"p{n}@example.com"))
    assert FeedbackRequest.objects.count() == 5
    assert queries() == few


def test_a_closing_refused_for_want_of_a_summary_asks_nothing(world, mailoutbox):
    referral = in_progress(world)
    response = world.link_worker.post(
        case_url(referral, "casework-transition"), {"to": "closed", "summary": ""}
    )
    assert shows_problem(response)
    assert not FeedbackRequest.objects.exists()
    assert not [m for m in mailoutbox if m.to == [EMAIL]]

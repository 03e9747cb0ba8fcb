"""The easy-read self-referral and feedback pages (issue 18, item 4): linked from the
standard pages, the same checks and the same referral or answer, in short sentences."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from linkwork.referrals.models import FeedbackRequest, Referral
from tests.referrals.test_casework_pages import html
from tests.referrals.test_person_feedback import link  # noqa: F401 (fixture)
from tests.referrals.test_self_referral import FORM, service  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

EASY = "/self-referral/easy-read/"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def send_easy(client: Client, **changes):
    form = client.get(EASY).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', form).group(1)
    data = {**FORM, "idempotency_key": key, **changes}
    return client.post(EASY, {k: v for k, v in data.items() if v is not None})


def test_the_standard_form_links_to_easy_read_and_back(client, service):  # noqa: F811
    assert f'href="{EASY}">Easy read</a>' in client.get("/self-referral/").content.decode()
    page = client.get(EASY).content.decode()
    assert 'href="/self-referral/">Standard version of this form</a>' in page
    assert "<h1>Ask for a link worker</h1>" in page
    assert "It is free." in page and "Your first name" in page
    assert "linkwork/img/easy-read/welcome" in page  # pictures beside the words
    assert "Pictures: OpenMoji, CC BY-SA 4.0" in page


def test_an_easy_read_self_referral_makes_the_same_referral(client, service):  # noqa: F811
    response = send_easy(client, email="alex@example.com", consent_contact_methods=["text"])
    assert response.status_code == 302 and response["Location"] == "/self-referral/sent/"
    referral = Referral.objects.get()
    person = referral.person
    assert (person.given_name, person.family_name, str(person.birth_date)) == (
        "Alex",
        "Rahman",
        "1990-11-02",
    )
    assert (person.phone, person.email, person.language) == (
        "07700 900456",
        "alex@example.com",
        "ur",
    )
    assert person.interpreter_needed and person.preferred_contact_method == "text"
    assert referral.source == "self" and referral.service == service
    assert referral.consent_to_refer and referral.consent_contact_methods == "text"
    assert referral.notes == "Evenings are best."
    assert list(referral.reasons.values_list("code", flat=True)) == ["need-money-debt"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"given_name": ""}, "given_name", "Enter your first name."),
        ({"birth_date_year": "2990"}, "birth_date_day", "The date of birth must be in the past."),
        ({"phone": ""}, "phone", "Enter a phone number or an email address."),
        ({"reasons": None}, "reasons", "Select at least one thing."),
        ({"consent_to_refer": None}, "consent_to_refer", "Confirm that you agree to be referred."),
    ],
)
def test_easy_read_mistakes_are_shown_and_nothing_is_saved(
    client,
    service,  # noqa: F811
    changes,
    field,
    message,
):
    response = send_easy(client, **changes)
    assert response.status_code == 200
    page = html(response)
    assert "nhsuk-error-summary" in page and message in page
    assert f'href="#id_{field}' in page
    assert "<title>Error: Ask for a link worker (easy read)" in page
    assert not Referral.objects.exists()


def test_the_easy_read_honeypot_saves_nothing(client, service):  # noqa: F811
    assert send_easy(client, website="http://spam.example").status_code == 302
    assert not Referral.objects.exists()


def test_the_easy_read_form_in_welsh(client, service):  # noqa: F811
    page = client.get(EASY + "?lang=cy").content.decode()
    assert "<h1>Gofyn am weithiwr cyswllt</h1>" in page
    assert "Mae am ddim." in page


# --- Feedback ---------------------------------------------------------------------------


def easy_feedback_url(token: str) -> str:
    return reverse("person-feedback-easy-read", args=[token])


def test_the_feedback_page_links_to_easy_read_and_back(world, link):  # noqa: F811
    _, token = link
    standard = html(Client().get(reverse("person-feedback", args=[token])))
    assert f'href="{easy_feedback_url(token)}">Easy read</a>' in standard
    response = Client().get(easy_feedback_url(token))
    assert response.status_code == 200
    page = html(response)
    assert f'href="{reverse("person-feedback", args=[token])}">Standard version' in page
    assert "Please tell us how it went." in page and "Community Links" in page
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "strict-origin"


def test_easy_read_feedback_is_recorded_once(world, link):  # noqa: F811
    referral, token = link
    response = Client().post(easy_feedback_url(token), {"rating": "5", "comment": "Lovely."})
    assert response.status_code == 302
    assert response["Location"] == reverse("person-feedback-thanks")
    request = FeedbackRequest.objects.get(referral=referral)
    assert (request.rating, request.comment, request.state) == (5, "Lovely.", "answered")
    assert Client().get(easy_feedback_url(token)).status_code == 410


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"comment": "Good"}, "rating", "Choose how helpful the support was, from 1 to 5."),
        (
            {"rating": "4", "comment": "x" * 1001},
            "comment",
            "Your comment must be 1,000 characters or fewer.",
        ),
    ],
)
def test_easy_read_feedback_mistakes_store_nothing(world, link, body, field, message):  # noqa: F811
    referral, token = link
    response = Client().post(easy_feedback_url(token), body)
    assert response.status_code == 200
    page = html(response)
    assert message in page and f'href="#id_{field}"' in page
    assert FeedbackRequest.objects.get(referral=referral).rating is None


def test_an_unknown_easy_read_feedback_link_is_not_found(world, link):  # noqa: F811
    assert Client().get(easy_feedback_url("not-a-real-token")).status_code == 404

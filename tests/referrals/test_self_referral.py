"""The public self-referral form: no account, a honeypot, a rate limit per address."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from linkwork.accounts.roles import Role
from linkwork.directory.models import OrganisationKind
from linkwork.directory.services import load_default_taxonomy
from linkwork.referrals.models import Person, Referral
from tests.factories import OrganisationFactory, PostcodeFactory, user_with_role

pytestmark = pytest.mark.django_db

FORM = {
    "given_name": "Alex",
    "family_name": "Rahman",
    "birth_date_day": "2",
    "birth_date_month": "11",
    "birth_date_year": "1990",
    "postcode": "BL2 6LT",
    "phone": "07700 900456",
    "preferred_contact_method": "text",
    "language": "ur",
    "interpreter_needed": "on",
    "reasons": ["need-money-debt"],
    "notes": "Evenings are best.",
    "consent_to_refer": "on",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def service(db):
    """A deployment with one social prescribing service."""
    load_default_taxonomy(by=None)
    PostcodeFactory(postcode="BL2 6LT", latitude=53.5837, longitude=-2.3803)
    return OrganisationFactory(
        name="Community Links", kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE
    )


def send(client: Client, address: str = "203.0.113.7", **changes):
    form = client.get("/self-referral/", REMOTE_ADDR=address).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', form).group(1)
    data = {**FORM, "idempotency_key": key, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    return client.post("/self-referral/", data, REMOTE_ADDR=address)


def test_someone_refers_themselves_without_an_account(client, service):
    response = send(client)
    assert response.status_code == 302 and response["Location"] == "/self-referral/sent/"
    referral = Referral.objects.get()
    assert referral.source == "self" and referral.service == service
    assert referral.referrer is None and referral.referrer_organisation is None
    assert referral.consent_to_refer and referral.consent_recorded_by is None
    assert referral.person.language == "ur" and referral.person.interpreter_needed
    sent = client.get(response["Location"]).content.decode()
    assert "Your request has been sent" in sent
    assert "within 5 working days" in sent


def test_signed_in_people_refer_themselves_without_becoming_the_referrer(service):
    resident = Client()
    resident.force_login(user_with_role(Role.RESIDENT))
    assert 'href="/self-referral/"' in resident.get("/resident/").content.decode()
    assert send(resident).status_code == 302
    assert Referral.objects.get().referrer is None


def test_the_honeypot_pretends_success_and_saves_nothing(client, service):
    html = client.get("/self-referral/").content.decode()
    honeypot = re.search(r'<div class="nhsuk-form-group"[^>]*>\s*<label[^>]*for="website"', html)
    assert honeypot and "hidden" in honeypot.group(0) and 'aria-hidden="true"' in honeypot.group(0)
    response = send(client, website="https://cheap-pills.example")
    assert response.status_code == 302 and response["Location"] == "/self-referral/sent/"
    assert not Referral.objects.exists() and not Person.objects.exists()


def test_the_sixth_submission_in_an_hour_from_one_address_gets_429(client, service, settings):
    assert settings.SELF_REFERRAL_LIMIT_PER_HOUR == 5
    for n in range(5):
        assert send(client, given_name=f"Person{n}").status_code == 302
    response = send(client, given_name="Sixth")
    assert response.status_code == 429
    assert "Please try again later" in response.content.decode()
    assert Referral.objects.count() == 5
    # Someone else, at another address, is not held up.
    assert send(Client(), address="198.51.100.4", given_name="Other").status_code == 302


def test_the_limit_is_a_setting(client, service, settings):
    settings.SELF_REFERRAL_LIMIT_PER_HOUR = 1
    assert send(client).status_code == 302
    assert send(client, given_name="Again").status_code == 429


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"consent_to_refer": None}, "id_consent_to_refer", "Confirm that you agree"),
        ({"reasons": None}, "id_reasons", "Select at least one thing"),
        ({"phone": ""}, "id_phone", "Enter a phone number or an email address"),
        ({"given_name": ""}, "id_given_name", "Enter your first name"),
        ({"birth_date_year": "2099"}, "id_birth_date_day", "must be in the past"),
        ({"nhs_number": "1234567890"}, "id_nhs_number", "not a valid NHS number"),
        ({"postcode": "ZZ9 9ZZ"}, "id_postcode", "ZZ9 9ZZ is outside the area"),
    ],
)
def test_bad_input_shows_the_error_summary_and_saves_nothing(
    client, service, changes, field_id, message
):
    response = send(client, **changes)
    html = response.content.decode()
    assert response.status_code == 200
    summary = html[html.index("nhsuk-error-summary") : html.index("<h1>")]
    assert f'href="#{field_id}"' in summary and message in summary
    assert not Referral.objects.exists() and not Person.objects.exists()


def test_a_double_submitted_form_makes_one_referral(client, service):
    form = client.get("/self-referral/").content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', form).group(1)
    client.post("/self-referral/", {**FORM, "idempotency_key": key})
    client.post("/self-referral/", {**FORM, "idempotency_key": key})
    assert Referral.objects.count() == 1


def test_with_several_services_the_person_chooses_one(client, service):
    OrganisationFactory(name="Elsewhere Links", kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE)
    html = client.get("/self-referral/").content.decode()
    assert "Which social prescribing service is nearest to you?" in html
    missing = send(client).content.decode()
    assert 'href="#id_service"' in missing
    assert send(client, service=str(service.pk)).status_code == 302
    assert Referral.objects.get().service == service


def test_without_any_service_the_page_says_so(client, db):
    html = client.get("/self-referral/").content.decode()
    assert "You cannot refer yourself online here yet" in html
    assert client.post("/self-referral/", FORM).status_code == 200
    assert not Referral.objects.exists()

"""Saying what is missing: the public form, a link worker on someone's behalf, consent,
bad input, robots and the rate limit."""

import pytest

from linkwork.accounts.roles import Role
from linkwork.audit.models import AuditEvent
from linkwork.community import services
from linkwork.community.models import Interest, InterestStatus
from linkwork.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db

URL = "/interests/new/"


def answers(**overrides) -> dict:
    return {
        "activity": "activity-arts-crafts",
        "description": "A daytime craft group",
        "community_of_interest": "women",
        "postcode": "bl26lt",
        **overrides,
    }


def test_a_resident_without_an_account_says_what_is_missing(anonymous, place):
    page = anonymous.get(URL)
    assert page.status_code == 200
    assert "Tell us what is missing" in page.content.decode()
    response = anonymous.post(URL, answers())
    assert response.status_code == 302 and response["Location"] == "/interests/sent/"
    interest = Interest.objects.get()
    assert interest.activity == place.crafts
    assert (interest.postcode, interest.lsoa, interest.neighbourhood) == (
        "BL2 6LT",
        place.tonge_lsoa,
        place.tonge,
    )
    assert interest.community_of_interest == "women"
    assert interest.recorded_on_behalf == "self" and interest.recorded_by is None
    assert interest.consent_to_contact is False and interest.contact_detail == ""
    assert AuditEvent.objects.filter(action="interest_registered").count() == 1
    sent = anonymous.get(response["Location"]).content.decode()
    assert "we have noted what is missing" in sent


def test_contact_details_are_kept_only_with_consent(anonymous, place):
    anonymous.post(URL, answers(contact_method="email", contact_detail="pat@example.com"))
    assert Interest.objects.get().contact_detail == ""
    anonymous.post(
        URL,
        answers(
            consent_to_contact="on",
            contact_by="either",
            contact_method="email",
            contact_detail="pat@example.com",
            contact_times="mornings",
        ),
    )
    consented = Interest.objects.get(consent_to_contact=True)
    assert (consented.contact_detail, consented.contact_times) == ("pat@example.com", "mornings")
    assert consented.consented_at is not None


def test_consent_without_a_way_to_contact_is_refused_naming_each_field(anonymous, place):
    response = anonymous.post(URL, answers(consent_to_contact="on", contact_method="phone"))
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Say who may contact you." in page
    assert "Enter the phone number or email address to contact you on." in page
    assert not Interest.objects.exists()
    response = anonymous.post(
        URL,
        answers(
            consent_to_contact="on",
            contact_by="either",
            contact_method="email",
            contact_detail="not an email",
        ),
    )
    assert "Enter an email address in the correct format" in response.content.decode()
    response = anonymous.post(
        URL,
        answers(
            consent_to_contact="on",
            contact_by="either",
            contact_method="text",
            contact_detail="12345",
        ),
    )
    assert "Enter a UK phone number" in response.content.decode()
    assert not Interest.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"activity": "", "description": ""}, "Choose an activity, or describe what you would"),
        ({"activity": "need-debt"}, "Select a valid choice"),
        ({"postcode": "", "neighbourhood": ""}, "Enter your postcode, or choose your area"),
        ({"postcode": "BL99 ZZZ9"}, "is not a valid UK postcode"),
        ({"postcode": "M1 1AE"}, "M1 1AE is outside the area"),
        ({"postcode": "", "neighbourhood": "NOPE"}, "Select a valid choice"),
        ({"description": "x" * 1001}, "must be 1000 characters or fewer"),
    ],
)
def test_bad_answers_are_shown_on_the_form_and_nothing_is_saved(anonymous, place, changes, message):
    response = anonymous.post(URL, answers(**changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert page.count("Error: Tell us what is missing") == 1
    assert not Interest.objects.exists()


def test_an_area_can_be_chosen_instead_of_a_postcode(anonymous, place):
    anonymous.post(URL, answers(postcode="", neighbourhood="BOL-NBH-02", activity=""))
    interest = Interest.objects.get()
    assert (interest.neighbourhood, interest.lsoa, interest.activity) == (place.lever, None, None)


def test_a_robot_filling_the_hidden_box_sees_success_and_saves_nothing(anonymous, place):
    response = anonymous.post(URL, answers(website="http://spam.example"))
    assert response["Location"] == "/interests/sent/"
    assert not Interest.objects.exists()


def test_too_many_answers_from_one_address_are_turned_away(anonymous, place, settings):
    settings.INTEREST_LIMIT_PER_HOUR = 2
    for _ in range(2):
        assert anonymous.post(URL, answers()).status_code == 302
    response = anonymous.post(URL, answers())
    assert response.status_code == 429
    assert "Please try again later" in response.content.decode()
    assert Interest.objects.count() == 2


def test_a_link_worker_records_an_interest_on_someones_behalf(persona, place):
    client = persona(Role.LINK_WORKER)
    page = client.get(URL).content.decode()
    assert "Record what someone would join" in page
    refused = client.post(URL, answers())
    assert "Confirm that the person agreed to this." in refused.content.decode()
    assert not Interest.objects.exists()
    client.post(URL, answers(person_agreed="on"))
    interest = Interest.objects.get()
    assert interest.recorded_on_behalf == "link_worker"
    assert interest.recorded_by == client.user


def test_a_signed_in_resident_is_recorded_as_themselves(persona, place):
    client = persona(Role.RESIDENT)
    assert "Tell us what is missing" in client.get(URL).content.decode()
    client.post(URL, answers())
    interest = Interest.objects.get()
    assert (interest.recorded_on_behalf, interest.recorded_by) == ("self", client.user)


def test_closing_an_interest_stops_it_counting_and_cannot_happen_twice(place):
    interest = services.register_interest(
        activity_code="activity-walking", postcode="BL2 6LT", by=None
    )
    with pytest.raises(InvalidInput):
        services.close_interest(interest=interest, reason=" ", by=None)
    services.close_interest(interest=interest, reason="A group started", by=None)
    interest.refresh_from_db()
    assert interest.status == InterestStatus.CLOSED and interest.closed_reason == "A group started"
    with pytest.raises(Conflict):
        services.close_interest(interest=interest, reason="again", by=None)

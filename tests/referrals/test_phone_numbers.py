"""Phone numbers: the same check on the API as on the pages (referrals.people)."""

import pytest

from tests.referrals.conftest import REFERRAL


@pytest.mark.django_db
def test_the_api_refuses_a_bad_phone_number_naming_the_field(world):
    client = world.gp
    body = {**REFERRAL, "person": {**REFERRAL["person"], "phone": "12345"}}
    response = client.post("/api/v1/referrals", body, content_type="application/json")
    assert response.status_code == 422
    assert "person.phone" in response.content.decode()
    assert "Enter a phone number" in response.content.decode()


@pytest.mark.django_db
def test_a_phone_number_is_stored_written_one_way(world):
    from linkwork.referrals.models import Person

    body = {**REFERRAL, "person": {**REFERRAL["person"], "phone": "+447700900982"}}
    response = world.gp.post("/api/v1/referrals", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Person.objects.get().phone == "07700 900982"

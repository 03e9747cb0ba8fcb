"""The rules every /api/v1 input follows (linkwork/schemas.py): null in an optional field is
absent; unknown fields, NUL characters, invisible names, over-long text and a null for a
field that cannot be empty are each a 422 naming the field, with nothing written; a body
over the upload limit is a 413. Never a 500, on SQLite or PostgreSQL."""

import copy
import json

import pytest

from linkwork.directory.models import Asset
from linkwork.referrals.models import Referral
from tests.referrals.conftest import REFERRAL


def post(client, url: str, body, method: str = "post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def fields_named(response) -> list[str]:
    assert response.status_code == 422, (response.status_code, response.content[:300])
    return [error["field"] for error in response.json()["errors"]]


def referral(**changes) -> dict:
    body = copy.deepcopy(REFERRAL)
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        target = body
        for key in parents:
            target = target[key]
        target[leaf] = value
    return body


def service(world, **changes) -> dict:
    return {
        "organization_id": world.walk.organisation_id,
        "name": "Chair yoga",
        "description": "Gentle yoga, seated.",
        **changes,
    }


# --- null means absent -------------------------------------------------------------------


def test_null_in_an_optional_field_is_taken_as_absent(world):
    body = referral(
        person__nhs_number=None,
        person__phone=None,
        person__language=None,
        notes=None,
        urgency=None,
        service_id=None,
    )
    body["consent"]["contact_methods"] = None

    response = post(world.gp, "/api/v1/referrals", body)

    assert response.status_code == 201, response.content
    made = Referral.objects.select_related("person").get(pk=response.json()["id"])
    assert (made.person.nhs_number, made.person.phone, made.person.language) == ("", "", "en")
    assert (made.notes, made.urgency) == ("", "routine")


def test_null_for_a_required_field_is_still_refused(world):
    response = post(world.gp, "/api/v1/referrals", referral(person__given_name=None))

    assert fields_named(response) == ["person.given_name"]
    assert not Referral.objects.exists()


# --- unknown fields ----------------------------------------------------------------------


def test_a_service_with_fields_the_api_does_not_take_is_refused_not_half_saved(world):
    # Sessions are "schedules" in HSDS names; an unknown field inside one is refused too.
    body = service(world, schedules=[{"weekday": 1, "opens_at": "10:00"}])

    response = post(world.group, "/api/v1/services", body)

    assert fields_named(response) == ["schedules.0.weekday"]
    assert "nothing was saved" in response.json()["errors"][0]["message"]
    assert not Asset.objects.filter(name="Chair yoga").exists()


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/referrals", referral(person__nickname="Pat"), "person.nickname"),
        ("/api/v1/referrals", referral(consent__share_with_gp=True), "consent.share_with_gp"),
        ("/api/v1/referrals", referral(priority="high"), "priority"),
        ("/api/v1/instruments/swemwbs/score", {"answers": [3] * 7, "total": 21}, "total"),
    ],
)
def test_unknown_fields_are_a_422_naming_them(url, body, field, world):
    response = post(world.gp, url, body)

    assert fields_named(response) == [field]
    assert not Referral.objects.exists()


# --- PATCH: null for a field that cannot be empty ----------------------------------------


@pytest.mark.parametrize(
    "field",
    [
        "is_free",
        "borough_wide",
        "community_of_interest",
        "referral_form_url",
        "name",
        "description",
        "referral_method",
    ],
)
def test_patching_null_into_a_field_that_cannot_be_empty_is_a_422(field, world):
    before = Asset.objects.values().get(pk=world.walk.pk)

    response = post(world.group, f"/api/v1/services/{world.walk.pk}", {field: None}, "patch")

    assert fields_named(response) == [field]
    assert "Cannot be null" in response.json()["errors"][0]["message"]
    assert Asset.objects.values().get(pk=world.walk.pk) == before


def test_patching_leaves_out_fields_that_are_not_given(world):
    response = post(world.group, f"/api/v1/services/{world.walk.pk}", {"is_free": False}, "patch")

    assert response.status_code == 200
    world.walk.refresh_from_db()
    assert (world.walk.is_free, world.walk.name) == (False, "Health walk")


# --- NUL characters, invisible names, lengths --------------------------------------------


NUL = "Pat\u0000"


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/referrals", referral(person__given_name=NUL), "person.given_name"),
        ("/api/v1/referrals", referral(notes=NUL), "notes"),
        ("/api/v1/referrals", referral(person__access_needs=NUL), "person.access_needs"),
        ("/api/v1/referrals", referral(reasons=["need-loneliness", NUL]), "reasons"),
        ("/api/v1/instruments/swemwbs/score", {"answers": [NUL]}, "answers"),
    ],
)
def test_nul_characters_in_a_body_are_a_422(url, body, field, world):
    response = post(world.gp, url, body)

    assert fields_named(response) == [field]
    assert not Referral.objects.exists()


def test_nul_characters_in_a_service_are_a_422(world):
    created = post(world.group, "/api/v1/services", service(world, description=NUL))
    patched = post(world.group, f"/api/v1/services/{world.walk.pk}", {"name": NUL}, "patch")

    assert fields_named(created) == ["description"]
    assert fields_named(patched) == ["name"]
    world.walk.refresh_from_db()
    assert world.walk.name == "Health walk"


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/referrals", {"status": "received\u0000"}, "status"),
        ("/api/v1/connections", {"status": "\u0000"}, "status"),
        ("/api/v1/services", {"q": "walk\u0000"}, "q"),
        ("/api/v1/insight/gaps", {"area": "\u0000"}, "area"),
    ],
)
def test_nul_characters_in_a_query_are_a_422(url, params, field, world):
    assert fields_named(world.link_worker.get(url, params)) == [field]


@pytest.mark.parametrize("name", ["   ", "\u200b\u200b", "\ufeff", "\u00a0\u2060", "\u200d \t"])
def test_a_name_of_only_invisible_characters_is_refused(name, world):
    person = post(world.gp, "/api/v1/referrals", referral(person__family_name=name))
    listing = post(world.group, "/api/v1/services", service(world, name=name))

    assert fields_named(person) == ["person.family_name"]
    assert fields_named(listing) == ["name"]
    assert not Referral.objects.exists()
    assert not Asset.objects.filter(description="Gentle yoga, seated.").exists()


def test_names_in_any_script_are_accepted(world):
    body = referral(person__given_name="Zoë", person__family_name="Ó Briain-Ōtsuka")

    assert post(world.gp, "/api/v1/referrals", body).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (referral(notes="x" * 10_001), "notes"),
        (referral(person__given_name="x" * 101), "person.given_name"),
        (referral(person__access_needs="x" * 10_001), "person.access_needs"),
        (referral(reasons=["need-loneliness"] * 101), "reasons"),
    ],
)
def test_over_long_text_is_a_422_naming_the_field(body, field, world):
    assert fields_named(post(world.gp, "/api/v1/referrals", body)) == [field]


def test_free_text_up_to_its_limit_is_kept(world):
    response = post(world.gp, "/api/v1/referrals", referral(notes="x" * 10_000))

    assert response.status_code == 201
    assert len(Referral.objects.get().notes) == 10_000


# --- the request itself ------------------------------------------------------------------


def test_a_body_over_the_upload_limit_is_a_413_with_a_detail(world, settings):
    oversized = referral(notes="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))

    response = post(world.gp, "/api/v1/referrals", oversized)

    assert response.status_code == 413
    assert response.json()["detail"]
    assert not Referral.objects.exists()


def test_a_body_that_is_not_json_is_a_422(world):
    response = world.gp.post("/api/v1/referrals", "{not json", content_type="application/json")

    assert fields_named(response) == ["body"]


# --- no guessing at what a value meant (found by schemathesis) ---------------------------


@pytest.mark.parametrize(
    ("url", "method", "body", "field"),
    [
        ("/api/v1/services/{walk}/capacity", "put", {"status": "open", "places": False}, "places"),
        ("/api/v1/services/{walk}", "patch", {"maximum_age": True}, "maximum_age"),
        ("/api/v1/services/{walk}", "patch", {"is_free": 0}, "is_free"),
        ("/api/v1/services/{walk}", "patch", {"borough_wide": "yes"}, "borough_wide"),
    ],
)
def test_true_or_false_is_only_a_boolean(url, method, body, field, world):
    response = post(world.group, url.format(walk=world.walk.pk), body, method)

    assert fields_named(response) == [field]


@pytest.mark.parametrize("due_by", ["0", "1700000000", "2025-13-01", "tomorrow"])
def test_a_date_must_be_written_as_a_date(due_by, world):
    response = world.link_worker.get("/api/v1/follow-ups", {"due_by": due_by})

    assert fields_named(response) == ["due_by"]


def test_a_page_number_past_any_database_offset_is_a_422_not_a_500(world):
    response = world.link_worker.get("/api/v1/connections", {"page": str(10**25)})

    assert fields_named(response) == ["page"]


@pytest.mark.parametrize("places", [10**24, 2**31])
def test_a_number_too_large_for_the_database_is_a_422(places, world):
    url = f"/api/v1/services/{world.walk.pk}/capacity"

    response = post(world.group, url, {"status": "open", "places": places}, "put")

    assert fields_named(response) == ["places"]


def test_the_openapi_says_optional_fields_take_null(client, db):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    assert {"type": "null"} in schema["PersonIn"]["properties"]["nhs_number"]["anyOf"]
    assert "anyOf" not in schema["PersonIn"]["properties"]["given_name"]
    assert "anyOf" not in schema["ServicePatch"]["properties"]["is_free"]

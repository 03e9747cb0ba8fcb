"""The API's error shapes (DESIGN.md §9), exercised through its one handler module."""

import json

from django.test import RequestFactory
from ninja.errors import ValidationError

from linkwork import api as api_module
from linkwork.errors import Conflict, Forbidden, InvalidInput


def body(response) -> dict:
    return json.loads(response.content)


def request():
    return RequestFactory().post("/api/v1/anything")


def test_validation_errors_are_422_naming_each_field():
    error = ValidationError(
        [
            {"loc": ("body", "payload", "person", "birth_date"), "msg": "Invalid date"},
            {"loc": ("query", "within_km"), "msg": "Input should be a number"},
        ]
    )
    response = api_module.on_validation_error(request(), error)
    assert response.status_code == 422
    assert body(response)["errors"] == [
        {"field": "person.birth_date", "message": "Invalid date"},
        {"field": "within_km", "message": "Input should be a number"},
    ]


def test_domain_rule_errors_are_422_naming_each_field():
    response = api_module.on_invalid_input(
        request(), InvalidInput({"postcode": "Unknown postcode"})
    )
    assert response.status_code == 422
    assert body(response)["errors"] == [{"field": "postcode", "message": "Unknown postcode"}]


def test_conflicts_are_409_naming_the_current_state():
    response = api_module.on_conflict(
        request(), Conflict("Cannot close a received referral.", current_state="received")
    )
    assert response.status_code == 409
    assert body(response) == {
        "detail": "Cannot close a received referral.",
        "current_state": "received",
    }


def test_forbidden_is_403_and_not_found_is_404_without_detail_of_the_object():
    assert api_module.on_forbidden(request(), Forbidden()).status_code == 403
    response = api_module.on_missing_object(request(), Exception("Referral 7 of practice X"))
    assert response.status_code == 404
    assert body(response) == {"detail": "Not found."}


def test_openapi_schema_is_served(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in schema["paths"]

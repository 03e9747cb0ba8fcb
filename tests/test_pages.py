"""The page helpers every app shares (linkwork/pages.py) and the API's error bodies."""

import pytest
from django import forms
from django.test import RequestFactory

from linkwork.api import conflict_body, invalid_input_body
from linkwork.errors import Conflict, InvalidInput
from linkwork.pages import put_errors, refusal, safe_next


class NameForm(forms.Form):
    name = forms.CharField(required=False)


def _bound():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    return form


def test_a_services_errors_go_on_the_fields_they_name_or_above_the_form():
    form = _bound()
    put_errors(form, InvalidInput({"name": "Too short.", "elsewhere": "Not here."}))
    assert form.errors["name"] == ["Too short."]
    assert form.non_field_errors() == ["Not here."]


def test_a_forms_own_names_for_a_services_fields():
    form = _bound()
    put_errors(form, InvalidInput({"person.name": "Too short."}), field_for=lambda k: k[7:])
    assert form.errors["name"] == ["Too short."]


def test_a_conflict_goes_above_the_form():
    form = _bound()
    put_errors(form, Conflict("It is closed.", current_state="closed"))
    assert form.non_field_errors() == ["It is closed."]
    assert refusal(Conflict("It is closed.")) == "It is closed."
    assert refusal(InvalidInput({"a": "One.", "b": "Two."})) == "One. Two."


@pytest.mark.parametrize(
    ("asked", "went"),
    [
        ("/casework/?page=2", "/casework/?page=2"),
        ("https://evil.example/", "/home/"),
        ("//evil.example/", "/home/"),
        ("/\\evil.example/", "/home/"),
        ("", "/home/"),
    ],
)
def test_going_back_only_to_our_own_pages(asked, went):
    assert safe_next(RequestFactory().post("/", {"next": asked}), "/home/") == went
    assert safe_next(RequestFactory().get("/", {"next": asked}), "/home/") == went


def test_error_bodies():
    assert invalid_input_body({"to": "Unknown."}) == {
        "detail": "Invalid input.",
        "errors": [{"field": "to", "message": "Unknown."}],
    }
    conflict = Conflict("Full.", current_state="proposed", details={"alternatives": []})
    assert conflict_body(conflict) == {
        "detail": "Full.",
        "current_state": "proposed",
        "alternatives": [],
    }

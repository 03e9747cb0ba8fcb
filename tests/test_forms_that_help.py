"""Forms that help: phone numbers checked with `phonenumbers` the same way on pages and
in the API, and a character count on every text area."""

import pytest
from django.template import engines

from linkwork.validation import PHONE_MESSAGE, format_phone, phone_error


@pytest.mark.parametrize(
    "number",
    ["01204 333444", "0161 496 0000", "07700 900982", "+44 7700 900 982", "+33 1 23 45 67 89"],
)
def test_real_and_ofcom_example_numbers_are_accepted(number):
    assert phone_error(number) is None


@pytest.mark.parametrize("number", ["12345", "0120433", "call me", "07700 9009821234", "999"])
def test_numbers_that_cannot_be_dialled_are_refused_with_an_example(number):
    assert phone_error(number) == PHONE_MESSAGE
    assert "like 01632 960 001 or 07700 900 982" in PHONE_MESSAGE


def test_numbers_are_written_one_way():
    assert format_phone("+447700900982") == "07700 900982"
    assert format_phone("01204333444") == "01204 333444"
    assert phone_error("", required=True) == PHONE_MESSAGE and phone_error("") is None


def test_every_text_area_counts_its_characters():
    from django import forms

    class Note(forms.Form):
        short = forms.CharField(label="Short", max_length=300, widget=forms.Textarea)
        long = forms.CharField(label="Long", widget=forms.Textarea)

    template = engines["jinja2"].from_string(
        '{% from "_forms.jinja" import textarea_field %}'
        "{{ textarea_field(form.short) }}{{ textarea_field(form.long) }}"
    )
    html = template.render({"form": Note()})
    assert html.count("nhsuk-character-count") >= 2
    assert 'data-maxlength="300"' in html and 'data-maxlength="10000"' in html
    assert "You can enter up to 300 characters" in html


def test_too_long_text_is_named_in_govuk_words():
    from django import forms

    class Note(forms.Form):
        reason = forms.CharField(label="Why?", max_length=5, widget=forms.Textarea)

    form = Note({"reason": "far too long"})
    template = engines["jinja2"].from_string(
        '{% from "_forms.jinja" import error_summary, textarea_field %}'
        "{{ error_summary(form) }}{{ textarea_field(form.reason) }}"
    )
    html = template.render({"form": form})
    assert "Why must be 5 characters or fewer (you have 12)" in html
    assert "Ensure this value" not in html

"""The shared form macros: every error in the summary links to the field it is about."""

import re

from django import forms
from django.template import engines


class ContactForm(forms.Form):
    preferred = forms.ChoiceField(
        label="How should we contact you?",
        choices=[("phone", "Phone"), ("email", "Email")],
        widget=forms.RadioSelect,
    )
    ways = forms.MultipleChoiceField(
        label="Ways", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )
    name = forms.CharField(label="Name")


def test_error_summary_links_land_on_an_input_for_radios_checkboxes_and_text():
    form = ContactForm(data={})
    assert not form.is_valid()
    html = (
        engines["jinja2"]
        .from_string(
            '{% from "_forms.jinja" import error_summary, radio_field, multiple_choice_field,'
            " text_field %}{{ error_summary(form) }}{{ radio_field(form.preferred) }}"
            "{{ multiple_choice_field(form.ways) }}{{ text_field(form.name) }}"
        )
        .render({"form": form})
    )
    targets = re.findall(r"nhsuk-error-summary__list.*?</ul>", html, re.S)[0]
    hrefs = re.findall(r'href="#([^"]*)"', targets)
    assert len(hrefs) == 3
    for target in hrefs:
        assert target, "an error link must not point at '#'"
        assert f'id="{target}"' in html

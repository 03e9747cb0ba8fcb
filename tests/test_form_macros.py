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


class AssignForm(forms.Form):
    who = forms.ChoiceField(
        label="Assign to <me>",
        choices=[("", "Nobody"), ("1", "Ann & Bo"), ("2", 'Cy "Z"'), (3, "")],
    )


def _squeezed(html: str) -> str:
    """The HTML with layout whitespace gone: the macro's indentation is not markup."""
    html = re.sub(r"\s+", " ", html).strip()
    return re.sub(r"\s*([<>])\s*", r"\1", html)


def _both(form) -> tuple[str, str]:
    template = (
        '{% from "_forms.jinja" import select_field, select_field_plain %}'
        "{{ select_field(form['who']) }}|||{{ select_field_plain(form['who']) }}"
    )
    macro, plain = engines["jinja2"].from_string(template).render({"form": form}).split("|||")
    return _squeezed(macro), _squeezed(plain)


def test_the_plain_select_is_the_macros_html_so_they_cannot_drift():
    for selected in ("", "1", "2", "3"):
        macro, plain = _both(AssignForm(initial={"who": selected}, prefix="r5"))
        assert plain == macro, selected
        assert " selected>" in plain or selected == "", plain


def test_the_plain_select_with_an_error_is_the_macro_itself():
    form = AssignForm(data={"r5-who": "9"}, prefix="r5")
    assert not form.is_valid()
    macro, plain = _both(form)
    assert plain == macro
    assert "nhsuk-form-group--error" in plain

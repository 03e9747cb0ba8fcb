"""Forms of the outcomes pages: a questionnaire (radios per item), other outcomes, and
the questionnaire link. Scoring and the rules live in services; these only parse."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext

from linkwork.outcomes.instruments import Instrument
from linkwork.outcomes.models import OtherOutcomes, Timepoint
from linkwork.referrals.forms_referrer import DateField

YES_NO = [("", "Not recorded"), ("yes", "Yes"), ("no", "No")]


class QuestionnaireForm(forms.Form):
    """One radio group per item (`item_1`, `item_2`...). An item left unanswered makes the
    questionnaire incomplete (kept, never scored); answering nothing at all is an error.
    `wording` is each item's words ("" where licensed wording is not imported: the item
    is then shown by number). `goals` are the goal ladder's items."""

    def __init__(
        self,
        *args: Any,
        instrument: Instrument,
        wording: list[str],
        goals: list[str] | None = None,
        with_timepoint: bool = False,
        with_date: bool = False,
        require_an_answer: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.require_an_answer = require_an_answer
        choices = [(str(option.value), option.label) for option in instrument.options]
        labels = (
            goals
            if instrument.items_from_plan
            else [
                words or f"{item.label} (wording needs a licence: read it from your licensed copy)"
                for item, words in zip(instrument.items, wording, strict=True)
            ]
        )
        self.item_names = []
        for number, label in enumerate(labels or [], start=1):
            name = f"item_{number}"
            self.fields[name] = forms.ChoiceField(
                label=f"{number}. {label}",
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.item_names.append(name)
        if with_timepoint:
            self.fields["timepoint"] = forms.ChoiceField(
                label="When is this?",
                choices=Timepoint.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose baseline, follow-up or closure."},
            )
        if with_date:
            self.fields["completed_on"] = DateField(
                label="Date answered",
                required=False,
                help_text="Leave empty for today. For example, 27 3 2026.",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.require_an_answer and not any(data.get(name) for name in self.item_names):
            raise forms.ValidationError(gettext("Answer at least one question."))
        return data

    def answers(self) -> list[int | None]:
        return [
            int(self.cleaned_data[name]) if self.cleaned_data.get(name) else None
            for name in self.item_names
        ]

    def answered_on(self) -> dt.date | None:
        return self.cleaned_data.get("completed_on")

    def field_for(self, error_key: str) -> str | None:
        """The form field a service error names (`answers.2` is the third item)."""
        if error_key.startswith("answers."):
            name = f"item_{int(error_key.split('.')[1]) + 1}"
            return name if name in self.fields else None
        return error_key if error_key in self.fields else None


MONEY_LABELS = {
    "income_one_off": "Income gained: one-off payments (£)",
    "income_annual": "Income gained: a year, from ongoing benefits or earnings (£)",
    "debt_managed": "Debt brought under a repayment plan (£)",
    "debt_written_off": "Debt written off (£)",
    "grants_obtained": "Grants obtained (£)",
}
FLAG_LABELS = {
    "volunteering_started": "Started volunteering",
    "group_joined": "Joined a group",
    "group_started": "Started a group",
}
CONTACT_LABELS = {
    "gp_contacts_baseline": "GP contacts in the 3 months before the baseline",
    "gp_contacts_follow_up": "GP contacts in the 3 months before the follow-up",
    "ae_contacts_baseline": "A&E visits in the 3 months before the baseline",
    "ae_contacts_follow_up": "A&E visits in the 3 months before the follow-up",
}


class OtherOutcomesForm(forms.Form):
    """Each field may be left empty: not recorded, which is not the same as none."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in MONEY_LABELS.items():
            self.fields[name] = forms.CharField(label=label, required=False, max_length=20)
        for name, label in FLAG_LABELS.items():
            self.fields[name] = forms.ChoiceField(
                label=label, choices=YES_NO, required=False, widget=forms.RadioSelect
            )
        for name, label in CONTACT_LABELS.items():
            self.fields[name] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=999,
                error_messages={
                    "invalid": "Enter a whole number, like 2.",
                    "min_value": "Enter 0 or more.",
                },
            )

    @staticmethod
    def initial_from(outcomes: OtherOutcomes | None) -> dict[str, Any]:
        if outcomes is None:
            return {}
        initial: dict[str, Any] = {}
        for name in OtherOutcomes.PERSONAL_DATA_FIELDS:
            value = getattr(outcomes, name)
            if name in FLAG_LABELS:
                value = "" if value is None else ("yes" if value else "no")
            initial[name] = "" if value is None else value
        return initial

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {name: data.get(name) or None for name in MONEY_LABELS}
        values |= {
            name: None if not data.get(name) else data[name] == "yes" for name in FLAG_LABELS
        }
        values |= {name: data.get(name) for name in CONTACT_LABELS}
        return values


class LinkForm(forms.Form):
    instruments = forms.MultipleChoiceField(
        label="Questionnaires to send",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one questionnaire to send."},
    )
    email = forms.BooleanField(label="Email the link to the person", required=False)
    text = forms.BooleanField(label="Send the link by text message", required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instruments"].choices = choices

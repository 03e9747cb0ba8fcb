"""Page forms of the funding app. They parse what people type; the rules are the
services', whose InvalidInput errors come back onto these fields (`linkwork.pages.put_errors`)."""

from django import forms

from linkwork.funding.models import Round, SizeBand
from linkwork.referrals.forms_referrer import DateField

QUESTION_SLOTS = 6


def _money(label: str, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, max_length=20, required=required, help_text=help_text)


class FundingForm(forms.Form):
    # Where a service names a field this form calls something else.
    ERROR_FIELDS: dict[str, str] = {}

    def field_for(self, key: str) -> str:
        """The field a service's error names (put_errors reads this)."""
        return self.ERROR_FIELDS.get(key, key)


class RoundForm(FundingForm):
    name = forms.CharField(label="Name of the round", max_length=200)
    guidance = forms.CharField(
        label="Guidance for groups (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea,
        help_text="In plain words: who it is for, what it will pay for, when you will decide.",
    )
    pot = _money("The pot, in pounds", help_text="All the money this round can award.")
    max_award = _money("The most one group can be awarded, in pounds")
    opens = DateField(label="Opens")
    closes = DateField(label="Closes")
    priorities = forms.MultipleChoiceField(
        label="Priorities from the gap report", required=False, widget=forms.CheckboxSelectMultiple
    )
    panel = forms.ChoiceField(label="Who scores the applications", required=False)
    size_bands = forms.MultipleChoiceField(
        label="Sizes of group that may apply (none ticked: any size)",
        required=False,
        choices=SizeBand.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    unconstituted_allowed = forms.BooleanField(
        label="Unconstituted groups may apply, with a named organisation holding the money",
        required=False,
        initial=True,
    )
    ERROR_FIELDS = {"panel_id": "panel", "questions": "question_1"}

    def __init__(self, *args, gap_choices=(), panels=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, QUESTION_SLOTS + 1):
            self.fields[f"question_{i}"] = forms.CharField(
                label=f"Question {i}" + ("" if i <= 3 else " (optional)"),
                required=False,
                max_length=500,
            )
        self.fields["priorities"].choices = list(gap_choices)
        self.fields["panel"].choices = [("", "Members of any community panel")] + [
            (str(p.pk), p.name) for p in panels
        ]

    def questions(self) -> list[str]:
        return [
            self.cleaned_data[f"question_{i}"].strip()
            for i in range(1, QUESTION_SLOTS + 1)
            if self.cleaned_data.get(f"question_{i}", "").strip()
        ]

    def round_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "guidance": data["guidance"],
            "pot": data["pot"],
            "max_award": data["max_award"],
            "opens": data["opens"],
            "closes": data["closes"],
            "questions": self.questions(),
            "priorities": [tuple(code.split("|", 1)) for code in data["priorities"]],
            "panel_id": int(data["panel"]) if data["panel"] else None,
            "size_bands": data["size_bands"],
            "unconstituted_allowed": data["unconstituted_allowed"],
        }


class ApplicationForm(FundingForm):
    organisation = forms.ChoiceField(label="Which group is applying?")
    amount = _money("How much are you asking for, in pounds?")
    purpose = forms.CharField(
        label="What is the money for?",
        max_length=5000,
        widget=forms.Textarea,
        help_text="A few sentences is enough: what you will do, with whom, and what it costs.",
    )
    priority = forms.ChoiceField(
        label="Which of the round's priorities does it answer?",
        required=False,
        widget=forms.RadioSelect,
    )
    size_band = forms.ChoiceField(
        label="How big is your group?",
        required=False,
        choices=SizeBand.choices,
        widget=forms.RadioSelect,
        help_text="By the money it has in a year.",
    )
    holding_organisation = forms.CharField(
        label="If your group is not constituted: which organisation will hold the money?",
        required=False,
        max_length=200,
    )

    def __init__(self, *args, round: Round, organisations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.round = round
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
        self.fields["priority"].choices = [
            (str(p.pk), f"{p.category_name} in {p.area_name}") for p in round.priorities.all()
        ] + [("", "None of these")]
        self.ERROR_FIELDS = {"organization_id": "organisation"}
        for i, question in enumerate(round.questions, start=1):
            self.fields[f"answer_{i}"] = forms.CharField(
                label=question, required=False, max_length=5000, widget=forms.Textarea
            )
            self.ERROR_FIELDS[f"answers.{question[:60]}"] = f"answer_{i}"

    def answers(self) -> dict[str, str]:
        return {
            question: self.cleaned_data.get(f"answer_{i}", "")
            for i, question in enumerate(self.round.questions, start=1)
        }


class ScoreForm(FundingForm):
    score = forms.TypedChoiceField(
        label="Your score",
        coerce=int,
        choices=[(str(n), f"{n}") for n in range(6)],
        widget=forms.RadioSelect,
        help_text="0: does not meet the round's priorities at all; 5: meets them fully.",
    )
    comment = forms.CharField(
        label="Comment for the funder", required=False, max_length=5000, widget=forms.Textarea
    )


class ConflictForm(FundingForm):
    reason = forms.CharField(
        label="What is your interest? (optional)",
        required=False,
        max_length=2000,
        help_text="For example: I volunteer with this group.",
    )


class DecisionForm(FundingForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("award", "Award"), ("decline", "Decline")],
        widget=forms.RadioSelect,
    )
    amount = _money(
        "Amount to award, in pounds", required=False, help_text="Leave empty to award in full."
    )
    reason = forms.CharField(label="Reason", required=False, max_length=5000, widget=forms.Textarea)


class PaymentForm(FundingForm):
    # One text box (the funder's page lists many awards): 2026-12-01 or 01/12/2026.
    paid_on = forms.DateField(label="Date paid", input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    amount = _money("Amount paid, in pounds")
    reference = forms.CharField(label="Payment reference", max_length=100)


class ReportForm(FundingForm):
    what_happened = forms.CharField(
        label="What happened with the money?", max_length=5000, widget=forms.Textarea
    )
    story = forms.CharField(
        label="One story (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea,
        help_text="Something that changed for someone. Leave out names unless they agreed.",
    )
    story_consent = forms.BooleanField(
        label="Everyone in the story agreed to it being shared", required=False
    )


class TariffForm(FundingForm):
    name = forms.CharField(label="Name of the tariff", max_length=200)
    rate = _money("Pounds for each person who starts at a group")
    starts = DateField(label="Starts")
    ends = DateField(label="Ends (optional)", required=False)
    size_bands = forms.MultipleChoiceField(
        label="Only for groups of these sizes (none ticked: any size)",
        required=False,
        choices=SizeBand.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    cap_per_quarter = _money("Most one group can be paid in a quarter (optional)", required=False)
    pot = _money("The pot for the tariff (optional)", required=False)


class PaidForm(FundingForm):
    reference = forms.CharField(label="Payment reference", max_length=100)

"""Page forms for panels: a meeting, a priority, a decision, a member's profile."""

from django import forms

from linkwork.community.panels.models import Panel
from linkwork.places.models import AGE_BANDS, Area, AreaType, Sex
from linkwork.referrals.forms_referrer import DateField


def _neighbourhood_choices(panel: Panel | None) -> list[tuple[str, str]]:
    areas = panel.neighbourhoods.all() if panel is not None else None
    if not areas:
        areas = Area.objects.filter(area_type=AreaType.NEIGHBOURHOOD)
    return [("", "The panel's whole area")] + [(a.code, a.name) for a in areas.order_by("name")]


def _area(code: str) -> Area | None:
    return (
        Area.objects.filter(code=code, area_type=AreaType.NEIGHBOURHOOD).first() if code else None
    )


class MeetingForm(forms.Form):
    held_on = DateField(label="Date of the meeting", required=False)
    title = forms.CharField(label="Title", max_length=200, required=False)
    venue = forms.CharField(label="Where it met (optional)", max_length=200, required=False)
    summary = forms.CharField(
        label="What was discussed (optional, shown publicly)",
        widget=forms.Textarea,
        required=False,
        max_length=5000,
    )
    members_present = forms.IntegerField(
        label="How many members took part (optional)", required=False, min_value=0, max_value=500
    )

    def meeting(self) -> dict:
        return dict(self.cleaned_data)


class PriorityForm(forms.Form):
    title = forms.CharField(label="The priority", max_length=200, required=False)
    description = forms.CharField(
        label="Why it matters (optional)", widget=forms.Textarea, required=False, max_length=5000
    )
    neighbourhood = forms.ChoiceField(label="Which neighbourhood is it about?", required=False)

    def __init__(self, *args, panel: Panel, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].choices = _neighbourhood_choices(panel)

    def priority(self) -> dict:
        data = dict(self.cleaned_data)
        data["neighbourhood"] = _area(data["neighbourhood"])
        return data


class DecisionForm(forms.Form):
    title = forms.CharField(label="Decision, in a few words", max_length=200, required=False)
    decision = forms.CharField(
        label="What was decided, and why",
        widget=forms.Textarea,
        required=False,
        max_length=5000,
        help_text="Shown publicly in the decisions log, with the evidence you looked at.",
    )
    priority = forms.ChoiceField(label="Which priority does it answer? (optional)", required=False)
    neighbourhood = forms.ChoiceField(label="Which neighbourhood is it about?", required=False)

    def __init__(self, *args, panel: Panel, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.panel = panel
        self.fields["priority"].choices = [("", "None")] + [
            (str(p.pk), p.title) for p in panel.priorities.exclude(status="dropped")
        ]
        self.fields["neighbourhood"].choices = _neighbourhood_choices(panel)

    def decision_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["neighbourhood"] = _area(data["neighbourhood"])
        pk = data.pop("priority")
        data["priority"] = self.panel.priorities.filter(pk=pk).first() if pk else None
        return data


class ProfileForm(forms.Form):
    age_band = forms.ChoiceField(label="Your age", required=False)
    sex = forms.ChoiceField(
        label="Your sex",
        required=False,
        choices=[("", "I would rather not say"), *Sex.choices],
    )
    neighbourhood = forms.ChoiceField(label="The neighbourhood you live in", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["age_band"].choices = [("", "I would rather not say")] + [
            (band, band) for band in AGE_BANDS if band != "0-17"
        ]
        self.fields["neighbourhood"].choices = [("", "I would rather not say")] + [
            (a.code, a.name)
            for a in Area.objects.filter(area_type=AreaType.NEIGHBOURHOOD).order_by("name")
        ]

    def profile(self) -> dict:
        data = dict(self.cleaned_data)
        data["neighbourhood"] = _area(data["neighbourhood"])
        return data

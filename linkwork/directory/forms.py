"""Page forms for the directory: search, listing details, claims and reports."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linkwork.directory.models import (
    ACCESSIBILITY_FEATURES,
    CapacityStatus,
    ListingReport,
    Vocabulary,
    Weekday,
)
from linkwork.directory.selectors import TIMES_OF_DAY, terms_by_vocabulary
from linkwork.referrals.forms_referrer import DateField
from linkwork.schemas import MAX_TEXT
from linkwork.words import within_choices

ANY = [("", _("Any"))]
TIME_OF_DAY_WORDS = {"morning": _("Morning"), "afternoon": _("Afternoon"), "evening": _("Evening")}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("What are you looking for?"), required=False, max_length=200)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=10)
    # In the deployment's unit (settings.DISTANCE_UNIT); the view turns it into km.
    within = forms.ChoiceField(label=_("Distance"), required=False)
    category = forms.ChoiceField(label=_("Help with"), required=False)
    activity = forms.ChoiceField(label=_("Type of activity"), required=False)
    day = forms.TypedChoiceField(
        label=_("Day"), required=False, coerce=int, empty_value=None, choices=ANY + Weekday.choices
    )
    time_of_day = forms.ChoiceField(
        label=_("Time of day"),
        required=False,
        choices=ANY + [(key, TIME_OF_DAY_WORDS[key]) for key in TIMES_OF_DAY],
    )
    free_only = forms.BooleanField(label=_("Free only"), required=False)
    open_only = forms.BooleanField(label=_("Taking new people now"), required=False)
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility"), required=False, choices=list(ACCESSIBILITY_FEATURES.items())
    )
    language = forms.CharField(label=_("Language (e.g. ur, pl)"), required=False, max_length=3)
    community = forms.CharField(label=_("Community of interest"), required=False, max_length=100)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        terms = terms_by_vocabulary()
        self.fields["within"].choices = within_choices()
        self.fields["within"].initial = "3" if settings.DISTANCE_UNIT == "miles" else "5"
        self.fields["category"].choices = ANY + [
            (t.code, gettext(t.name)) for t in terms[Vocabulary.NEED]
        ]
        self.fields["activity"].choices = ANY + [
            (t.code, gettext(t.name)) for t in terms[Vocabulary.ACTIVITY]
        ]


class CapacityForm(forms.Form):
    status = forms.ChoiceField(choices=CapacityStatus.choices)
    places = forms.IntegerField(min_value=0, required=False)
    may_reopen_on = forms.DateField(
        label="When you may take people again (optional)",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter the date you may reopen, like 2027-01-05"},
    )


class ClaimForm(forms.Form):
    role_in_group = forms.CharField(
        label="What do you do in the group?",
        max_length=200,
        help_text="For example: organiser, treasurer, volunteer.",
    )


class ReportForm(forms.Form):
    problem = forms.ChoiceField(
        label="What is wrong?", choices=ListingReport.Problem.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        max_length=MAX_TEXT, label="Details (optional)", widget=forms.Textarea, required=False
    )


class ListingNoteForm(forms.Form):
    """A link worker's private visit or note on a listing (their service only)."""

    kind = forms.ChoiceField(
        label="What are you adding?",
        choices=[("visit", "A visit I made"), ("note", "A note on who it suits or does not")],
        widget=forms.RadioSelect,
        initial="note",
    )
    text = forms.CharField(
        max_length=MAX_TEXT,
        label="What you found or know",
        widget=forms.Textarea,
        help_text="For example: step-free but noisy; safe for people with experience of abuse.",
    )
    visited_on = DateField(label="Date of the visit", required=False)

"""Page forms for the link worker's casework. They parse input; the rules (a reason to
decline, a summary to close, consent to share) are the services', whose errors are put
back on these fields."""

import datetime as dt

from django import forms
from django.utils import timezone

from linkwork.directory.models import Vocabulary
from linkwork.directory.selectors import published_assets, terms_by_vocabulary
from linkwork.referrals import transitions as t
from linkwork.referrals.forms_referrer import DateField
from linkwork.referrals.forms_worklists import CASELOAD_DUE_CHOICES, WorkListForm
from linkwork.referrals.models import (
    BACKGROUND_NEEDS_MAX_LENGTH,
    CASE_NOTE_MAX_LENGTH,
    SHAREABLE_FIELDS,
    CaseNoteKind,
    UnmetReason,
)
from linkwork.schemas import MAX_TEXT

OPEN_STATUSES = [
    (status, status.replace("_", " ").capitalize()) for status in t.OPEN_REFERRAL_STATES
]


def need_terms() -> list:
    return terms_by_vocabulary()[Vocabulary.NEED]


class CaseloadFilterForm(WorkListForm):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any open status"), *OPEN_STATUSES]
    )
    due = forms.ChoiceField(label="Show", required=False, choices=CASELOAD_DUE_CHOICES.items())
    mine = forms.BooleanField(label="Only referrals assigned to me", required=False)


class AcceptForm(forms.Form):
    """Accept a referral onto the caseload of the link worker chosen (by default, me)."""

    assigned_to = forms.TypedChoiceField(label="Assign to", coerce=int, required=False)

    def __init__(self, *args, colleagues: list, me, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        others = [(u.pk, u.full_name or u.email) for u in colleagues if u.pk != me.pk]
        self.fields["assigned_to"].choices = [(me.pk, "Me"), *others]
        self.me = me
        self.colleagues = {u.pk: u for u in colleagues} | {me.pk: me}

    def link_worker(self):
        return self.colleagues[self.cleaned_data.get("assigned_to") or self.me.pk]


class TransitionForm(forms.Form):
    """A change of a referral's status; the service says what each change needs."""

    to = forms.ChoiceField(choices=[(s, s) for s in t.REFERRAL_STATES])
    reason = forms.CharField(
        max_length=MAX_TEXT, label="Why?", widget=forms.Textarea, required=False
    )
    summary = forms.CharField(
        max_length=MAX_TEXT,
        label="Closing summary for the referrer",
        widget=forms.Textarea,
        required=False,
        help_text="What happened, the connections made and anything that could not be met.",
    )


class ReopenForm(TransitionForm):
    """closed → in progress, within the reopening window; the reason goes to the referrer."""

    reason = forms.CharField(
        max_length=MAX_TEXT,
        label="Why are you reopening the referral?",
        widget=forms.Textarea,
        required=False,
        help_text="For example: they rang back wanting more support. The referrer is told.",
    )


class DeclineForm(TransitionForm):
    to = forms.ChoiceField(
        label="What do you want to do?",
        choices=[
            (t.DECLINED, "Decline: the service cannot help"),
            (t.RETURNED, "Return to the referrer: for example, needs beyond the service"),
        ],
        initial=t.DECLINED,
    )
    reason = forms.CharField(
        max_length=MAX_TEXT,
        label="Reason",
        widget=forms.Textarea,
        required=False,
        help_text="The referrer is told, so say what they should do next.",
    )


class ConversationForm(forms.Form):
    """A what-matters conversation, with what the person said about each need."""

    what_matters = forms.CharField(
        max_length=MAX_TEXT, label="What matters to the person", widget=forms.Textarea
    )
    strengths = forms.CharField(
        max_length=MAX_TEXT,
        label="Strengths and what they already have",
        widget=forms.Textarea,
        required=False,
        help_text="People, skills, interests and places that already help.",
    )
    barriers = forms.CharField(
        max_length=MAX_TEXT, label="What gets in the way", widget=forms.Textarea, required=False
    )

    def __init__(self, *args, terms: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["what_matters"].error_messages["required"] = (
            "Write down what matters to the person."
        )
        self.need_fields = []
        for term in terms:
            name = f"need_{term.code}"
            self.fields[name] = forms.CharField(label=term.name, required=False, max_length=500)
            self.need_fields.append(name)

    def needs(self) -> dict[str, str]:
        return {
            name.removeprefix("need_"): self.cleaned_data[name].strip()
            for name in self.need_fields
            if self.cleaned_data.get(name, "").strip()
        }


class PlanForm(forms.Form):
    goals = forms.CharField(
        max_length=MAX_TEXT,
        label="Goals, in the person's own words",
        widget=forms.Textarea,
        required=False,
        help_text="One goal on each line.",
    )

    def goal_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["goals"].splitlines() if line.strip()]


class ConnectionForm(forms.Form):
    asset = forms.ModelChoiceField(
        label="Group or activity",
        queryset=published_assets(),
        error_messages={
            "required": "Choose a group or activity.",
            "invalid_choice": "Choose a published group or activity.",
        },
    )
    share = forms.MultipleChoiceField(
        label="What to share with the group",
        required=False,
        choices=list(SHAREABLE_FIELDS.items()),
    )
    background_needs = forms.CharField(
        label="Background for the group (optional)",
        widget=forms.Textarea,
        required=False,
        max_length=BACKGROUND_NEEDS_MAX_LENGTH,
        help_text=(
            "A short note to help the group welcome them, for example: anxious in crowds; "
            "prefers to sit near the door. Shared only if you tick it above. No diagnoses."
        ),
    )
    accompanied = forms.BooleanField(
        label="Someone will come with them to the first session", required=False
    )
    first_session = forms.CharField(
        label="Proposed first session (optional)",
        required=False,
        max_length=200,
        help_text="For example: Tuesday 10am walk, 3 June.",
    )


class ConnectionSearchForm(forms.Form):
    q = forms.CharField(label="Search groups and activities near the person", required=False)


class InsteadForm(forms.Form):
    asset = forms.ModelChoiceField(queryset=published_assets())


class WithdrawConnectionForm(forms.Form):
    reason = forms.CharField(
        label="Why? (optional)",
        widget=forms.Textarea,
        required=False,
        max_length=500,
        help_text="For example: the group is full and Pat would rather wait for another.",
    )


class AttendanceForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Did they go to the first session?",
        choices=[
            (t.ATTENDED_FIRST, "Yes, they went to the first session"),
            (t.DID_NOT_START, "No, they did not start"),
        ],
    )
    reason = forms.CharField(
        max_length=MAX_TEXT,
        label="If they did not start, why?",
        widget=forms.Textarea,
        required=False,
    )


class UnmetNeedForm(forms.Form):
    category = forms.ChoiceField(label="Need that could not be met")
    reason = forms.ChoiceField(label="Why it could not be met", choices=UnmetReason.choices)
    notes = forms.CharField(
        max_length=MAX_TEXT, label="Notes (optional)", widget=forms.Textarea, required=False
    )

    def __init__(self, *args, terms: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(term.code, term.name) for term in terms]


class FollowUpForm(forms.Form):
    outcome = forms.CharField(
        max_length=MAX_TEXT, label="What happened", widget=forms.Textarea, required=False
    )


class CaseNoteForm(forms.Form):
    """One line of the case's log: what kind, when (today unless told), and the note."""

    kind = forms.ChoiceField(
        label="What happened?", choices=CaseNoteKind.choices, initial=CaseNoteKind.NOTE
    )
    text = forms.CharField(
        label="Details",
        widget=forms.Textarea,
        required=False,
        max_length=CASE_NOTE_MAX_LENGTH,
        help_text="Optional for a phone call or visit. Facts, not opinions: the person can "
        "ask to see what is written about them.",
    )
    happened_on = DateField(
        label="When", required=False, help_text="Leave empty for today. For example, 2 12 2026."
    )

    def field_for(self, key: str) -> str:
        """The service names the moment (happened_at); the form asks for the day."""
        return "happened_on" if key == "happened_at" else key

    def happened_at(self) -> dt.datetime | None:
        """The day given at the time of recording (so the log keeps its order), or now."""
        day = self.cleaned_data.get("happened_on")
        now = timezone.localtime()
        if day is None or day == now.date():
            return None
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


class NoAnswerCloseForm(forms.Form):
    summary = forms.CharField(
        label="Closing summary for the referrer",
        widget=forms.Textarea,
        required=False,
        help_text="Leave as it is, or say more: for example, the letter you sent.",
    )

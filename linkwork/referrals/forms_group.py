"""Page forms of a community group's referral inbox: the filter, reasons, the register."""

from django import forms

from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection
from linkwork.referrals.worklists import MAX_SEARCH

# A group sees a first name and a reference, never a family name or an NHS number.
GROUP_SEARCH_HINT = "First name, or the reference on the referral (ref. 12)"

# Statuses in the words a group uses (a group never sees a proposed connection).
GROUP_STATUS_LABELS = {
    t.SENT: "Waiting for your answer",
    t.WAITLISTED: "On your waiting list",
    t.ACCEPTED: "Accepted",
    t.ATTENDED_FIRST: "Came to a first session",
    t.ATTENDING: "Attending",
    t.COMPLETED: "Completed",
    t.STOPPED: "Stopped coming",
    t.DID_NOT_START: "Did not start",
    t.DECLINED: "Declined",
}


class InboxFilterForm(forms.Form):
    q = forms.CharField(
        label="Search", required=False, max_length=MAX_SEARCH, help_text=GROUP_SEARCH_HINT
    )
    status = forms.ChoiceField(label="Show", required=False)

    def __init__(self, *args, counts: dict[str, int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.count(counts or {})

    def count(self, counts: dict[str, int]) -> None:
        """Label each status with how many referrals it holds (of the search, if any)."""
        self.fields["status"].choices = [("", f"All referrals ({sum(counts.values())})")] + [
            (status, f"{label} ({counts.get(status, 0)})")
            for status, label in GROUP_STATUS_LABELS.items()
        ]

    def value(self, name: str) -> str:
        """A filter's value, or nothing when the form is not valid (its errors are shown)."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get(name) or ""
        return ""


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=1000, widget=forms.Textarea)

    def __init__(self, *args, label: str, required: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].required = required
        self.fields[
            "reason"
        ].help_text = "The link worker reads this. Please do not write personal details here."
        self.fields["reason"].error_messages["required"] = (
            "Say why, so the link worker can find something else."
        )


class RegisterForm(forms.Form):
    """One checkbox per accepted person, and an optional reason for anyone who did not
    start; who they are is shown beside each, from what they agreed to share."""

    def __init__(self, *args, connections: list[tuple[Connection, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.people = []
        for connection, name in connections:
            came = f"came_{connection.pk}"
            reason = f"reason_{connection.pk}"
            # Short labels: each person's fieldset legend says who they are.
            self.fields[came] = forms.BooleanField(
                label="Came to the first session", required=False
            )
            self.fields[reason] = forms.CharField(
                label="If they did not start, why? (optional)",
                required=False,
                max_length=1000,
            )
            self.people.append((connection, name, self[came], self[reason]))

    def came(self) -> list[int]:
        return [c.pk for c, *_ in self.people if self.cleaned_data.get(f"came_{c.pk}")]

    def did_not_start(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"reason_{c.pk}", "") for c, *_ in self.people}

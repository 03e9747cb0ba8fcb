"""The filters of the daily work lists, kept in the URL (GET forms): search, what to
show, and the order. Each choice's label carries its count when the view gives them."""

from django import forms

from linkwork.referrals.worklists import FOLLOW_UP_WINDOWS, MAX_SEARCH, REFERRER_FILTERS, SORTS

SEARCH_HINT = "Name, NHS number, reference or postcode"
DUE_CHOICES = {"": "Any", "overdue": "First contact overdue", "due_soon": "First contact due soon"}
# The caseload also finds referrals whose connection waits on a group past its date.
CASELOAD_DUE_CHOICES = DUE_CHOICES | {"group_late": "Waiting on a group past its answer date"}


def _counted(choices: dict[str, str], counts: dict[str, int] | None, all_key: str = "") -> list:
    counts = counts or {}
    return [
        (value, f"{label} ({counts[value or all_key]})" if (value or all_key) in counts else label)
        for value, label in choices.items()
    ]


class WorkListForm(forms.Form):
    q = forms.CharField(
        label="Search", required=False, max_length=MAX_SEARCH, help_text=SEARCH_HINT
    )
    sort = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[(sort.value, sort.label) for sort in SORTS.values()],
    )

    def value(self, name: str, default: str = "") -> str:
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get(name) or default
        return default


class QueueFilterForm(WorkListForm):
    due = forms.ChoiceField(label="Show", required=False)

    def __init__(self, *args, counts: dict[str, int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due"].choices = _counted(DUE_CHOICES, counts, all_key="all")


class FollowUpFilterForm(forms.Form):
    window = forms.ChoiceField(label="Show", required=False)
    q = forms.CharField(
        label="Search", required=False, max_length=MAX_SEARCH, help_text=SEARCH_HINT
    )

    def __init__(self, *args, counts: dict[str, int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = {"": "Due by today", **FOLLOW_UP_WINDOWS}
        self.fields["window"].choices = _counted(choices, counts)


class ReferrerFilterForm(WorkListForm):
    show = forms.ChoiceField(label="Show", required=False)

    def __init__(self, *args, counts: dict[str, int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = {"": "All referrals"} | {k: label for k, (label, _) in REFERRER_FILTERS.items()}
        self.fields["show"].choices = _counted(choices, counts, all_key="all")
        self.fields["sort"].choices = [
            ("urgency", "Returned or declined first"),
            ("newest", "Newest first"),
            ("oldest", "Oldest first"),
        ]

"""The review queue's filters, kept in the URL (a GET form): a listing's name, which
list, and the order. Each list's label carries its count."""

from django import forms

from linkwork.directory.review import MAX_NAME_SEARCH, REVIEW_LISTS, REVIEW_SORTS


class ReviewFilterForm(forms.Form):
    q = forms.CharField(label="Search by listing name", required=False, max_length=MAX_NAME_SEARCH)
    show = forms.ChoiceField(label="Show", required=False)
    sort = forms.ChoiceField(label="Order", required=False, choices=list(REVIEW_SORTS.items()))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.count({})

    def count(self, counts: dict[str, int]) -> None:
        """Label each list with how many wait in it."""
        choices = {"": "Everything waiting", **REVIEW_LISTS}
        self.fields["show"].choices = [
            (value, f"{label} ({counts[value]})" if value in counts else label)
            for value, label in choices.items()
        ]

    def value(self, name: str, default: str = "") -> str:
        """A filter's value, or the default when the form is not valid (errors are shown)."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get(name) or default
        return default

from django import forms


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label="Action", required=False)
    object_type = forms.ChoiceField(label="Object type", required=False)
    actor_email = forms.EmailField(label="Done by (email address)", required=False)
    since = forms.DateField(label="From (YYYY-MM-DD)", required=False)
    until = forms.DateField(label="To (YYYY-MM-DD)", required=False)

    def __init__(self, *args, actions: list[str], object_types: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any")] + [(a, a) for a in actions]
        self.fields["object_type"].choices = [("", "Any")] + [(t, t) for t in object_types]

    def count(self, counts: dict[str, dict[str, int]]) -> None:
        """Label each action and object type with how many events it would show."""
        for field, key in (("action", "actions"), ("object_type", "object_types")):
            found = counts[key]
            self.fields[field].choices = [
                (value, f"{label} ({found.get(value, 0)})" if value else label)
                for value, label in self.fields[field].choices
            ]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date must be the same as or after the start date.")
        return cleaned

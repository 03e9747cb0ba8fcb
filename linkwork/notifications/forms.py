"""The notification preferences page: one radio group per kind of message."""

from django import forms

from linkwork.notifications.models import FIXED_KINDS, Channel, Frequency, Kind
from linkwork.notifications.preferences import Preference


class PreferencesForm(forms.Form):
    def __init__(
        self, *args, preferences: list[Preference], sms: bool, sms_number: str, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sms = sms
        for row in preferences:
            if row.kind in FIXED_KINDS:
                continue
            self.fields[row.kind] = forms.ChoiceField(
                label=row.label, choices=Frequency.choices, initial=row.frequency
            )
            if sms:
                self.fields[f"{row.kind}_channel"] = forms.ChoiceField(
                    label=f"{row.label}: send by",
                    choices=Channel.choices,
                    initial=row.channel,
                )
        if sms:
            self.fields["sms_number"] = forms.CharField(
                label="Mobile number for text messages (optional)",
                required=False,
                max_length=20,
                initial=sms_number,
            )

    def kind_fields(self) -> list[tuple[forms.BoundField, forms.BoundField | None]]:
        return [
            (self[kind.value], self[f"{kind.value}_channel"] if self.sms else None)
            for kind in Kind
            if kind.value in self.fields
        ]

    def changes(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {
                "kind": kind.value,
                "frequency": data[kind.value],
                "channel": data.get(f"{kind.value}_channel") or Channel.EMAIL,
            }
            for kind in Kind
            if kind.value in self.fields
        ]

    def field_for(self, key: str) -> str:
        """The field a service's error names: "preferences.<i>.frequency" is the radio group
        of the i-th change, "preferences.<i>.channel" its channel."""
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "preferences":
            kind = self.changes()[int(parts[1])]["kind"]
            return kind if parts[2] != "channel" else f"{kind}_channel"
        return key

"""The filters of the insight pages (GET): which areas, need or activity, period and map
measure. A value we do not know is an error on its field, never a 500."""

import contextlib

from django import forms

from linkwork.errors import InvalidInput
from linkwork.insight import selectors
from linkwork.insight.profiles import LEVEL_CHOICES, period_choices, period_label
from linkwork.insight.selectors import InsightScope
from linkwork.pages import put_errors
from linkwork.places.models import Area, AreaType

DEFAULT_MEASURE = "gap_score"


def _invalid(what: str) -> dict[str, str]:
    return {"invalid_choice": f"Choose {what} from the list."}


class InsightFilters(forms.Form):
    level = forms.ChoiceField(
        label="Show",
        choices=LEVEL_CHOICES,
        required=False,
        error_messages=_invalid("neighbourhoods or small areas"),
    )
    category = forms.ChoiceField(
        label="Need or activity", required=False, error_messages=_invalid("a need or activity")
    )
    period = forms.ChoiceField(label="Period", required=False, error_messages=_invalid("a period"))
    measure = forms.ChoiceField(
        label="Colour the map by",
        choices=list(selectors.MAP_MEASURES.items()),
        required=False,
        error_messages=_invalid("what the map shows"),
    )

    def __init__(self, data=None, *, fields: tuple[str, ...] | None = None) -> None:
        super().__init__(data)
        if fields is not None:
            for name in set(self.fields) - set(fields):
                del self.fields[name]
        if "category" in self.fields:
            self.fields["category"].choices = [
                ("", "All needs and activities"),
                *((c.code, f"{c.name} ({c.vocabulary})") for c in selectors.categories()),
            ]
        if "period" in self.fields:
            choices = period_choices()
            asked = (data or {}).get("period", "")
            if asked and asked not in dict(choices):
                # Any period the API accepts (e.g. 2023-Q2 from a shared link) works here too.
                with contextlib.suppress(InvalidInput):
                    choices.append((asked, period_label(asked)))
            self.fields["period"].choices = choices

    def value(self, name: str, default: str = "") -> str:
        return (self.cleaned_data.get(name) if self.is_valid() else None) or default

    @property
    def map_measure(self) -> str:
        return self.value("measure", DEFAULT_MEASURE)

    def scope(self, *, area: Area | None = None) -> InsightScope | None:
        """The scope the filters name, or None (with errors on the fields) when they name
        none. With `area`: every area of the area's own level (so its figures read as on
        the overview and the map), the area itself picked out by the page."""
        if not self.is_valid():
            return None
        level = area.area_type if area is not None else self.value("level")
        try:
            return selectors.insight_scope(
                level=level or AreaType.NEIGHBOURHOOD,
                period=self.value("period"),
                category=self.value("category"),
            )
        except InvalidInput as error:
            put_errors(self, error)
            return None


class PostcodeForm(forms.Form):
    postcode = forms.CharField(
        label="Find your neighbourhood by postcode",
        max_length=12,
        required=True,
        error_messages={"required": "Enter a postcode, like BL2 6LT."},
    )


class LoadFilters(forms.Form):
    period = forms.ChoiceField(label="Period", required=False, error_messages=_invalid("a period"))
    area = forms.ChoiceField(
        label="People living in", required=False, error_messages=_invalid("a neighbourhood")
    )

    def __init__(self, data=None) -> None:
        super().__init__(data)
        self.fields["period"].choices = period_choices()
        hoods = Area.objects.filter(area_type=AreaType.NEIGHBOURHOOD).order_by("name")
        self.fields["area"].choices = [("", "Anywhere"), *hoods.values_list("code", "name")]

    def scope(self) -> InsightScope | None:
        """As `InsightFilters.scope`: None, with errors on the fields, when invalid."""
        if not self.is_valid():
            return None
        try:
            return selectors.insight_scope(
                level=AreaType.NEIGHBOURHOOD,
                period=self.cleaned_data["period"],
                area=self.cleaned_data["area"],
            )
        except InvalidInput as error:
            put_errors(self, error)
            return None

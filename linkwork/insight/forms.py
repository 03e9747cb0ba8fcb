"""The filters of the insight pages (GET): which areas, need or activity, period and map
measure. A value we do not know is an error on its field, never a 500."""

import contextlib

from django import forms
from django.utils.translation import gettext, gettext_lazy

from linkwork.errors import InvalidInput
from linkwork.insight import selectors
from linkwork.insight.profiles import LEVEL_CHOICES, period_choices, period_label
from linkwork.insight.selectors import InsightScope
from linkwork.pages import put_errors
from linkwork.places.models import Area, AreaType

DEFAULT_MEASURE = "gap_score"


def _invalid(words) -> dict[str, str]:
    """The error for a value not in the list, in the page's language (`words` lazy)."""
    return {"invalid_choice": words}


def _category_choice(category) -> str:
    """ "Loneliness (need)", its name from the catalogues (the taxonomy's words)."""
    name = gettext(category.name)
    if category.vocabulary == "activity":
        return gettext("%(name)s (activity)") % {"name": name}
    if category.vocabulary == "need":
        return gettext("%(name)s (need)") % {"name": name}
    return f"{name} ({category.vocabulary})"


class InsightFilters(forms.Form):
    level = forms.ChoiceField(
        label=gettext_lazy("Show"),
        choices=LEVEL_CHOICES,
        required=False,
        error_messages=_invalid(
            gettext_lazy("Choose neighbourhoods or small areas from the list.")
        ),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Need or activity"),
        required=False,
        error_messages=_invalid(gettext_lazy("Choose a need or activity from the list.")),
    )
    period = forms.ChoiceField(
        label=gettext_lazy("Period"),
        required=False,
        error_messages=_invalid(gettext_lazy("Choose a period from the list.")),
    )
    measure = forms.ChoiceField(
        label=gettext_lazy("Colour the map by"),
        # The measures' names are marked in selectors (English in the API).
        choices=[(code, gettext_lazy(name)) for code, name in selectors.MAP_MEASURES.items()],  # noqa: INT001
        required=False,
        error_messages=_invalid(gettext_lazy("Choose what the map shows from the list.")),
    )

    def __init__(self, data=None, *, fields: tuple[str, ...] | None = None) -> None:
        super().__init__(data)
        if fields is not None:
            for name in set(self.fields) - set(fields):
                del self.fields[name]
        if "category" in self.fields:
            self.fields["category"].choices = [
                ("", gettext("All needs and activities")),
                *((c.code, _category_choice(c)) for c in selectors.categories()),
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
        label=gettext_lazy("Find your neighbourhood by postcode"),
        max_length=12,
        required=True,
        error_messages={"required": gettext_lazy("Enter a postcode, like BL2 6LT.")},
    )


class LoadFilters(forms.Form):
    period = forms.ChoiceField(
        label="Period", required=False, error_messages=_invalid("Choose a period from the list.")
    )
    area = forms.ChoiceField(
        label="People living in",
        required=False,
        error_messages=_invalid("Choose a neighbourhood from the list."),
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

"""Who may evaluate which services, the cohort filters (parsed from a query string,
each bad value named) and the measures a report can show."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from linkwork.accounts.permissions import has_permission, organisations_with_permission
from linkwork.accounts.roles import Perm
from linkwork.directory.models import Asset, Organisation, TaxonomyTerm, Vocabulary
from linkwork.errors import Forbidden, InvalidInput
from linkwork.outcomes.instruments import (
    HIGHER_IS_WORSE,
    Instrument,
    Measure,
    ordered,
)
from linkwork.outcomes.scoring import IMPROVED, NO_CHANGE, WORSE
from linkwork.periods import Period, parse_period
from linkwork.places.models import AGE_BANDS, Area, AreaType
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, Referral, Source

# People who went to a group at least once: "connected to" an asset.
ATTENDED_STATES = t.ATTENDED
VERDICTS = (IMPROVED, NO_CHANGE, WORSE)
MONEY_ROUNDING = 100  # money totals are published to the nearest £100
NOT_KNOWN = "not_known"

FILTERS = {
    "service": "Service",
    "asset": "Connected to",
    "neighbourhood": "Neighbourhood",
    "reason": "Referral reason",
    "source": "Referred by",
    "age_band": "Age band",
    "imd_decile": "IMD decile",
}
FILTER_ERRORS = {
    "service": "Choose a service from the list.",
    "asset": "Choose a community asset from the list.",
    "neighbourhood": "Choose a neighbourhood from the list.",
    "reason": "Choose a referral reason from the list.",
    "source": "Choose who referred from the list.",
    "age_band": "Choose an age band from the list.",
    "imd_decile": "Choose an IMD decile from 1 to 10.",
}
# What "change by cohort" can compare. All but reasons split the cohort into parts.
DIMENSIONS = {
    "service": "Service",
    "neighbourhood": "Neighbourhood",
    "source": "Who referred",
    "age_band": "Age band",
    "imd_decile": "IMD decile (1 = most deprived)",
    "reason": "Referral reason",
}
PARTITIONS = frozenset(DIMENSIONS) - {"reason"}
DEFAULT_MEASURE = "swemwbs"
IMD_LABELS = {1: "1 (most deprived)", 10: "10 (least deprived)"}

MONEY = {
    "income_one_off": "Income gained, one-off",
    "income_annual": "Income gained, a year",
    "debt_managed": "Debt managed",
    "debt_written_off": "Debt written off",
    "grants_obtained": "Grants obtained",
}
FLAGS = {
    "volunteering_started": "Started volunteering",
    "group_joined": "Joined a group",
    "group_started": "Started a group",
}
# Self-reported GP and A&E contacts in the 3 months before baseline and follow-up.
CONTACT_MEASURES = {
    "gp_contacts": Measure(
        key="gp_contacts",
        label="GP contacts in the last 3 months",
        direction=HIGHER_IS_WORSE,
        minimum=0,
        maximum=999,
        change_threshold=None,
        change_threshold_note="Self-reported. Any change of one contact counts; fewer is better.",
    ),
    "ae_contacts": Measure(
        key="ae_contacts",
        label="A&E visits in the last 3 months",
        direction=HIGHER_IS_WORSE,
        minimum=0,
        maximum=999,
        change_threshold=None,
        change_threshold_note="Self-reported. Any change of one visit counts; fewer is better.",
    ),
}


# --- Who sees what --------------------------------------------------------------------


def evaluation_scope(user) -> frozenset[int] | None:
    """The services whose referrals the user may evaluate: None for every service
    (commissioners), else the user's own services (link workers). Forbidden otherwise."""
    if has_permission(user, Perm.EVALUATION_VIEW):
        return None
    own = organisations_with_permission(user, Perm.EVALUATION_VIEW_OWN)
    if own:
        return frozenset(own)
    raise Forbidden()


# --- Filters ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Selected:
    """One chosen filter value: `key` is what referrals are matched on (an id, a code),
    `value` what the query string says, `label` what people read."""

    key: int | str
    value: str
    label: str


@dataclass(frozen=True)
class Filters:
    period: Period
    chosen: tuple[tuple[str, Selected], ...] = ()

    @property
    def active(self) -> dict[str, Selected]:
        return dict(self.chosen)

    def words(self) -> list[str]:
        """The cohort in words, for headings and the report."""
        return [f"Referred {self.period.words}"] + [
            f"{FILTERS[name]}: {selected.label}" for name, selected in self.chosen
        ]

    def query(self) -> dict[str, str]:
        return {"period": self.period.code, **{n: s.value for n, s in self.chosen}}

    def without(self, name: str) -> "Filters":
        return Filters(self.period, tuple((n, s) for n, s in self.chosen if n != name))


def age_band(birth_date: dt.date, on: dt.date) -> str:
    """The AGE_BANDS band of someone's age on a day."""
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    for band in reversed(AGE_BANDS):
        if age >= int(band.split("-")[0].rstrip("+")):
            return band
    return AGE_BANDS[0]


def _services(services: frozenset[int] | None):
    found = Organisation.objects.filter(pk__in=Referral.objects.values("service_id"))
    if services is not None:
        found = Organisation.objects.filter(pk__in=services)
    return found.order_by("name")


def filter_choices(services: frozenset[int] | None) -> dict[str, list[tuple[str, str]]]:
    """The values each filter offers (value, label): services in scope, assets people in
    scope went to, neighbourhoods, need categories, sources, age bands, IMD deciles."""
    attended = Connection.objects.filter(status__in=ATTENDED_STATES)
    if services is not None:
        attended = attended.filter(referral__service_id__in=services)
    return {
        "service": [(str(pk), name) for pk, name in _services(services).values_list("id", "name")],
        "asset": [
            (str(pk), name)
            for pk, name in Asset.objects.filter(pk__in=attended.values("asset_id"))
            .order_by("name")
            .values_list("id", "name")
        ],
        "neighbourhood": list(
            Area.objects.filter(area_type=AreaType.NEIGHBOURHOOD)
            .order_by("name")
            .values_list("code", "name")
        ),
        "reason": list(
            TaxonomyTerm.objects.filter(vocabulary=Vocabulary.NEED)
            .order_by("name")
            .values_list("code", "name")
        ),
        "source": list(Source.choices),
        "age_band": [(band, band) for band in AGE_BANDS],
        "imd_decile": [(str(d), IMD_LABELS.get(d, str(d))) for d in range(1, 11)],
    }


def _whole_number(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _resolve(name: str, raw: str, services: frozenset[int] | None) -> Selected:
    """One filter value, or InvalidInput naming the filter."""
    number = _whole_number(raw)
    found: tuple | None = None
    if name == "service" and number is not None:
        found = _services(services).filter(pk=number).values_list("id", "name").first()
    elif name == "asset" and number is not None:
        found = Asset.objects.filter(pk=number).values_list("id", "name").first()
    elif name == "neighbourhood":
        found = (
            Area.objects.filter(area_type=AreaType.NEIGHBOURHOOD, code=raw)
            .values_list("id", "name")
            .first()
        )
    elif name == "reason":
        found = (
            TaxonomyTerm.objects.filter(vocabulary=Vocabulary.NEED, code=raw)
            .values_list("id", "name")
            .first()
        )
    elif name == "source" and raw in Source.values:
        found = (raw, Source(raw).label)
    elif name == "age_band" and raw in AGE_BANDS:
        found = (raw, raw)
    elif name == "imd_decile" and number is not None and 1 <= number <= 10:
        found = (number, IMD_LABELS.get(number, str(number)))
    if found is None:
        raise InvalidInput({name: FILTER_ERRORS[name]})
    return Selected(key=found[0], value=raw, label=found[1])


def parse_filters(data: Mapping[str, str], services: frozenset[int] | None) -> Filters:
    """Filters from raw query values; blank means "any". InvalidInput names every bad
    field (an unknown id or code, a service outside the viewer's scope, a bad period)."""
    errors: dict[str, str] = {}
    chosen = []
    try:
        period = parse_period(data.get("period"))
    except InvalidInput as error:
        errors.update(error.errors)
    for name in FILTERS:
        raw = str(data.get(name) or "").strip()[:100]
        if not raw:
            continue
        try:
            chosen.append((name, _resolve(name, raw, services)))
        except InvalidInput as error:
            errors.update(error.errors)
    if errors:
        raise InvalidInput(errors)
    return Filters(period=period, chosen=tuple(chosen))


def measures() -> list[tuple[Instrument | None, Measure]]:
    """Every questionnaire measure in the usual order, then GP and A&E contacts."""
    found: list[tuple[Instrument | None, Measure]] = [
        (instrument, measure) for instrument in ordered() for measure in instrument.measures
    ]
    return found + [(None, measure) for measure in CONTACT_MEASURES.values()]


def parse_view(by: str | None, measure: str | None, services: frozenset[int] | None):
    """The breakdown dimension and measure the page shows; InvalidInput when unknown."""
    by = (by or "").strip() or ("service" if services is None or len(services) > 1 else "age_band")
    measure = (measure or "").strip() or DEFAULT_MEASURE
    errors = {}
    if by not in DIMENSIONS:
        errors["by"] = "Choose what to compare by from the list."
    if measure not in {m.key for _, m in measures()}:
        errors["measure"] = "Choose a measure from the list."
    if errors:
        raise InvalidInput(errors)
    return by, measure

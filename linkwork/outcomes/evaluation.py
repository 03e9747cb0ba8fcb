"""Cohort statistics for the evaluation page, its CSV download and the printable report.

How to use (views, CSV):

    services = evaluation_scope(user)                  # None = every service; Forbidden
    filters = parse_filters(request.GET, services)      # InvalidInput naming each bad field
    report = evaluate(filters, services, by="service", measure="swemwbs")

A cohort is the referrals received in the period (to the services in scope) that match
every filter: service, asset (went at least once), neighbourhood, referral reason,
source, age band at referral and the IMD decile of the person's LSOA. The unit is the
person: someone referred twice in the period counts once, with their latest referral
that has the figure in question.

Per person and measure: the change between the baseline and the latest later
questionnaire (`selectors.pair_responses`: the last complete follow-up or closure), and
whether it passes the measure's change threshold in its better direction
(`scoring.classify_change`: ONS4 items separately, anxiety and UCLA-3 lower is better).

Per cohort and measure: people with both timepoints, mean at each, mean paired change
with a 95% confidence interval (Student's t, computed here exactly: no SciPy), % improved
/ no change / worse, % improved on at least one measure, completion (people with a
baseline who had any later questionnaire), money recorded, and GP and A&E contacts.

Disclosure control (DESIGN.md §5, `linkwork.insight.suppression`): every count of
people is published (0, withheld for 1–7, else rounded to 5); counts that add up
(improved / no change / worse; with and without a follow-up; distributions) are
published as tables with secondary suppression; percentages come from published counts;
a mean, CI or money total about 1–7 people is withheld. Statistics are also withheld
against **differencing**: for each filter, the cohort without that filter is a cohort
anyone may ask for, so when the people it adds number 1–7, the two cohorts' statistics
would describe those few people: the filtered cohort's statistics are withheld
(`withheld="differencing"`). Rows of a breakdown that partition the cohort get the same
treatment against the total, plus secondary suppression so the total minus the shown
rows never describes 1–7 people.

Queries: a fixed handful per report (referrals, reasons, attended assets, neighbourhood
memberships, responses, other outcomes), whatever the size of the cohort; the rest is
arithmetic on those rows.
"""

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django.db.models.fields.json import KT
from django.utils import timezone

from linkwork.accounts.permissions import has_permission, organisations_with_permission
from linkwork.accounts.roles import Perm
from linkwork.bulk import no_cyclic_gc
from linkwork.directory.models import Asset, Organisation, TaxonomyTerm, Vocabulary
from linkwork.errors import Forbidden, InvalidInput
from linkwork.insight.periods import Period, parse_period
from linkwork.insight.suppression import (
    DisclosureRule,
    active_rule,
    publish_count,
    publish_rate,
    publish_statistic,
    suppress_table,
)
from linkwork.outcomes.instruments import (
    HIGHER_IS_WORSE,
    Instrument,
    Measure,
    ordered,
)
from linkwork.outcomes.models import OtherOutcomes, Response, Timepoint
from linkwork.outcomes.scoring import IMPROVED, NO_CHANGE, WORSE, Change, classify_change
from linkwork.places.models import AGE_BANDS, Area, AreaType
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, Referral, Source

# People who went to a group at least once: "connected to" an asset.
ATTENDED_STATES = (t.ATTENDED_FIRST, t.ATTENDING, t.COMPLETED, t.STOPPED)
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


# --- Student's t, exactly ---------------------------------------------------------------


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny, epsilon = 1e-300, 1e-16
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        for numerator in (
            m * (b - m) * x / ((a - 1.0 + 2 * m) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 1.0 + 2 * m)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            step = c * d
            h *= step
        if abs(step - 1.0) < epsilon:
            break
    return h


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x)
        + b * math.log1p(-x)
    )  # fmt: skip
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def t_cdf(value: float, df: int) -> float:
    """P(T <= value) for Student's t with `df` degrees of freedom."""
    tail = 0.5 * _incomplete_beta(df / 2.0, 0.5, df / (df + value * value))
    return 1.0 - tail if value > 0 else tail


@cache
def t_quantile(probability: float, df: int) -> float:
    """The value t with P(T <= t) = probability (0.5 < probability < 1), by bisection on
    the exact distribution function: to about 1e-12."""
    if not 0.5 < probability < 1 or df < 1:
        raise ValueError("t_quantile needs 0.5 < probability < 1 and df >= 1")
    low, high = 0.0, 2.0
    while t_cdf(high, df) < probability:
        low, high = high, high * 2
    for _ in range(200):
        middle = (low + high) / 2
        if t_cdf(middle, df) < probability:
            low = middle
        else:
            high = middle
        if high - low < 1e-13:
            break
    return (low + high) / 2


@dataclass(frozen=True)
class MeanChange:
    mean: float
    low: float  # the 95% confidence interval (equal to the mean when n is 1)
    high: float
    n: int


def paired_mean_ci(differences: Iterable[float], confidence: float = 0.95) -> MeanChange:
    """The mean of paired differences and its confidence interval:
    mean ± t(1 - α/2, n - 1) × s / √n."""
    values = [float(v) for v in differences]
    n = len(values)
    if n == 0:
        raise ValueError("no differences")
    mean = math.fsum(values) / n
    if n == 1:
        return MeanChange(mean, mean, mean, 1)
    variance = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    half = t_quantile(1 - (1 - confidence) / 2, n - 1) * math.sqrt(variance / n)
    return MeanChange(mean, mean - half, mean + half, n)


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


# --- The rows a report is computed from ------------------------------------------------


@dataclass(slots=True)
class Episode:
    """One referral in the period, with what the filters and statistics need."""

    referral_id: int
    person_id: int
    service_id: int
    source: str
    age_band: str
    neighbourhood_id: int | None
    imd_decile: int | None
    reasons: set[int] = field(default_factory=set)
    assets: set[int] = field(default_factory=set)
    baselines: set[str] = field(default_factory=set)  # instruments with a complete baseline
    changes: dict[str, Change] = field(default_factory=dict)  # measure key -> change
    questionnaire_changes: bool = False  # any paired questionnaire measure
    money: dict[str, Decimal] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    def value(self, name: str) -> object:
        """The episode's value for a filter or dimension (a set for reasons, assets)."""
        if name == "service":
            return self.service_id
        if name == "neighbourhood":
            return self.neighbourhood_id if self.neighbourhood_id is not None else NOT_KNOWN
        if name == "imd_decile":
            return self.imd_decile if self.imd_decile is not None else NOT_KNOWN
        if name == "reason":
            return self.reasons
        if name == "asset":
            return self.assets
        return getattr(self, name)

    def matches(self, name: str, key: object) -> bool:
        found = self.value(name)
        return key in found if isinstance(found, set) else found == key


def load_episodes(period: Period, services: frozenset[int] | None) -> list[Episode]:
    """Every referral received in the period (to the services in scope), oldest first,
    with its filters' values, paired outcomes and other outcomes. Seven queries; an
    episode per referral (30,000 for a busy two years), so built without cyclic-GC passes."""
    with no_cyclic_gc():
        return _load_episodes(period, services)


def _load_episodes(period: Period, services: frozenset[int] | None) -> list[Episode]:
    from linkwork.places.selectors import neighbourhood_ids_by_lsoa

    referrals = Referral.objects.filter(received_at__gte=period.start, received_at__lt=period.end)
    if services is not None:
        referrals = referrals.filter(service_id__in=services)
    ids = referrals.values("id")
    neighbourhood_of = neighbourhood_ids_by_lsoa()
    zone = timezone.get_current_timezone()
    episodes: dict[int, Episode] = {}
    for pk, person, service, source, received, born, lsoa, decile in referrals.order_by(
        "received_at", "id"
    ).values_list(
        "id", "person_id", "service_id", "source", "received_at", "person__birth_date",
        "person__area_id", "person__area__imd_decile",
    ):  # fmt: skip
        episodes[pk] = Episode(
            referral_id=pk,
            person_id=person,
            service_id=service,
            source=source,
            age_band=age_band(born, received.astimezone(zone).date()),
            neighbourhood_id=neighbourhood_of.get(lsoa) if lsoa else None,
            imd_decile=decile,
        )
    through = Referral.reasons.through
    # .order_by(): no default ordering to sort by; these only fill sets.
    for referral_id, term_id in (
        through.objects.filter(referral_id__in=ids)
        .order_by()
        .values_list("referral_id", "taxonomyterm_id")
    ):
        episodes[referral_id].reasons.add(term_id)
    for referral_id, asset_id in (
        Connection.objects.filter(referral_id__in=ids, status__in=ATTENDED_STATES)
        .order_by()
        .values_list("referral_id", "asset_id")
    ):
        episodes[referral_id].assets.add(asset_id)
    _add_responses(episodes, ids)
    _add_other_outcomes(episodes, ids)
    return list(episodes.values())


def _add_responses(episodes: dict[int, Episode], ids) -> None:
    """Pair each referral's complete baseline of an instrument with its latest complete
    follow-up or closure: the rule of `selectors.pair_responses`, applied to rows the
    database returns in (completed_on, recorded_at, id) order, so the last later row is
    the latest. Scores come from the `score` column, or for instruments with several
    measures (ONS4) from `measures` in the database: no JSON is decoded here."""
    known = {instrument.code: instrument for instrument in ordered()}
    several = [m.key for i in known.values() if len(i.measures) > 1 for m in i.measures]
    rows = (
        Response.objects.filter(referral_id__in=ids, complete=True, instrument__in=known)
        .annotate(**{f"m_{key}": KT(f"measures__{key}__score") for key in several})
        .order_by("completed_on", "recorded_at", "id")
        .values_list(
            "referral_id", "instrument", "timepoint", "completed_on", "score",
            *(f"m_{key}" for key in several),
        )
    )  # fmt: skip
    baselines: dict[tuple[int, str], tuple] = {}
    latest: dict[tuple[int, str], tuple] = {}
    for row in rows:
        key = (row[0], row[1])
        if row[2] == Timepoint.BASELINE:
            baselines[key] = row
        else:
            latest[key] = row
    position = {key: n for n, key in enumerate(several, start=5)}
    for key, before in baselines.items():
        episode = episodes[key[0]]
        episode.baselines.add(key[1])
        after = latest.get(key)
        if after is None or after[3] < before[3]:  # a later timepoint dated before it
            continue
        for measure in known[key[1]].measures:
            column = position.get(measure.key, 4)
            if before[column] is None or after[column] is None:
                continue
            episode.changes[measure.key] = classify_change(
                measure, Decimal(before[column]), Decimal(after[column])
            )
            episode.questionnaire_changes = True


def _add_other_outcomes(episodes: dict[int, Episode], ids) -> None:
    fields = (*MONEY, *FLAGS, *OtherOutcomes.CONTACT_FIELDS)
    for referral_id, *values in OtherOutcomes.objects.filter(referral_id__in=ids).values_list(
        "referral_id", *fields
    ):
        episode = episodes[referral_id]
        found = dict(zip(fields, values, strict=True))
        episode.money = {name: found[name] for name in MONEY if found[name] is not None}
        episode.flags = {name for name in FLAGS if found[name]}
        for key, measure in CONTACT_MEASURES.items():
            before, after = found[f"{key}_baseline"], found[f"{key}_follow_up"]
            if before is not None and after is not None:
                episode.changes[key] = classify_change(measure, Decimal(before), Decimal(after))


# --- Cohorts ----------------------------------------------------------------------------


@dataclass
class Cohort:
    """The episodes in a cohort, and for each filter the episodes only that filter keeps
    out: dropping the filter adds them, so they are what differencing would expose. A
    part cut from a larger cohort (a row of a breakdown) also keeps that `parent`:
    dropping the cut adds the rest of it."""

    members: list[Episode]
    near: dict[str, list[Episode]]
    parent: "Cohort | None" = None
    _people: dict[str, set[int]] = field(default_factory=dict, repr=False)

    def people_with(self, key: str) -> set[int]:
        """People with a figure (a measure or money key) in this cohort, computed once."""
        if key not in self._people:
            self._people[key] = {e.person_id for e in self.members if _has(e, key)}
        return self._people[key]

    def split(self, name: str) -> dict[object, "Cohort"]:
        """The cohort's parts by `name` (an episode with several values, e.g. reasons, is
        in each of their parts), in one pass over the episodes."""
        parts: dict[object, Cohort] = {}
        for episode in self.members:
            for key in _values(episode, name):
                if key not in parts:
                    parts[key] = Cohort([], {n: [] for n in self.near}, parent=self)
                parts[key].members.append(episode)
        for near_name, episodes in self.near.items():
            for episode in episodes:
                for key in _values(episode, name):
                    if key in parts:
                        parts[key].near[near_name].append(episode)
        return parts


def _values(episode: Episode, name: str) -> Iterable[object]:
    found = episode.value(name)
    return found if isinstance(found, set) else (found,)


def _has(episode: Episode, key: str) -> bool:
    return key in episode.changes or key in episode.money


def cohort(episodes: Iterable[Episode], filters: Filters) -> Cohort:
    active = filters.active
    members: list[Episode] = []
    near: dict[str, list[Episode]] = {name: [] for name in active}
    for episode in episodes:
        failed = [n for n, chosen in active.items() if not episode.matches(n, chosen.key)]
        if not failed:
            members.append(episode)
        elif len(failed) == 1:
            near[failed[0]].append(episode)
    return Cohort(members, near)


def _latest_by_person(
    episodes: Iterable[Episode], keep: Callable[[Episode], bool]
) -> dict[int, Episode]:
    """Each person's latest episode that `keep` accepts (episodes come oldest first)."""
    found: dict[int, Episode] = {}
    for episode in episodes:
        if keep(episode):
            found[episode.person_id] = episode
    return found


def _differencing(group: Cohort, key: str, people: set[int], rule: DisclosureRule) -> bool:
    """Whether dropping any one filter (or the cut of a breakdown) would add 1–7 people
    to the figure `key`."""
    for episodes in group.near.values():
        added = {e.person_id for e in episodes if _has(e, key)} - people
        if rule.is_withheld(len(added)):
            return True
    if group.parent is not None:
        return rule.is_withheld(len(group.parent.people_with(key) - people))
    return False


# --- Published results ------------------------------------------------------------------


@dataclass
class DistributionRow:
    label: str
    baseline: int | None
    latest: int | None


@dataclass
class MeasureResult:
    key: str
    label: str
    instrument_code: str  # "" for GP and A&E contacts
    instrument_name: str
    higher_is_better: bool
    threshold_note: str
    people: int | None  # published: people with both timepoints
    mean_baseline: float | None = None
    mean_latest: float | None = None
    mean_change: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    improved: int | None = None
    no_change: int | None = None
    worse: int | None = None
    improved_pct: float | None = None
    no_change_pct: float | None = None
    worse_pct: float | None = None
    withheld: str = ""  # "", "few" (1–7 people), "differencing" or "secondary"
    distribution: list[DistributionRow] = field(default_factory=list)
    raw_people: int = 0  # unpublished: only for secondary suppression, never shown

    @property
    def has_statistics(self) -> bool:
        return self.mean_change is not None

    def withhold(self, reason: str) -> None:
        self.mean_baseline = self.mean_latest = self.mean_change = None
        self.ci_low = self.ci_high = None
        self.withheld = reason


def _threshold_note(measure: Measure) -> str:
    if measure.change_threshold is None:
        return "Any change counts (no published threshold)."
    points = measure.change_threshold.normalize()
    return f"A change of {points} point{'' if points == 1 else 's'} or more counts."


def _round(value: float | Decimal | None, digits: int = 2) -> float | None:
    """Half up, as people round by hand (17.545 → 17.55); floats from their shortest
    decimal form."""
    if value is None:
        return None
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    return float(exact.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP))


def _mean(values: list[Decimal]) -> Decimal:
    """The exact mean of scores (Decimals), so rounding it is exact too."""
    return sum(values, Decimal(0)) / len(values)


def _bins(instrument: Instrument | None, measure: Measure) -> list[tuple[str, float, float]]:
    """Ranges (label, from, up to but not including) to show a measure's distribution."""
    if measure.bands:
        return [(f"{b.name.capitalize()} ({b.low}–{b.high})", b.low, b.high + 1)
                for b in measure.bands]  # fmt: skip
    if instrument is None:  # contacts
        return [("None", 0, 1), ("1", 1, 2), ("2–3", 2, 4), ("4–6", 4, 7), ("7 or more", 7, 1e9)]
    if instrument.method == "sum_threshold":
        from linkwork.outcomes.scoring import lonely_threshold

        cut = lonely_threshold(instrument)
        return [
            (f"Not lonely ({measure.minimum}–{cut - 1})", measure.minimum, cut),
            (f"Lonely ({cut}–{measure.maximum})", cut, measure.maximum + 1),
        ]
    if instrument.method == "category":
        return [(option.label, option.value, option.value + 1) for option in instrument.options]
    step = 4 if measure.maximum - measure.minimum > 12 else 2
    edges = list(range(measure.minimum, measure.maximum, step))
    return [
        (
            f"{low}–{low + step - 0.01:g}" if low + step < measure.maximum else
            f"{low}–{measure.maximum}",
            low,
            low + step if low + step < measure.maximum else measure.maximum + 0.01,
        )
        for low in edges
    ]  # fmt: skip


def _bin_of(bins: list[tuple[str, float, float]], value: Decimal) -> str:
    number = float(value)
    for label, low, high in bins:
        if low <= number < high:
            return label
    return bins[-1][0] if number >= bins[-1][1] else bins[0][0]


def _pct(part: int | None, raw_part: int, raw_whole: int, rule: DisclosureRule) -> float | None:
    """A percentage of a cohort, from published counts; None when the part is withheld
    (including secondary suppression)."""
    if part is None:
        return None
    return publish_rate(raw_part, raw_whole, per=100, rule=rule, denominator_is_people_count=True)


def measure_result(
    group: Cohort, instrument: Instrument | None, measure: Measure, rule: DisclosureRule,
    *, with_distribution: bool = True,
) -> MeasureResult:  # fmt: skip
    """The published figures of one measure for one cohort."""
    key = measure.key

    def keep(episode: Episode) -> bool:
        return key in episode.changes

    chosen = _latest_by_person(group.members, keep)
    changes = [episode.changes[key] for episode in chosen.values()]
    n = len(changes)
    counts = {verdict: sum(1 for c in changes if c.verdict == verdict) for verdict in VERDICTS}
    table = suppress_table(
        {(key, verdict): count for verdict, count in counts.items()},
        rule,
        rows=[key],
        columns=list(VERDICTS),
    )
    people = table.row_totals[key] if n else 0
    result = MeasureResult(
        key=key,
        label=measure.label,
        instrument_code=instrument.code if instrument else "",
        instrument_name=instrument.short_name if instrument else "Healthcare use",
        higher_is_better=measure.higher_is_better,
        threshold_note=_threshold_note(measure),
        people=people,
        raw_people=n,
    )
    for verdict in VERDICTS:
        published = table.cells[(key, verdict)]
        name = verdict if verdict != NO_CHANGE else "no_change"
        setattr(result, name, published)
        setattr(result, f"{name}_pct", _pct(published, counts[verdict], n, rule))
    if with_distribution and n:
        bins = _bins(instrument, measure)
        tally: dict[tuple[str, str], int] = defaultdict(int)
        for change in changes:
            tally[(_bin_of(bins, change.baseline), "baseline")] += 1
            tally[(_bin_of(bins, change.latest), "latest")] += 1
        labels = [label for label, _, _ in bins]
        # Each timepoint is its own column of people adding up to n (the rows' sums mean
        # nothing and are never shown), so each is published as a table of its own.
        spread = {
            when: suppress_table(
                {k: v for k, v in tally.items() if k[1] == when}, rule, rows=labels,
                columns=[when],
            )
            for when in ("baseline", "latest")
        }  # fmt: skip
        result.distribution = [
            DistributionRow(label, spread["baseline"].cells[(label, "baseline")],
                            spread["latest"].cells[(label, "latest")])
            for label in labels
        ]  # fmt: skip
    if n == 0:
        return result
    if rule.is_withheld(n):
        result.withhold("few")
        return result
    if _differencing(group, key, set(chosen), rule):
        result.withhold("differencing")
        return result
    stats = paired_mean_ci(float(c.difference) for c in changes)
    result.mean_baseline = _round(publish_statistic(_mean([c.baseline for c in changes]), n, rule))
    result.mean_latest = _round(publish_statistic(_mean([c.latest for c in changes]), n, rule))
    result.mean_change = _round(publish_statistic(_mean([c.difference for c in changes]), n, rule))
    result.ci_low = _round(publish_statistic(stats.low, n, rule))
    result.ci_high = _round(publish_statistic(stats.high, n, rule))
    return result


@dataclass
class SplitCount:
    """A count of people split in two (e.g. with and without a follow-up), published with
    secondary suppression, and the share of the first part."""

    label: str
    total: int | None
    yes: int | None
    no: int | None
    pct: float | None
    # The "no" part is 1–7 people, so "yes" is withheld to protect it: pages may say
    # "nearly all" (all but fewer than the threshold), which the withheld "*" says anyway.
    nearly_all: bool = False


def split_count(label: str, yes: int, no: int, rule: DisclosureRule) -> SplitCount:
    table = suppress_table({("all", "yes"): yes, ("all", "no"): no}, rule, rows=["all"],
                           columns=["yes", "no"])  # fmt: skip
    published = table.cells[("all", "yes")]
    return SplitCount(
        label=label,
        total=table.row_totals["all"],
        yes=published,
        no=table.cells[("all", "no")],
        pct=_pct(published, yes, yes + no, rule),
        nearly_all=("all", "yes") in table.secondary and rule.is_withheld(no),
    )


@dataclass
class MoneyResult:
    key: str
    label: str
    people: int | None
    total: int | None  # whole pounds, to the nearest MONEY_ROUNDING
    withheld: str = ""


def money_result(group: Cohort, key: str, rule: DisclosureRule) -> MoneyResult:
    def keep(episode: Episode) -> bool:
        return key in episode.money

    people = {e.person_id for e in group.members if keep(e)}
    total = math.fsum(float(e.money[key]) for e in group.members if keep(e))
    result = MoneyResult(key, MONEY[key], publish_count(len(people), rule), None)
    if not people:
        result.total = 0
    elif rule.is_withheld(len(people)):
        result.withheld = "few"
    elif _differencing(group, key, people, rule):
        result.withheld = "differencing"
    else:
        published = publish_statistic(total, len(people), rule)
        result.total = None if published is None else (
            int(round(published / MONEY_ROUNDING)) * MONEY_ROUNDING
        )  # fmt: skip
    return result


@dataclass
class BreakdownRow:
    value: str
    label: str
    result: MeasureResult


@dataclass
class Breakdown:
    dimension: str
    label: str
    measure: str
    measure_label: str
    rows: list[BreakdownRow]
    total: MeasureResult
    ignored_filter: bool  # the filter on the same dimension was set aside

    @property
    def measure_words(self) -> str:
        """The measure's label inside a sentence: "anxiety", but "GP contacts"."""
        return _in_sentence(self.measure_label)

    @property
    def label_words(self) -> str:
        return _in_sentence(self.label)


def _in_sentence(label: str) -> str:
    return label[0].lower() + label[1:] if label[1:2].islower() else label


@dataclass
class EvaluationReport:
    filters: Filters
    rule: DisclosureRule
    referred: int | None  # people referred in the cohort
    completion: SplitCount  # of people with a baseline: with any later questionnaire
    improved_any: SplitCount  # of people with a paired measure: improved on at least one
    measures: list[MeasureResult]
    contacts: list[MeasureResult]
    money: list[MoneyResult]
    flags: list[tuple[str, int | None]]
    breakdown: Breakdown | None
    generated_at: dt.datetime

    @property
    def shows_swemwbs(self) -> bool:
        return any(m.instrument_code == "swemwbs" and m.raw_people for m in self.measures)

    def measure(self, key: str) -> MeasureResult | None:
        return next((m for m in [*self.measures, *self.contacts] if m.key == key), None)


def _dimension_rows(dimension: str, present: set) -> list[tuple[object, str, str]]:
    """(key, value, label) of each group of `dimension` present (keys), in order."""
    if dimension == "service":
        names = dict(Organisation.objects.filter(pk__in=present).values_list("id", "name"))
        listed = sorted(((k, str(k), names.get(k, "")) for k in present), key=lambda r: r[2])
    elif dimension == "neighbourhood":
        areas = Area.objects.filter(pk__in=present - {NOT_KNOWN}).values_list("id", "code", "name")
        listed = sorted(areas, key=lambda r: r[2])
    elif dimension == "reason":
        terms = TaxonomyTerm.objects.filter(pk__in=present).values_list("id", "code", "name")
        listed = sorted(terms, key=lambda r: r[2])
    elif dimension == "source":
        listed = [(v, v, label) for v, label in Source.choices if v in present]
    elif dimension == "age_band":
        listed = [(band, band, band) for band in AGE_BANDS if band in present]
    else:
        listed = [(d, str(d), IMD_LABELS.get(d, str(d))) for d in range(1, 11) if d in present]
    if NOT_KNOWN in present:
        listed.append((NOT_KNOWN, NOT_KNOWN, "Not known"))
    return listed


def breakdown(
    episodes: list[Episode], filters: Filters, dimension: str, measure_key: str,
    rule: DisclosureRule,
) -> Breakdown:  # fmt: skip
    """Change on one measure in each group of `dimension` ("change by cohort"). A filter
    on the same dimension is set aside, so the groups can be compared."""
    instrument, measure = next((i, m) for i, m in measures() if m.key == measure_key)
    base = cohort(episodes, filters.without(dimension))
    total = measure_result(base, instrument, measure, rule, with_distribution=False)
    parts = base.split(dimension)
    rows = [
        BreakdownRow(
            value,
            label,
            measure_result(parts[key], instrument, measure, rule, with_distribution=False),
        )
        for key, value, label in _dimension_rows(dimension, set(parts))
    ]
    if dimension in PARTITIONS:
        _protect_counts(rows, rule)
        _protect_partition([row.result for row in rows], rule)
    return Breakdown(
        dimension=dimension,
        label=DIMENSIONS[dimension],
        measure=measure_key,
        measure_label=measure.label,
        rows=rows,
        total=total,
        ignored_filter=dimension in filters.active,
    )


def _protect_counts(rows: list[BreakdownRow], rule: DisclosureRule) -> None:
    """The groups' counts of people add up to the total: publish them as one column with
    secondary suppression, and withhold everything about a group whose count had to go."""
    table = suppress_table(
        {(row.value, "people"): row.result.raw_people for row in rows},
        rule,
        rows=[row.value for row in rows],
        columns=["people"],
    )
    for row in rows:
        if (row.value, "people") in table.secondary:
            found = row.result
            found.people = found.improved = found.no_change = found.worse = None
            found.improved_pct = found.no_change_pct = found.worse_pct = None
            found.withhold("secondary")


def _protect_partition(results: list[MeasureResult], rule: DisclosureRule) -> None:
    """Secondary suppression across groups that add up to the total: while the withheld
    groups together hold 1–7 people, withhold the smallest shown group as well."""
    while True:
        hidden = sum(r.raw_people for r in results if r.raw_people and not r.has_statistics)
        shown = [r for r in results if r.has_statistics]
        if not hidden or not rule.is_withheld(hidden) or not shown:
            return
        min(shown, key=lambda r: r.raw_people).withhold("secondary")


def evaluate(
    filters: Filters,
    services: frozenset[int] | None,
    *,
    by: str | None = "service",
    measure: str = DEFAULT_MEASURE,
    rule: DisclosureRule | None = None,
) -> EvaluationReport:
    """Everything the evaluation page, the CSV and the report show, published."""
    rule = rule or active_rule()
    episodes = load_episodes(filters.period, services)
    group = cohort(episodes, filters)
    people = {e.person_id for e in group.members}
    with_baseline = {e.person_id for e in group.members if e.baselines}
    followed = {e.person_id for e in group.members if e.questionnaire_changes}
    paired = _latest_by_person(group.members, lambda e: e.questionnaire_changes)
    improved = {
        person
        for person, episode in paired.items()
        if any(
            change.verdict == IMPROVED
            for key, change in episode.changes.items()
            if key not in CONTACT_MEASURES
        )
    }
    results = [measure_result(group, i, m, rule) for i, m in measures()]
    return EvaluationReport(
        filters=filters,
        rule=rule,
        referred=publish_count(len(people), rule),
        completion=split_count(
            "Had a follow-up questionnaire", len(followed), len(with_baseline - followed), rule
        ),
        improved_any=split_count(
            "Improved on at least one measure", len(improved), len(paired) - len(improved), rule
        ),
        measures=[r for r in results if r.instrument_code],
        contacts=[r for r in results if not r.instrument_code],
        money=[money_result(group, key, rule) for key in MONEY],
        flags=[
            (
                label,
                publish_count(len({e.person_id for e in group.members if key in e.flags}), rule),
            )  # fmt: skip
            for key, label in FLAGS.items()
        ],
        breakdown=breakdown(episodes, filters, by, measure, rule) if by else None,
        generated_at=timezone.now(),
    )


WITHHELD_WORDS = {
    "few": "Withheld: fewer than {threshold} people.",
    "differencing": "Withheld: with one filter fewer, 1 to {last} more people would be "
    "included, and comparing the two would describe them.",
    "secondary": "Withheld so that the groups withheld for small numbers cannot be worked "
    "out from the total.",
}


def withheld_words(reason: str, rule: DisclosureRule) -> str:
    if not reason:
        return ""
    return WITHHELD_WORDS[reason].format(threshold=rule.threshold, last=rule.threshold - 1)

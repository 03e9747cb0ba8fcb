"""A cohort (the latest episode per person) and its published results per measure:
counts through the disclosure rules, means and CI, distributions, money."""

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from linkwork.disclosure import (
    DisclosureRule,
    publish_count,
    publish_rate,
    publish_statistic,
    suppress_table,
)
from linkwork.outcomes.evaluation.cohorts import (
    MONEY,
    MONEY_ROUNDING,
    VERDICTS,
    Filters,
)
from linkwork.outcomes.evaluation.episodes import (
    Episode,
)
from linkwork.outcomes.evaluation.statistics import (
    paired_mean_ci,
)
from linkwork.outcomes.instruments import (
    Instrument,
    Measure,
)
from linkwork.outcomes.scoring import NO_CHANGE, lonely_threshold

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
        return [
            (f"{b.name.capitalize()} ({b.low}–{b.high})", b.low, b.high + 1) for b in measure.bands
        ]
    if instrument is None:  # contacts
        return [("None", 0, 1), ("1", 1, 2), ("2–3", 2, 4), ("4–6", 4, 7), ("7 or more", 7, 1e9)]
    if instrument.method == "sum_threshold":
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
            f"{low}–{low + step - 0.01:g}"
            if low + step < measure.maximum
            else f"{low}–{measure.maximum}",
            low,
            low + step if low + step < measure.maximum else measure.maximum + 0.01,
        )
        for low in edges
    ]


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
    group: Cohort,
    instrument: Instrument | None,
    measure: Measure,
    rule: DisclosureRule,
    *,
    with_distribution: bool = True,
) -> MeasureResult:
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
                {k: v for k, v in tally.items() if k[1] == when},
                rule,
                rows=labels,
                columns=[when],
            )
            for when in ("baseline", "latest")
        }
        result.distribution = [
            DistributionRow(
                label,
                spread["baseline"].cells[(label, "baseline")],
                spread["latest"].cells[(label, "latest")],
            )
            for label in labels
        ]
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
    table = suppress_table(
        {("all", "yes"): yes, ("all", "no"): no}, rule, rows=["all"], columns=["yes", "no"]
    )
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
        result.total = (
            None if published is None else (int(round(published / MONEY_ROUNDING)) * MONEY_ROUNDING)
        )
    return result

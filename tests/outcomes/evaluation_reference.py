"""The evaluation as it was computed before issue 19 (item 4): an `Episode` per referral
from `load_episodes`, cohorts as lists of episodes, and every figure computed in Python.
Kept as the reference the SQL tallies (`evaluation.tallies`) must agree with, figure for
figure (tests/outcomes/test_evaluation_figures.py)."""

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from linkwork.disclosure import (
    DisclosureRule,
    active_rule,
    publish_count,
    publish_statistic,
    suppress_table,
)
from linkwork.outcomes.evaluation import (
    CONTACT_MEASURES,
    DEFAULT_MEASURE,
    DIMENSIONS,
    FLAGS,
    MONEY,
    MONEY_ROUNDING,
    PARTITIONS,
    VERDICTS,
    Breakdown,
    BreakdownRow,
    DistributionRow,
    Episode,
    EvaluationReport,
    Filters,
    MeasureResult,
    MoneyResult,
    load_episodes,
    measures,
    paired_mean_ci,
    split_count,
)
from linkwork.outcomes.evaluation.report import (
    _dimension_rows,
    _protect_counts,
    _protect_partition,
)
from linkwork.outcomes.evaluation.results import _bin_of, _bins, _pct, _round, _threshold_note
from linkwork.outcomes.instruments import Instrument, Measure
from linkwork.outcomes.scoring import IMPROVED, NO_CHANGE

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


def _mean(values: list[Decimal]) -> Decimal:
    """The exact mean of scores (Decimals), so rounding it is exact too."""
    return sum(values, Decimal(0)) / len(values)


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


def breakdown(
    episodes: list[Episode],
    filters: Filters,
    dimension: str,
    measure_key: str,
    rule: DisclosureRule,
) -> Breakdown:
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
            )
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

"""A cohort's published results per measure, from its tallies: counts through the
disclosure rules, means and CI, distributions, money."""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
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
)
from linkwork.outcomes.evaluation.statistics import (
    paired_mean_ci_counted,
)
from linkwork.outcomes.instruments import (
    Instrument,
    Measure,
)
from linkwork.outcomes.scoring import NO_CHANGE, Change, classify_change, lonely_threshold

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


def _mean(changes: list[tuple[Change, int]], name: str, n: int) -> Decimal:
    """The exact mean of scores (Decimals), so rounding it is exact too."""
    return sum((getattr(c, name) * count for c, count in changes), Decimal(0)) / n


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


def _withheld(added: Iterable[int], rule: DisclosureRule) -> bool:
    """Differencing: whether dropping any one filter (or the cut of a breakdown) would
    add 1–7 people to the figure (`added`: how many each would add)."""
    return any(rule.is_withheld(n) for n in added)


def measure_result(
    pairs: Counter,
    instrument: Instrument | None,
    measure: Measure,
    rule: DisclosureRule,
    *,
    added: Iterable[int] = (),
    with_distribution: bool = True,
) -> MeasureResult:
    """The published figures of one measure for one cohort, from how many people (each
    at their latest referral with the measure) had each (baseline, latest) pair of
    scores; `added`: how many people with the measure each cohort with one filter fewer
    (or the whole of a breakdown) holds besides."""
    key = measure.key
    changes = [
        (classify_change(measure, before, after), count)
        for (before, after), count in sorted(pairs.items())
        if count
    ]
    n = sum(count for _, count in changes)
    counts = {
        verdict: sum(count for c, count in changes if c.verdict == verdict) for verdict in VERDICTS
    }
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
        for change, count in changes:
            tally[(_bin_of(bins, change.baseline), "baseline")] += count
            tally[(_bin_of(bins, change.latest), "latest")] += count
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
    if _withheld(added, rule):
        result.withhold("differencing")
        return result
    stats = paired_mean_ci_counted((float(c.difference), count) for c, count in changes)
    result.mean_baseline = _round(publish_statistic(_mean(changes, "baseline", n), n, rule))
    result.mean_latest = _round(publish_statistic(_mean(changes, "latest", n), n, rule))
    result.mean_change = _round(publish_statistic(_mean(changes, "difference", n), n, rule))
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


def money_result(
    key: str, amounts: Counter, people: int, rule: DisclosureRule, *, added: Iterable[int] = ()
) -> MoneyResult:
    """A money total: `amounts` counts the referrals that recorded each amount, `people`
    the people they belong to."""
    total = math.fsum(amount for amount, count in amounts.items() for _ in range(count))
    result = MoneyResult(key, MONEY[key], publish_count(people, rule), None)
    if not people:
        result.total = 0
    elif rule.is_withheld(people):
        result.withheld = "few"
    elif _withheld(added, rule):
        result.withheld = "differencing"
    else:
        published = publish_statistic(total, people, rule)
        result.total = (
            None if published is None else (int(round(published / MONEY_ROUNDING)) * MONEY_ROUNDING)
        )
    return result

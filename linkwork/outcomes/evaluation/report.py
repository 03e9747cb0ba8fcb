"""The whole report: the cohort's results, a breakdown by one dimension with
secondary suppression across its rows, and the words for withheld figures."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from linkwork.directory.models import Organisation, TaxonomyTerm
from linkwork.disclosure import (
    DisclosureRule,
    active_rule,
    publish_count,
    suppress_table,
)
from linkwork.outcomes.evaluation.cohorts import (
    DEFAULT_MEASURE,
    DIMENSIONS,
    FLAGS,
    IMD_LABELS,
    MONEY,
    NOT_KNOWN,
    PARTITIONS,
    Filters,
    measures,
)
from linkwork.outcomes.evaluation.facts import ANY, BASELINE, PAIRED
from linkwork.outcomes.evaluation.results import (
    MeasureResult,
    MoneyResult,
    SplitCount,
    measure_result,
    money_result,
    split_count,
)
from linkwork.outcomes.evaluation.tallies import Tallies, tallies
from linkwork.places.models import AGE_BANDS, Area
from linkwork.referrals.models import Source


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
    found: Tallies,
    filters: Filters,
    dimension: str,
    measure_key: str,
    rule: DisclosureRule,
) -> Breakdown:
    """Change on one measure in each group of `dimension` ("change by cohort"). A filter
    on the same dimension is set aside, so the groups can be compared."""
    instrument, measure = next((i, m) for i, m in measures() if m.key == measure_key)
    base = frozenset([dimension]) & frozenset(filters.active)
    others = [name for name in filters.active if name != dimension]
    whole = found.count(base, measure_key)
    total = measure_result(
        found.pairs_of(base, measure_key),
        instrument,
        measure,
        rule,
        added=[found.count(base | {name}, measure_key) - whole for name in others],
        with_distribution=False,
    )

    def part(key: object) -> MeasureResult:
        people = found.part_people.get((base, key), 0)
        added = [found.part_people.get((base | {name}, key), 0) - people for name in others]
        return measure_result(
            found.part_pairs.get(key, Counter()),
            instrument,
            measure,
            rule,
            added=[*added, whole - people],
            with_distribution=False,
        )

    rows = [
        BreakdownRow(value, label, part(key))
        for key, value, label in _dimension_rows(dimension, set(found.parts))
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
    found = tallies(filters, services, by=by, measure=measure)
    none: frozenset[str] = frozenset()
    chosen = list(filters.active)

    def added(key: str) -> list[int]:
        return [found.count(frozenset([name]), key) - found.count(none, key) for name in chosen]

    results = [
        measure_result(found.pairs_of(none, m.key), i, m, rule, added=added(m.key))
        for i, m in measures()
    ]
    with_baseline, followed = found.count(none, BASELINE), found.count(none, PAIRED)
    return EvaluationReport(
        filters=filters,
        rule=rule,
        referred=publish_count(found.count(none, ANY), rule),
        completion=split_count(
            "Had a follow-up questionnaire", followed, with_baseline - followed, rule
        ),
        improved_any=split_count(
            "Improved on at least one measure", found.improved, followed - found.improved, rule
        ),
        measures=[r for r in results if r.instrument_code],
        contacts=[r for r in results if not r.instrument_code],
        money=[
            money_result(
                key,
                found.amounts.get(key, Counter()),
                found.count(none, key),
                rule,
                added=added(key),
            )
            for key in MONEY
        ],
        flags=[
            (label, publish_count(found.count(none, key), rule)) for key, label in FLAGS.items()
        ],
        breakdown=breakdown(found, filters, by, measure, rule) if by else None,
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

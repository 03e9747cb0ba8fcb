"""Small-number disclosure control: the only road to a published figure.

Every count of people, rate or statistic that leaves Linkwork in an aggregate
(insight pages, the public neighbourhood pages, evaluation, CSV downloads, the
API) passes through this module. The rule is DESIGN.md §5, NHS Digital's by
default and configurable per deployment (settings `DISCLOSURE_THRESHOLD`,
`DISCLOSURE_ROUNDING`):

- a count of 0 people is shown as 0;
- 1 to threshold-1 (1–7) people: withheld (`None`; pages show `*`, the API `null`);
- threshold and over: rounded to the nearest `rounding` (5);
- a total is summed from the unrounded values, then published by the same rule;
- a mean, median or rate about 1–7 people is withheld, and rates are computed
  from the *published* (rounded) count, so a rate never gives the exact count
  back;
- counts that are not about people (e.g. number of services) are not passed
  through here: they are shown as they are.

Rounding to 5 is also the defence against differencing: two queries that
differ by one filter publish rounded counts, so their difference never pins
down a withheld cell (tests try every case). Within a table,
`suppress_table` adds secondary suppression, so no withheld cell can be
narrowed down from the row and column totals.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings


@dataclass(frozen=True)
class DisclosureRule:
    threshold: int = 8
    rounding: int = 5

    def __post_init__(self) -> None:
        if self.threshold < 1 or self.rounding < 1:
            raise ValueError("The disclosure threshold and rounding must be at least 1.")

    def is_withheld(self, count: int) -> bool:
        return 0 < count < self.threshold

    def round(self, count: int) -> int:
        # Half up, in integers: 12 → 10, 13 → 15 with rounding 5.
        return (2 * count + self.rounding) // (2 * self.rounding) * self.rounding


def active_rule() -> DisclosureRule:
    """The deployment's rule, from settings."""
    return DisclosureRule(
        threshold=getattr(settings, "DISCLOSURE_THRESHOLD", 8),
        rounding=getattr(settings, "DISCLOSURE_ROUNDING", 5),
    )


def publish_count(count: int | None, rule: DisclosureRule | None = None) -> int | None:
    """A count of people as it may be published: 0, None (withheld) or rounded."""
    if count is None:
        return None
    if count < 0:
        raise ValueError("A count of people cannot be negative.")
    rule = rule or active_rule()
    if count == 0:
        return 0
    if rule.is_withheld(count):
        return None
    return rule.round(count)


def publish_total(counts: Iterable[int], rule: DisclosureRule | None = None) -> int | None:
    """A total summed from the unrounded counts, then published."""
    return publish_count(sum(counts), rule)


def publish_statistic(
    value: float | None, people: int, rule: DisclosureRule | None = None
) -> float | None:
    """A mean, median or other statistic about `people` people; withheld for 0–7 people."""
    rule = rule or active_rule()
    if value is None or people <= 0 or rule.is_withheld(people):
        return None
    return value


def publish_rate(
    numerator: int,
    denominator: int | None,
    per: int = 1000,
    rule: DisclosureRule | None = None,
    *,
    denominator_is_people_count: bool = False,
    digits: int = 1,
) -> float | None:
    """`numerator` per `per` of `denominator`, from the published numerator.

    Withheld when the numerator is withheld or the denominator is 0. A
    denominator that is itself a count of our records about people (rather than
    a census population) is published by the same rule first.
    """
    rule = rule or active_rule()
    published = publish_count(numerator, rule)
    if published is None or not denominator:
        return None
    if denominator_is_people_count:
        denominator = publish_count(denominator, rule)
        if not denominator:
            return None
    return round(published / denominator * per, digits)


@dataclass
class PublishedTable:
    """A two-way table of counts of people, published with secondary suppression.

    `cells` and the totals hold published values (None = withheld); `withheld`
    names every withheld cell, primary (1–7 people) and secondary (withheld so
    that the primary ones cannot be recovered from the totals).
    """

    rows: list[Hashable]
    columns: list[Hashable]
    cells: dict[tuple[Hashable, Hashable], int | None]
    row_totals: dict[Hashable, int | None]
    column_totals: dict[Hashable, int | None]
    grand_total: int | None
    withheld: set[tuple[Hashable, Hashable]] = field(default_factory=set)
    secondary: set[tuple[Hashable, Hashable]] = field(default_factory=set)

    def value(self, row: Hashable, column: Hashable) -> int | None:
        return self.cells[(row, column)]


_TOTAL = object()  # stands for "the total" of a row or column in the suppression pass


def suppress_table(
    counts: Mapping[tuple[Hashable, Hashable], int],
    rule: DisclosureRule | None = None,
    *,
    rows: Iterable[Hashable] | None = None,
    columns: Iterable[Hashable] | None = None,
) -> PublishedTable:
    """Publish a table of counts with primary and secondary suppression.

    Missing cells are 0. In every row and every column (each with its total), a
    withheld value must never be the only one: if it is, the smallest other
    non-zero cell is withheld too (or, failing that, the total), repeated until
    no line has a lone withheld value.
    """
    rule = rule or active_rule()
    rows = list(dict.fromkeys(rows if rows is not None else (r for r, _ in counts)))
    columns = list(dict.fromkeys(columns if columns is not None else (c for _, c in counts)))
    raw = {(r, c): int(counts.get((r, c), 0)) for r in rows for c in columns}
    row_raw = {r: sum(raw[(r, c)] for c in columns) for r in rows}
    column_raw = {c: sum(raw[(r, c)] for r in rows) for c in columns}
    grand_raw = sum(row_raw.values())

    # Keys: (row, column) for cells, (row, _TOTAL) / (_TOTAL, column) for totals,
    # (_TOTAL, _TOTAL) for the grand total.
    value = dict(raw)
    value.update({(r, _TOTAL): v for r, v in row_raw.items()})
    value.update({(_TOTAL, c): v for c, v in column_raw.items()})
    value[(_TOTAL, _TOTAL)] = grand_raw
    hidden = {key for key, v in value.items() if rule.is_withheld(v)}
    primary = set(hidden)

    lines = [[(r, c) for c in [*columns, _TOTAL]] for r in [*rows, _TOTAL]]
    lines += [[(r, c) for r in [*rows, _TOTAL]] for c in [*columns, _TOTAL]]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for key in line if key in hidden) != 1:
                continue
            candidates = [key for key in line[:-1] if key not in hidden and value[key] > 0]
            extra = min(candidates, key=lambda key: value[key]) if candidates else line[-1]
            if extra in hidden:  # a line whose only other member is a zero total
                continue
            hidden.add(extra)
            changed = True

    def published(key: tuple) -> int | None:
        return None if key in hidden else publish_count(value[key], rule)

    cell_keys = set(raw)
    return PublishedTable(
        rows=rows,
        columns=columns,
        cells={key: published(key) for key in raw},
        row_totals={r: published((r, _TOTAL)) for r in rows},
        column_totals={c: published((_TOTAL, c)) for c in columns},
        grand_total=published((_TOTAL, _TOTAL)),
        withheld=hidden & cell_keys,
        secondary=(hidden - primary) & cell_keys,
    )


def display(value: int | float | None) -> str:
    """How a published figure reads on a page or in a CSV: `*` when withheld."""
    return "*" if value is None else f"{value:,}" if isinstance(value, int) else str(value)

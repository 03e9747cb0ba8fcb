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

import heapq
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


def publish_counts(counts: Iterable[int], rule: DisclosureRule | None = None) -> list[int | None]:
    """Many counts of people published at once, each as `publish_count` would (a report's
    thousands of cells in one call rather than one call each)."""
    rule = rule or active_rule()
    threshold, rounding = rule.threshold, rule.rounding
    twice = 2 * rounding
    published: list[int | None] = []
    add = published.append
    for count in counts:
        if count < 0:
            raise ValueError("A count of people cannot be negative.")
        # 0; withheld (1 to threshold - 1); rounded half up, as DisclosureRule.round.
        add(
            0
            if count == 0
            else None
            if count < threshold
            else (2 * count + rounding) // twice * rounding
        )
    return published


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


class _Cells(dict):
    """Published cells, holding only the non-zero ones: any other cell of the table is a
    true 0 (zeros are never withheld), so `cells[(row, column)]` reads 0 for it."""

    def __init__(self, values: dict, rows: Iterable[Hashable], columns: Iterable[Hashable]):
        super().__init__(values)
        self._rows, self._columns = set(rows), set(columns)

    def __missing__(self, key: tuple[Hashable, Hashable]) -> int:
        if len(key) == 2 and key[0] in self._rows and key[1] in self._columns:
            return 0
        raise KeyError(key)


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

    The lines are visited in passes, in order (rows, the totals row, columns, the totals
    column), until a pass changes nothing; but only lines holding exactly one withheld
    value are visited, and only non-zero cells are looked at. A table of 800 areas × 20
    categories is mostly zeros with a few withheld cells, so this is a walk over those
    few lines rather than over every cell, many times.
    """
    rule = rule or active_rule()
    rows = list(dict.fromkeys(rows if rows is not None else (r for r, _ in counts)))
    columns = list(dict.fromkeys(columns if columns is not None else (c for _, c in counts)))
    n_rows, n_columns = len(rows), len(columns)
    row_at = {r: i for i, r in enumerate(rows)}
    column_at = {c: j for j, c in enumerate(columns)}
    row_at[_TOTAL], column_at[_TOTAL] = n_rows, n_columns

    # Keys: (row, column) for cells, (row, _TOTAL) / (_TOTAL, column) for totals and
    # (_TOTAL, _TOTAL) for the grand total. Only non-zero values are kept: a zero is
    # never withheld nor chosen to protect another.
    value: dict[tuple, int] = {}
    row_raw = dict.fromkeys(rows, 0)
    column_raw = dict.fromkeys(columns, 0)
    for key, count in counts.items():
        r, c = key
        if count and r in row_raw and c in column_raw:
            # The caller's key, not a new tuple: a report's tables hold tens of thousands.
            value[key] = count = int(count)
            row_raw[r] += count
            column_raw[c] += count
    cell_keys = list(value)
    value.update({(r, _TOTAL): n for r, n in row_raw.items() if n})
    value.update({(_TOTAL, c): n for c, n in column_raw.items() if n})
    if grand := sum(row_raw.values()):
        value[(_TOTAL, _TOTAL)] = grand

    # Line k: rows in order then the totals row (k = 0..n_rows), then columns in order
    # then the totals column; each line's non-zero members, its total among them. (Not
    # in line order: a visit breaks ties by position, so nothing needs sorting.)
    members: list[list[tuple]] = [[] for _ in range(n_rows + n_columns + 2)]
    first_column_line = n_rows + 1

    def lines_of(key: tuple) -> tuple[int, int]:
        return row_at[key[0]], first_column_line + column_at[key[1]]

    for key in value:
        members[row_at[key[0]]].append(key)
        members[first_column_line + column_at[key[1]]].append(key)

    def total_of(line: int) -> tuple:
        if line <= n_rows:
            return (rows[line] if line < n_rows else _TOTAL, _TOTAL)
        j = line - n_rows - 1
        return (_TOTAL, columns[j] if j < n_columns else _TOTAL)

    def place(key: tuple) -> tuple[int, int, int]:
        # The smallest first; of equals, the first in the line (a line's members share
        # one coordinate, so comparing both positions compares places in the line).
        return value[key], row_at[key[0]], column_at[key[1]]

    is_withheld, threshold = rule.is_withheld, rule.threshold
    # `is_withheld` inline (every value is non-zero): a table can hold 500,000 cells.
    hidden = {key for key, v in value.items() if v < threshold}
    primary = set(hidden)
    withheld_in_line = [0] * len(members)
    for r, c in hidden:
        withheld_in_line[row_at[r]] += 1
        withheld_in_line[first_column_line + column_at[c]] += 1

    lone = {line for line, n in enumerate(withheld_in_line) if n == 1}
    while lone:
        this_pass, lone = sorted(lone), set()
        heapq.heapify(this_pass)
        queued = set(this_pass)
        while this_pass:
            line = heapq.heappop(this_pass)
            if withheld_in_line[line] != 1:
                continue
            total = total_of(line)
            candidates = [key for key in members[line] if key != total and key not in hidden]
            if candidates:
                extra = min(candidates, key=place)
            elif total in hidden:  # the lone withheld value is the total: nothing to add
                continue
            else:
                extra = total
            hidden.add(extra)
            for other in lines_of(extra):
                withheld_in_line[other] += 1
                if withheld_in_line[other] != 1:
                    continue
                if other > line and other not in queued:  # later in this pass
                    heapq.heappush(this_pass, other)
                    queued.add(other)
                elif other <= line:
                    lone.add(other)

    def published(key: tuple) -> int | None:
        if key in hidden:
            return None
        count = value.get(key, 0)
        return 0 if not count else None if is_withheld(count) else rule.round(count)

    # The cells (thousands) as `published` would make them, inline: each is non-zero, so
    # withheld when hidden or under the threshold, else rounded as `DisclosureRule.round`.
    rounding = rule.rounding
    twice = 2 * rounding
    withheld = hidden.intersection(cell_keys)
    return PublishedTable(
        rows=rows,
        columns=columns,
        cells=_Cells(
            {
                key: None
                if key in withheld or (count := value[key]) < threshold
                else (2 * count + rounding) // twice * rounding
                for key in cell_keys
            },
            rows,
            columns,
        ),
        row_totals={r: published((r, _TOTAL)) for r in rows},
        column_totals={c: published((_TOTAL, c)) for c in columns},
        grand_total=published((_TOTAL, _TOTAL)),
        withheld=withheld,
        secondary=withheld - primary,
    )


def display(value: int | float | None) -> str:
    """How a published figure reads on a page or in a CSV: `*` when withheld."""
    return "*" if value is None else f"{value:,}" if isinstance(value, int) else str(value)

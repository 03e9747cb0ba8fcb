"""The disclosure rule, and attempts to get a withheld count back out of published figures."""

import itertools
import random

import pytest

from linkwork.disclosure import (
    DisclosureRule,
    active_rule,
    display,
    publish_count,
    publish_counts,
    publish_rate,
    publish_statistic,
    publish_total,
    suppress_table,
)

NHS = DisclosureRule(threshold=8, rounding=5)


@pytest.mark.parametrize(
    ("count", "published"),
    [(0, 0), (1, None), (7, None), (8, 10), (12, 10), (13, 15), (17, 15), (18, 20), (102, 100)],
)
def test_counts_of_people_are_withheld_below_eight_and_rounded_to_five(count, published):
    assert publish_count(count, NHS) == published


@pytest.mark.parametrize(
    "rule", [NHS, DisclosureRule(threshold=11, rounding=10), DisclosureRule(1, 1)]
)
def test_many_counts_at_once_publish_as_each_alone(rule):
    counts = [*range(120), 1003, 10**12 + 7]
    assert publish_counts(counts, rule) == [publish_count(n, rule) for n in counts]
    with pytest.raises(ValueError):
        publish_counts([3, -1], rule)


def test_the_rule_comes_from_settings(settings):
    settings.DISCLOSURE_THRESHOLD = 11
    settings.DISCLOSURE_ROUNDING = 10
    assert active_rule() == DisclosureRule(threshold=11, rounding=10)
    assert publish_count(10) is None
    assert publish_count(14) == 10
    assert publish_count(15) == 20


def test_a_negative_count_or_a_nonsense_rule_is_refused():
    with pytest.raises(ValueError):
        publish_count(-1, NHS)
    with pytest.raises(ValueError):
        DisclosureRule(threshold=0)


def test_totals_are_summed_unrounded_then_rounded():
    # 9 + 9 + 9 = 27 → 25; summing the rounded cells would say 30.
    assert publish_total([9, 9, 9], NHS) == 25
    assert publish_total([3, 4], NHS) is None


def test_statistics_about_one_to_seven_people_are_withheld():
    assert publish_statistic(4.2, 7, NHS) is None
    assert publish_statistic(4.2, 0, NHS) is None
    assert publish_statistic(4.2, 8, NHS) == 4.2
    assert publish_statistic(None, 20, NHS) is None


def test_rates_are_withheld_with_their_count_and_computed_from_the_published_count():
    assert publish_rate(5, 1000, rule=NHS) is None
    assert publish_rate(0, 1000, rule=NHS) == 0.0
    # 13 people in 1,000 residents: published as 15 per 1,000, never 13.
    assert publish_rate(13, 1000, rule=NHS) == 15.0
    assert publish_rate(13, 0, rule=NHS) is None
    # A percentage of a count of people: both sides published first.
    assert publish_rate(9, 21, per=100, rule=NHS, denominator_is_people_count=True) == 50.0
    assert publish_rate(9, 5, per=100, rule=NHS, denominator_is_people_count=True) is None


def test_a_rate_never_gives_the_exact_count_back():
    population = 1234
    for count in range(8, 60):
        rate = publish_rate(count, population, rule=NHS)
        recovered = rate * population / 1000
        assert round(recovered) % 5 == 0


def test_display():
    assert display(None) == "*"
    assert display(1234) == "1,234"
    assert display(2.5) == "2.5"


def test_differencing_two_queries_never_pins_down_a_withheld_count():
    """Two queries differ by one filter; the people that filter removes are 1–7.

    For every true pair of counts, an attacker who sees both published figures
    must still find at least two possible sizes for the removed group.
    """
    published = {n: publish_count(n, NHS) for n in range(0, 400)}
    by_value: dict[int | None, list[int]] = {}
    for n, p in published.items():
        by_value.setdefault(p, []).append(n)
    for wider, difference in itertools.product(range(1, 390), range(1, 8)):
        narrower = wider - difference
        if narrower < 0:
            continue
        possible = {
            w - n
            for w in by_value[published[wider]]
            for n in by_value[published[narrower]]
            if 1 <= w - n <= 7
        }
        assert len(possible) >= 2, (wider, narrower, possible)


def test_a_table_withholds_small_cells_and_keeps_zero_and_rounds_the_rest():
    table = suppress_table(
        {("Tonge", "debt"): 23, ("Tonge", "isolation"): 0, ("Farnworth", "debt"): 40},
        rule=NHS,
    )
    assert table.value("Tonge", "debt") == 25
    assert table.value("Tonge", "isolation") == 0
    assert table.value("Farnworth", "isolation") == 0  # missing cells are 0
    assert table.grand_total == 65
    assert table.withheld == set()


def test_a_lone_withheld_cell_cannot_be_recovered_from_its_row_total():
    counts = {
        ("Tonge", "debt"): 3,
        ("Tonge", "isolation"): 30,
        ("Tonge", "housing"): 45,
        ("Farnworth", "debt"): 50,
        ("Farnworth", "isolation"): 20,
        ("Farnworth", "housing"): 60,
    }
    table = suppress_table(counts, rule=NHS)
    assert ("Tonge", "debt") in table.withheld
    _assert_no_line_has_a_lone_withheld_value(table)
    # The complementary cell chosen is the smallest other one in the row.
    assert ("Tonge", "isolation") in table.secondary


def test_secondary_suppression_holds_on_random_tables():
    generator = random.Random(20261124)
    for _ in range(300):
        rows = range(generator.randint(1, 6))
        columns = range(generator.randint(1, 6))
        counts = {
            (r, c): generator.choice([0, 0, 1, 3, 6, 7, 8, 9, 12, 25, 60])
            for r in rows
            for c in columns
        }
        table = suppress_table(counts, rule=NHS)
        for key, count in counts.items():
            if 0 < count < 8:
                assert table.cells[key] is None
            elif key not in table.withheld:
                assert table.cells[key] == publish_count(count, NHS)
        _assert_no_line_has_a_lone_withheld_value(table)


def _assert_no_line_has_a_lone_withheld_value(table):
    for r in table.rows:
        line = [table.cells[(r, c)] for c in table.columns] + [table.row_totals[r]]
        assert line.count(None) != 1, (r, line)
    for c in table.columns:
        line = [table.cells[(r, c)] for r in table.rows] + [table.column_totals[c]]
        assert line.count(None) != 1, (c, line)
    line = [table.row_totals[r] for r in table.rows] + [table.grand_total]
    assert line.count(None) != 1, line
    line = [table.column_totals[c] for c in table.columns] + [table.grand_total]
    assert line.count(None) != 1, line


def _withheld_by_the_plain_rule(counts, rows, columns, rule):
    """The rule as written in `suppress_table`'s docstring, the slow way: every line of the
    dense table (each row and column with its total) in passes until none changes."""
    total = object()
    value = {(r, c): counts.get((r, c), 0) for r in rows for c in columns}
    for r in rows:
        value[(r, total)] = sum(value[(r, c)] for c in columns)
    for c in columns:
        value[(total, c)] = sum(value[(r, c)] for r in rows)
    value[(total, total)] = sum(value[(r, total)] for r in rows)
    hidden = {key for key, v in value.items() if rule.is_withheld(v)}
    lines = [[(r, c) for c in [*columns, total]] for r in [*rows, total]]
    lines += [[(r, c) for r in [*rows, total]] for c in [*columns, total]]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(key in hidden for key in line) != 1:
                continue
            candidates = [key for key in line[:-1] if key not in hidden and value[key] > 0]
            extra = min(candidates, key=value.__getitem__) if candidates else line[-1]
            if extra not in hidden:
                hidden.add(extra)
                changed = True
    return {key for key in hidden if total not in key}


def test_the_fast_walk_withholds_exactly_what_the_plain_rule_does():
    generator = random.Random(24112026)
    spreads = [
        [0, 0, 1, 3, 6, 7, 8, 9, 12, 25, 60],
        [0, 0, 0, 0, 0, 1, 2, 8, 8, 9],  # ties and chains of complementary cells
        [0, 1, 1, 1, 2, 8],
        [0, 0, 0, 0, 0, 0, 0, 0, 3, 10],  # sparse, like areas × categories
    ]
    for _ in range(1500):
        rows, columns = range(generator.randint(1, 9)), range(generator.randint(1, 9))
        spread = generator.choice(spreads)
        counts = {(r, c): generator.choice(spread) for r in rows for c in columns}
        table = suppress_table(counts, rule=NHS)
        assert table.withheld == _withheld_by_the_plain_rule(counts, rows, columns, NHS), counts

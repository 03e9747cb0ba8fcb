"""Nothing that leaves insight shows 1–7 people, or lets such a number be worked out.

Random small worlds full of small numbers; every selector at both levels; every figure
checked: counts of people are 0, withheld (None) or a multiple of 5 of at least 8; rates
and scores of withheld counts are withheld; a table's totals never leave exactly one
withheld cell in a row or column; evidence never states a small number.
"""

import random
import re
from dataclasses import fields, is_dataclass

import pytest

from linkwork.insight.exports import csv_text, gaps_csv
from linkwork.insight.selectors import (
    DEMAND_MEASURES,
    demand,
    equity,
    gaps,
    group_load,
    insight_scope,
    measure_by_area,
)

PEOPLE = {
    "demand",
    "unmet",
    "waitlisted",
    "interests",
    "need",
    "referred",
    "declined",
    "returned",
    "connected",
    "improved",
    "referrals_received",
    "accepted",
    "attending",
}
NEEDS = ["need-money-debt", "need-loneliness", "need-food", "need-housing"]
ACTIVITIES = ["activity-walking", "activity-arts-crafts"]
# A number of people as evidence states it: "15 people", "10 could not", "(10 because".
PEOPLE_IN_WORDS = re.compile(r"(?<![Ff]ewer than )\b(\d[\d,]*) (?:people|could not|because)")


def published(value) -> bool:
    return value is None or value == 0 or (value >= 8 and value % 5 == 0)


def small_world(build, town, seed: int) -> None:
    rng = random.Random(seed)
    lsoas = [town.north_a, town.north_b, town.south]
    listing = build.asset("Club", [NEEDS[1], ACTIVITIES[0]], lsoa=town.south, sessions=1)
    for lsoa in lsoas:
        for need in NEEDS:
            if rng.random() < 0.8:
                build.refer(
                    rng.randint(1, 12),
                    lsoa,
                    [need],
                    status=rng.choice(["received", "declined", "returned", "in_progress"]),
                )
            if rng.random() < 0.6:
                build.unmet(rng.randint(1, 10), lsoa, need, rng.choice(["none_exists", "cost"]))
        for activity in ACTIVITIES:
            build.interests(rng.randint(0, 10), activity, lsoa=lsoa)
        build.connect(
            rng.randint(0, 9), lsoa, listing, rng.choice(["waitlisted", "attending", "accepted"])
        )


def check_people_counts(item) -> None:
    assert is_dataclass(item)
    for field in fields(item):
        value = getattr(item, field.name)
        if field.name in PEOPLE:
            assert published(value), (field.name, value, item)
        if field.name == "unmet_by_reason":
            assert all(published(v) for v in value.values()), item
    for count, rate in (("referred", "referral_rate"), ("connected", "connection_rate")):
        if hasattr(item, rate) and getattr(item, count) is None:
            assert getattr(item, rate) is None, item
    if hasattr(item, "score") and getattr(item, "need", 0) is None:
        assert item.score is None, item
    if hasattr(item, "suppressed"):
        for name in item.suppressed:
            assert getattr(item, name) is None, (name, item)


def check_evidence(text: str) -> None:
    for number in PEOPLE_IN_WORDS.findall(text):
        assert published(int(number.replace(",", ""))), (number, text)


def check_no_lone_withheld_cell(report) -> None:
    """In every area's row and every category's column, with the total published, a
    withheld cell is never alone (it could be recovered by subtraction)."""
    for measure in DEMAND_MEASURES:
        cells = {(r.area_code, r.category): getattr(r, measure) for r in report.rows}
        for area, totals in report.totals_by_area.items():
            line = [v for (a, _), v in cells.items() if a == area]
            if totals[measure] is not None:
                assert sum(v is None for v in line) != 1, (measure, area, line)
        for category, totals in report.totals_by_category.items():
            line = [v for (_, c), v in cells.items() if c == category]
            if totals[measure] is not None:
                assert sum(v is None for v in line) != 1, (measure, category, line)


@pytest.mark.parametrize("seed", range(4))
def test_no_small_number_leaves_insight(build, town, seed):
    small_world(build, town, seed)

    for level in ("neighbourhood", "lsoa"):
        for area in (None, "N-NORTH"):
            scope = insight_scope(level=level, area=area)
            for row in gaps(scope):
                check_people_counts(row)
                check_evidence(row.evidence)
            report = demand(scope)
            for row in report.rows:
                check_people_counts(row)
            check_no_lone_withheld_cell(report)
            assert all(published(v) for v in report.people_by_area.values())
            for dimension in ("imd_decile", "age_band", "sex", "ethnicity"):
                table = equity(scope, dimension)
                for row in [*table.rows, table.total]:
                    check_people_counts(row)
            for row in group_load(scope):
                check_people_counts(row)
            for measure in ("people_referred", "unmet", "waitlisted", "interests", "need"):
                for value in measure_by_area(scope, measure):
                    assert published(value.value), (measure, value)


def test_the_csv_shows_withheld_counts_as_a_star(build, town):
    build.unmet(3, town.south, "need-housing")
    build.unmet(20, town.north_a, "need-food")
    build.unmet(9, town.north_b, "need-housing")

    rows = gaps_csv(gaps(insight_scope(level="lsoa")))
    text = csv_text(rows)

    assert rows[0][:6] == ["rank", "area_code", "area_name", "category", "category_name", "demand"]
    withheld = [row for row in rows[1:] if row[2] == town.south.name]
    assert withheld[0][6] == "*"  # unmet
    assert text.startswith("rank,area_code,")
    for line in rows[1:]:
        for value in line[5:10]:
            assert value == "*" or published(int(value)), line


def test_the_load_csv_lays_out_every_group(build, town):
    from linkwork.insight.exports import group_load_csv

    group = build.asset("Walk", ["need-nature"], lsoa=town.south)
    group.organisation.name = '=HYPERLINK("http://example.invalid")'
    group.organisation.save()
    build.connect(10, town.south, group, "attending")
    build.grant(group.organisation, 750)

    rows = group_load_csv(group_load(insight_scope()))

    assert rows[0] == [
        "organisation",
        "referrals_received",
        "accepted",
        "attending",
        "grants",
        "grants_total_pounds",
        "unfunded_with_load",
    ]
    assert rows[1] == ['\'=HYPERLINK("http://example.invalid")', "10", "10", "10", "1", "750", "no"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (1250000.5, "1250000.5"),
        (2.75, "2.75"),
        (3.0, "3"),
        (0.0001, "0.0001"),
        (123456789012.25, "123456789012.25"),
        (1e20, "100000000000000000000"),
        (None, "*"),
    ],
)
def test_csv_numbers_keep_every_digit_and_never_use_an_exponent(value, written):
    from linkwork.insight.exports import _value

    assert _value(value) == written

"""Gaps: demand against supply, scored, ranked, with the evidence in words."""

import gc
import weakref
from unittest import mock

import pytest
from django.db import connection, transaction

from linkwork.errors import InvalidInput
from linkwork.insight import selectors
from linkwork.insight.geography import IMD_WEIGHT
from linkwork.insight.selectors import gap_score, gaps, insight_scope


def gap(rows, area_code: str, category: str):
    found = [r for r in rows if (r.area_code, r.category) == (area_code, category)]
    assert len(found) == 1, (area_code, category)
    return found[0]


def test_the_evidence_says_who_asked_what_was_unmet_and_what_is_there(build, town):
    build.refer(5, town.north_a, ["need-money-debt"])
    build.unmet(9, town.north_a, "need-money-debt", "none_exists")
    build.asset(
        "Advice shop",
        ["need-money-debt"],
        coverage=[town.northfield],
        capacity_status="full",
        sessions=2,
    )

    row = gap(gaps(insight_scope(level="neighbourhood")), "N-NORTH", "need-money-debt")

    assert (row.demand, row.unmet, row.need, row.supply, row.open_listings) == (15, 10, 10, 1, 0)
    assert row.evidence == (
        "15 people were referred for help with money and debt in Northfield in the last "
        "12 months; 10 could not be connected to anything suitable (10 because no such group "
        "or service exists); 1 listing serves Northfield for money and debt, but it is full, "
        "paused or taking names for a waiting list."
    )
    assert row.suppressed == ()


def test_small_numbers_read_fewer_than_eight_and_are_withheld(build, town):
    build.refer(10, town.south, ["need-housing"])
    build.unmet(3, town.south, "need-housing", "cost")
    build.unmet(9, town.south, "need-food", "none_exists")  # so no small cell stands alone

    row = gap(gaps(insight_scope(level="neighbourhood")), "N-SOUTH", "need-housing")

    assert row.unmet is None
    assert row.need is None
    assert row.score is None
    assert set(row.suppressed) == {"unmet", "need", "score"}
    assert "fewer than 8 could not be connected" in row.evidence
    assert "3" not in row.evidence


def test_a_figure_hidden_to_protect_a_small_one_does_not_claim_to_be_small(build, town):
    build.refer(20, town.south, ["need-housing"])
    build.refer(3, town.south, ["need-food"])  # a lone small cell in Southgate's row

    rows = gaps(insight_scope(level="neighbourhood"))
    housing = gap(rows, "N-SOUTH", "need-housing")

    assert housing.demand is None and "demand" in housing.suppressed
    assert housing.evidence.startswith("A withheld number of people were referred")
    assert gap(rows, "N-SOUTH", "need-food").evidence.startswith("Fewer than 8 people")


def test_score_is_unmet_demand_per_open_session_weighted_by_deprivation():
    assert gap_score(20, 0.0, 1.0) == 20.0
    assert gap_score(20, 3.0, 1.0) == 5.0
    assert gap_score(20, 3.0, IMD_WEIGHT[1]) == 10.0
    assert IMD_WEIGHT[1] == 2.0 and IMD_WEIGHT[10] == 1.0
    assert gap_score(None, 0.0, 2.0) is None


def test_gaps_are_ranked_biggest_first(build, town):
    # The same unmet need in the most and the least deprived LSOA: the deprived ranks first.
    build.unmet(10, town.north_a, "need-money-debt")  # IMD decile 1
    build.unmet(10, town.south, "need-money-debt")  # IMD decile 10
    # Plenty of open sessions in Southgate for food: a smaller gap despite more people.
    build.unmet(20, town.south, "need-food")
    build.asset("Pantry", ["need-food"], lsoa=town.south, sessions=4)
    build.unmet(3, town.north_b, "need-housing")  # withheld: ranked after every score

    rows = gaps(insight_scope(level="lsoa"))

    assert [(r.area_code, r.category) for r in rows] == [
        (town.north_a.code, "need-money-debt"),
        (town.south.code, "need-money-debt"),
        (town.south.code, "need-food"),
        (town.north_b.code, "need-housing"),
    ]
    assert [r.score for r in rows] == [20.0, 10.0, 4.0, None]


def test_interest_in_an_activity_nobody_runs_is_a_gap(build, town):
    build.interests(11, "activity-walking", lsoa=town.north_a)

    row = gap(gaps(insight_scope(level="neighbourhood")), "N-NORTH", "activity-walking")

    assert (row.demand, row.interests, row.need, row.supply) == (10, 10, 10, 0)
    assert row.evidence.startswith(
        "10 people registered interest in “Walking group” in Northfield in the last 12 months"
    )
    assert "no listing serves Northfield for walking group" in row.evidence


def test_an_activity_asked_for_only_through_a_waiting_list_says_so_first(build, town):
    walk = build.asset("Walk", ["activity-walking"], lsoa=town.south, capacity_status="full")
    build.waitlist(9, town.north_a, walk)

    row = gap(gaps(insight_scope(level="neighbourhood")), "N-NORTH", "activity-walking")

    assert (row.demand, row.waitlisted, row.need) == (0, 10, 10)
    assert row.evidence.startswith(
        "10 people were put on a waiting list for “Walking group” in Northfield in the last "
        "12 months; no listing serves Northfield for walking group"
    )
    assert "Nobody" not in row.evidence and "registered interest" not in row.evidence


def test_borough_wide_and_open_listings_reduce_the_gap(build, town):
    build.unmet(10, town.north_a, "need-loneliness")
    build.asset("Phone befriending", ["need-loneliness"], borough_wide=True, sessions=1)

    row = gap(gaps(insight_scope(level="neighbourhood")), "N-NORTH", "need-loneliness")

    assert (row.supply, row.open_sessions_per_week) == (1, 1.0)
    assert row.score == round(row.imd_weight * 10 / 2, 2)
    assert (
        "1 listing serves Northfield for loneliness and isolation, with 1 open session a week"
        in row.evidence
    )


def test_filters_return_the_same_figures_as_the_whole_report(build, town):
    build.unmet(12, town.north_a, "need-money-debt")
    build.unmet(4, town.north_b, "need-money-debt")
    build.unmet(9, town.south, "need-food")

    everything = gaps(insight_scope(level="lsoa"))
    one_category = gaps(insight_scope(level="lsoa", category="need-money-debt"))
    one_area = gaps(insight_scope(level="lsoa", area="N-NORTH"))

    for rows in (one_category, one_area):
        for row in rows:
            assert row == gap(everything, row.area_code, row.category)
    assert {r.category for r in one_category} == {"need-money-debt"}
    assert {r.area_code for r in one_area} == {town.north_a.code, town.north_b.code}


def test_limit_keeps_the_top_rows(build, town):
    build.unmet(10, town.north_a, "need-money-debt")
    build.unmet(20, town.south, "need-food")

    assert len(gaps(insight_scope(level="lsoa"), limit=1)) == 1


def test_bad_input_names_every_field_at_once(build, town):
    with pytest.raises(InvalidInput) as error:
        insight_scope(area="E09999999", category="need-nothing", period="someday", level="ward")
    assert set(error.value.errors) == {"area", "category", "period", "level"}


def test_a_need_code_from_another_vocabulary_is_not_a_category(build, town):
    from linkwork.directory.models import Taxonomy, TaxonomyTerm

    other = Taxonomy.objects.create(code="other", name="Other")
    TaxonomyTerm.objects.create(taxonomy=other, code="x-thing", name="Thing", vocabulary="x")
    with pytest.raises(InvalidInput) as error:
        insight_scope(category="x-thing")
    assert list(error.value.errors) == ["category"]


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_statements_run_side_by_side_and_the_report_is_the_same(build, town):
    if connection.vendor != "postgresql":
        pytest.skip("Only PostgreSQL fetches the statements side by side.")
    build.refer(20, town.north_a, ["need-money-debt"])
    build.unmet(9, town.north_a, "need-money-debt", "none_exists")
    build.unmet(3, town.south, "need-housing", "cost")
    build.asset("Advice shop", ["need-money-debt"], coverage=[town.northfield], sessions=2)
    spy = mock.patch.object(
        selectors.scope, "_on_own_connection", wraps=selectors._on_own_connection
    )

    with spy as second_connection:
        side_by_side = gaps(insight_scope(level="lsoa"))
    assert second_connection.call_count == 3  # people referred, need, supply
    with spy as second_connection, transaction.atomic():  # cannot see uncommitted rows
        one_after_the_other = gaps(insight_scope(level="lsoa"))
    assert second_connection.call_count == 0

    assert side_by_side == one_after_the_other
    assert [row.evidence for row in side_by_side] == [r.evidence for r in one_after_the_other]
    debt = gap(side_by_side, town.north_a.code, "need-money-debt")
    assert (debt.supply, debt.open_sessions_per_week) == (1, 2.0)
    assert {row.category for row in side_by_side} == {"need-money-debt", "need-housing"}


def test_a_report_is_freed_without_the_cyclic_gc(build, town):
    # gaps() pauses the cyclic GC while it builds rows, so nothing it makes may be left in
    # a reference cycle: a scope that outlived its report kept its aggregates in memory.
    build.refer(10, town.north_a, ["need-money-debt"])
    build.unmet(9, town.north_a, "need-money-debt", "none_exists")
    gc.collect()
    gc.disable()
    try:
        scope = insight_scope(level="lsoa")
        rows = gaps(scope)
        assert rows and rows[0].evidence
        freed = weakref.ref(scope)
        del scope, rows
        assert freed() is None
    finally:
        gc.enable()

"""Demand read from `ReferralFact` (kept by triggers) gives the same figures as the
statement that joined referrals, reasons and people at report time, on random worlds
where casework is written every way it can be: bulk inserts, saves, `update()`, reasons
added and removed, people moving, referrals deleted."""

import datetime as dt
import random

import pytest
from django.db import connection

from linkwork.disclosure import DisclosureRule
from linkwork.insight import facts, queries
from linkwork.insight.models import ReferralFact
from linkwork.insight.queries import demand as demand_module
from linkwork.insight.queries.demand import PARTS
from linkwork.insight.selectors import InsightScope, gaps, insight_scope
from linkwork.insight.selectors.gaps import GapRows, _gap_keys
from linkwork.periods import parse_period
from linkwork.referrals.models import Person, Referral
from tests.insight.reference_demand import reference_demand_params, reference_demand_sql
from tests.insight.reference_gaps import reference_gap_rows
from tests.places.factories import local_authority, neighbourhood

NEEDS = ["need-loneliness", "need-money-debt", "need-housing", "need-food"]
STATUSES = ["received", "in_progress", "closed", "declined", "returned"]
COLUMNS = ("referral_id", "term_id", "person_id", "lsoa_id", "received_at", "status")


def _random_world(build, seed: int) -> None:
    rng = random.Random(seed)
    borough = local_authority()
    lsoas = [build.lsoa(f"Area {i:03d}A", imd=rng.randint(1, 10)) for i in range(7)]
    for lsoa in lsoas:
        lsoa.parent = borough
        lsoa.save()
    neighbourhood("N-ONE", "One", lsoas=lsoas[:3])
    neighbourhood("N-TWO", "Two", lsoas=lsoas[3:6])  # lsoas[6] is in no neighbourhood
    people = build.people(60, None)
    for person in people:
        person.area = rng.choice([*lsoas, None]) if rng.random() < 0.95 else None
    Person.objects.bulk_update(people, ["area"])
    referrals = []
    for _ in range(140):
        person = rng.choice(people)
        needs = rng.sample(NEEDS, rng.randint(0, 3))
        status = rng.choice(STATUSES)
        days = rng.uniform(0, 500)
        referrals += build.refer(1, None, needs, status=status, days_ago=days, people=[person])
    asset = build.asset("Walks", ["need-loneliness", "activity-walking"], lsoa=lsoas[0])
    for lsoa in rng.sample(lsoas, 3):
        build.unmet(rng.randint(1, 9), lsoa, rng.choice(NEEDS), days_ago=rng.uniform(0, 400))
        build.waitlist(rng.randint(1, 9), lsoa, asset, days_ago=rng.uniform(0, 400))
    # Casework changing afterwards, each way it can.
    for referral in rng.sample(referrals, 20):
        referral.status = rng.choice(STATUSES)
        referral.save(update_fields=["status"])
    moved = rng.sample(people, 10)
    Person.objects.filter(pk__in=[p.pk for p in moved[:5]]).update(area=rng.choice(lsoas))
    for person in moved[5:]:
        person.area = rng.choice([*lsoas, None])
        person.save(update_fields=["area"])
    for referral in rng.sample(referrals, 10):
        referral.reasons.remove(*referral.reasons.all()[:1])
        referral.reasons.add(build.term(rng.choice(NEEDS)))
    Referral.objects.filter(pk__in=[r.pk for r in rng.sample(referrals, 10)]).update(
        received_at=build.now - dt.timedelta(days=rng.uniform(0, 400))
    )
    unconnected = Referral.objects.filter(connections=None, unmet_needs=None)
    for referral in unconnected.order_by("?")[:8]:
        referral.delete()


def _reference_counts(monkeypatch, level, period, area_ids):
    with monkeypatch.context() as patched:
        patched.setattr(demand_module, "demand_sql", reference_demand_sql)
        patched.setattr(demand_module, "demand_params", reference_demand_params)
        return queries.demand_counts(level, period, area_ids)


def _rows_of_facts() -> set[tuple]:
    return set(ReferralFact.objects.values_list(*COLUMNS))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_fact_table_is_what_rebuilding_it_from_casework_gives(build, seed):
    _random_world(build, seed)
    kept = _rows_of_facts()
    facts.rebuild_referral_facts(connection)
    assert kept == _rows_of_facts()
    assert len(kept) == Referral.objects.count() + Referral.reasons.through.objects.count()


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("level", ["lsoa", "neighbourhood"])
def test_demand_from_the_fact_table_matches_the_joins_it_replaced(build, monkeypatch, seed, level):
    _random_world(build, seed)
    year = str(build.now.year)
    for period, area in [(None, None), (year, None), ("last-3-months", "N-ONE")]:
        scope = insight_scope(level=level, period=period, area=area)
        expected = _reference_counts(monkeypatch, level, scope.period, scope.area_ids)
        assert queries.demand_counts(level, scope.period, scope.area_ids) == expected
        # The two statements a report on PostgreSQL runs side by side, put together.
        parts = [queries.demand_counts(level, scope.period, scope.area_ids, part) for part in PARTS]
        assert parts[0].merged(parts[1]) == expected
        assert expected.referred  # the world is not empty: the comparison means something


@pytest.mark.parametrize("seed", [4, 5])
def test_the_gap_report_reads_the_same_as_before(build, monkeypatch, seed):
    _random_world(build, seed)
    fast = gaps(insight_scope(level="lsoa"))
    with monkeypatch.context() as patched:
        patched.setattr(demand_module, "demand_sql", reference_demand_sql)
        patched.setattr(demand_module, "demand_params", reference_demand_params)
        reference = gaps(insight_scope(level="lsoa"))
    assert fast == reference
    assert [row.evidence for row in fast] == [row.evidence for row in reference]
    assert fast


def test_a_person_moving_takes_their_referrals_to_the_new_area(build, town):
    (referral,) = build.refer(1, town.north_a, ["need-loneliness"])
    person = referral.person
    period = parse_period(None)
    before = queries.demand_counts("lsoa", period)
    assert before.people == {town.north_a.pk: 1}
    person.area = town.south
    person.save()
    after = queries.demand_counts("lsoa", period)
    assert after.people == {town.south.pk: 1}
    assert after.referred == {(town.south.pk, build.term("need-loneliness").pk): 1}


@pytest.mark.parametrize("seed", [6, 7])
@pytest.mark.parametrize("level", ["lsoa", "neighbourhood"])
def test_rows_built_when_read_are_the_rows_built_all_at_once(build, seed, level):
    # GapRows builds a row when it is first read; the reference built every row, then
    # ranked them. Read out of order first (a page, the last row, one in the middle),
    # then in full: the same rows in the same order, with the same evidence.
    _random_world(build, seed)
    scope = insight_scope(level=level)
    rows = gaps(scope)
    assert isinstance(rows, GapRows) and len(rows) > 3
    reference = reference_gap_rows(scope, _gap_keys(scope))
    page, last, middle = rows[1:3], rows[-1], rows[len(rows) // 2]
    assert page == reference[1:3] and last == reference[-1]
    assert middle == reference[len(rows) // 2]
    assert rows == reference and list(rows) == reference
    assert rows[-1] is last and rows[1] is page[0]  # a row read before is kept
    assert [row.evidence for row in rows] == [row.evidence for row in reference]
    assert rows[::2] == reference[::2] and rows[5:2] == []
    assert gaps(insight_scope(level=level), limit=2) == reference[:2]
    with pytest.raises(IndexError):
        rows[len(rows)]


@pytest.mark.parametrize("seed", [6, 7])
@pytest.mark.parametrize("rule", [DisclosureRule(1, 1), DisclosureRule(3, 2)])
def test_rows_ranked_in_groups_are_ranked_as_the_reference(build, seed, rule):
    # A low threshold makes rows of all three groups the ranking sorts on its own
    # (scored, no need, need withheld): the same rows in the same order.
    _random_world(build, seed)
    scope = InsightScope(level="lsoa", period=parse_period(None), rule=rule)
    rows = gaps(scope)
    reference = reference_gap_rows(scope, _gap_keys(scope))
    assert rows == reference
    assert any(row.score for row in rows)
    assert rule.threshold == 1 or any(row.need is None for row in rows)
    assert any(row.need == 0 for row in rows)

"""Load and investment: people sent to each group beside the grants it received."""

from linkwork.insight.selectors import group_load, insight_scope


def load_of(rows, organisation):
    return next(row for row in rows if row.organisation_id == organisation.pk)


def test_groups_carrying_load_without_funding_stand_out(build, town):
    busy = build.asset("Busy walk", ["need-physical-activity"], lsoa=town.south)
    funded = build.asset("Funded choir", ["need-arts-culture"], lsoa=town.south)
    build.connect(12, town.south, busy, "attending")
    build.connect(4, town.south, busy, "accepted")
    build.connect(3, town.south, busy, "declined")
    build.connect(10, town.south, funded, "attending")
    build.grant(funded.organisation, 1500)

    rows = group_load(insight_scope())

    assert rows[0].organisation_id == busy.organisation_id
    first = rows[0]
    assert (first.referrals_received, first.accepted, first.attending) == (20, 15, 10)
    assert (first.grants, first.grants_total, first.unfunded_with_load) == (0, 0.0, True)
    second = load_of(rows, funded.organisation)
    assert (second.referrals_received, second.grants, second.grants_total) == (10, 1, 1500.0)
    assert second.unfunded_with_load is False


def test_a_small_load_is_withheld_and_not_flagged(build, town):
    quiet = build.asset("Quiet group", ["need-nature"], lsoa=town.south)
    busy = build.asset("Busy group", ["need-nature"], lsoa=town.south)
    build.connect(3, town.south, quiet, "attending")
    build.connect(9, town.south, busy, "attending")
    build.connect(8, town.south, build.asset("Other", ["need-nature"]), "attending")

    row = load_of(group_load(insight_scope()), quiet.organisation)

    assert row.referrals_received is None
    assert "referrals_received" in row.suppressed
    assert row.unfunded_with_load is False


def test_connections_never_sent_are_not_load(build, town):
    group = build.asset("Group", ["need-food"], lsoa=town.south)
    build.connect(10, town.south, group, "proposed")
    build.connect(10, town.south, group, "withdrawn")

    assert group_load(insight_scope()) == []


def test_grants_outside_the_period_do_not_count(build, town):
    group = build.asset("Group", ["need-food"], lsoa=town.south)
    build.connect(10, town.south, group, "attending")
    build.grant(group.organisation, 900, days_ago=800)

    row = load_of(group_load(insight_scope()), group.organisation)

    assert (row.grants, row.unfunded_with_load) == (0, True)


def test_an_area_counts_only_people_living_there(build, town):
    group = build.asset("Group", ["need-food"], lsoa=town.south)
    build.connect(10, town.south, group, "attending")
    build.connect(15, town.north_a, group, "attending")

    row = load_of(group_load(insight_scope(area="N-NORTH")), group.organisation)

    assert row.referrals_received == 15

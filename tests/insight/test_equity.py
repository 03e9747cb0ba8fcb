"""Equity: referral and connection rates per 1,000 residents by deprivation, age, sex and
ethnicity — who is being missed."""

import datetime as dt

import pytest

from linkwork.errors import InvalidInput
from linkwork.insight.selectors import equity, insight_scope


def group(report, key: str):
    return next(row for row in report.rows if row.group == key)


def test_referral_rates_per_thousand_residents_by_imd_decile(build, town):
    build.refer(30, town.north_a, ["need-food"])  # decile 1, 1,500 residents
    build.refer(10, town.south, ["need-food"])  # decile 10, 2,000 residents

    report = equity(insight_scope(), "imd_decile")

    assert [row.group for row in report.rows] == [*map(str, range(1, 11)), "not_known"]
    most = group(report, "1")
    assert (most.label, most.population, most.referred, most.referral_rate) == (
        "1 (most deprived)",
        1500,
        30,
        20.0,
    )
    assert group(report, "10").referral_rate == 5.0
    # Decile 3 has residents and nobody referred: the people being missed.
    assert (group(report, "3").referred, group(report, "3").referral_rate) == (0, 0.0)
    assert group(report, "5").population is None
    assert report.total.referred == 40
    assert report.total.referral_rate == 8.0  # 40 per 5,000


def test_connection_rate_counts_people_who_went_at_least_once(build, town):
    walk = build.asset("Walk", ["need-physical-activity"], lsoa=town.south)
    build.connect(10, town.south, walk, "attending")
    build.connect(10, town.south, walk, "completed")
    build.connect(10, town.south, walk, "declined")

    row = group(equity(insight_scope(), "imd_decile"), "10")

    assert (row.referred, row.connected) == (30, 20)
    assert row.connection_rate == 10.0  # 20 per 2,000


def test_a_withheld_count_withholds_its_rate_too(build, town):
    build.refer(3, town.north_b, ["need-food"])
    build.refer(20, town.south, ["need-food"])
    build.refer(9, town.north_a, ["need-food"])

    report = equity(insight_scope(), "imd_decile")

    small = group(report, "3")
    assert (small.referred, small.referral_rate) == (None, None)
    assert "referred" in small.suppressed
    # The total is published, so a second decile is withheld with the small one.
    assert group(report, "1").referred is None
    assert group(report, "1").referral_rate is None
    assert group(report, "10").referral_rate == 10.0


def test_rates_by_age_band_against_the_population(build, town):
    today = dt.date.today()
    build.population(
        town.south, {("18-24", "female"): 600, ("18-24", "male"): 400, ("75-84", "female"): 500}
    )
    build.refer(10, town.south, ["need-loneliness"], born=today.replace(year=today.year - 20))
    build.refer(10, town.south, ["need-loneliness"], born=today.replace(year=today.year - 80))

    report = equity(insight_scope(), "age_band")

    assert [row.group for row in report.rows][:3] == ["0-17", "18-24", "25-34"]
    young, old = group(report, "18-24"), group(report, "75-84")
    assert (young.population, young.referred, young.referral_rate) == (1000, 10, 10.0)
    assert (old.population, old.referred, old.referral_rate) == (500, 10, 20.0)


def test_rates_by_sex_read_common_spellings(build, town):
    build.population(town.south, {("45-54", "female"): 1000, ("45-54", "male"): 1000})
    build.refer(8, town.south, ["need-carers"], sex="Female")
    build.refer(4, town.south, ["need-carers"], sex="F")
    build.refer(10, town.south, ["need-carers"], sex="male")
    build.refer(9, town.south, ["need-carers"])

    report = equity(insight_scope(), "sex")

    assert group(report, "female").referred == 10  # 12
    assert group(report, "female").referral_rate == 10.0
    assert group(report, "male").referred == 10
    assert group(report, "not_known").referred == 10  # 9 not recorded


def test_ethnicity_where_recorded_has_counts_but_no_population(build, town):
    build.refer(10, town.south, ["need-faith-culture"], ethnicity="Pakistani")
    build.refer(12, town.south, ["need-faith-culture"])

    report = equity(insight_scope(), "ethnicity")

    pakistani = group(report, "Pakistani")
    assert (pakistani.referred, pakistani.population, pakistani.referral_rate) == (10, None, None)
    assert group(report, "not_known").label == "Not recorded"


def test_outcome_improvement_is_not_reported_before_any_questionnaire(build, town):
    build.refer(10, town.south, ["need-food"])

    report = equity(insight_scope(), "imd_decile")

    assert report.outcomes_available is False
    assert all(row.improved is None and row.improvement_rate is None for row in report.rows)
    assert all("improved" not in row.suppressed for row in report.rows)


def answer(referral, timepoint: str, answers: list[int], days_ago: int) -> None:

    from linkwork.outcomes.instruments import instrument
    from linkwork.outcomes.models import Response
    from linkwork.outcomes.scoring import score

    scored = score(instrument("ons4"), answers, allow_missing=True, item_count=len(answers))
    Response.objects.create(
        referral=referral,
        instrument="ons4",
        timepoint=timepoint,
        **scored.as_stored(),
        completed_on=dt.date.today() - dt.timedelta(days=days_ago),
    )


def test_outcome_improvement_rate_uses_the_evaluation_rule(build, town):
    better = build.refer(12, town.south, ["need-low-mood"], days_ago=60)
    same = build.refer(10, town.south, ["need-low-mood"], days_ago=60)
    for referral in better:
        answer(referral, "baseline", [4, 4, 4, 6], 50)
        answer(referral, "follow_up", [7, 7, 7, 2], 10)
    for referral in same:
        answer(referral, "baseline", [5, 5, 5, 5], 50)
        answer(referral, "follow_up", [5, 5, 5, 5], 10)

    report = equity(insight_scope(), "imd_decile")

    assert report.outcomes_available is True
    least = group(report, "10")
    assert (least.referred, least.improved) == (20, 10)  # 22 referred, 12 improved
    assert least.improvement_rate == 5.0  # 10 per 2,000 residents


def test_an_area_limits_people_and_population(build, town):
    build.refer(30, town.north_a, ["need-food"])
    build.refer(10, town.south, ["need-food"])

    report = equity(insight_scope(area="N-SOUTH"), "imd_decile")

    assert report.total.referred == 10
    assert report.total.population == 2000
    assert group(report, "1").population is None


def test_an_unknown_dimension_is_refused(db):
    with pytest.raises(InvalidInput) as error:
        equity(insight_scope(), "shoe_size")
    assert list(error.value.errors) == ["dimension"]

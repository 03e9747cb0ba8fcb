"""Every scoring rule against the publishers' tables (standards/instruments)."""

import csv
import itertools
from decimal import Decimal
from pathlib import Path

import pytest

from linkwork.outcomes.instruments import instrument
from linkwork.outcomes.scoring import (
    IMPROVED,
    NO_CHANGE,
    WORSE,
    AnswerError,
    classify_change,
    score,
)

# The shared standards folder, when present, is the independent source of truth; the
# project's own copy is checked against it, and the tests below use literal values.
STANDARDS = Path("/work/shared/standards/instruments")

# SWEMWBS raw total -> metric score: all 29 rows of the publisher's conversion table.
SWEMWBS_TABLE = {
    7: "7.00",
    8: "9.51",
    9: "11.25",
    10: "12.40",
    11: "13.33",
    12: "14.08",
    13: "14.75",
    14: "15.32",
    15: "15.84",
    16: "16.36",
    17: "16.88",
    18: "17.43",
    19: "17.98",
    20: "18.59",
    21: "19.25",
    22: "19.98",
    23: "20.73",
    24: "21.54",
    25: "22.35",
    26: "23.21",
    27: "24.11",
    28: "25.03",
    29: "26.02",
    30: "27.03",
    31: "28.13",
    32: "29.31",
    33: "30.70",
    34: "32.55",
    35: "35.00",
}


def answers_totalling(raw: int) -> list[int]:
    """Seven answers 1-5 adding up to `raw`."""
    answers = [1] * 7
    for index in itertools.cycle(range(7)):
        if sum(answers) == raw:
            return answers
        if answers[index] < 5:
            answers[index] += 1


@pytest.mark.parametrize("raw", sorted(SWEMWBS_TABLE))
def test_swemwbs_raw_total_converts_to_the_publishers_metric_score(raw):
    scored = score(instrument("swemwbs"), answers_totalling(raw))
    assert scored.raw == raw
    assert scored.score == Decimal(SWEMWBS_TABLE[raw])
    body = scored.as_api()
    assert body == {"instrument": "swemwbs", "raw": raw, "score": float(SWEMWBS_TABLE[raw])}


def test_swemwbs_table_has_29_rows_matching_the_shared_standard():
    table = instrument("swemwbs").metric_table
    assert len(table) == 29
    assert {raw: str(value) for raw, value in table.items()} == SWEMWBS_TABLE
    if STANDARDS.exists():
        with (STANDARDS / "swemwbs_raw_to_metric.csv").open() as handle:
            shared = {int(r["raw_score"]): r["metric_score"] for r in csv.DictReader(handle)}
        assert shared == SWEMWBS_TABLE


def test_swemwbs_same_raw_total_scores_the_same_whatever_the_pattern():
    assert score(instrument("swemwbs"), [5, 1, 3, 3, 3, 3, 3]).score == Decimal("19.25")
    assert score(instrument("swemwbs"), [3] * 7).score == Decimal("19.25")


def test_swemwbs_with_a_missing_item_is_incomplete_and_has_no_score():
    scored = score(instrument("swemwbs"), [3, 3, None, 3, 3, 3, 3], allow_missing=True)
    assert scored.complete is False
    assert scored.raw is None and scored.score is None and scored.measures == {}


def test_a_missing_item_is_an_error_unless_incomplete_questionnaires_are_allowed():
    with pytest.raises(AnswerError) as error:
        score(instrument("swemwbs"), [3, 3, None, 3, 3, 3, 3])
    assert list(error.value.errors) == ["answers.2"]
    assert "Item 3" in error.value.errors["answers.2"]


# Every ONS band edge (ONS FOI: annual UK SWB score distributions).
ONS4_BANDS = {
    "life_satisfaction": {
        0: "low",
        4: "low",
        5: "medium",
        6: "medium",
        7: "high",
        8: "high",
        9: "very high",
        10: "very high",
    },
    "worthwhile": {
        0: "low",
        4: "low",
        5: "medium",
        6: "medium",
        7: "high",
        8: "high",
        9: "very high",
        10: "very high",
    },
    "happiness": {
        0: "low",
        4: "low",
        5: "medium",
        6: "medium",
        7: "high",
        8: "high",
        9: "very high",
        10: "very high",
    },
    "anxiety": {
        0: "very low",
        1: "very low",
        2: "low",
        3: "low",
        4: "medium",
        5: "medium",
        6: "high",
        10: "high",
    },
}
ORDER = ["life_satisfaction", "worthwhile", "happiness", "anxiety"]


@pytest.mark.parametrize(
    ("measure", "value", "band"),
    [(m, v, b) for m, edges in ONS4_BANDS.items() for v, b in edges.items()],
)
def test_ons4_band_edges(measure, value, band):
    answers = [5, 5, 5, 5]
    answers[ORDER.index(measure)] = value
    scored = score(instrument("ons4"), answers)
    assert scored.band[measure] == band
    assert scored.score[measure] == value


def test_ons4_every_value_of_every_item_has_its_band_from_the_shared_table():
    if not STANDARDS.exists():
        pytest.skip("shared standards folder not present")
    with (STANDARDS / "ons4_thresholds.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for value in range(int(row["min_score"]), int(row["max_score"]) + 1):
            answers = [0, 0, 0, 0]
            answers[ORDER.index(row["measure"])] = value
            assert score(instrument("ons4"), answers).band[row["measure"]] == row["band"]


def test_ons4_items_are_reported_separately_and_never_summed():
    body = score(instrument("ons4"), [7, 8, 6, 3]).as_api()
    assert body == {
        "instrument": "ons4",
        "raw": {"life_satisfaction": 7, "worthwhile": 8, "happiness": 6, "anxiety": 3},
        "score": {"life_satisfaction": 7, "worthwhile": 8, "happiness": 6, "anxiety": 3},
        "band": {
            "life_satisfaction": "high",
            "worthwhile": "high",
            "happiness": "medium",
            "anxiety": "low",
        },
    }


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ([1, 1, 1], 3, "not_lonely"),
        ([2, 2, 1], 5, "not_lonely"),
        ([2, 2, 2], 6, "lonely"),
        ([3, 2, 1], 6, "lonely"),
        ([3, 3, 3], 9, "lonely"),
    ],
)
def test_ucla3_total_and_default_lonely_threshold_of_six(answers, total, band):
    body = score(instrument("ucla3"), answers).as_api()
    assert body == {"instrument": "ucla3", "raw": total, "score": total, "band": band}


def test_ucla3_lonely_threshold_is_a_setting(settings):
    settings.UCLA3_LONELY_THRESHOLD = 4
    assert score(instrument("ucla3"), [2, 1, 1]).band == "lonely"
    assert score(instrument("ucla3"), [1, 1, 1]).band == "not_lonely"
    assert score(instrument("ucla3"), [1, 1, 1], threshold=3).band == "lonely"


def test_ons_direct_loneliness_often_always_is_chronic():
    assert score(instrument("ons_loneliness"), [1]).band == "chronic"
    assert score(instrument("ons_loneliness"), [2]).band == "not_chronic"
    assert instrument("ons_loneliness").option_label(1) == "Often/always"


def test_goal_ladder_scores_the_mean_rung_of_the_persons_goals():
    scored = score(instrument("goals"), [3, 4, 6], item_count=3)
    assert scored.score == Decimal("4.33")
    with pytest.raises(AnswerError):
        score(instrument("goals"), [3, 4], item_count=3)
    with pytest.raises(AnswerError):
        score(instrument("goals"), [11], item_count=1)


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ([3, 3, 3, 3, 3, 3, 6], "answers.6"),
        ([0, 3, 3, 3, 3, 3, 3], "answers.0"),
        ([3, True, 3, 3, 3, 3, 3], "answers.1"),
        ([3, 3, 2.5, 3, 3, 3, 3], "answers.2"),
        ([3, 3, 3.0, 3, 3, 3, 3], "answers.2"),
        ([3, 3, 3, "3", 3, 3, 3], "answers.3"),
        ([3, 3, 3, 3], "answers"),
        ("3333333", "answers"),
    ],
)
def test_bad_answers_are_refused_naming_the_item(answers, field):
    with pytest.raises(AnswerError) as error:
        score(instrument("swemwbs"), answers)
    assert field in error.value.errors


def test_every_bad_item_is_named_at_once():
    with pytest.raises(AnswerError) as error:
        score(instrument("ons4"), [11, -1, 5, False])
    assert set(error.value.errors) == {"answers.0", "answers.1", "answers.3"}
    assert "Item 1 (Life satisfaction)" in error.value.errors["answers.0"]


def test_change_passes_the_swemwbs_threshold_only_at_2_87_points():
    measure = instrument("swemwbs").measure("swemwbs")
    assert classify_change(measure, Decimal("19.25"), Decimal("22.12")).verdict == IMPROVED
    assert classify_change(measure, Decimal("19.25"), Decimal("22.11")).verdict == NO_CHANGE
    assert classify_change(measure, Decimal("19.25"), Decimal("16.38")).verdict == WORSE
    assert classify_change(measure, Decimal("19.25"), Decimal("22.35")).passes_threshold


def test_lower_anxiety_and_loneliness_count_as_improvement():
    anxiety = instrument("ons4").measure("anxiety")
    change = classify_change(anxiety, Decimal(7), Decimal(4))
    assert change.difference == -3 and change.improvement == 3 and change.verdict == IMPROVED
    ucla = instrument("ucla3").measure("ucla3")
    assert classify_change(ucla, Decimal(7), Decimal(8)).verdict == WORSE
    assert classify_change(ucla, Decimal(7), Decimal(7)).verdict == NO_CHANGE


def test_baseline_pairs_with_the_latest_later_response_and_ignores_incomplete_ones():
    import datetime as dt

    from linkwork.outcomes.models import Response
    from linkwork.outcomes.selectors import pair_responses

    def response(pk, timepoint, day, value, complete=True):
        return Response(
            pk=pk,
            referral_id=1,
            instrument="ucla3",
            timepoint=timepoint,
            complete=complete,
            completed_on=dt.date(2025, 1, day),
            recorded_at=dt.datetime(2025, 1, day, 12),
            measures={"ucla3": {"score": str(value), "band": ""}} if complete else {},
        )

    pairs = pair_responses(
        [
            response(1, "baseline", 1, 8),
            response(2, "follow_up", 20, 6),
            response(3, "follow_up", 28, 5, complete=False),
            response(4, "follow_up", 10, 7),
        ]
    )
    assert len(pairs) == 1
    assert pairs[0].latest.pk == 2
    change = pairs[0].change(instrument("ucla3").measure("ucla3"))
    assert change.difference == -2 and change.verdict == IMPROVED

"""Scoring, exactly as each instrument's publisher prescribes. Pure functions: no database.

- SWEMWBS: 7 items 1-5; the raw total (7-35) is converted to the metric score with the
  publisher's 29-row table (data/swemwbs_raw_to_metric.csv). No score if any item is
  missing: no official imputation rule exists.
- ONS4: four separate 0-10 items, each with the ONS bands (anxiety's bands run the other
  way: high is worse). Never summed.
- UCLA-3: 3 items 1-3, total 3-9 (higher is lonelier); "lonely" at or above a
  configurable threshold (setting UCLA3_LONELY_THRESHOLD, default 6; not an ONS standard).
- ONS direct loneliness: one answer 1-5 (1 = often/always, reported as chronic loneliness).
- Goal ladder: each of the person's goals rated 1-10; the score is the mean rung.

`score(instrument, answers)` checks the answers (count, whole numbers, on the scale) and
raises `AnswerError` naming each bad item; with `allow_missing=True` a None answer makes
the questionnaire incomplete: it is kept but never scored. `classify_change` says
whether one person's change on a measure passes the measure's threshold.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings

from linkwork.outcomes.instruments import Instrument, Measure

IMPROVED, NO_CHANGE, WORSE = "improved", "no_change", "worse"
LONELY, NOT_LONELY = "lonely", "not_lonely"
TWO_PLACES = Decimal("0.01")


class AnswerError(ValueError):
    """Answers that cannot be scored: {field: reason}, the field naming the item."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class MeasureScore:
    score: Decimal
    band: str = ""


@dataclass(frozen=True)
class Scored:
    """The result of scoring one questionnaire. For an incomplete one, everything but
    `answers` is empty. `raw`, `score` and `band` are what the scoring API returns:
    single values, or (ONS4) objects keyed by measure."""

    instrument: str
    answers: list[int | None]
    complete: bool
    raw: int | dict[str, int] | None = None
    score: Decimal | dict[str, Decimal] | None = None
    band: str | dict[str, str] | None = None
    measures: dict[str, MeasureScore] = field(default_factory=dict)

    def as_stored(self) -> dict[str, Any]:
        """The `Response` fields that hold this result: single values in `raw`, `score`
        and `band` (empty for several measures), every measure in `measures`."""
        return {
            "answers": self.answers,
            "complete": self.complete,
            "raw": self.raw if isinstance(self.raw, int) else None,
            "score": self.score if isinstance(self.score, Decimal) else None,
            "band": self.band if isinstance(self.band, str) else "",
            "measures": {
                key: {"score": str(value.score), "band": value.band}
                for key, value in self.measures.items()
            },
        }

    def as_api(self) -> dict[str, Any]:
        """The body of POST /api/v1/instruments/{code}/score (DESIGN.md §9)."""
        body: dict[str, Any] = {"instrument": self.instrument, "raw": self.raw}
        if isinstance(self.score, dict):
            body["score"] = {key: _number(value) for key, value in self.score.items()}
        else:
            body["score"] = None if self.score is None else _number(self.score)
        if self.band:
            body["band"] = self.band
        return body


def _number(value: Decimal) -> int | float:
    return (
        int(value)
        if value == value.to_integral_value() and value.as_tuple().exponent >= 0
        else float(value)
    )


# --- The publishers' rules ----------------------------------------------------------


def swemwbs_metric(instrument: Instrument, raw: int) -> Decimal:
    """The SWEMWBS metric score for a raw total, from the publisher's table."""
    try:
        return instrument.metric_table[raw]
    except KeyError:
        raise ValueError(f"SWEMWBS raw total must be 7-35, not {raw}") from None


def item_band(measure: Measure, value: int) -> str:
    """The ONS band a 0-10 answer falls in (anxiety's bands are its own, reversed)."""
    for band in measure.bands:
        if band.low <= value <= band.high:
            return band.name
    raise ValueError(f"{value} is outside the bands of {measure.key}")


def ucla3_band(total: int, threshold: int) -> str:
    return LONELY if total >= threshold else NOT_LONELY


def lonely_threshold(instrument: Instrument) -> int:
    """The deployment's UCLA-3 cut-off (setting UCLA3_LONELY_THRESHOLD), else the default."""

    return int(
        getattr(settings, instrument.scoring.get("setting", ""), None)
        or instrument.scoring["default_threshold"]
    )


# --- Checking and scoring answers ---------------------------------------------------


def item_names(instrument: Instrument, count: int) -> list[str]:
    if instrument.items_from_plan:
        return [f"Goal {n}" for n in range(1, count + 1)]
    return [f"Item {item.number} ({item.label})" for item in instrument.items]


def check_answers(
    instrument: Instrument,
    answers: Any,
    *,
    allow_missing: bool = False,
    item_count: int | None = None,
) -> list[int | None]:
    """The answers as a list of whole numbers on the scale (None where missing, when
    allowed); AnswerError names every item that is wrong. `item_count` is the number of
    goals for the goal ladder."""
    expected = item_count if instrument.items_from_plan else len(instrument.items)
    if not isinstance(answers, list):
        raise AnswerError({"answers": "Send the answers as a list, in item order."})
    if not expected:
        raise AnswerError({"answers": "There are no goals in the plan to rate yet."})
    if len(answers) != expected:
        raise AnswerError(
            {
                "answers": f"{instrument.short_name} has {expected} items: send {expected} "
                f"answers in item order (got {len(answers)})."
            }
        )
    low, high = instrument.lowest, instrument.highest
    errors = {}
    for index, (name, answer) in enumerate(
        zip(item_names(instrument, expected), answers, strict=True)
    ):
        if answer is None and allow_missing:
            continue
        if answer is None:
            errors[f"answers.{index}"] = f"{name}: an answer is needed."
        elif isinstance(answer, bool) or not isinstance(answer, int):
            errors[f"answers.{index}"] = (
                f"{name}: answer with a whole number from {low} to {high}, not {answer!r}."
            )
        elif not low <= answer <= high:
            errors[f"answers.{index}"] = f"{name}: {answer} is outside the scale {low} to {high}."
    if errors:
        raise AnswerError(errors)
    return list(answers)


def score(
    instrument: Instrument,
    answers: Any,
    *,
    allow_missing: bool = False,
    item_count: int | None = None,
    threshold: int | None = None,
) -> Scored:
    """Check and score one questionnaire. `threshold` overrides the UCLA-3 cut-off."""
    answers = check_answers(instrument, answers, allow_missing=allow_missing, item_count=item_count)
    if any(answer is None for answer in answers):
        return Scored(instrument=instrument.code, answers=answers, complete=False)
    values: list[int] = [a for a in answers if a is not None]
    method = instrument.method
    if method == "item_bands":
        by_key = {item.key: value for item, value in zip(instrument.items, values, strict=True)}
        bands = {key: item_band(instrument.measure(key), value) for key, value in by_key.items()}
        return Scored(
            instrument=instrument.code,
            answers=answers,
            complete=True,
            raw=by_key,
            score={key: Decimal(value) for key, value in by_key.items()},
            band=bands,
            measures={key: MeasureScore(Decimal(v), bands[key]) for key, v in by_key.items()},
        )
    key = instrument.measures[0].key
    raw = sum(values)
    band = ""
    if method == "metric_table":
        value = swemwbs_metric(instrument, raw)
    elif method == "sum_threshold":
        value = Decimal(raw)
        band = ucla3_band(raw, threshold or lonely_threshold(instrument))
    elif method == "category":
        value = Decimal(values[0])
        bands = instrument.scoring.get("bands", {})
        band = bands.get(str(values[0]), "") or instrument.scoring.get("otherwise", "")
    else:  # the mean rung of the goal ladder
        value = (Decimal(raw) / len(values)).quantize(TWO_PLACES, ROUND_HALF_UP)
    return Scored(
        instrument=instrument.code,
        answers=answers,
        complete=True,
        raw=raw,
        score=value,
        band=band or None,
        measures={key: MeasureScore(value, band)},
    )


# --- Change for one person ----------------------------------------------------------


@dataclass(frozen=True)
class Change:
    baseline: Decimal
    latest: Decimal
    difference: Decimal  # latest - baseline, as scored
    improvement: Decimal  # the difference turned so that positive is always better
    verdict: str  # IMPROVED, NO_CHANGE or WORSE
    threshold: Decimal | None

    @property
    def passes_threshold(self) -> bool:
        return self.verdict == IMPROVED


def classify_change(measure: Measure, baseline: Decimal, latest: Decimal) -> Change:
    """Improved or worse when the change (in the better direction) reaches the measure's
    threshold; with no published threshold, any change counts."""
    baseline, latest = Decimal(baseline), Decimal(latest)
    difference = latest - baseline
    improvement = difference if measure.higher_is_better else -difference
    threshold = measure.change_threshold
    if threshold is None:
        verdict = IMPROVED if improvement > 0 else WORSE if improvement < 0 else NO_CHANGE
    else:
        verdict = (
            IMPROVED
            if improvement >= threshold
            else WORSE
            if improvement <= -threshold
            else NO_CHANGE
        )
    return Change(baseline, latest, difference, improvement, verdict, threshold)

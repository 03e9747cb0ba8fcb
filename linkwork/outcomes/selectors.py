"""Reads of outcomes. Scoping to the viewer is the referrals selectors' job: callers pass
a referral they were allowed to see (`linkwork.referrals.selectors.referral_for`)."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from linkwork.outcomes.instruments import Instrument, Measure, instrument, ordered
from linkwork.outcomes.models import ItemWording, Response, Timepoint
from linkwork.outcomes.scoring import Change, classify_change
from linkwork.referrals.models import Referral


def responses_of(referral: Referral) -> list[Response]:
    """Every response on the referral, complete or not, oldest first."""
    return list(
        referral.outcome_responses.select_related("recorded_by").order_by(
            "completed_on", "recorded_at", "id"
        )
    )


@dataclass(frozen=True)
class Pair:
    """A referral's baseline and latest later response to one instrument (both complete)."""

    referral_id: int
    instrument: str
    baseline: Response
    latest: Response | None  # None: no follow-up or closure yet

    def score(self, response: Response | None, measure_key: str) -> Decimal | None:
        if response is None or measure_key not in response.measures:
            return None
        return Decimal(response.measures[measure_key]["score"])

    def change(self, measure: Measure) -> Change | None:
        """The change on one measure; None until both timepoints are scored."""
        before, after = self.score(self.baseline, measure.key), self.score(self.latest, measure.key)
        if before is None or after is None:
            return None
        return classify_change(measure, before, after)


def pair_responses(responses: Iterable[Response]) -> list[Pair]:
    """Pair each referral's complete baseline of an instrument with its latest complete
    follow-up or closure (by completed_on, then recorded_at). Incomplete responses and
    instruments without a baseline are left out. Feed it responses of many referrals at
    once (e.g. `Response.objects.filter(referral__in=cohort, complete=True)`)."""
    baselines: dict[tuple[int, str], Response] = {}
    latest: dict[tuple[int, str], Response] = {}
    for response in responses:
        if not response.complete:
            continue
        key = (response.referral_id, response.instrument)
        if response.timepoint == Timepoint.BASELINE:
            baselines[key] = response
            continue
        current = latest.get(key)
        when = (response.completed_on, response.recorded_at, response.pk)
        if current is None or when > (current.completed_on, current.recorded_at, current.pk):
            latest[key] = response
    return [
        Pair(referral_id, code, baseline, _after(latest.get((referral_id, code)), baseline))
        for (referral_id, code), baseline in baselines.items()
    ]


def _after(response: Response | None, baseline: Response) -> Response | None:
    # A later timepoint dated before the baseline cannot be "after" it.
    if response is None or response.completed_on < baseline.completed_on:
        return None
    return response


@dataclass(frozen=True)
class MeasureChange:
    instrument: Instrument
    measure: Measure
    pair: Pair
    change: Change | None


def person_changes(referral: Referral) -> list[MeasureChange]:
    """For the case page: each measure with a baseline, its latest score and change."""
    pairs = {pair.instrument: pair for pair in pair_responses(responses_of(referral))}
    rows = []
    for found in ordered():
        pair = pairs.get(found.code)
        if pair is None:
            continue
        for measure in found.measures:
            rows.append(MeasureChange(found, measure, pair, pair.change(measure)))
    return rows


def imported_wording(code: str) -> dict[int, str]:
    """Licensed wording a deployment has imported, by item number (empty if none)."""
    return dict(ItemWording.objects.filter(instrument=code).values_list("item_number", "wording"))


def item_wording(code: str) -> list[str]:
    """Each item's wording: shipped, or imported for licensed instruments; "" where a
    licensed instrument's wording has not been imported."""
    found = instrument(code)
    imported = imported_wording(code) if found.licensed_wording else {}
    return [imported.get(item.number, item.wording) for item in found.items]


def wording_available(code: str) -> bool:
    """Whether every item can be shown in words (licensed wording imported, or shipped)."""
    return all(item_wording(code))


def link_choices() -> tuple[list[tuple[str, str]], list[Instrument]]:
    """Questionnaires a person can be sent by link (every item readable), and those that
    cannot be sent yet because their licensed wording has not been imported."""
    ready, waiting = [], []
    for found in ordered():
        if found.items_from_plan:
            continue
        if wording_available(found.code):
            ready.append((found.code, f"{found.short_name}: {found.name}"))
        else:
            waiting.append(found)
    return ready, waiting


def due_follow_up(referral: Referral) -> list[Instrument]:
    """What a review should ask again: the instruments with a complete baseline (or, when
    none has been recorded, SWEMWBS and ONS4, the usual pair)."""
    with_baseline = set(
        referral.outcome_responses.filter(timepoint=Timepoint.BASELINE, complete=True).values_list(
            "instrument", flat=True
        )
    )
    codes = with_baseline or {"swemwbs", "ons4"}
    return [found for found in ordered() if found.code in codes]


def due_at_closure(referral: Referral) -> list[Instrument]:
    """What closing should ask again: the instruments with a complete baseline and no
    closure yet (without a baseline there is no change to measure, so nothing)."""
    responses = referral.outcome_responses.filter(
        complete=True, timepoint__in=[Timepoint.BASELINE, Timepoint.CLOSURE]
    ).values_list("instrument", "timepoint")
    found = set(responses)
    codes = {code for code, when in found if when == Timepoint.BASELINE} - {
        code for code, when in found if when == Timepoint.CLOSURE
    }
    return [instrument for instrument in ordered() if instrument.code in codes]


def recorded_once(referral: Referral) -> set[tuple[str, str]]:
    """(instrument, timepoint) pairs already recorded complete where only one is allowed."""
    return set(
        referral.outcome_responses.filter(
            complete=True, timepoint__in=[Timepoint.BASELINE, Timepoint.CLOSURE]
        ).values_list("instrument", "timepoint")
    )

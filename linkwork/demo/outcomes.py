"""Demo outcomes: questionnaires and other outcomes on the demo referrals.

About half the demo referrals that reached a conversation have baselines (SWEMWBS, ONS4,
UCLA-3; goals where there is a plan), fewer have a follow-up or closure questionnaire, and
most of those show some improvement, as social prescribing evaluations report: the
evaluation pages then have something to show. A few baselines are incomplete. People
with money, debt or benefit needs gain some income or have debt managed; some start
volunteering or join a group.

Answers are made up and scored by `linkwork.outcomes.scoring`, exactly as recorded ones
are. Rows are written directly with their historical dates (the casework stories have
already moved referrals on, e.g. to closed). Idempotent: nothing happens when the demo
referrals already have outcomes.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from linkwork.audit.services import record_events
from linkwork.demo.referrals.world import KEY_PREFIX
from linkwork.outcomes.instruments import instrument
from linkwork.outcomes.models import OtherOutcomes, Response, Timepoint
from linkwork.outcomes.scoring import score
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Plan, Referral

REACHED_CONVERSATION = (t.CONTACTED, t.IN_PROGRESS, t.CLOSED)
MONEY_NEEDS = {"need-money-debt", "need-benefits", "need-employment"}
# Where each item's answer centres at baseline, and how far it moves by follow-up.
BASELINE_CENTRE = {"swemwbs": 2.6, "ucla3": 2.2}
ONS4_CENTRE = {"life_satisfaction": 4.6, "worthwhile": 5.2, "happiness": 4.8, "anxiety": 5.6}


def _answer(rng: random.Random, centre: float, low: int, high: int, spread: float = 0.9) -> int:
    return max(low, min(high, round(rng.gauss(centre, spread))))


def _answers(rng: random.Random, code: str, lift: float, goals: int) -> list[int]:
    """Made-up answers; `lift` is how much better (in item steps) than baseline."""
    found = instrument(code)
    low, high = found.lowest, found.highest
    if code == "ons4":
        return [
            _answer(rng, centre + (-lift if key == "anxiety" else lift) * 2.2, low, high, 1.3)
            for key, centre in ONS4_CENTRE.items()
        ]
    if code == "ucla3":
        return [
            _answer(rng, BASELINE_CENTRE["ucla3"] - lift * 0.8, low, high, 0.6) for _ in found.items
        ]
    if code == "goals":
        return [_answer(rng, 3 + lift * 4, low, high, 1.2) for _ in range(goals)]
    return [_answer(rng, BASELINE_CENTRE[code] + lift, low, high) for _ in found.items]


def _response(
    referral: Referral, code: str, timepoint: str, answers: list, goals: list[str], on: dt.date
) -> Response:
    scored = score(instrument(code), answers, allow_missing=True, item_count=len(goals))
    return Response(
        referral=referral,
        instrument=code,
        timepoint=timepoint,
        goals=goals,
        **scored.as_stored(),
        completed_on=on,
        recorded_by=referral.assigned_to,
    )


def _later_date(referral: Referral, baseline: dt.date, rng: random.Random) -> tuple[str, dt.date]:
    """When the follow-up (or, for a closed referral, the closure) questionnaire was done."""
    today = timezone.localdate()
    if referral.status == t.CLOSED and referral.closed_at:
        return Timepoint.CLOSURE, max(baseline, timezone.localdate(referral.closed_at))
    return Timepoint.FOLLOW_UP, min(today, baseline + dt.timedelta(weeks=rng.choice((6, 8, 12))))


@transaction.atomic
def load_demo_outcomes(*, seed: int = 2026) -> int:
    """Questionnaires and other outcomes on the demo referrals; nothing when they already
    have some. Returns how many responses were created."""
    demo = Referral.objects.filter(idempotency_key__startswith=KEY_PREFIX)
    if Response.objects.filter(referral__in=demo).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311  (made-up demo answers, not secrets)
    today = timezone.localdate()
    plans = dict(Plan.objects.filter(referral__in=demo).values_list("referral_id", "goals"))
    responses: list[Response] = []
    others: list[OtherOutcomes] = []
    referrals = demo.filter(status__in=REACHED_CONVERSATION).select_related("assigned_to")
    for referral in referrals.prefetch_related("reasons", "connections").order_by("pk"):
        if rng.random() > 0.72:  # about half of all demo referrals have a baseline
            continue
        contacted = referral.first_contacted_at or referral.received_at
        baseline = min(today, timezone.localdate(contacted) + dt.timedelta(days=rng.randint(0, 7)))
        goals = list(plans.get(referral.pk) or [])
        codes = ["swemwbs", "ons4", "ucla3"] + (["goals"] if goals else [])
        # How this person fares: most improve, some stay the same, a few get worse.
        lift = rng.choice((1.2, 1.0, 0.8, 0.7, 0.6, 0.5, 0.4, 0.2, 0.0, -0.3))
        later = (today - baseline).days >= 42 and rng.random() < 0.65
        timepoint, later_on = _later_date(referral, baseline, rng)
        for code in codes:
            answers: list = _answers(rng, code, 0, len(goals))
            if rng.random() < 0.03:
                answers[rng.randrange(len(answers))] = None  # an item the person skipped
            responses.append(_response(referral, code, "baseline", answers, goals, baseline))
            if later:
                after = _answers(rng, code, lift + rng.gauss(0, 0.15), len(goals))
                responses.append(_response(referral, code, timepoint, after, goals, later_on))
        other = _other_outcomes(referral, rng, later)
        if other is not None:
            others.append(other)
    Response.objects.bulk_create(responses)
    OtherOutcomes.objects.bulk_create(others)
    record_events(
        by=None,
        action="outcome_recorded",
        object_type="referral",
        object_ids=sorted({r.referral_id for r in responses}),
        summary="demo data",
    )
    return len(responses)


def _other_outcomes(referral: Referral, rng: random.Random, later: bool) -> OtherOutcomes | None:
    needs = {term.code for term in referral.reasons.all()}
    money = bool(needs & MONEY_NEEDS)
    attending = any(c.status in (t.ATTENDING, t.COMPLETED) for c in referral.connections.all())
    if not (money or attending or rng.random() < 0.25):
        return None
    other = OtherOutcomes(referral=referral, updated_by=referral.assigned_to)
    other.gp_contacts_baseline = rng.choice((1, 2, 2, 3, 4, 5, 6, 8))
    other.ae_contacts_baseline = rng.choice((0, 0, 0, 1, 1, 2))
    if later:
        other.gp_contacts_follow_up = max(0, other.gp_contacts_baseline - rng.choice((0, 1, 1, 2)))
        other.ae_contacts_follow_up = max(0, other.ae_contacts_baseline - rng.choice((0, 0, 1)))
    if money and rng.random() < 0.8:
        other.income_annual = Decimal(rng.randrange(400, 6000, 50))
        other.income_one_off = Decimal(rng.choice((0, 150, 250, 400, 900)))
        if "need-money-debt" in needs:
            other.debt_managed = Decimal(rng.randrange(500, 12000, 100))
            other.debt_written_off = Decimal(rng.choice((0, 0, 300, 1200, 2500)))
        other.grants_obtained = Decimal(rng.choice((0, 0, 120, 250, 500)))
    other.group_joined = attending or None
    other.volunteering_started = True if rng.random() < 0.12 else None
    other.group_started = True if rng.random() < 0.03 else None
    return other

"""The people's feedback at closure, for the demo: some answer the link their closure
sent them (only people with an email address who agreed to email are sent one), a few
days later, through the real service, on the simulated clock.

Idempotent: whether someone answers, when and what, is drawn from their referral's own
seed, so a second run makes the same choices and finds them made. Referrals closed
before feedback existed (an older demo database) are asked first, as of their closure.
"""

import datetime as dt
import random

from django.db import transaction
from django.db.models import QuerySet

from linkwork.demo.referrals.words import FEEDBACK_COMMENTS
from linkwork.demo.referrals.world import KEY_PREFIX, after, clock
from linkwork.referrals import feedback, services
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, FeedbackRequest, Referral

ANSWER_RATE = 0.7
RATINGS, WEIGHTS = (5, 4, 3, 2, 1), (40, 32, 16, 8, 4)


def _demo_referrals() -> QuerySet[Referral]:
    return Referral.objects.filter(idempotency_key__startswith=KEY_PREFIX)


@transaction.atomic
def load_demo_feedback(*, now: dt.datetime, seed: int = 2026) -> int:
    """Ask anyone not yet asked, then answer for those who would have by `now`.
    Returns how many answers were recorded."""
    unasked = _demo_referrals().filter(status=t.CLOSED, feedback_request__isnull=True)
    for referral in unasked.select_related("person", "service").order_by("closed_at"):
        with clock(referral.closed_at):
            feedback.ask_for_feedback(referral=referral, by=referral.assigned_to)
    answered = 0
    waiting = FeedbackRequest.objects.filter(
        referral__in=_demo_referrals(), sent_at__isnull=False, answered_at__isnull=True
    ).select_related("referral")
    for request in waiting.order_by("sent_at"):
        rng = random.Random(f"{seed}-feedback-{request.referral.idempotency_key}")  # noqa: S311
        if rng.random() >= ANSWER_RATE:
            continue  # never answers
        at = after(request.sent_at, rng.randint(0, 12), rng)
        if at > now or at >= request.expires_at:
            continue  # not yet
        rating = rng.choices(RATINGS, WEIGHTS)[0]
        comment = rng.choice(FEEDBACK_COMMENTS[rating]) if rng.random() < 0.5 else ""
        with clock(at):
            feedback.record_feedback(
                feedback_request=request, rating=rating, comment=comment, by=None
            )
        answered += 1
    return answered


@transaction.atomic
def withdraw_refused_connections() -> int:
    """Connections a full group refused, left proposed by a demo made before they could
    be withdrawn: withdrawn now, as of when they were refused."""
    refused = Connection.objects.filter(
        referral__in=_demo_referrals(), status=t.PROPOSED
    ).select_related("asset", "created_by")
    withdrawn = 0
    for connection in refused.order_by("pk"):
        with clock(connection.created_at):
            services.withdraw_connection(
                connection=connection,
                reason=f"{connection.asset.name} had no places.",
                by=connection.created_by,
            )
        withdrawn += 1
    return withdrawn

"""Every write of outcomes: keyword-only, with `by=`, atomic, audited.

Audit summaries name the instrument and timepoint, never answers or scores (health data).

Recording a response (and a person's answers through their link) is here; the rest is one
module per sub-concept, re-exported, so callers import from here.
"""

import datetime as dt
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from linkwork.audit.services import record_event
from linkwork.errors import Conflict, InvalidInput
from linkwork.outcomes.models import ONCE_ONLY, QuestionnaireLink, Response, Timepoint
from linkwork.outcomes.scoring import AnswerError, score
from linkwork.outcomes.services._common import _instrument_or_422
from linkwork.outcomes.services.links import (
    LinkGone,
    LinkNotFound,
    create_questionnaire_link,
    link_days,
    open_link,
    token_digest,
)
from linkwork.outcomes.services.other import save_other_outcomes
from linkwork.outcomes.services.wording import import_wording, read_wording_csv
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Plan, Referral


def _check_state(referral: Referral, timepoint: str) -> None:
    """Declined or returned referrals take no outcomes; a closed one only closure ones."""
    if referral.status in t.TURNED_AWAY:
        raise Conflict(
            f"This referral was {referral.status}: no outcomes can be recorded on it.",
            current_state=referral.status,
        )
    if referral.status == t.CLOSED and timepoint != Timepoint.CLOSURE:
        raise Conflict(
            "This referral is closed: only closure questionnaires can be recorded now.",
            current_state=referral.status,
        )


def _check_date(referral: Referral, code: str, timepoint: str, completed_on: dt.date) -> None:
    """Not in the future, not before the referral arrived, and after the baseline."""
    if completed_on > timezone.localdate():
        raise InvalidInput({"completed_on": "The date answered cannot be in the future."})
    received = timezone.localdate(referral.received_at)
    if completed_on < received:
        raise InvalidInput(
            {
                "completed_on": "The date answered is before the referral was received "
                f"({date_format(received, 'j F Y')})."
            }
        )
    if timepoint == Timepoint.BASELINE:
        return
    baseline = referral.outcome_responses.filter(
        instrument=code, timepoint=Timepoint.BASELINE, complete=True
    ).first()
    if baseline and completed_on < baseline.completed_on:
        raise InvalidInput(
            {
                "completed_on": f"A {Timepoint(timepoint).label.lower()} cannot be dated before "
                f"the baseline ({date_format(baseline.completed_on, 'j F Y')})."
            }
        )


def _check_once(referral: Referral, code: str, timepoint: str, short_name: str) -> None:
    if timepoint not in ONCE_ONLY:
        return
    earlier = referral.outcome_responses.filter(
        instrument=code, timepoint=timepoint, complete=True
    ).first()
    if earlier is not None:
        raise Conflict(
            f"A {Timepoint(timepoint).label.lower()} {short_name} was already recorded on "
            f"{date_format(earlier.completed_on, 'j F Y')}: record a follow-up instead.",
            current_state="recorded",
        )


@transaction.atomic
def record_response(
    *,
    referral: Referral,
    instrument_code: str,
    timepoint: str,
    answers: Any,
    completed_on: dt.date | None = None,
    link: QuestionnaireLink | None = None,
    by: AbstractBaseUser | None,
) -> Response:
    """Record one questionnaire. Answers are checked against the scale (422 naming the
    item); a None answer stores the questionnaire as incomplete, never scored. Baseline
    and closure happen once per instrument (409 for a second); no date before the
    referral or (for later timepoints) before the baseline; declined or returned
    referrals take nothing, closed ones only closure."""
    found = _instrument_or_422(instrument_code)
    if timepoint not in Timepoint.values:
        raise InvalidInput({"timepoint": "Choose baseline, follow_up or closure."})
    # Lock the referral: two baselines submitted at once cannot both pass the check.
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _check_state(referral, timepoint)
    completed_on = completed_on or timezone.localdate()
    _check_date(referral, found.code, timepoint, completed_on)
    _check_once(referral, found.code, timepoint, found.short_name)
    goals: list[str] = []
    if found.items_from_plan:
        plan = Plan.objects.filter(referral=referral).first()
        goals = list(plan.goals) if plan else []
    try:
        scored = score(found, answers, allow_missing=True, item_count=len(goals))
    except AnswerError as error:
        raise InvalidInput(error.errors) from None
    try:
        with transaction.atomic():  # the unique constraint backs the check above up
            response = _create_response(
                referral, found, timepoint, scored, goals, completed_on, link, by
            )
    except IntegrityError:
        raise Conflict(
            f"A {Timepoint(timepoint).label.lower()} {found.short_name} was already recorded.",
            current_state="recorded",
        ) from None
    record_event(
        by=by,
        action="outcome_recorded",
        object_type="referral",
        object_id=referral.pk,
        summary=f"instrument={found.code} timepoint={timepoint} complete={scored.complete}"
        + (f" link={link.pk}" if link else ""),
    )
    return response


def _create_response(referral, found, timepoint, scored, goals, completed_on, link, by):
    return Response.objects.create(
        referral=referral,
        instrument=found.code,
        timepoint=timepoint,
        goals=goals,
        **scored.as_stored(),
        completed_on=completed_on,
        recorded_by=by if by is not None and by.is_authenticated else None,
        link=link,
    )


@transaction.atomic
def complete_questionnaire_link(*, token: str, answers: dict[str, list]) -> QuestionnaireLink:
    """The person's answers through their link: one response per questionnaire on the
    link (a skipped item leaves that questionnaire incomplete), then the link is spent.
    All or nothing: a bad answer writes nothing and leaves the link usable."""
    link = open_link(token, lock=True)
    for code in link.instruments:
        record_response(
            referral=link.referral,
            instrument_code=code,
            timepoint=link.timepoint,
            answers=answers.get(code, []),
            link=link,
            by=None,
        )
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return link


__all__ = [
    "record_response",
    "complete_questionnaire_link",
    "save_other_outcomes",
    "LinkNotFound",
    "LinkGone",
    "token_digest",
    "link_days",
    "create_questionnaire_link",
    "open_link",
    "read_wording_csv",
    "import_wording",
]

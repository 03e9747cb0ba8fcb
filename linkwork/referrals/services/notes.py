"""The case's log: notes, phone calls (answered or not, a message left) and visits, dated
and attributed; and closing a referral when the person could not be reached."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from linkwork.errors import Conflict, InvalidInput
from linkwork.referrals import transitions as t
from linkwork.referrals.models import (
    ANSWERED_CONTACT,
    CASE_NOTE_MAX_LENGTH,
    UNANSWERED_ATTEMPTS,
    CaseNote,
    CaseNoteKind,
    Referral,
)
from linkwork.referrals.services._common import _actor, _audit
from linkwork.referrals.services.casework import transition_referral


def unanswered_attempts(referral: Referral) -> int:
    """Attempts in a row that did not reach the person: no answer or a message left
    since they were last spoken with or visited."""
    attempts = 0
    kinds = CaseNote.objects.filter(referral=referral).order_by("-happened_at", "-id")
    for kind in kinds.values_list("kind", flat=True):
        if kind in ANSWERED_CONTACT:
            break
        attempts += kind in UNANSWERED_ATTEMPTS
    return attempts


def can_close_without_answer(referral: Referral) -> bool:
    """Enough attempts in a row have failed to reach the person, and the work has not
    begun (a referral in progress closes the ordinary way)."""
    return (referral.status, t.CLOSED) in t.CLOSING_WITHOUT_ANSWER and (
        unanswered_attempts(referral) >= settings.NO_ANSWER_ATTEMPTS_TO_CLOSE
    )


def no_answer_summary(attempts: int) -> str:
    return (
        f"We tried to contact them {attempts} times without reaching them, so the referral "
        "is closed. Refer them again if they would still like support."
    )


@transaction.atomic
def record_case_note(
    *,
    referral: Referral,
    kind: str,
    text: str = "",
    happened_at: dt.datetime | None = None,
    by: AbstractBaseUser,
) -> CaseNote:
    """One line of the case's log. A note needs words; an attempt to reach the person
    may have none. It cannot have happened in the future, nor before the referral
    arrived. The audit line says what kind of line it was, never what it says."""
    now = timezone.now()
    happened_at = happened_at or now
    if timezone.is_naive(happened_at):
        happened_at = timezone.make_aware(happened_at)
    text = text.strip()
    errors = {}
    if kind not in CaseNoteKind.values:
        errors["kind"] = f"Must be one of {', '.join(CaseNoteKind.values)}."
    elif kind == CaseNoteKind.NOTE and not text:
        errors["text"] = "Write the note."
    if len(text) > CASE_NOTE_MAX_LENGTH:
        errors["text"] = f"Keep the note to {CASE_NOTE_MAX_LENGTH} characters or fewer."
    if happened_at > now + dt.timedelta(minutes=5):
        errors["happened_at"] = "The date must be today or in the past."
    elif happened_at < referral.received_at - dt.timedelta(days=1):
        errors["happened_at"] = "The date must be on or after the day the referral arrived."
    if errors:
        raise InvalidInput(errors)
    note = CaseNote.objects.create(
        referral=referral, kind=kind, text=text, happened_at=happened_at, by=_actor(by)
    )
    _audit(by, "case_note_recorded", "referral", referral.pk, f"kind={kind}")
    return note


@transaction.atomic
def close_without_answer(*, referral: Referral, summary: str = "", by: AbstractBaseUser):
    """Close a referral whose person could not be reached after
    NO_ANSWER_ATTEMPTS_TO_CLOSE attempts in a row: the referrer is told, with the summary
    (a standard one unless the link worker writes their own)."""
    attempts = unanswered_attempts(referral)
    if not can_close_without_answer(referral):
        needed = settings.NO_ANSWER_ATTEMPTS_TO_CLOSE
        raise Conflict(
            f"A referral that is {referral.status.replace('_', ' ')} closes without an answer "
            f"only after {needed} attempts in a row that did not reach the person "
            f"({attempts} recorded).",
            current_state=referral.status,
        )
    return transition_referral(
        referral=referral,
        to=t.CLOSED,
        reason=f"No answer after {attempts} attempts.",
        summary=summary.strip() or no_answer_summary(attempts),
        by=by,
    )

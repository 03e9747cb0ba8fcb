"""The panel's writes: conflicts of interest (declared, or automatic for members of the
applying group) and scores."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from linkwork.audit.services import record_event
from linkwork.errors import Conflict, InvalidInput
from linkwork.funding.models import (
    Application,
    ApplicationStatus,
    ConflictOfInterest,
    Round,
    RoundStatus,
    Score,
)
from linkwork.funding.services import access
from linkwork.funding.services.applications import _not_found, _text


def _scorable(application: Application, by: AbstractBaseUser) -> None:
    if (
        not access.is_panel_member(by, application.round)
        or application.status == ApplicationStatus.DRAFT
    ):
        raise _not_found()


@transaction.atomic
def declare_conflict(
    *, application: Application, reason: str = "", by: AbstractBaseUser
) -> ConflictOfInterest:
    """A panel member says they have an interest in this application; from then on they
    cannot score it (a score already given is withdrawn)."""
    _scorable(application, by)
    conflict, _ = ConflictOfInterest.objects.get_or_create(
        application=application, member=by, defaults={"reason": _text(reason)[:2000]}
    )
    Score.objects.filter(application=application, member=by).delete()
    record_event(
        by=by,
        action="funding_conflict_declared",
        object_type="funding_application",
        object_id=application.pk,
    )
    return conflict


def is_conflicted(application: Application, user: AbstractBaseUser) -> bool:
    """Declared, or automatic: a member of the applying organisation."""
    return (
        access.member_of_applicant(user, application)
        or ConflictOfInterest.objects.filter(application=application, member_id=user.pk).exists()
    )


@transaction.atomic
def score_application(
    *, application: Application, score: Any, comment: str = "", by: AbstractBaseUser
) -> Score:
    """A panel member's score, 0–5, with a comment; again replaces their last. Not while
    conflicted, and only while the round is being scored."""
    _scorable(application, by)
    round = Round.objects.get(pk=application.round_id)  # its state now, not as first read
    if round.status != RoundStatus.SCORING:
        raise Conflict(
            f"This round is {round.status}: scores are given only while it is being scored.",
            current_state=round.status,
        )
    if is_conflicted(application, by):
        raise Conflict(
            "You have a conflict of interest in this application, so you cannot score it.",
            current_state="conflicted",
        )
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 5:
        raise InvalidInput({"score": "Give a whole number from 0 to 5."})
    row, _ = Score.objects.update_or_create(
        application=application,
        member=by,
        defaults={"score": score, "comment": _text(comment)[:5000]},
    )
    record_event(
        by=by,
        action="funding_application_scored",
        object_type="funding_application",
        object_id=application.pk,
        summary=f"score={score}",
    )
    return row

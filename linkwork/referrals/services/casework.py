"""A referral's life with its link worker: moves through the referral table, assignment,
the what-matters conversation, the plan, consent, unmet needs and follow-up reviews.
"""

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from linkwork.accounts.models import Membership
from linkwork.accounts.roles import Role
from linkwork.directory.services import terms_for_codes
from linkwork.errors import Conflict, InvalidInput
from linkwork.notifications.models import Kind
from linkwork.notifications.services import site_link, tell
from linkwork.referrals import transitions as t
from linkwork.referrals.feedback import ask_for_feedback
from linkwork.referrals.models import (
    Connection,
    Conversation,
    FollowUp,
    FollowUpKind,
    Plan,
    Referral,
    ReferralEvent,
    UnmetNeed,
    UnmetReason,
)
from linkwork.referrals.services._common import (
    _actor,
    _audit,
    _cancel_reviews,
    _check_pending,
    _check_reopen_window,
    _reopen,
)


@transaction.atomic
def transition_referral(
    *,
    referral: Referral,
    to: str,
    reason: str = "",
    summary: str = "",
    by: AbstractBaseUser | None,
) -> Referral:
    """Move a referral along its table. Declining, returning and reopening need a reason;
    closing needs a summary, and asks the person for feedback. Reviews nobody did are
    cancelled when the referral ends, never marked done. A closed referral reopens only
    within REOPEN_WINDOW_DAYS. The referrer is told of every change."""
    given, referral = referral, Referral.objects.select_for_update().get(pk=referral.pk)
    previous = referral.status
    t.check("referral", previous, to)
    needed = t.reason_needed(previous, to)
    if needed and not reason.strip():
        raise InvalidInput({"reason": needed})
    if to == t.CLOSED and not summary.strip():
        raise InvalidInput({"summary": "Write a closing summary for the referrer."})
    now = timezone.now()
    if (previous, to) == t.REOPENING:
        _check_reopen_window(referral, now)
    if (previous, to) in t.CLOSING_WITHOUT_ANSWER:
        _check_could_not_reach(referral)
    referral.status = to
    if t.is_ended(to):
        referral.referrer_seen_end_at = None  # a new ending for the referrer to see
    if t.needs_reason(to):
        referral.reason = reason.strip()
        _cancel_reviews(referral, because=to, at=now, by=by)
    if to == t.CONTACTED:
        referral.first_contacted_at = now
    if to == t.ACCEPTED:
        _schedule_reviews(referral)
    if to == t.CLOSED:
        referral.closure_summary = summary.strip()
        referral.closed_at = now
        _cancel_reviews(referral, because=t.CLOSED, at=now, by=by)
    if (previous, to) == t.REOPENING:
        _reopen(referral, by=by)
    referral.save()
    ReferralEvent.objects.create(
        referral=referral,
        from_status=previous,
        to_status=to,
        reason=reason.strip(),
        by=_actor(by),
    )
    _audit(by, "referral_transition", "referral", referral.pk, f"from={previous} to={to}")
    if to == t.CLOSED:
        ask_for_feedback(referral=referral, by=by)
    if referral.referrer_id and referral.referrer.is_active:
        tell(
            users=[referral.referrer],
            kind=Kind.REFERRAL_UPDATES,
            subject=f"Update on referral {referral.reference}: {t.referral_sentence(to)}",
            body=(
                f"Referral {referral.reference}: {t.referral_sentence(to)}.\n\n"
                f"See what happened: {site_link('referral-status', referral.pk)}"
            ),
        )
    given.refresh_from_db()  # the caller's object shows the new state too
    return referral


def _check_could_not_reach(referral: Referral) -> None:
    """Closing before the work began is only for someone who could not be reached."""
    # here, not at the top: notes imports casework (closing goes through transition_referral)
    from linkwork.referrals.services.notes import can_close_without_answer

    if not can_close_without_answer(referral):
        raise Conflict(
            f"A referral that is {referral.status.replace('_', ' ')} cannot become closed "
            "unless the person could not be reached: record the attempts to contact them "
            "first. Allowed next: "
            + ", ".join(sorted(t.allowed("referral", referral.status) - {t.CLOSED}))
            + ".",
            current_state=referral.status,
        )


def _schedule_reviews(referral: Referral) -> None:
    today = timezone.localdate()
    for kind, weeks in ((FollowUpKind.SIX_WEEKS, 6), (FollowUpKind.TWELVE_WEEKS, 12)):
        FollowUp.objects.get_or_create(
            referral=referral,
            kind=kind,
            connection=None,
            defaults={"due_on": today + dt.timedelta(weeks=weeks)},
        )


@transaction.atomic
def assign_referral(*, referral: Referral, link_worker, by: AbstractBaseUser) -> Referral:
    """Put a referral on a link worker's caseload (theirs or a colleague's)."""

    if not Membership.objects.filter(
        user=link_worker, organisation=referral.service, role=Role.LINK_WORKER.value
    ).exists():
        raise InvalidInput({"assigned_to": "Choose a link worker in this service."})
    referral.assigned_to = link_worker
    referral.save(update_fields=["assigned_to"])
    _audit(by, "referral_assigned", "referral", referral.pk, f"to={link_worker.pk}")
    return referral


@transaction.atomic
def record_conversation(
    *,
    referral: Referral,
    what_matters: str,
    strengths: str = "",
    needs: dict[str, str] | None = None,
    barriers: str = "",
    by: AbstractBaseUser,
) -> Conversation:
    """A what-matters conversation; the first one counts as first contact."""
    if not what_matters.strip():
        raise InvalidInput({"what_matters": "Write down what matters to the person."})
    needs = {code: words.strip() for code, words in (needs or {}).items() if words.strip()}
    if needs and any(
        term.vocabulary != "need" for term in terms_for_codes(needs, field_name="needs")
    ):
        raise InvalidInput({"needs": "Needs are need categories (codes starting need-)."})
    if not t.can_record_conversation(referral.status):
        raise Conflict(
            "Accept the referral before recording a conversation.", current_state=referral.status
        )
    conversation = Conversation.objects.create(
        referral=referral,
        what_matters=what_matters.strip(),
        strengths=strengths.strip(),
        needs=needs,
        barriers=barriers.strip(),
        recorded_by=by,
    )
    if referral.status == t.ACCEPTED:
        # An automatic change says its cause in the history.
        transition_referral(
            referral=referral, to=t.CONTACTED, reason="A what-matters conversation.", by=by
        )
    _audit(by, "conversation_recorded", "referral", referral.pk)
    return conversation


@transaction.atomic
def save_plan(*, referral: Referral, goals: list[str], by: AbstractBaseUser) -> Plan:
    """The co-produced plan: goals in the person's own words."""
    goals = [goal.strip() for goal in goals if goal and goal.strip()]
    if not goals:
        raise InvalidInput({"goals": "Write at least one goal, in the person's own words."})
    plan, _ = Plan.objects.update_or_create(referral=referral, defaults={"goals": goals})
    _audit(by, "plan_saved", "referral", referral.pk, f"goals={len(goals)}")
    return plan


@transaction.atomic
def withdraw_consent(*, referral: Referral, by: AbstractBaseUser) -> Referral:
    """The person withdrew consent to share: nothing more is shown to any group, for
    every connection at once (phone, email and the background note included). The note
    stays on the case for the link worker; groups never see it again."""
    now = timezone.now()
    referral.consent_share_with_groups = False
    referral.consent_withdrawn_at = now
    referral.save(update_fields=["consent_share_with_groups", "consent_withdrawn_at"])
    Connection.objects.filter(referral=referral).update(
        shared_fields=[], shared_fields_chosen_by=_actor(by), shared_fields_chosen_at=now
    )
    _audit(by, "consent_withdrawn", "referral", referral.pk)
    return referral


@transaction.atomic
def record_unmet_need(
    *, referral: Referral, category: str, reason: str, notes: str = "", by: AbstractBaseUser
) -> UnmetNeed:
    """A need that nothing could meet, where the person lives: evidence for gap analysis."""
    errors = {}
    if reason not in UnmetReason.values:
        errors["reason"] = f"Must be one of {', '.join(UnmetReason.values)}."
    if errors:
        raise InvalidInput(errors)
    (term,) = terms_for_codes([category], field_name="category")
    if term.vocabulary != "need":
        raise InvalidInput({"category": "Use a need category (a code starting need-)."})
    unmet = UnmetNeed.objects.create(
        referral=referral,
        category=term,
        reason=reason,
        area=referral.person.area,
        notes=notes.strip(),
        recorded_by=by,
    )
    _audit(by, "unmet_need_recorded", "referral", referral.pk, f"category={term.code}")
    return unmet


@transaction.atomic
def complete_follow_up(*, follow_up: FollowUp, outcome: str, by: AbstractBaseUser) -> FollowUp:
    if not outcome.strip():
        raise InvalidInput({"outcome": "Say what happened."})
    _check_pending(follow_up)
    follow_up.completed_at = timezone.now()
    follow_up.outcome = outcome.strip()
    follow_up.save(update_fields=["completed_at", "outcome"])
    _audit(by, "follow_up_completed", "referral", follow_up.referral_id)
    return follow_up


@transaction.atomic
def reschedule_follow_up(*, follow_up: FollowUp, due_on: dt.date, by: AbstractBaseUser) -> FollowUp:
    """Move a review that is not done yet to another day (the person is away, or it is
    needed sooner)."""
    _check_pending(follow_up)
    follow_up.due_on = due_on
    follow_up.save(update_fields=["due_on"])
    _audit(by, "follow_up_rescheduled", "referral", follow_up.referral_id, f"due={due_on}")
    return follow_up


# --- Triage and connecting, as the link worker's pages do them -------------------------


@transaction.atomic
def accept_referral(*, referral: Referral, link_worker, by: AbstractBaseUser) -> Referral:
    """Triage: accept a received referral onto a link worker's caseload (the actor's own
    or a colleague's). Both or neither: a bad colleague or a referral someone else has
    already triaged changes nothing."""
    assign_referral(referral=referral, link_worker=link_worker, by=by)
    return transition_referral(referral=referral, to=t.ACCEPTED, by=by)


def referrer_saw_the_end(*, referral: Referral, by: AbstractBaseUser) -> None:
    """The referrer opened a referral that has ended (closed, declined or returned): it
    leaves the "not yet seen" list on their home. Only the referrer's own look counts."""
    if not t.is_ended(referral.status) or referral.referrer_id != getattr(by, "pk", None):
        return
    Referral.objects.filter(pk=referral.pk).update(referrer_seen_end_at=timezone.now())

"""The stories: each referral (and each connection) walked through the real services,
one step at a time, as far as today."""

import datetime as dt
import random

from django.utils import timezone

from linkwork.accounts.models import User
from linkwork.demo.referrals.words import (
    BACKGROUND_NEEDS,
    CONNECTION_SUMMARIES,
    DID_NOT_START_REASONS,
    FIRST_CONTACT_REASONS,
    GROUP_DECLINE_REASONS,
    NEEDS,
    REFERRER_NOTES,
    REVIEW_OUTCOMES,
    SELF_REFERRAL_NOTES,
    STOPPED_REASONS,
    TRIAGE_REASONS,
)
from linkwork.demo.referrals.world import (
    KEY_PREFIX,
    REACH_KM,
    TAKING,
    Case,
    Listing,
    Story,
    World,
    after,
)
from linkwork.errors import Conflict
from linkwork.referrals import services
from linkwork.referrals import transitions as t
from linkwork.referrals.models import (
    SHAREABLE_FIELDS,
    Connection,
    FollowUp,
    FollowUpKind,
    Referral,
    Source,
    UnmetReason,
)


def referral_story(case: Case, world: World) -> Story:
    """Received, triaged, talked with, connected, reviewed and closed, as far as today."""
    rng, link_worker = case.rng, world.link_worker
    yield case.received_at
    referral = _refer(case, world)
    if case.outcome == t.RECEIVED:
        if rng.random() < 0.4:
            services.assign_referral(referral=referral, link_worker=link_worker, by=link_worker)
        return
    yield (at := after(case.received_at, rng.randint(0, 2), rng))
    services.assign_referral(referral=referral, link_worker=link_worker, by=link_worker)
    if case.outcome in (t.DECLINED, t.RETURNED) and case.at_triage:
        reason = rng.choice(TRIAGE_REASONS[case.outcome])
        services.transition_referral(
            referral=referral, to=case.outcome, reason=reason, by=link_worker
        )
        return
    services.transition_referral(referral=referral, to=t.ACCEPTED, by=link_worker)
    accepted_at = at
    if case.outcome == t.ACCEPTED:
        return
    yield (at := after(at, rng.randint(1, 9), rng))
    if case.outcome in (t.DECLINED, t.RETURNED):
        reason = rng.choice(FIRST_CONTACT_REASONS[case.outcome])
        services.transition_referral(
            referral=referral, to=case.outcome, reason=reason, by=link_worker
        )
        return
    _converse(referral, case, link_worker)
    if case.outcome == t.CONTACTED:
        return
    yield (at := after(at, rng.randint(0, 6), rng))
    _plan_and_connect(referral, case, world)
    close_early = rng.random() < 0.3
    for weeks in (6, 12):
        yield (at := after(max(at, accepted_at + dt.timedelta(weeks=weeks)), 1, rng))
        _review(referral, rng, link_worker, leave_open=0.3 if case.outcome != t.CLOSED else 0)
        if case.outcome == t.CLOSED and (weeks == 12 or close_early):
            services.transition_referral(
                referral=referral, to=t.CLOSED, summary=_closure_summary(referral), by=link_worker
            )
            return


def _refer(case: Case, world: World) -> Referral:
    rng = case.rng
    by = None if case.self_referral else world.referrer
    return services.create_referral(
        person=case.person,
        source=Source.SELF if case.self_referral else Source.GP,
        reasons=case.reasons,
        consent_to_refer=True,
        share_with_groups=rng.random() < 0.85,
        contact_methods=[case.person["preferred_contact_method"]],
        urgency=rng.choices(["routine", "soon", "urgent"], [80, 15, 5])[0],
        notes=rng.choice(SELF_REFERRAL_NOTES if case.self_referral else REFERRER_NOTES),
        service=world.service if case.self_referral else None,
        referrer_organisation=None if case.self_referral else world.practice,
        idempotency_key=f"{KEY_PREFIX}{case.n}",
        by=by,
    )


def _converse(referral: Referral, case: Case, link_worker: User) -> None:
    services.record_conversation(
        referral=referral,
        what_matters=" ".join(NEEDS[code][0] for code in case.reasons),
        strengths=case.rng.choice(
            [
                "Close to their daughter, who visits on Sundays.",
                "Good with their hands.",
                "A keen reader.",
                "Knows lots of people on the estate from years back.",
                "",
            ]
        ),
        needs={code: NEEDS[code][1] for code in case.reasons},
        barriers=case.rng.choice(
            [
                "Nervous about going somewhere new alone.",
                "No car; buses are hard with a stick.",
                "Money is tight.",
                "",
            ]
        ),
        by=link_worker,
    )


def _plan_and_connect(referral: Referral, case: Case, world: World) -> None:
    """The plan, then a connection for each need: the nearest suitable group, another
    when the first is full, and an unmet need where nothing fits."""
    link_worker, rng = world.link_worker, case.rng
    services.save_plan(
        referral=referral, goals=[NEEDS[code][1] for code in case.reasons], by=link_worker
    )
    for need in case.reasons:
        candidates = world.candidates(case, need)
        barrier = _barrier(case, candidates)
        if barrier:
            services.record_unmet_need(
                referral=referral,
                category=need,
                reason=barrier[0],
                notes=barrier[1],
                by=link_worker,
            )
            continue
        for listing in _in_the_order_tried(candidates, world, rng):
            share, note = _shared(referral, case)
            connection = services.propose_connection(
                referral=referral,
                asset=listing.asset,
                share=share,
                accompanied=rng.random() < 0.2,
                first_session=listing.first_session,
                background_needs=note,
                by=link_worker,
            )
            try:
                connection = services.send_connection(connection=connection, by=link_worker)
            except Conflict:
                services.withdraw_connection(
                    connection=connection,
                    reason=f"{listing.asset.name} had no places.",
                    by=link_worker,
                )
                services.record_unmet_need(
                    referral=referral,
                    category=need,
                    reason=UnmetReason.FULL,
                    notes=f"{listing.asset.name} had no places.",
                    by=link_worker,
                )
                continue
            world.spawn(connection_story(connection, case, world))
            break
    referral.refresh_from_db()
    if referral.status == t.CONTACTED:  # nothing could be sent: support goes on regardless
        services.transition_referral(referral=referral, to=t.IN_PROGRESS, by=link_worker)


def _shared(referral: Referral, case: Case) -> tuple[list[str], str]:
    """What the group is told, with consent: everything, and for every third person a
    background note (chosen from the case number, not the random stream, so the rest of
    the demo stays as it was)."""
    if not referral.consent_share_with_groups:
        return [], ""
    share = [field for field in SHAREABLE_FIELDS if field != "background_needs"]
    if case.n % 3:
        return share, ""
    return [*share, "background_needs"], BACKGROUND_NEEDS[case.n // 3 % len(BACKGROUND_NEEDS)]


def _barrier(case: Case, candidates: list[Listing]) -> tuple[str, str] | None:
    """Why nothing nearby will do, when nothing will: (unmet reason, note)."""
    rng = case.rng
    if not candidates:
        return UnmetReason.NONE_EXISTS, f"Nothing for this within {REACH_KM:g} km of home."
    if case.person["interpreter_needed"] and rng.random() < 0.4:
        return UnmetReason.LANGUAGE, "No group nearby where their language is spoken."
    roll = rng.random()
    if roll < 0.04:
        return UnmetReason.TRANSPORT, "No bus that gets there in time; cannot walk that far."
    if roll < 0.07:
        return UnmetReason.TIMING, "The sessions clash with their caring hours."
    if roll < 0.09:
        return UnmetReason.COST, "Cannot afford the session fee."
    return None


def _in_the_order_tried(candidates: list[Listing], world: World, rng) -> list[Listing]:
    """The first choice (often a group with its own Linkwork account, so the demo group
    inboxes fill; seldom a full one, as the listing says so), then an open alternative,
    nearest first, as the connection page offers."""
    own_account = [c for c in candidates if c.asset.organisation_id in world.group_members]
    if own_account and rng.random() < 0.35:
        first = own_account[0]
    else:
        nearest = candidates[:3]
        weights = [
            weight * (1 if c.asset.capacity_status in TAKING else 0.25)
            for c, weight in zip(nearest, [55, 30, 15], strict=False)
        ]
        first = rng.choices(nearest, weights)[0]
    alternatives = [c for c in candidates if c is not first and c.asset.capacity_status in TAKING]
    return [first, *alternatives[:1]]


def connection_story(connection: Connection, case: Case, world: World) -> Story:
    """The group replies, the person starts (or not), keeps going, and finishes."""
    rng, asset = case.rng, connection.asset
    by = world.responder(asset)
    yield (at := after(connection.sent_at, rng.randint(1, 8), rng))
    if rng.random() < 0.08:
        return  # the group never replies: the notice stays sent
    connection.refresh_from_db()
    if rng.random() < 0.12:
        _move(connection, t.DECLINED, rng.choice(GROUP_DECLINE_REASONS), by)
        return
    if connection.status == t.SENT and (rng.random() < 0.15 or not world.has_room(asset)):
        _move(connection, t.WAITLISTED, "Full this term: we will call when a place comes up.", by)
    if connection.status == t.WAITLISTED:
        yield (at := after(at, rng.randint(10, 40), rng))
        if rng.random() < 0.3 or not world.has_room(asset):
            return  # still waiting
    services.accept_connection(connection=connection, by=by)
    accepted_at = at
    yield (at := after(at, rng.randint(2, 9), rng))
    if rng.random() < 0.15:
        _move(connection, t.DID_NOT_START, rng.choice(DID_NOT_START_REASONS), by)
    else:
        _move(connection, t.ATTENDED_FIRST, "", by)
    yield (at := after(max(at, accepted_at + dt.timedelta(weeks=2)), rng.randint(0, 3), rng))
    _connection_review(connection, rng, world.link_worker)
    if connection.status != t.ATTENDED_FIRST:
        return
    yield (at := after(at, rng.randint(3, 10), rng))
    if rng.random() < 0.15:
        _move(connection, t.STOPPED, rng.choice(STOPPED_REASONS), by)
        return
    _move(connection, t.ATTENDING, "", by)
    yield after(at, rng.randint(28, 80), rng)
    roll = rng.random()
    if roll < 0.4:
        _move(connection, t.COMPLETED, "", by)
    elif roll < 0.5:
        _move(connection, t.STOPPED, rng.choice(STOPPED_REASONS), by)


def _move(connection: Connection, to: str, reason: str, by) -> None:
    services.transition_connection(connection=connection, to=to, reason=reason, by=by)
    connection.refresh_from_db()


def _connection_review(connection: Connection, rng: random.Random, link_worker: User) -> None:
    """The two-week check on a new connection; a few are left due, unless the referral
    has closed."""
    review = connection.follow_ups.pending().first()
    closed = Referral.objects.filter(pk=connection.referral_id, status=t.CLOSED).exists()
    if review is None or (rng.random() < 0.2 and not closed):
        return
    outcome = rng.choice(REVIEW_OUTCOMES[FollowUpKind.CONNECTION_REVIEW])
    if connection.status == t.DID_NOT_START:
        outcome = "Rang them: they did not start; talked about trying somewhere else."
    services.complete_follow_up(follow_up=review, outcome=outcome, by=link_worker)


def _review(referral: Referral, rng: random.Random, link_worker: User, leave_open: float) -> None:
    """The six- or twelve-week review, and any connection checks still due."""
    today = timezone.localdate()
    due = FollowUp.objects.pending().filter(referral=referral, due_on__lte=today)
    for follow_up in due:
        if rng.random() < leave_open:
            continue  # left on the link worker's list of follow-ups due
        outcome = rng.choice(REVIEW_OUTCOMES[follow_up.kind])
        services.complete_follow_up(follow_up=follow_up, outcome=outcome, by=link_worker)


def _closure_summary(referral: Referral) -> str:
    lines = ["We talked about what matters to them and agreed a plan together."]
    for connection in referral.connections.select_related("asset").order_by("pk"):
        if connection.status in CONNECTION_SUMMARIES:
            lines.append(CONNECTION_SUMMARIES[connection.status].format(asset=connection.asset))
    for unmet in referral.unmet_needs.select_related("category").order_by("pk"):
        lines.append(
            f"Nothing suitable for {unmet.category.name.lower()} "
            f"({unmet.get_reason_display().lower()}): recorded as an unmet need."
        )
    lines.append("They know they can come back to us at any time.")
    return " ".join(lines)

"""Connections to community assets: proposing, sending, the group's answer, moves through
the connection table, connecting instead, and what the group records (feedback, register).
"""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from linkwork.directory.capacity import take_last_place
from linkwork.directory.models import (
    Asset,
    CapacityStatus,
    Publication,
)
from linkwork.directory.models import ReferralMethod as GroupReferralMethod
from linkwork.errors import Conflict, InvalidInput
from linkwork.notifications.models import Kind
from linkwork.notifications.services import notify_organisation, site_link
from linkwork.referrals import transitions as t
from linkwork.referrals.calendar import add_working_days
from linkwork.referrals.models import (
    Connection,
    ConnectionEvent,
    FollowUp,
    FollowUpKind,
    Referral,
)
from linkwork.referrals.services._common import _actor, _audit, _checked_share
from linkwork.referrals.services.casework import transition_referral

# --- Connections ---------------------------------------------------------------------


@transaction.atomic
def propose_connection(
    *,
    referral: Referral,
    asset: Asset,
    share: Iterable[str] = (),
    accompanied: bool = False,
    first_session: str = "",
    background_needs: str = "",
    by: AbstractBaseUser,
) -> Connection:
    """Connect the person to an asset, sharing only fields they consented to (phone and
    email too, only when chosen). Who chose what to share, and when, is recorded."""
    if not t.can_connect(referral.status):
        raise Conflict(
            "Talk with the person (record a conversation) before connecting them.",
            current_state=referral.status,
        )
    if asset.publication != Publication.PUBLISHED:
        raise InvalidInput({"service_id": "This listing is not published."})
    share = _checked_share(referral, share, background_needs.strip())
    connection = Connection.objects.create(
        referral=referral,
        asset=asset,
        shared_fields=share,
        shared_fields_chosen_by=_actor(by) if share else None,
        shared_fields_chosen_at=timezone.now() if share else None,
        background_needs=background_needs.strip(),
        accompanied=accompanied,
        proposed_first_session=first_session.strip(),
        created_by=by,
    )
    ConnectionEvent.objects.create(connection=connection, to_status=t.PROPOSED, by=by)
    _audit(
        by,
        "connection_proposed",
        "connection",
        connection.pk,
        f"asset={asset.pk} shared={','.join(share) or 'nothing'}",
    )
    return connection


INSTRUCTIONS = {
    GroupReferralMethod.PHONE_FIRST: "This group asks for a phone call first: {phone}.",
    GroupReferralMethod.OWN_FORM: "This group uses its own referral form: {form}.",
    GroupReferralMethod.DROP_IN: "No referral needed: the person can drop in.",
}


@transaction.atomic
def send_connection(*, connection: Connection, by: AbstractBaseUser) -> Connection:
    """proposed → sent, only if the asset can take people. A full or paused asset is a
    Conflict; a waiting list records a waitlisted connection."""
    connection = Connection.objects.select_for_update().get(pk=connection.pk)
    t.check("connection", connection.status, t.SENT)
    asset = Asset.objects.get(pk=connection.asset_id)
    if not asset.can_receive_referrals:
        raise Conflict(
            f"{asset.name} is {asset.get_capacity_status_display().lower()} and cannot take "
            "anyone new. Try one of the open alternatives.",
            current_state=connection.status,
        )
    now = timezone.now()
    connection.sent_at = now
    if asset.referral_method == GroupReferralMethod.LINKWORK:
        connection.response_due = add_working_days(
            timezone.localdate(), settings.GROUP_RESPONSE_WORKING_DAYS
        )
        if asset.organisation_id:
            notify_organisation(
                organisation=asset.organisation,
                kind=Kind.NEW_REFERRAL,
                subject="Someone has been referred to your group",
                body=(
                    f"A link worker has referred someone to {asset.name}. Sign in to see what "
                    f"they have agreed to share and to reply: {site_link('group-inbox')}"
                ),
            )
    else:
        connection.instructions = INSTRUCTIONS[asset.referral_method].format(
            phone=asset.phone or "see the listing", form=asset.referral_form_url
        )
    _move_connection(connection, t.SENT, by=by)
    if asset.capacity_status == CapacityStatus.WAITLIST:
        _move_connection(connection, t.WAITLISTED, by=by, reason="The group has a waiting list.")
    referral = connection.referral
    if referral.status == t.CONTACTED:
        transition_referral(
            referral=referral,
            to=t.IN_PROGRESS,
            reason=f"A connection to {asset.name} was sent.",
            by=by,
        )
    return connection


def _move_connection(connection: Connection, to: str, *, by, reason: str = "") -> None:
    previous = connection.status
    t.check("connection", previous, to)
    connection.status = to
    if previous in t.AWAITING_ANSWER and to in t.GROUP_ANSWERS:
        connection.responded_at = timezone.now()
    if reason:
        connection.reason = reason
    connection.save()
    ConnectionEvent.objects.create(
        connection=connection, from_status=previous, to_status=to, reason=reason, by=_actor(by)
    )
    _audit(by, "connection_transition", "connection", connection.pk, f"from={previous} to={to}")


@transaction.atomic
def accept_connection(*, connection: Connection, by: AbstractBaseUser) -> Connection:
    """The group takes the person. With places set, the asset row is locked and the
    people it holds counted in the same transaction, so concurrent accepts can never
    exceed capacity; the last place sets the asset to full, recorded with its cause in
    the listing's capacity history, and the group is told."""
    connection = Connection.objects.select_for_update().get(pk=connection.pk)
    t.check("connection", connection.status, t.ACCEPTED)
    asset = Asset.objects.select_for_update().get(pk=connection.asset_id)
    if asset.places is not None:
        holding = Connection.objects.filter(
            asset=asset, status__in=t.CONNECTION_STATES_HOLDING_A_PLACE
        ).count()
        if holding >= asset.places:
            raise Conflict(
                f"{asset.name} has no places left ({asset.places} taken).",
                current_state=connection.status,
            )
    _move_connection(connection, t.ACCEPTED, by=by)
    if asset.places is not None and holding + 1 >= asset.places:
        take_last_place(asset=asset, taken_by=f"referral ref. {connection.pk}", by=by)
    FollowUp.objects.create(
        referral=connection.referral,
        connection=connection,
        kind=FollowUpKind.CONNECTION_REVIEW,
        due_on=timezone.localdate() + dt.timedelta(weeks=2),
    )
    return connection


@transaction.atomic
def withdraw_connection(
    *, connection: Connection, reason: str = "", by: AbstractBaseUser
) -> Connection:
    """proposed → withdrawn: a connection that will not be sent (the group is full, or
    the person changed their mind) leaves the plan. It is kept, with its history, and
    the group never hears of it."""
    connection = Connection.objects.select_for_update().get(pk=connection.pk)
    _move_connection(connection, t.WITHDRAWN, by=by, reason=reason.strip())
    return connection


@transaction.atomic
def transition_connection(
    *, connection: Connection, to: str, reason: str = "", by: AbstractBaseUser
) -> Connection:
    """Any other change in the connection table (decline, waitlist, attendance, end)."""
    if to == t.SENT:
        return send_connection(connection=connection, by=by)
    if to == t.ACCEPTED:
        return accept_connection(connection=connection, by=by)
    if to == t.WITHDRAWN:
        return withdraw_connection(connection=connection, reason=reason, by=by)
    connection = Connection.objects.select_for_update().get(pk=connection.pk)
    t.check("connection", connection.status, to)
    if t.connection_needs_reason(to) and not reason.strip():
        raise InvalidInput({"reason": "Say why, so the link worker can follow up."})
    _move_connection(connection, to, by=by, reason=reason.strip())
    return connection


# --- What the group says -------------------------------------------------------------


@transaction.atomic
def record_group_feedback(
    *, connection: Connection, appropriate: bool, by: AbstractBaseUser
) -> Connection:
    """The group says whether the referral was right for them, so link workers learn
    which people each group suits. It can change its mind."""
    connection.group_says_appropriate = bool(appropriate)
    connection.save(update_fields=["group_says_appropriate", "updated_at"])
    _audit(by, "connection_feedback", "connection", connection.pk, f"appropriate={appropriate}")
    return connection


@transaction.atomic
def record_register(
    *,
    asset: Asset,
    came: Iterable[int],
    did_not_start: dict[int, str] | None = None,
    by: AbstractBaseUser,
) -> list[Connection]:
    """A session's register for one asset, in one transaction: each connection ticked
    attended its first session, each given a reason did not start, the rest stay
    accepted. Anyone no longer accepted (recorded meanwhile) refuses the whole register."""
    came = set(came)
    reasons = {pk: text.strip() for pk, text in (did_not_start or {}).items() if text.strip()}
    both = came & set(reasons)
    if both:
        raise InvalidInput(
            {f"reason_{pk}": "You ticked that they came: leave the reason empty." for pk in both}
        )
    if not came and not reasons:
        raise InvalidInput({"came": "Tick who came, or say why someone did not start."})
    named = came | set(reasons)
    accepted = {
        connection.pk: connection
        for connection in Connection.objects.select_for_update().filter(
            asset=asset, status=t.ACCEPTED, pk__in=named
        )
    }
    if set(accepted) != named:
        raise Conflict(
            "Someone on this register has been recorded since you opened it. Nothing was "
            "saved: open the register again.",
            current_state=None,
        )
    recorded = []
    for pk in sorted(named):
        to, reason = (t.ATTENDED_FIRST, "") if pk in came else (t.DID_NOT_START, reasons[pk])
        recorded.append(transition_connection(connection=accepted[pk], to=to, reason=reason, by=by))
    _audit(by, "register_recorded", "asset", asset.pk, f"came={len(came)} not={len(reasons)}")
    return recorded


@transaction.atomic
def connect_instead(*, connection: Connection, asset: Asset, by: AbstractBaseUser) -> Connection:
    """Propose and send, to another asset, what was chosen for a connection that could not
    be sent (a full or paused group), and withdraw that one. Nothing is kept if this
    asset cannot take the person either."""
    other = propose_connection(
        referral=connection.referral,
        asset=asset,
        share=connection.shared_fields,
        accompanied=connection.accompanied,
        first_session=connection.proposed_first_session,
        background_needs=connection.background_needs,
        by=by,
    )
    other = send_connection(connection=other, by=by)
    withdraw_connection(connection=connection, reason=f"Connected to {asset.name} instead.", by=by)
    return other

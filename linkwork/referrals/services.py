"""Every write of casework: keyword-only, with `by=`, atomic, audited, notifying.

Notices to groups and referrers never carry personal data: they say something
happened and link to Linkwork, where permissions decide what is shown.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from linkwork.accounts.roles import Role
from linkwork.audit.services import record_event
from linkwork.directory.capacity import take_last_place
from linkwork.directory.models import (
    Asset,
    CapacityStatus,
    Organisation,
    OrganisationKind,
    Publication,
)
from linkwork.directory.models import ReferralMethod as GroupReferralMethod
from linkwork.directory.services import terms_for_codes
from linkwork.errors import Conflict, InvalidInput
from linkwork.notifications.models import Kind
from linkwork.notifications.services import notify_organisation, tell
from linkwork.referrals import transitions as t
from linkwork.referrals.calendar import add_working_days
from linkwork.referrals.feedback import ask_for_feedback
from linkwork.referrals.matching import same_person
from linkwork.referrals.models import (
    BACKGROUND_NEEDS_MAX_LENGTH,
    SHAREABLE_FIELDS,
    Connection,
    ConnectionEvent,
    Conversation,
    FollowUp,
    FollowUpCancelled,
    FollowUpKind,
    Person,
    Plan,
    Referral,
    ReferralEvent,
    Source,
    UnmetNeed,
    UnmetReason,
    Urgency,
)
from linkwork.referrals.people import normalise_nhs_number, person_errors

PERSON_FIELDS = {
    "given_name", "family_name", "birth_date", "postcode", "nhs_number", "phone", "email",
    "preferred_contact_method", "contact_times", "language", "interpreter_needed",
    "access_needs", "sex", "ethnicity", "gp_practice",
}  # fmt: skip


def _audit(by, action: str, object_type: str, object_id: Any, summary: str = "") -> None:
    record_event(
        by=by, action=action, object_type=object_type, object_id=object_id, summary=summary
    )


# --- People --------------------------------------------------------------------------


def _person_values(data: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """Validated person fields and their LSOA; 422 naming each bad field."""
    from linkwork.places.selectors import InvalidPostcode, UnknownPostcode, postcode_point

    data = dict(data)
    if isinstance(data.get("birth_date"), str):
        try:
            data["birth_date"] = dt.date.fromisoformat(data["birth_date"])
        except ValueError:
            data["birth_date"] = None
    unknown = set(data) - PERSON_FIELDS
    errors = {f"person.{field}": "Not a field of a person." for field in sorted(unknown)}
    errors |= {f"person.{k}": v for k, v in person_errors(data).items()}
    area = None
    try:
        postcode, _, area = postcode_point(str(data.get("postcode") or ""))
    except (InvalidPostcode, UnknownPostcode) as error:
        errors["person.postcode"] = str(error)
        postcode = ""
    if errors:
        raise InvalidInput(errors)
    values = {
        key: value.strip() if isinstance(value, str) else value for key, value in data.items()
    }
    values["postcode"] = postcode
    if values.get("nhs_number"):
        values["nhs_number"] = normalise_nhs_number(values["nhs_number"])
    return values, area


def resolve_person(*, data: dict[str, Any], by: AbstractBaseUser | None) -> tuple[Person, bool]:
    """The person these details describe: the record with the same NHS number, else a new
    record (hazard H1: a matching name and birth date alone never joins a record; the
    link worker sees it as a possible duplicate). Returns (person, created)."""
    values, area = _person_values(data)
    return _resolve(values, area, by=by)


def _resolve(values: dict[str, Any], area, *, by) -> tuple[Person, bool]:
    existing = same_person(values.get("nhs_number", ""))
    if existing is not None:
        return existing, False
    person = Person.objects.create(area=area, **values)
    _audit(by, "person_created", "person", person.pk)
    return person, True


def _as_given(values: dict[str, Any]) -> dict[str, Any]:
    """The person's details as a referral gave them, kept with it so that none is lost
    when they differ from the record."""
    return {
        key: value.isoformat() if isinstance(value, dt.date) else value
        for key, value in values.items()
        if value not in ("", None)
    }


# --- Referrals -----------------------------------------------------------------------


def receiving_service(*, referrer_organisation: Organisation | None) -> Organisation:
    """The social prescribing service a referral goes to: the one in the referrer's
    primary care network, else the deployment's only service."""
    services = Organisation.objects.filter(kind="sp_service")
    if referrer_organisation is not None and referrer_organisation.parent_id:
        local = services.filter(parent_id=referrer_organisation.parent_id).first()
        if local:
            return local
    if services.count() == 1:
        return services.get()
    raise InvalidInput({"service_id": "Say which social prescribing service to refer to."})


def eligibility_flags(*, person: Person, service: Organisation, referrer_organisation) -> list:
    """The service's rules this referral breaks, for triage to see (it is still received)."""
    criteria = getattr(service, "referral_criteria", None)
    if criteria is None:
        return []
    flags = []
    age = _age(person.birth_date)
    if criteria.minimum_age is not None and age < criteria.minimum_age:
        flags.append(f"Under the service's minimum age of {criteria.minimum_age}.")
    if criteria.maximum_age is not None and age > criteria.maximum_age:
        flags.append(f"Over the service's maximum age of {criteria.maximum_age}.")
    areas = set(criteria.areas.values_list("pk", flat=True))
    if areas and not _area_within(person.area, areas):
        flags.append("Lives outside the area the service covers.")
    practices = set(criteria.registered_practices.values_list("pk", flat=True))
    if practices and (referrer_organisation is None or referrer_organisation.pk not in practices):
        flags.append("Not referred by one of the service's registered practices.")
    return flags


def _age(birth_date: dt.date) -> int:
    today = timezone.localdate()
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def _area_within(area, area_ids: set[int]) -> bool:
    # The LSOA, its parents and its neighbourhood (neighbourhoods are LSOA memberships).
    from linkwork.places.selectors import area_ids_containing

    return bool(area_ids_containing(area) & area_ids)


@transaction.atomic
def create_referral(
    *,
    person: dict[str, Any],
    source: str,
    reasons: Iterable[str],
    consent_to_refer: bool,
    share_with_groups: bool = False,
    contact_methods: Iterable[str] = (),
    urgency: str = Urgency.ROUTINE,
    notes: str = "",
    service: Organisation | None = None,
    referrer_organisation: Organisation | None = None,
    idempotency_key: str = "",
    by: AbstractBaseUser | None,
) -> Referral:
    """A new referral, status received. Consent to refer is required; a repeated
    submission with the same idempotency key returns the first referral."""
    if idempotency_key:
        earlier = Referral.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    errors = {}
    if source not in Source.values:
        errors["source"] = f"Must be one of {', '.join(Source.values)}."
    if urgency not in Urgency.values:
        errors["urgency"] = f"Must be one of {', '.join(Urgency.values)}."
    if not consent_to_refer:
        errors["consent.to_refer"] = "The person must agree to be referred."
    reasons = list(reasons)
    if not reasons:
        errors["reasons"] = "Give at least one reason for the referral."
    if errors:
        raise InvalidInput(errors)
    terms = terms_for_codes(reasons, field_name="reasons")
    if any(term.vocabulary != "need" for term in terms):
        raise InvalidInput({"reasons": "Reasons are need categories (codes starting need-)."})
    service = service or receiving_service(referrer_organisation=referrer_organisation)
    if (
        referrer_organisation is not None
        and referrer_organisation.kind == OrganisationKind.GP_PRACTICE
        and not person.get("gp_practice")
    ):
        # A practice refers its own registered patients.
        person = {**person, "gp_practice": referrer_organisation.name}
    values, area = _person_values(person)
    subject, _ = _resolve(values, area, by=by)
    now = timezone.now()
    try:
        # A savepoint: a simultaneous submission with the same key loses the race to the
        # unique index, and gets the referral that won it.
        with transaction.atomic():
            referral = Referral.objects.create(
                person=subject,
                service=service,
                source=source,
                referrer=by if by is not None and by.is_authenticated else None,
                referrer_organisation=referrer_organisation,
                urgency=urgency,
                notes=notes.strip(),
                consent_to_refer=True,
                consent_share_with_groups=bool(share_with_groups),
                consent_contact_methods=",".join(contact_methods),
                consent_recorded_by=by if by is not None and by.is_authenticated else None,
                consent_recorded_at=now,
                eligibility_flags=eligibility_flags(
                    person=subject, service=service, referrer_organisation=referrer_organisation
                ),
                first_contact_due=add_working_days(
                    timezone.localdate(), settings.FIRST_CONTACT_WORKING_DAYS
                ),
                idempotency_key=idempotency_key,
                person_details=_as_given(values),
            )
    except IntegrityError:
        if not idempotency_key:
            raise
        return Referral.objects.get(idempotency_key=idempotency_key)
    referral.reasons.set(terms)
    ReferralEvent.objects.create(referral=referral, to_status=t.RECEIVED, by=_actor(by))
    _audit(by, "referral_created", "referral", referral.pk, f"source={source} service={service.pk}")
    notify_organisation(
        organisation=service,
        role=Role.LINK_WORKER,
        # An urgent referral is a safety matter: always sent at once, whatever the choice.
        kind=Kind.SAFETY if referral.urgency == Urgency.URGENT else Kind.NEW_REFERRAL,
        subject="A new referral has arrived in Linkwork",
        body="Sign in to Linkwork to see the referral queue.",
    )
    return referral


def _actor(by: AbstractBaseUser | None):
    return by if by is not None and by.is_authenticated else None


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
    referral.status = to
    if to in (t.DECLINED, t.RETURNED):
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
            subject=f"Update on a referral you made: {to.replace('_', ' ')}",
            body=f"Sign in to Linkwork to see referral {str(referral.uuid)[:8]}.",
        )
    given.refresh_from_db()  # the caller's object shows the new state too
    return referral


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
    from linkwork.accounts.models import Membership

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
        by, "connection_proposed", "connection", connection.pk,
        f"asset={asset.pk} shared={','.join(share) or 'nothing'}",
    )  # fmt: skip
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
    if asset.capacity_status in (CapacityStatus.FULL, CapacityStatus.PAUSED):
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
                    f"A link worker has referred someone to {asset.name}. Sign in to Linkwork "
                    "to see what they have agreed to share and to reply."
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
    if previous in (t.SENT, t.WAITLISTED) and to in (t.ACCEPTED, t.DECLINED, t.WAITLISTED):
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
    if to in (t.DECLINED, t.STOPPED, t.DID_NOT_START) and not reason.strip():
        raise InvalidInput({"reason": "Say why, so the link worker can follow up."})
    _move_connection(connection, to, by=by, reason=reason.strip())
    return connection


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


# --- The response clock --------------------------------------------------------------

# After the reminder, how long a group has before the link worker is told.
ESCALATE_AFTER_WORKING_DAYS = 5


@dataclass
class ConnectionReminderReport:
    reminded: int = 0
    escalated: int = 0


def send_connection_reminders(
    *, now: dt.datetime | None = None, by: AbstractBaseUser | None = None
) -> ConnectionReminderReport:
    """The response clock: a connection still `sent` after its response date reminds the
    group once; still unanswered five working days after that, its link worker is told
    once. Running it again sends nothing new. Messages carry no personal data."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = ConnectionReminderReport()
    due = Connection.objects.filter(
        status=t.SENT, response_due__lt=today, reminder_sent_at__isnull=True
    ).select_related("asset__organisation")
    for connection in due:
        report.reminded += _remind_group(connection, now=now, by=by)
    waiting = Connection.objects.filter(
        status=t.SENT, reminder_sent_at__isnull=False, escalated_at__isnull=True
    ).select_related("asset", "referral__assigned_to", "referral__service")
    for connection in waiting:
        reminded_on = timezone.localdate(connection.reminder_sent_at)
        if add_working_days(reminded_on, ESCALATE_AFTER_WORKING_DAYS) <= today:
            report.escalated += _escalate_to_link_worker(connection, now=now, by=by)
    return report


@transaction.atomic
def _remind_group(connection: Connection, *, now: dt.datetime, by) -> int:
    # The conditional update claims the reminder, so two runs at once send one.
    claimed = Connection.objects.filter(
        pk=connection.pk, status=t.SENT, reminder_sent_at__isnull=True
    ).update(reminder_sent_at=now)
    if not claimed:
        return 0
    asset = connection.asset
    if asset.organisation_id:
        notify_organisation(
            organisation=asset.organisation,
            kind=Kind.REMINDERS,
            subject="A referral is waiting for your answer",
            body=(
                f"A referral to {asset.name} is waiting for your answer. Sign in to Linkwork "
                "to accept it, decline it or add it to your waiting list."
            ),
        )
    _audit(by, "connection_reminder_sent", "connection", connection.pk)
    return 1


@transaction.atomic
def _escalate_to_link_worker(connection: Connection, *, now: dt.datetime, by) -> int:
    claimed = Connection.objects.filter(
        pk=connection.pk, status=t.SENT, escalated_at__isnull=True
    ).update(escalated_at=now)
    if not claimed:
        return 0
    referral = connection.referral
    subject = "A community group has not answered a referral"
    body = (
        f"{connection.asset.name} has not answered a connection for referral "
        f"{str(referral.uuid)[:8]}, even after a reminder. Sign in to Linkwork to follow it up."
    )
    worker = referral.assigned_to
    if worker is not None and worker.is_active:
        tell(users=[worker], kind=Kind.REMINDERS, subject=subject, body=body)
    else:
        notify_organisation(
            organisation=referral.service,
            role=Role.LINK_WORKER,
            kind=Kind.REMINDERS,
            subject=subject,
            body=body,
        )
    _audit(by, "connection_escalated", "connection", connection.pk)
    return 1


# --- Triage and connecting, as the link worker's pages do them -------------------------


@transaction.atomic
def accept_referral(*, referral: Referral, link_worker, by: AbstractBaseUser) -> Referral:
    """Triage: accept a received referral onto a link worker's caseload (the actor's own
    or a colleague's). Both or neither: a bad colleague or a referral someone else has
    already triaged changes nothing."""
    assign_referral(referral=referral, link_worker=link_worker, by=by)
    return transition_referral(referral=referral, to=t.ACCEPTED, by=by)


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


# --- The record tells the truth: cancelled reviews, reopening, what is shared ----------


def _check_pending(follow_up: FollowUp) -> None:
    """Only a review still to do can be done or moved (409 naming its state)."""
    follow_up.refresh_from_db(fields=["completed_at", "cancelled_at", "cancelled_reason"])
    if follow_up.completed_at is not None:
        raise Conflict("This follow-up is already done.", current_state="completed")
    if follow_up.cancelled_at is not None:
        raise Conflict(
            f"This follow-up was cancelled: {follow_up.get_cancelled_reason_display()}.",
            current_state="cancelled",
        )


def _cancel_reviews(referral: Referral, *, because: str, at: dt.datetime, by) -> None:
    """The referral ended: its reviews still to do are cancelled, with why, not done."""
    cancelled = (
        FollowUp.objects.filter(referral=referral)
        .pending()
        .update(cancelled_at=at, cancelled_reason=FollowUpCancelled(because))
    )
    if cancelled:
        _audit(by, "follow_ups_cancelled", "referral", referral.pk, f"n={cancelled} {because}")


def _check_reopen_window(referral: Referral, now: dt.datetime) -> None:
    window = dt.timedelta(days=settings.REOPEN_WINDOW_DAYS)
    if referral.closed_at is None or now - referral.closed_at <= window:
        return
    closed_on = timezone.localtime(referral.closed_at).strftime("%-d %B %Y")
    raise Conflict(
        f"This referral closed on {closed_on}, more than {settings.REOPEN_WINDOW_DAYS} days "
        "ago: it can no longer be reopened. Make a new referral instead.",
        current_state=referral.status,
    )


def _reopen(referral: Referral, *, by) -> None:
    """closed → in progress. The closing date leaves the referral (the history keeps when
    and by whom it closed); the summary stays, to start the next closing summary from;
    the reviews the closure cancelled are to do again; the person's feedback request
    stays as it was (they are not asked twice)."""
    referral.closed_at = None
    restored = (
        FollowUp.objects.filter(referral=referral, cancelled_reason=FollowUpCancelled.CLOSED)
        .filter(completed_at__isnull=True)
        .update(cancelled_at=None, cancelled_reason="")
    )
    _audit(by, "referral_reopened", "referral", referral.pk, f"reviews_restored={restored}")


def _checked_share(referral: Referral, share: Iterable[str], background_needs: str) -> list:
    """The fields to share with a group: known ones, only with the person's consent to
    share with groups, and the background note only when it is written and chosen."""
    share = list(dict.fromkeys(share))
    unknown = sorted(set(share) - set(SHAREABLE_FIELDS))
    if unknown:
        raise InvalidInput({"share": f"Cannot share: {', '.join(unknown)}."})
    errors = {}
    if share and not referral.consent_share_with_groups:
        errors["share"] = "The person has not agreed to share details with groups."
    if len(background_needs) > BACKGROUND_NEEDS_MAX_LENGTH:
        errors["background_needs"] = (
            f"Keep the note to {BACKGROUND_NEEDS_MAX_LENGTH} characters or fewer."
        )
    elif background_needs and not referral.consent_share_with_groups:
        errors["background_needs"] = "The person has not agreed to share details with groups."
    elif background_needs and "background_needs" not in share:
        errors["background_needs"] = (
            "Choose to share the background note with the group, or leave it empty."
        )
    elif "background_needs" in share and not background_needs:
        errors["background_needs"] = "Write the background note, or do not choose to share it."
    if errors:
        raise InvalidInput(errors)
    return share

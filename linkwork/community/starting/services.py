"""Writes for starting a group from an emerging group (see models.py). Each is atomic
and audited; messages go through Linkwork to each consented person by the channel they
chose, one at a time, so nobody sees anyone else's contact details."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from linkwork.accounts.models import User
from linkwork.accounts.roles import Role
from linkwork.accounts.services import create_user, grant_role
from linkwork.audit.services import record_event
from linkwork.community.models import Interest, InterestStatus
from linkwork.community.services import close_interest, tell_interested_person
from linkwork.community.starting.models import GroupStart, GroupStartPerson, GroupStartStatus
from linkwork.directory.models import (
    Organisation,
    OrganisationKind,
    Publication,
    TaxonomyTerm,
    Vocabulary,
)
from linkwork.directory.services import create_asset, ensure_organisation
from linkwork.errors import Conflict, InvalidInput
from linkwork.places.models import Area, AreaType


def _community_key(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def interests_answered_by(
    *, activity: TaxonomyTerm, neighbourhood: Area | None, community: str
) -> list[Interest]:
    """The open interests an emerging group is made of: the same activity, in the
    neighbourhood (or anywhere, for a community of interest), for the same community."""
    rows = Interest.objects.filter(status=InterestStatus.OPEN, activity=activity)
    if neighbourhood is not None:
        rows = rows.filter(neighbourhood=neighbourhood)
    key = _community_key(community)
    return [i for i in rows.order_by("pk") if _community_key(i.community_of_interest) == key]


@transaction.atomic
def begin_group_start(
    *, activity_code: str, neighbourhood_code: str = "", community: str = "", by: AbstractBaseUser
) -> GroupStart:
    """Open a start-a-group path for an emerging group, holding its consented interests."""
    activity = TaxonomyTerm.objects.filter(
        code=activity_code, vocabulary=Vocabulary.ACTIVITY
    ).first()
    errors = {}
    if activity is None:
        errors["activity"] = "Choose an activity."
    neighbourhood = None
    if neighbourhood_code:
        neighbourhood = Area.objects.filter(
            code=neighbourhood_code, area_type=AreaType.NEIGHBOURHOOD
        ).first()
        if neighbourhood is None:
            errors["neighbourhood"] = "Choose a neighbourhood."
    elif not community.strip():
        errors["neighbourhood"] = "Choose a neighbourhood, or a community of interest."
    if errors:
        raise InvalidInput(errors)
    interests = interests_answered_by(
        activity=activity, neighbourhood=neighbourhood, community=community
    )
    if not interests:
        raise InvalidInput({"activity": "Nobody has an open interest in this."})
    start = GroupStart.objects.create(
        activity=activity,
        neighbourhood=neighbourhood,
        community_of_interest=community.strip()[:200],
        started_by=by,
    )
    GroupStartPerson.objects.bulk_create(
        GroupStartPerson(group_start=start, interest=i) for i in interests if i.consent_to_contact
    )
    record_event(
        by=by,
        action="group_start_begun",
        object_type="group_start",
        object_id=start.pk,
        summary=f"interests={len(interests)}",
    )
    return start


def _check_open(start: GroupStart) -> None:
    if start.status in (GroupStartStatus.FOUNDED, GroupStartStatus.CLOSED):
        raise Conflict(
            f"This group start is {start.get_status_display().lower()}.", current_state=start.status
        )


@transaction.atomic
def message_interested(
    *, start: GroupStart, subject: str, body: str, by: AbstractBaseUser
) -> tuple[int, int]:
    """One message to each consented person, by their channel. Returns (sent, to call):
    people who asked for a phone call are counted for the worker to ring."""
    start = GroupStart.objects.select_for_update().get(pk=start.pk)
    _check_open(start)
    errors = {}
    if not subject.strip():
        errors["subject"] = "Enter a subject."
    if not body.strip():
        errors["body"] = "Enter the message."
    if errors:
        raise InvalidInput(errors)
    sent = to_call = 0
    for person in start.people.select_related("interest"):
        if tell_interested_person(
            interest=person.interest, subject=subject.strip()[:200], body=body.strip()
        ):
            person.messages_sent += 1
            person.save(update_fields=["messages_sent"])
            sent += 1
        else:
            to_call += 1
    record_event(
        by=by,
        action="group_start_messaged",
        object_type="group_start",
        object_id=start.pk,
        summary=f"sent={sent} to_call={to_call}",
    )
    return sent, to_call


@transaction.atomic
def propose_first_meeting(
    *, start: GroupStart, when_and_where: str, by: AbstractBaseUser
) -> tuple[int, int]:
    """Propose the first meeting, and tell each consented person."""
    if not when_and_where.strip():
        raise InvalidInput({"when_and_where": "Say when and where the first meeting is."})
    _check_open(start)
    start.first_meeting = when_and_where.strip()[:300]
    start.status = GroupStartStatus.MEETING_PROPOSED
    start.save(update_fields=["first_meeting", "status"])
    what = start.activity.name.lower()
    return message_interested(
        start=start,
        subject=f"A first meeting for a new {what} group",
        body=(
            f"You told us you would join {what} if it existed near you. Some people are "
            f"meeting to start one: {start.first_meeting}. Come along if you can; you do not "
            "need to reply. Nobody else has been given your details."
        ),
        by=by,
    )


@transaction.atomic
def record_attendance(*, start: GroupStart, attended_ids: set[int], by: AbstractBaseUser) -> int:
    """Who came to the first meeting (ids of the start's people); returns how many."""
    _check_open(start)
    people = list(start.people.all())
    unknown = attended_ids - {p.pk for p in people}
    if unknown:
        raise InvalidInput({"attended": "Choose from the people listed."})
    for person in people:
        person.attended = person.pk in attended_ids
    GroupStartPerson.objects.bulk_update(people, ["attended"])
    record_event(
        by=by,
        action="group_start_attendance",
        object_type="group_start",
        object_id=start.pk,
        summary=f"attended={len(attended_ids)}",
    )
    return len(attended_ids)


def starter_round_url() -> str | None:
    """Where the new group can apply for a starter grant, when the funding app offers one
    (it may not be installed: no dependency on it)."""
    try:
        return reverse("funding-rounds")
    except NoReverseMatch:
        return None


@transaction.atomic
def found_group(
    *,
    start: GroupStart,
    name: str,
    description: str,
    founder_email: str,
    founder_name: str = "",
    by: AbstractBaseUser,
) -> GroupStart:
    """Create the new group's organisation (unconstituted), its draft listing and its
    founding member (a group account: they finish the listing and publish through review);
    then close the interests it answers, each person told."""

    start = GroupStart.objects.select_for_update().get(pk=start.pk)
    _check_open(start)
    errors = {}
    if not name.strip():
        errors["name"] = "Enter the new group's name."
    elif Organisation.objects.filter(
        name=name.strip(), kind=OrganisationKind.UNCONSTITUTED_GROUP
    ).exists():
        errors["name"] = "A group with this name already exists."
    if not description.strip():
        errors["description"] = "Say what the group does, in a sentence or two."
    try:
        validate_email(founder_email.strip())
    except ValidationError:
        errors["founder_email"] = (
            "Enter the founding member's email address, like name@example.com."
        )
    if errors:
        raise InvalidInput(errors)
    organisation = ensure_organisation(
        name=name.strip(), kind=OrganisationKind.UNCONSTITUTED_GROUP, by=by
    )
    asset = create_asset(
        organisation=organisation,
        name=name.strip(),
        description=description.strip(),
        categories=[start.activity.code],
        neighbourhoods=[start.neighbourhood.code] if start.neighbourhood else None,
        publication=Publication.DRAFT,
        by=by,
    )
    email = founder_email.strip().lower()
    founder = User.objects.filter(email=email).first() or create_user(
        email=email, password=None, full_name=founder_name.strip(), by=by
    )
    grant_role(user=founder, organisation=organisation, role=Role.GROUP, by=by)
    start.organisation, start.asset, start.status = organisation, asset, GroupStartStatus.FOUNDED
    start.save(update_fields=["organisation", "asset", "status"])
    record_event(
        by=by,
        action="group_founded",
        object_type="group_start",
        object_id=start.pk,
        summary=f"organisation={organisation.pk} asset={asset.pk}",
    )
    close_answered_interests(start=start, by=by)
    return start


def close_answered_interests(*, start: GroupStart, by: AbstractBaseUser) -> int:
    """Close every open interest the new group answers, telling each consented person."""
    interests = interests_answered_by(
        activity=start.activity,
        neighbourhood=start.neighbourhood,
        community=start.community_of_interest,
    )
    name = start.asset.name if start.asset else start.activity.name
    for interest in interests:
        close_interest(interest=interest, reason=f"A new group started: {name}"[:200], by=by)
        interest.answered_by = start.asset
        interest.save(update_fields=["answered_by"])
        tell_interested_person(
            interest=interest,
            subject=f"A new group has started: {name}",
            body=(
                "You told us you would join an activity like this. A new group has started "
                f"from what people asked for: {name}. It will appear in the directory soon. "
                "We will not contact you about this again."
            ),
        )
    return len(interests)

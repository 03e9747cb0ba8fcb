"""Writes for panels: meetings, priorities (proposed, agreed, dropped), decisions, and
the evidence snapshots attached to them. Each is atomic and audited."""

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.urls import reverse

from linkwork.accounts.roles import Role
from linkwork.audit.services import record_event
from linkwork.community.panels.evidence import Snapshot
from linkwork.community.panels.models import (
    Decision,
    Evidence,
    Meeting,
    Panel,
    PanelMemberProfile,
    Priority,
    PriorityStatus,
)
from linkwork.directory.models import Organisation, OrganisationKind
from linkwork.errors import Conflict, InvalidInput
from linkwork.notifications.models import Kind
from linkwork.notifications.services import notify_role
from linkwork.places.models import AGE_BANDS, Area, AreaType, Sex

# Which settled states a priority may move to, from each state (a table, not ifs).
PRIORITY_MOVES = {
    PriorityStatus.PROPOSED: {PriorityStatus.AGREED, PriorityStatus.DROPPED},
    PriorityStatus.AGREED: {PriorityStatus.ACHIEVED, PriorityStatus.DROPPED},
    PriorityStatus.ACHIEVED: set(),
    PriorityStatus.DROPPED: set(),
}


def _user(by: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return by if by is not None and by.is_authenticated else None


def _attach(snapshots: list[Snapshot], **owner: object) -> None:
    Evidence.objects.bulk_create(
        Evidence(
            kind=s.kind,
            reference=s.reference,
            title=s.title,
            figures=s.figures,
            suppressed=s.suppressed,
            summary=s.summary,
            facts=s.facts,
            captured_at=s.captured_at,
            **owner,
        )
        for s in snapshots
    )


def _neighbourhood_of(panel: Panel, area: Area | None, errors: dict[str, str]) -> None:
    if area is not None and area.area_type != AreaType.NEIGHBOURHOOD:
        errors["neighbourhood"] = "Choose a neighbourhood."


@transaction.atomic
def create_panel(
    *,
    name: str,
    remit: str = "",
    neighbourhoods: list[Area] = (),
    communities_of_interest: list[str] = (),
    by: AbstractBaseUser | None,
) -> Panel:
    """A panel and its organisation (kind panel), speaking for the areas given."""
    if not name.strip():
        raise InvalidInput({"name": "Enter the panel's name."})
    organisation, _ = Organisation.objects.get_or_create(
        name=name.strip()[:200], kind=OrganisationKind.PANEL
    )
    panel, _ = Panel.objects.get_or_create(organisation=organisation)
    panel.remit = remit.strip()
    panel.communities_of_interest = "\n".join(c.strip() for c in communities_of_interest)
    panel.save()
    panel.neighbourhoods.set(neighbourhoods)
    record_event(by=by, action="panel_saved", object_type="panel", object_id=panel.pk)
    return panel


@transaction.atomic
def record_meeting(
    *,
    panel: Panel,
    held_on: dt.date | None,
    title: str,
    venue: str = "",
    summary: str = "",
    members_present: int | None = None,
    by: AbstractBaseUser,
) -> Meeting:
    """A meeting the panel held (or will hold): when, where, what it was about."""
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = "Enter the date of the meeting."
    if not title.strip():
        errors["title"] = "Enter a title for the meeting, like “November panel meeting”."
    if members_present is not None and not 0 <= members_present <= 500:
        errors["members_present"] = "Enter how many members took part, from 0 to 500."
    if errors:
        raise InvalidInput(errors)
    meeting = Meeting.objects.create(
        panel=panel,
        held_on=held_on,
        title=title.strip()[:200],
        venue=venue.strip()[:200],
        summary=summary.strip(),
        members_present=members_present,
        recorded_by=_user(by),
    )
    record_event(
        by=by, action="panel_meeting_recorded", object_type="meeting", object_id=meeting.pk
    )
    return meeting


@transaction.atomic
def propose_priority(
    *,
    panel: Panel,
    title: str,
    description: str = "",
    neighbourhood: Area | None = None,
    evidence: list[Snapshot] = (),
    by: AbstractBaseUser,
) -> Priority:
    """A member proposes a priority, with the evidence behind it (e.g. from a gap on an
    insight page, in one step); a meeting agrees it or not."""
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Say what the priority is."
    _neighbourhood_of(panel, neighbourhood, errors)
    if errors:
        raise InvalidInput(errors)
    priority = Priority.objects.create(
        panel=panel,
        title=title.strip()[:200],
        description=description.strip(),
        neighbourhood=neighbourhood,
        proposed_by=_user(by),
    )
    _attach(list(evidence), priority=priority)
    record_event(
        by=by, action="panel_priority_proposed", object_type="priority", object_id=priority.pk
    )
    return priority


@transaction.atomic
def settle_priority(
    *, priority: Priority, meeting: Meeting, to: str, by: AbstractBaseUser
) -> Priority:
    """A meeting agrees, drops or marks achieved a priority (PRIORITY_MOVES)."""
    priority = Priority.objects.select_for_update().get(pk=priority.pk)
    if meeting.panel_id != priority.panel_id:
        raise InvalidInput({"meeting": "Choose one of this panel's meetings."})
    if to not in PRIORITY_MOVES.get(priority.status, set()):
        raise Conflict(
            f"A priority that is {priority.get_status_display().lower()} cannot become {to}.",
            current_state=priority.status,
        )
    priority.status, priority.meeting = to, meeting
    priority.save(update_fields=["status", "meeting", "updated_at"])
    record_event(
        by=by,
        action="panel_priority_settled",
        object_type="priority",
        object_id=priority.pk,
        summary=f"to={to} meeting={meeting.pk}",
    )
    return priority


@transaction.atomic
def record_decision(
    *,
    meeting: Meeting,
    title: str,
    decision: str,
    priority: Priority | None = None,
    neighbourhood: Area | None = None,
    evidence: list[Snapshot] = (),
    by: AbstractBaseUser,
) -> Decision:
    """What a meeting decided, with the evidence looked at: new snapshots, plus the
    priority's own evidence copied as it was captured. It appears in the public log at
    once; group members hear of it by their preference (weekly digest by default)."""
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Give the decision a short title."
    if not decision.strip():
        errors["decision"] = "Say what was decided, and why."
    if priority is not None and priority.panel_id != meeting.panel_id:
        errors["priority"] = "Choose one of this panel's priorities."
    _neighbourhood_of(meeting.panel, neighbourhood, errors)
    if errors:
        raise InvalidInput(errors)
    if neighbourhood is None and priority is not None:
        neighbourhood = priority.neighbourhood
    row = Decision.objects.create(
        meeting=meeting,
        title=title.strip()[:200],
        decision=decision.strip(),
        priority=priority,
        neighbourhood=neighbourhood,
        recorded_by=_user(by),
    )
    inherited = list(priority.evidence.all()) if priority is not None else []
    _attach(
        [
            Snapshot(
                e.kind,
                e.reference,
                e.title,
                e.figures,
                e.suppressed,
                e.summary,
                e.captured_at,
                e.facts,
            )
            for e in inherited
        ]
        + list(evidence),
        decision=row,
    )
    record_event(by=by, action="panel_decision_recorded", object_type="decision", object_id=row.pk)
    _announce(row)
    return row


def _announce(decision: Decision) -> None:
    panel = decision.meeting.panel
    notify_role(
        role=Role.GROUP,
        kind=Kind.PANEL_DECISIONS,
        subject=f"{panel.name} decided: {decision.title}",
        body=(
            "See the decision and the evidence behind it in the public decisions log: "
            f"{reverse('panel-decisions', args=[panel.pk])}"
        ),
    )


@transaction.atomic
def save_member_profile(
    *,
    user: AbstractBaseUser,
    age_band: str,
    sex: str,
    neighbourhood: Area | None,
    by: AbstractBaseUser,
) -> PanelMemberProfile:
    """What a member chooses to tell for the membership review (each part optional)."""

    errors = {}
    if age_band and age_band not in AGE_BANDS:
        errors["age_band"] = "Choose an age band from the list."
    if sex and sex not in Sex.values:
        errors["sex"] = "Choose from the list."
    _neighbourhood_of(None, neighbourhood, errors)  # type: ignore[arg-type]
    if errors:
        raise InvalidInput(errors)
    profile, _ = PanelMemberProfile.objects.update_or_create(
        user=user, defaults={"age_band": age_band, "sex": sex, "neighbourhood": neighbourhood}
    )
    record_event(by=by, action="panel_profile_saved", object_type="user", object_id=user.pk)
    return profile

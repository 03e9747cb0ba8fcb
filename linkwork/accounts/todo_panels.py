"""The to-do of community panel members and commissioners (see accounts/todo.py): the
meetings and decisions due, and the gaps nobody has taken up yet.

Panel member: listings past due for checking (overdue), their panels' meetings in the
next fortnight (soonest first), proposed priorities waiting for a meeting, funding
applications waiting for their score, and the gaps in each panel's neighbourhoods that
no priority or decision of the panel covers yet. Commissioner: applications in their
rounds being scored that wait for a funding decision, and the biggest gaps of the gap
report that none of their rounds names.

Gaps are rows of the published gap report (insight.selectors.gaps, every figure through
linkwork.disclosure); only which rows exist is read here, never a count of people. The
report is a whole-area aggregate, so its rows are cached for GAP_CACHE_SECONDS.
"""

import datetime as dt
from collections import Counter

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from linkwork.accounts.permissions import memberships_of, organisations_with_permission
from linkwork.accounts.roles import Perm
from linkwork.accounts.todo import OVERDUE, TODAY, WAITING, Task
from linkwork.words import long_date

MEETINGS_AHEAD_DAYS = 14
TOP_GAPS = 10
GAP_CACHE_SECONDS = 15 * 60

# The community, directory, funding and insight imports sit inside the functions: accounts
# is the layer those apps import (roles, permissions) at their top, so it reaches up to
# them only when a home is drawn, never while the apps load.


def published_gaps(today: dt.date) -> list[tuple[str, str]]:
    """(area code, category) of each row of the gap report (the insight overview's
    default scope) where someone is still in need or the count is withheld, biggest
    gap first."""
    key = f"todo:gap-rows:{today.isoformat()}"
    rows = cache.get(key)
    if rows is None:
        # Imported here: insight imports community, which the home imports.
        from linkwork.insight.selectors import gaps, insight_scope

        rows = [(row.area_code, row.category) for row in gaps(insight_scope()) if row.need != 0]
        cache.set(key, rows, GAP_CACHE_SECONDS)
    return [tuple(row) for row in rows]


# --- Panel members -----------------------------------------------------------------------


def panel_tasks(user: AbstractBaseUser, today: dt.date) -> list[Task]:
    """Meetings soonest first, then priorities to settle, scores owed and new gaps."""
    from linkwork.community.panels.selectors import panels_of

    panels = list(panels_of(user).prefetch_related("neighbourhoods"))
    return [
        *_past_due_for_checking(),
        *_meetings(panels, today),
        *_proposed(panels),
        *_to_score(user),
        *_panel_gaps(panels, today),
    ]


def _past_due_for_checking() -> list[Task]:
    from linkwork.directory.review import past_due_for_checking

    return [
        Task(
            past_due_for_checking().count(),
            "{n} listing past due for checking|{n} listings past due for checking",
            reverse("directory-review") + "?show=past_due",
            OVERDUE,
        )
    ]


def _meetings(panels: list, today: dt.date) -> list[Task]:
    from linkwork.community.models import Meeting

    soon = today + dt.timedelta(days=MEETINGS_AHEAD_DAYS)
    meetings = Meeting.objects.filter(
        panel__in=panels, held_on__gte=today, held_on__lte=soon
    ).select_related("panel__organisation")
    return [
        Task(
            1,
            f"{meeting.panel.name} meets "
            + ("today" if meeting.held_on == today else f"on {long_date(meeting.held_on)}")
            + f": {meeting.title}",
            reverse("panel-meeting", kwargs={"pk": meeting.panel_id, "mid": meeting.pk}),
            TODAY if meeting.held_on == today else WAITING,
        )
        for meeting in sorted(meetings, key=lambda m: (m.held_on, m.pk))
    ]


def _proposed(panels: list) -> list[Task]:
    from linkwork.community.models import Priority, PriorityStatus

    waiting = Counter(
        Priority.objects.filter(panel__in=panels, status=PriorityStatus.PROPOSED).values_list(
            "panel_id", flat=True
        )
    )
    return [
        Task(
            waiting[panel.pk],
            _both(
                "{n} proposed priority waiting for a meeting to agree it",
                "{n} proposed priorities waiting for a meeting to agree them",
                _of(panel, panels),
            ),
            reverse("panel-home", kwargs={"pk": panel.pk}) + "#priorities",
        )
        for panel in panels
    ]


def _of(panel, panels: list) -> str:
    return f" ({panel.name})" if len(panels) > 1 else ""


def _both(singular: str, plural: str, suffix: str) -> str:
    """A Task's text, the suffix on both forms."""
    return f"{singular}{suffix}|{plural}{suffix}"


def _to_score(user: AbstractBaseUser) -> list[Task]:
    """Submitted applications in rounds being scored that the member may score and has
    neither scored nor declared an interest in."""
    from linkwork.funding import selectors
    from linkwork.funding.models import ApplicationStatus, ConflictOfInterest, RoundStatus, Score

    mine = Q(member=user, application=OuterRef("pk"))
    owed = (
        selectors.applications_visible_to(user)
        .filter(status=ApplicationStatus.SUBMITTED, round__status=RoundStatus.SCORING)
        # Any membership of the applying group is a conflict, declared or not.
        .exclude(organisation_id__in=[org for _, org in memberships_of(user)])
        .filter(
            ~Exists(Score.objects.filter(mine)), ~Exists(ConflictOfInterest.objects.filter(mine))
        )
    )
    rounds = owed.order_by("round__closes", "round_id").values("round_id", "round__name")
    return [
        Task(
            row["n"],
            f"{{n}} application to score in {row['round__name']}|"
            f"{{n}} applications to score in {row['round__name']}",
            reverse("funding-round", kwargs={"pk": row["round_id"]}),
        )
        for row in rounds.annotate(n=Count("pk"))
    ]


def _panel_gaps(panels: list, today: dt.date) -> list[Task]:
    """For each panel, the gap rows in its neighbourhoods that none of its priorities
    (unless dropped) or decisions names as evidence."""
    from linkwork.community.models import Evidence, PriorityStatus

    if not any(panel.neighbourhoods.all() for panel in panels):
        return []
    rows = published_gaps(today)
    covered = set(
        Evidence.objects.filter(kind="gap")
        .filter(
            Q(priority__panel__in=panels) & ~Q(priority__status=PriorityStatus.DROPPED)
            | Q(decision__meeting__panel__in=panels)
        )
        .values_list("reference", flat=True)
    )
    tasks = []
    for panel in panels:
        areas = {area.code: area for area in panel.neighbourhoods.all()}
        new = [
            code for code, category in rows if code in areas and f"{code}/{category}" not in covered
        ]
        places = set(new)
        href = (
            reverse("insight-area", kwargs={"code": next(iter(places))})
            if len(places) == 1
            else reverse("insight")
        )
        tasks.append(
            Task(
                len(new),
                _both(
                    "{n} gap in your neighbourhoods that no priority covers yet",
                    "{n} gaps in your neighbourhoods that no priority covers yet",
                    _of(panel, panels),
                ),
                href,
            )
        )
    return tasks


# --- Commissioners -----------------------------------------------------------------------


def commissioner_tasks(user: AbstractBaseUser, today: dt.date) -> list[Task]:
    """Funding decisions due first, then the top gaps no round of theirs has taken up."""
    return [*_decisions_due(user), *_top_gaps_unfunded(user, today)]


def _decisions_due(user: AbstractBaseUser) -> list[Task]:
    from linkwork.funding.models import Application, ApplicationStatus, RoundStatus

    funders = organisations_with_permission(user, Perm.GRANT_RECORD)
    rounds = (
        Application.objects.filter(
            round__funder_id__in=funders,
            round__status=RoundStatus.SCORING,
            status=ApplicationStatus.SUBMITTED,
        )
        .order_by("round__closes", "round_id")
        .values("round_id", "round__name")
        .annotate(n=Count("pk"))
    )
    return [
        Task(
            row["n"],
            f"{{n}} application in {row['round__name']} waiting for your funding decision|"
            f"{{n}} applications in {row['round__name']} waiting for your funding decision",
            reverse("funding-round-manage", kwargs={"pk": row["round_id"]}),
            TODAY,
        )
        for row in rounds
    ]


def _top_gaps_unfunded(user: AbstractBaseUser, today: dt.date) -> list[Task]:
    from linkwork.funding.models import Priority

    top = published_gaps(today)[:TOP_GAPS]
    funders = organisations_with_permission(user, Perm.GRANT_RECORD)
    if not top or not funders:
        return []
    named = set(
        Priority.objects.filter(round__funder_id__in=funders).values_list("area_code", "category")
    )
    unfunded = [row for row in top if row not in named]
    text = (
        "The biggest gap has no funding round of yours yet"
        if len(top) == 1
        else f"{{n}} of the {len(top)} biggest gaps has no funding round of yours yet|"
        f"{{n}} of the {len(top)} biggest gaps have no funding round of yours yet"
    )
    return [Task(len(unfunded), text, reverse("funding-round-new") + "?from=gaps")]

"""What needs each role now: the to-do list at the top of their home. Each item is a
count and a link to the list that holds that work, the most urgent first; an item with
nothing to do is not shown. Counts are of the viewer's own scope only (their services,
their group, their referrals), read through each app's selectors.

Panel members' and commissioners' meetings, decisions due and new gaps are built in
accounts/todo_panels.py.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from linkwork.accounts.permissions import organisations_with_permission
from linkwork.accounts.roles import Perm, Role
from linkwork.community.selectors import emerging_groups
from linkwork.directory.models import Schedule
from linkwork.directory.schedules import LONDON, between
from linkwork.directory.selectors import listings_of, review_queue, stale_before
from linkwork.referrals import selectors
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Connection, Referral

OVERDUE, TODAY, WAITING = 0, 1, 2


@dataclass(frozen=True)
class Task:
    count: int
    text: str  # with {n} for the count, and the singular and plural as "a|b"
    href: str
    urgency: int = WAITING

    @property
    def words(self) -> str:
        singular, _, plural = self.text.partition("|")
        return (singular if self.count == 1 else plural or singular).format(n=self.count)

    @property
    def overdue(self) -> bool:
        return self.urgency == OVERDUE


def todo_for(user: AbstractBaseUser, role: Role) -> list[Task]:
    """The role's work now, most urgent first, leaving out what has nothing to do."""
    build = TODO.get(role)
    tasks = build(user, timezone.localdate()) if build else []
    return sorted((task for task in tasks if task.count), key=lambda task: task.urgency)


def _link_worker(user: AbstractBaseUser, today: dt.date) -> list[Task]:
    services = organisations_with_permission(user, Perm.CASEWORK)
    waiting_contact = Q(first_contacted_at__isnull=True)
    referrals = Referral.objects.filter(
        service_id__in=services, status__in=t.OPEN_REFERRAL_STATES
    ).aggregate(
        overdue=Count("pk", filter=waiting_contact & Q(first_contact_due__lt=today)),
        due_today=Count("pk", filter=waiting_contact & Q(first_contact_due=today)),
        new=Count("pk", filter=Q(status=t.RECEIVED)),
    )
    reviews = selectors.follow_up_counts(user)
    late_groups = Connection.objects.filter(
        referral__service_id__in=services, status=t.SENT, response_due__lt=today
    ).count()
    caseload, queue, follow_ups = (
        reverse("caseload"),
        reverse("triage-queue"),
        reverse("follow-ups"),
    )
    return [
        Task(
            referrals["overdue"],
            "{n} first contact overdue|{n} first contacts overdue",
            f"{caseload}?due=overdue",
            OVERDUE,
        ),
        Task(
            reviews["overdue"],
            "{n} follow-up overdue|{n} follow-ups overdue",
            f"{follow_ups}?window=overdue",
            OVERDUE,
        ),
        Task(
            late_groups,
            "{n} connection waiting on a group past its answer date|"
            "{n} connections waiting on a group past their answer date",
            f"{caseload}?due=group_late",
            OVERDUE,
        ),
        Task(
            referrals["due_today"],
            "{n} first contact due today|{n} first contacts due today",
            f"{caseload}?due=due_soon",
            TODAY,
        ),
        Task(
            reviews["today"],
            "{n} follow-up due today|{n} follow-ups due today",
            f"{follow_ups}?window=today",
            TODAY,
        ),
        Task(referrals["new"], "{n} new referral to triage|{n} new referrals to triage", queue),
    ]


def _group(user: AbstractBaseUser, today: dt.date) -> list[Task]:
    inbox = reverse("group-inbox")
    waiting = selectors.group_inbox(user, status=t.SENT).aggregate(
        overdue=Count("pk", filter=Q(response_due__lt=today)), all=Count("pk")
    )
    tasks = [
        Task(
            waiting["overdue"],
            "{n} referral waiting for your answer past its answer date|"
            "{n} referrals waiting for your answer past their answer date",
            f"{inbox}?status=sent",
            OVERDUE,
        ),
        Task(
            waiting["all"] - waiting["overdue"],
            "{n} referral waiting for your answer|{n} referrals waiting for your answer",
            f"{inbox}?status=sent",
            TODAY,
        ),
    ]
    tasks += _sessions_today(user, today)
    tasks += _listings_to_check(user)
    return tasks


def _sessions_today(user: AbstractBaseUser, today: dt.date) -> list[Task]:
    """Each of the group's sessions today, with how many people are expected (accepted,
    not yet recorded at a first session)."""

    groups = organisations_with_permission(user, Perm.CONNECTION_RESPOND)
    start = dt.datetime.combine(today, dt.time(0), tzinfo=LONDON)
    schedules = (
        Schedule.objects.filter(asset__organisation_id__in=groups)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .select_related("asset")
    )
    sessions = between(schedules, start=start, end=start + dt.timedelta(days=1))
    expected = {asset.pk: asset.waiting for asset in selectors.register_assets(user)}
    register = reverse("group-register")
    return [
        Task(
            expected.get(session.schedule.asset_id, 0) or 1,
            f"{session.schedule.asset.name} today at {session.starts:%-I:%M%p}".replace(":00", "")
            .replace("AM", "am")
            .replace("PM", "pm")
            + _expected(expected.get(session.schedule.asset_id, 0)),
            register,
            TODAY,
        )
        for session in sessions
    ]


def _expected(n: int) -> str:
    if not n:
        return ": nobody new is expected"
    return f": {n} new {'person' if n == 1 else 'people'} expected"


def _listings_to_check(user: AbstractBaseUser) -> list[Task]:
    stale = stale_before()
    due = [
        asset
        for asset in listings_of(user)
        if asset.publication == "published"
        and (asset.last_verified_at is None or asset.last_verified_at < stale)
    ]
    return [
        Task(
            len(due),
            "{n} listing due for checking: confirm it is still right|"
            "{n} listings due for checking: confirm they are still right",
            reverse("home-group") + "#listings",
            OVERDUE,
        )
    ]


def _referrer(user: AbstractBaseUser, today: dt.date) -> list[Task]:
    counts = selectors.referrer_counts(user)
    listing = reverse("referral-list")
    return [
        Task(
            counts["needs_you_unseen"],
            "{n} referral returned or declined: see what to do next|"
            "{n} referrals returned or declined: see what to do next",
            f"{listing}?show=needs_you",
            OVERDUE,
        ),
        Task(
            counts["closed_unseen"],
            "{n} referral closed that you have not seen yet|"
            "{n} referrals closed that you have not seen yet",
            f"{listing}?show=closed_unseen",
            TODAY,
        ),
    ]


def _insight(user: AbstractBaseUser, today: dt.date) -> list[Task]:
    return [
        Task(
            len(emerging_groups()),
            "{n} activity people are asking for that no group offers|"
            "{n} activities people are asking for that no group offers",
            reverse("emerging-groups"),
            TODAY,
        )
    ]


def _panel(user: AbstractBaseUser, today: dt.date) -> list[Task]:
    queue = review_queue()
    waiting = queue["listings"].count() + queue["reports"].count()
    review = reverse("directory-review")
    return [
        Task(
            waiting,
            "{n} listing or report to verify|{n} listings and reports to verify",
            review,
            TODAY,
        ),
        *_insight(user, today),
    ]


def _panel_member(user: AbstractBaseUser, today: dt.date) -> list[Task]:
    # Imported here to break a cycle: todo_panels imports Task and the urgencies above.
    from linkwork.accounts.todo_panels import panel_tasks

    return [*panel_tasks(user, today), *_panel(user, today)]


def _commissioner(user: AbstractBaseUser, today: dt.date) -> list[Task]:
    # Imported here to break a cycle (as above).
    from linkwork.accounts.todo_panels import commissioner_tasks

    return [*commissioner_tasks(user, today), *_insight(user, today)]


TODO = {
    Role.LINK_WORKER: _link_worker,
    Role.GROUP: _group,
    Role.REFERRER: _referrer,
    Role.PANEL: _panel_member,
    Role.COMMISSIONER: _commissioner,
}

"""The link worker's lists: the triage queue, the caseload, follow-ups due, and their counts."""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, QuerySet
from django.utils import timezone

from linkwork.accounts.models import Membership
from linkwork.accounts.permissions import organisations_with_permission
from linkwork.accounts.roles import Perm, Role
from linkwork.referrals import transitions as t
from linkwork.referrals import worklists
from linkwork.referrals.models import FollowUp, Referral
from linkwork.referrals.selectors.visibility import _searched


def triage_queue(
    user: AbstractBaseUser, *, q: str = "", due: str = "", sort: str = "urgency"
) -> QuerySet[Referral]:
    """New referrals for the user's services, with what triage needs: the most urgent
    first (first contact overdue, then due soon or marked urgent, then newest), or by
    date; narrowed by a search and by when first contact is due."""
    today = timezone.localdate()
    referrals = _searched(
        Referral.objects.filter(
            service_id__in=organisations_with_permission(user, Perm.CASEWORK), status=t.RECEIVED
        ),
        q,
    )
    referrals = worklists.by_contact_due(referrals, due, today)
    return worklists.ordered(
        worklists.with_contact_urgency(referrals, today)
        .select_related("person", "referrer_organisation")
        .prefetch_related("reasons"),
        sort,
    )


def triage_counts(user: AbstractBaseUser, *, q: str = "") -> dict[str, int]:
    """How many new referrals wait, and how many are overdue or due soon (one query)."""
    waiting = Referral.objects.filter(
        service_id__in=organisations_with_permission(user, Perm.CASEWORK), status=t.RECEIVED
    )
    return worklists.contact_counts(_searched(waiting, q), timezone.localdate())


def caseload(
    user: AbstractBaseUser,
    *,
    status: str = "",
    mine_only: bool = False,
    q: str = "",
    due: str = "",
    sort: str = "urgency",
):
    """Open referrals of the user's services (or only their own), the most urgent first
    unless another order is asked for, and counts by status and by first contact due
    (the counts follow the search and "mine", not the status or due filter)."""
    today = timezone.localdate()
    referrals = Referral.objects.filter(
        service_id__in=organisations_with_permission(user, Perm.CASEWORK),
        status__in=t.OPEN_REFERRAL_STATES,
    )
    if mine_only:
        referrals = referrals.filter(assigned_to=user)
    referrals = _searched(referrals, q)
    counts = dict(referrals.values_list("status").annotate(n=Count("pk")).order_by())
    counts |= worklists.contact_counts(
        referrals.filter(status=status) if status else referrals, today
    )
    if status:
        referrals = referrals.filter(status=status)
    referrals = worklists.by_contact_due(referrals, due, today)
    return (
        worklists.ordered(
            worklists.with_contact_urgency(referrals, today)
            .select_related("person", "assigned_to")
            .prefetch_related("reasons"),
            sort,
        ),
        counts,
    )


def overdue_first_contact(referral: Referral, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return referral.first_contacted_at is None and referral.first_contact_due < today


def follow_ups_due(
    user: AbstractBaseUser, today: dt.date | None = None, *, window: str = "", q: str = ""
) -> QuerySet[FollowUp]:
    """Reviews still to do (neither done nor cancelled) of the user's services, due by
    `today` (or in another window: overdue, today, the next week, all), soonest first."""
    today = today or timezone.localdate()
    follow_ups = worklists.follow_up_window(_pending_reviews(user, q), window, today)
    return follow_ups.select_related("referral__person", "connection__asset").order_by(
        "due_on", "pk"
    )


def follow_up_counts(user: AbstractBaseUser, *, q: str = "") -> dict[str, int]:
    return worklists.follow_up_counts(_pending_reviews(user, q), timezone.localdate())


def _pending_reviews(user: AbstractBaseUser, q: str) -> QuerySet[FollowUp]:
    pending = FollowUp.objects.pending().filter(
        referral__service_id__in=organisations_with_permission(user, Perm.CASEWORK),
    )
    found = worklists.person_search(q)
    if found is not None:
        pending = pending.filter(referral__in=Referral.objects.filter(found).values("pk"))
    return pending


def link_workers_by_service(service_ids: Iterable[int]) -> dict[int, list]:
    """The active link workers of each service: who a referral can be assigned to."""

    memberships = (
        Membership.objects.filter(
            organisation_id__in=set(service_ids),
            role=Role.LINK_WORKER.value,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    by_service: dict[int, list] = {}
    for membership in memberships:
        by_service.setdefault(membership.organisation_id, []).append(membership.user)
    return by_service

"""Who may see which referral: the scoping every other read of casework starts from, and the
record of whom a list showed."""

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.http import Http404

from linkwork.accounts.permissions import has_permission, organisations_with_permission
from linkwork.accounts.roles import Perm
from linkwork.audit.services import record_event, record_events
from linkwork.referrals import worklists
from linkwork.referrals.models import Referral


def referrals_visible_to(user: AbstractBaseUser) -> QuerySet[Referral]:
    """Link workers: their services' referrals. Referrers: the ones they made. Nobody
    else (groups see connections; panels and commissioners never see a person)."""
    services = organisations_with_permission(user, Perm.CASEWORK)
    visible = Q(service_id__in=services) if services else Q(pk__in=[])
    if has_permission(user, Perm.REFERRAL_VIEW_OWN):
        visible |= Q(referrer=user)
    return Referral.objects.filter(visible)


def search_visible(
    user: AbstractBaseUser, referrals: QuerySet[Referral], q: str
) -> QuerySet[Referral]:
    """Narrow referrals the user may see by a search: their services' by the person's
    record, the ones they made by the details they gave (never another referral's)."""
    as_worker = worklists.person_search(q)
    if as_worker is None:
        return referrals
    services = organisations_with_permission(user, Perm.CASEWORK)
    found = Q(service_id__in=services) & as_worker if services else Q(pk__in=[])
    if has_permission(user, Perm.REFERRAL_VIEW_OWN):
        found |= Q(referrer=user) & worklists.person_search(q, as_referred=True)
    return referrals.filter(found)


def referral_for(user: AbstractBaseUser, referral_id: int) -> Referral:
    """One referral the user may see (404 otherwise); the read is audited."""
    referral = (
        referrals_visible_to(user)
        .select_related(
            "person",
            "service",
            "referrer",
            "assigned_to",
            "referrer_organisation",
            "feedback_request",
        )
        .prefetch_related("reasons", "events", "connections__asset", "unmet_needs__category")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404
    record_event(by=user, action="referral_viewed", object_type="referral", object_id=referral.pk)
    return referral


def is_case_worker(user: AbstractBaseUser, referral: Referral) -> bool:
    return has_permission(user, Perm.CASEWORK, organisation=referral.service_id)


def _searched(referrals: QuerySet[Referral], q: str, *, as_referred: bool = False):
    found = worklists.person_search(q, as_referred=as_referred)
    return referrals if found is None else referrals.filter(found)


def audit_listed(user: AbstractBaseUser, referrals: Iterable[Referral]) -> None:
    """A list that names people is a read of each person's record: one event each, in
    one insert."""
    record_events(
        by=user,
        action="referral_listed",
        object_type="referral",
        object_ids=[referral.pk for referral in referrals],
    )

"""A referrer's side: their organisation, the services they may refer to, and the referrals
they made."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet

from linkwork.accounts.permissions import organisations_with_permission
from linkwork.accounts.roles import Perm
from linkwork.directory.models import Organisation, OrganisationKind
from linkwork.referrals import worklists
from linkwork.referrals.models import Referral
from linkwork.referrals.selectors.visibility import _searched, referrals_visible_to


def referring_organisation(user: AbstractBaseUser) -> Organisation | None:
    """The organisation a user refers from (the first, by name, where they may refer)."""
    organisations = organisations_with_permission(user, Perm.REFERRAL_CREATE)
    return Organisation.objects.filter(pk__in=organisations).order_by("name", "pk").first()


def social_prescribing_services() -> QuerySet[Organisation]:
    """The services a referral can be sent to, by name (for a choice when there are several)."""
    return Organisation.objects.filter(kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE).order_by(
        "name"
    )


def referrals_made_by(
    user: AbstractBaseUser, *, q: str = "", show: str = "", sort: str = "newest"
) -> QuerySet[Referral]:
    """The referrals the user made themselves, with what their list shows: status and
    dates, never case notes (even for someone who is also a link worker). Newest first,
    or returned and declined first (`sort="urgency"`); searched as the referrer gave the
    details; `show` one of worklists.REFERRER_FILTERS."""
    referrals = _searched(referrals_visible_to(user).filter(referrer=user), q, as_referred=True)
    if show in worklists.REFERRER_FILTERS:
        referrals = referrals.filter(worklists.REFERRER_FILTERS[show][1])
    return worklists.ordered(
        worklists.with_referrer_urgency(referrals)
        .select_related("person", "service")
        .prefetch_related("events"),
        sort,
    )


def referrer_counts(user: AbstractBaseUser, *, q: str = "") -> dict[str, int]:
    mine = _searched(referrals_visible_to(user).filter(referrer=user), q, as_referred=True)
    return worklists.referrer_counts(mine)

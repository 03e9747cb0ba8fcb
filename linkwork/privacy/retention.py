"""The end of the retention period (RETENTION_YEARS after a person's last referral
ended; 8 by default, the NHS records management code of practice): such people are
erased as if they had asked, with kind "retention"."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from linkwork.privacy.erasure import erase_person
from linkwork.privacy.models import Erasure, ErasureKind
from linkwork.privacy.registry import person_model
from linkwork.referrals import transitions as t


def retention_cutoff(now=None):
    return (now or timezone.now()) - relativedelta(years=settings.RETENTION_YEARS)


def due_for_retention(*, now=None) -> QuerySet:
    """People (not merged away, not erased) with no open referral whose last referral
    ended before the cut-off. A referral ends when it is closed, declined or returned."""
    cutoff = retention_cutoff(now)
    return (
        person_model()
        .objects.filter(merged_into__isnull=True)
        .exclude(pk__in=Erasure.objects.values("person_id"))
        .annotate(
            open_referrals=Count(
                "referrals", filter=Q(referrals__status__in=t.OPEN_REFERRAL_STATES)
            ),
            ended=Max(Coalesce("referrals__closed_at", "referrals__received_at")),
        )
        .filter(open_referrals=0, ended__lt=cutoff)
        .order_by("pk")
    )


def apply_retention(*, dry_run: bool, now=None) -> list[int]:
    """Erase everyone due (or, in a dry run, only list them). Returns their ids."""
    due = list(due_for_retention(now=now).values_list("pk", flat=True))
    if dry_run:
        return due
    people = person_model().objects.in_bulk(due)
    for pk in due:
        erase_person(
            person=people[pk],
            reason=f"retention: {settings.RETENTION_YEARS} years after the last referral ended",
            by=None,
            kind=ErasureKind.RETENTION,
        )
    return due

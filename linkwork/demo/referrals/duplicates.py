"""Two referrals in the demo queue that may not be new work: a self-referral by someone
already on the caseload who gave no NHS number (a possible duplicate, for the link worker
to merge or dismiss), and a second referral from the practice with the same NHS number
(the same person, shown beside their open referral)."""

import datetime as dt

from django.utils import timezone

from linkwork.accounts.models import User
from linkwork.demo.referrals.world import KEY_PREFIX, PRACTICE, REFERRER, SERVICE, clock
from linkwork.directory.models import Organisation
from linkwork.referrals import services
from linkwork.referrals import transitions as t
from linkwork.referrals.models import Referral, Source

SELF_KEY, AGAIN_KEY = f"{KEY_PREFIX}possible-duplicate", f"{KEY_PREFIX}same-person-again"


def load_demo_duplicates() -> int:
    """Both referrals, once; returns how many were created."""
    service = Organisation.objects.get(name=SERVICE)
    practice = Organisation.objects.get(name=PRACTICE)
    referrer = User.objects.get(email=REFERRER)
    created = 0
    demo = Referral.objects.filter(idempotency_key__startswith=KEY_PREFIX).exclude(
        status__in=t.ENDED
    )
    without_number = demo.filter(person__nhs_number="").select_related("person").first()
    if without_number and not Referral.objects.filter(idempotency_key=SELF_KEY).exists():
        person = without_number.person
        with clock(timezone.now() - dt.timedelta(hours=3)):
            services.create_referral(
                person=_details(person, phone="07700 900987"),
                source=Source.SELF,
                reasons=["need-money-debt"],
                consent_to_refer=True,
                contact_methods=["text"],
                notes="I filled this in at the library. Texts are best.",
                service=service,
                idempotency_key=SELF_KEY,
                by=None,
            )
        created += 1
    with_number = demo.exclude(person__nhs_number="").select_related("person").first()
    if with_number and not Referral.objects.filter(idempotency_key=AGAIN_KEY).exists():
        person = with_number.person
        with clock(timezone.now() - dt.timedelta(hours=2)):
            services.create_referral(
                person=_details(person, nhs_number=person.nhs_number),
                source=Source.GP,
                reasons=["need-housing"],
                consent_to_refer=True,
                notes="Seen again today about housing worries.",
                referrer_organisation=practice,
                idempotency_key=AGAIN_KEY,
                by=referrer,
            )
        created += 1
    return created


def _details(person, **extra) -> dict:
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "birth_date": person.birth_date,
        "postcode": person.postcode,
        "preferred_contact_method": person.preferred_contact_method,
        **extra,
    }

"""Writes for a resident's own data: withdrawing the consents they gave."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from linkwork.audit.services import record_event
from linkwork.community.models import Interest


@transaction.atomic
def withdraw_interest_contact(*, interest: Interest, by: AbstractBaseUser) -> Interest:
    """The resident no longer wants to be contacted about an interest: the consent and
    every contact detail go at once (the interest still counts, anonymously)."""
    interest = Interest.objects.select_for_update().get(pk=interest.pk)
    interest.consent_to_contact = False
    interest.consented_at = None
    interest.contact_by = ""
    interest.contact_name = ""
    interest.contact_method = ""
    interest.contact_detail = ""
    interest.contact_times = ""
    interest.save()
    record_event(
        by=by, action="interest_consent_withdrawn", object_type="interest", object_id=interest.pk
    )
    return interest

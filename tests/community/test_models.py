"""What the database itself refuses for interests and grants."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from linkwork.community.models import Grant, Interest
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_no_contact_detail_is_kept_without_consent():
    with pytest.raises(IntegrityError), transaction.atomic():
        Interest.objects.create(description="Craft", contact_detail="07700 900123")
    Interest.objects.create(
        description="Craft", consent_to_contact=True, contact_detail="07700 900123"
    )


def test_an_interest_says_what_activity():
    with pytest.raises(IntegrityError), transaction.atomic():
        Interest.objects.create(community_of_interest="women")


def test_a_grant_has_a_positive_amount_and_ends_after_it_starts():
    organisation = OrganisationFactory()
    start = dt.date(2026, 4, 1)
    fields = {"organisation": organisation, "funder": "Council", "purpose": "Room hire"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.create(amount=Decimal("0"), period_start=start, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.create(
            amount=Decimal("500"), period_start=start, period_end=dt.date(2026, 1, 1), **fields
        )
    grant = Grant.objects.create(amount=Decimal("500.00"), period_start=start, **fields)
    assert str(grant) == f"£500.00 to {organisation.name} from Council"

"""A double-submitted referral is one referral, even when the two submissions race."""

from unittest import mock

import pytest

from linkwork.referrals import services
from linkwork.referrals.models import Referral
from tests.referrals.conftest import REFERRAL

pytestmark = pytest.mark.django_db


def submit(world, key: str) -> Referral:
    return services.create_referral(
        person=REFERRAL["person"],
        source="gp",
        reasons=REFERRAL["reasons"],
        consent_to_refer=True,
        service=world.service,
        idempotency_key=key,
        by=world.gp.user,
    )


def test_a_submission_that_loses_the_race_gets_the_winners_referral(world):
    first = submit(world, "form-7f3a")
    # The second submission arrives before the first is visible to its early check.
    no_earlier = mock.patch.object(Referral.objects, "filter", wraps=Referral.objects.filter)
    with no_earlier as filtered:
        filtered.return_value.first.return_value = None
        second = submit(world, "form-7f3a")
    assert second.pk == first.pk
    assert Referral.objects.count() == 1


def test_referrals_without_a_key_are_never_merged(world):
    submit(world, "")
    submit(world, "")
    assert Referral.objects.count() == 2

"""Reviews fall due only while the referral is open."""

import pytest

from linkwork.referrals import selectors, services
from linkwork.referrals import transitions as t
from linkwork.referrals.models import FollowUp
from tests.referrals.conftest import REFERRAL


@pytest.mark.django_db
@pytest.mark.parametrize("to", [t.DECLINED, t.RETURNED])
def test_declining_or_returning_an_accepted_referral_ends_its_reviews(world, to):
    link_worker = world.link_worker.user
    referral = services.create_referral(
        person=REFERRAL["person"],
        source="gp",
        reasons=REFERRAL["reasons"],
        consent_to_refer=True,
        service=world.service,
        by=world.gp.user,
    )
    services.transition_referral(referral=referral, to=t.ACCEPTED, by=link_worker)
    assert FollowUp.objects.pending().filter(referral=referral).count() == 2

    services.transition_referral(
        referral=referral, to=to, reason="Could not reach them.", by=link_worker
    )

    assert not FollowUp.objects.pending().filter(referral=referral).exists()
    # Ended with the referral: cancelled with why, never done (nobody did them).
    assert not FollowUp.objects.done().filter(referral=referral).exists()
    assert set(
        FollowUp.objects.filter(referral=referral).values_list("cancelled_reason", flat=True)
    ) == {to}
    far_ahead = referral.first_contact_due.replace(year=referral.first_contact_due.year + 1)
    assert not selectors.follow_ups_due(link_worker, far_ahead).filter(referral=referral).exists()

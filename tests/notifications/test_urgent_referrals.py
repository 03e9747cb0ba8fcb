"""An urgent referral is a safety message: it reaches link workers at once, even those
who chose a digest or nothing for new referrals."""

import pytest

from linkwork.notifications.models import NotificationPreference
from linkwork.referrals import services
from tests.referrals.conftest import REFERRAL, world  # noqa: F401

pytestmark = pytest.mark.django_db


def _refer(world, urgency):  # noqa: F811
    return services.create_referral(
        person=REFERRAL["person"],
        source="gp",
        reasons=REFERRAL["reasons"],
        consent_to_refer=True,
        urgency=urgency,
        referrer_organisation=world.practice,
        by=world.gp.user,
    )


def test_an_urgent_referral_is_sent_at_once_whatever_the_choice(world, mailoutbox):  # noqa: F811
    worker = world.link_worker.user
    NotificationPreference.objects.create(user=worker, kind="new_referral", frequency="never")
    mailoutbox.clear()
    _refer(world, "routine")
    assert not [m for m in mailoutbox if worker.email in m.to]
    urgent = _refer(world, "urgent")
    assert [m.subject for m in mailoutbox if worker.email in m.to] == [
        f"A new referral has arrived: {urgent.reference}"
    ]

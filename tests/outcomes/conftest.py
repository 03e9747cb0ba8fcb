"""The casework world of tests/referrals, with referrals to record outcomes on."""

import pytest

from linkwork.referrals import services
from linkwork.referrals.models import Referral
from tests.referrals.conftest import REFERRAL, world  # noqa: F401  (the fixture)


def refer(world, **person) -> Referral:  # noqa: F811
    return services.create_referral(
        person={**REFERRAL["person"], **person},
        source="gp",
        reasons=REFERRAL["reasons"],
        consent_to_refer=True,
        share_with_groups=True,
        contact_methods=["phone", "email"],
        notes=REFERRAL["notes"],
        referrer_organisation=world.practice,
        by=world.gp.user,
    )


def accepted(world, **person) -> Referral:  # noqa: F811
    referral = refer(world, **person)
    services.accept_referral(
        referral=referral, link_worker=world.link_worker.user, by=world.link_worker.user
    )
    referral.refresh_from_db()
    return referral


@pytest.fixture
def referral(world):  # noqa: F811
    return accepted(world, email="pat@example.net")

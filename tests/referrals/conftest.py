"""The casework world (tests/worlds.py `casework`): a PCN with a practice and a service, a
group with an asset; and the referral a referrer sends."""

import pytest

from tests.worlds import casework


@pytest.fixture
def world(db):
    return casework()


REFERRAL = {
    "person": {
        "given_name": "Pat",
        "family_name": "Holden",
        "birth_date": "1956-03-14",
        "postcode": "bl2 6lt",
        "nhs_number": "943 476 5919",
        "language": "en",
        "access_needs": "Uses a walking stick",
    },
    "source": "gp",
    "reasons": ["need-loneliness", "need-physical-activity"],
    "consent": {"to_refer": True, "share_with_groups": True, "contact_methods": ["phone"]},
    "notes": "Recently bereaved; keen to get out more.",
}

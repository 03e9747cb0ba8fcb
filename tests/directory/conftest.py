import pytest

from linkwork.directory.services import load_default_taxonomy
from tests.factories import PostcodeFactory


@pytest.fixture
def taxonomy(db):
    load_default_taxonomy(by=None)


@pytest.fixture
def postcodes(db):
    """Three real Bolton postcodes: the town centre, Breightmet (~3 km east), Horwich (~8 km)."""
    return {
        "centre": PostcodeFactory(postcode="BL1 1AP", latitude=53.577585, longitude=-2.425087),
        "breightmet": PostcodeFactory(postcode="BL2 6LT", latitude=53.5837, longitude=-2.3803),
        "horwich": PostcodeFactory(postcode="BL6 7JH", latitude=53.6005, longitude=-2.5494),
    }

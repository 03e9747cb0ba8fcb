"""A small place for community tests: two neighbourhoods, postcodes in each, activity terms."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from linkwork.directory.models import Vocabulary
from tests.factories import PostcodeFactory, TaxonomyTermFactory
from tests.places.factories import AreaFactory, local_authority, neighbourhood


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def place(db):
    borough = local_authority()
    tonge_lsoa = AreaFactory(code="E01004785", name="Bolton 019D", parent=borough)
    lever_lsoa = AreaFactory(code="E01004817", name="Bolton 022E", parent=borough)
    tonge = neighbourhood("BOL-NBH-01", "Tonge and Breightmet", lsoas=[tonge_lsoa], parent=borough)
    lever = neighbourhood("BOL-NBH-02", "Great Lever", lsoas=[lever_lsoa], parent=borough)
    PostcodeFactory(postcode="BL2 6LT", latitude=53.588, longitude=-2.383, lsoa=tonge_lsoa)
    PostcodeFactory(postcode="BL3 5BG", latitude=53.566, longitude=-2.431, lsoa=lever_lsoa)

    def activity(code: str, name: str):
        return TaxonomyTermFactory(code=code, name=name, vocabulary=Vocabulary.ACTIVITY)

    return SimpleNamespace(
        borough=borough,
        tonge=tonge,
        lever=lever,
        tonge_lsoa=tonge_lsoa,
        lever_lsoa=lever_lsoa,
        crafts=activity("activity-arts-crafts", "Arts and crafts"),
        walking=activity("activity-walking", "Walking group"),
    )

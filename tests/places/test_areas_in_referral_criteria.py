"""A service that covers a neighbourhood takes the people whose LSOA is one of its members,
however the LSOA's parent is set (referrals' eligibility flags use places.selectors)."""

import datetime as dt

import pytest

from linkwork.directory.models import OrganisationKind
from linkwork.referrals.models import Person, ReferralCriteria
from linkwork.referrals.services import eligibility_flags
from tests.factories import OrganisationFactory
from tests.places.factories import AreaFactory, local_authority, neighbourhood

pytestmark = pytest.mark.django_db
OUTSIDE = "Lives outside the area the service covers."


def flags_for(lsoa, area) -> list[str]:
    service = OrganisationFactory(kind=OrganisationKind.SOCIAL_PRESCRIBING_SERVICE)
    ReferralCriteria.objects.create(service=service).areas.add(area)
    person = Person(given_name="Ada", family_name="Test", birth_date=dt.date(1960, 1, 1), area=lsoa)
    return eligibility_flags(person=person, service=service, referrer_organisation=None)


def test_a_member_lsoa_of_the_service_neighbourhood_is_inside():
    borough = local_authority()
    lsoa = AreaFactory(parent=borough)
    patch = neighbourhood("N-1", "Patch", lsoas=[lsoa], parent=borough)
    assert OUTSIDE not in flags_for(lsoa, patch)
    assert OUTSIDE not in flags_for(lsoa, borough)


def test_an_lsoa_in_another_neighbourhood_is_outside():
    lsoa = AreaFactory()
    neighbourhood("N-1", "Home", lsoas=[lsoa])
    assert OUTSIDE in flags_for(lsoa, neighbourhood("N-2", "Elsewhere"))
    assert OUTSIDE in flags_for(None, neighbourhood("N-3", "Anywhere"))

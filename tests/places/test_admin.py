"""Admins edit neighbourhoods in Django admin: which LSOAs make up each patch."""

import pytest

from linkwork.accounts.roles import Role
from linkwork.places.models import NeighbourhoodMembership
from linkwork.places.selectors import neighbourhood_of_lsoa
from tests.places.factories import AreaFactory, neighbourhood

pytestmark = pytest.mark.django_db


def test_an_admin_sees_a_neighbourhoods_lsoas_and_moves_one_to_another(persona):
    lsoa = AreaFactory(code="E01004785", name="Bolton 019D")
    north = neighbourhood("N-1", "North", lsoas=[lsoa])
    south = neighbourhood("N-2", "South")
    admin = persona(Role.ADMIN)
    page = admin.get(f"/admin/places/area/{north.pk}/change/").content.decode()
    assert "LSOAs in this neighbourhood" in page and "E01004785" in page
    membership = NeighbourhoodMembership.objects.get(lsoa=lsoa)
    response = admin.post(
        f"/admin/places/neighbourhoodmembership/{membership.pk}/change/",
        {"lsoa": lsoa.pk, "neighbourhood": south.pk},
    )
    assert response.status_code == 302
    assert neighbourhood_of_lsoa(lsoa) == south


def test_an_lsoa_cannot_be_put_in_two_neighbourhoods_through_admin(persona):
    lsoa = AreaFactory()
    neighbourhood("N-1", "North", lsoas=[lsoa])
    south = neighbourhood("N-2", "South")
    response = persona(Role.ADMIN).post(
        "/admin/places/neighbourhoodmembership/add/", {"lsoa": lsoa.pk, "neighbourhood": south.pk}
    )
    assert response.status_code == 200  # the form again, with the error
    assert "already exists" in response.content.decode()
    assert NeighbourhoodMembership.objects.count() == 1


def test_an_admin_adds_an_area_of_a_new_type(persona):
    response = persona(Role.ADMIN).post(
        "/admin/places/area/add/",
        {
            "code": "E54000999",
            "name": "Merged ICB",
            "area_type": "icb_merged",
            "vintage": "2026",
            "population_population-TOTAL_FORMS": "0",
            "population_population-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize("role", [Role.LINK_WORKER, Role.COMMISSIONER, Role.PANEL])
def test_other_roles_cannot_edit_neighbourhoods(persona, role):
    lsoa = AreaFactory()
    north = neighbourhood("N-1", "North", lsoas=[lsoa])
    response = persona(role).get(f"/admin/places/area/{north.pk}/change/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

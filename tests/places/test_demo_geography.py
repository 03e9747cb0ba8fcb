"""The demo's geography: real Bolton codes, boundaries and postcodes; synthetic, flagged,
seeded IMD deciles and populations; neighbourhoods as memberships; idempotent."""

import json

import pytest
from django.db.models import Sum

from linkwork.demo.places import load_geography
from linkwork.places.models import Area, AreaPopulation, NeighbourhoodMembership, Postcode
from linkwork.places.selectors import lsoas_of, neighbourhood_of_lsoa, population_of

pytestmark = pytest.mark.django_db


def snapshot() -> list:
    return list(
        Area.objects.order_by("code").values_list(
            "code", "parent__code", "imd_decile", "population_total", "latitude", "longitude"
        )
    ) + list(
        AreaPopulation.objects.order_by("area__code", "sex", "age_band").values_list(
            "area__code", "sex", "age_band", "count"
        )
    )


def test_the_demo_loads_every_bolton_lsoa_with_its_real_boundary_and_postcodes():
    load_geography()
    lsoas = Area.objects.filter(area_type="lsoa")
    assert lsoas.count() == 177
    assert not lsoas.filter(is_synthetic=True).exists()
    assert not lsoas.filter(boundary_geojson="").exists()
    assert set(lsoas.values_list("vintage", flat=True)) == {"2011"}
    first = lsoas.get(code="E01004766")
    assert (first.name, first.latitude, first.longitude) == ("Bolton 005A", 53.59974, -2.437)
    assert json.loads(first.boundary_geojson)["type"] == "Polygon"
    assert Postcode.objects.count() == 202
    assert Postcode.objects.get(postcode="BL2 6LT").lsoa.parent.code == "E08000001"


def test_the_demo_deprivation_and_population_are_synthetic_plausible_and_flagged():
    load_geography()
    lsoas = Area.objects.filter(area_type="lsoa")
    assert not lsoas.filter(imd_decile=None).exists()
    assert not lsoas.filter(imd_is_synthetic=False).exists()
    assert not lsoas.filter(population_is_synthetic=False).exists()
    assert lsoas.aggregate(total=Sum("population_total"))["total"] == 296_000
    assert AreaPopulation.objects.aggregate(total=Sum("count"))["total"] == 296_000
    # Deprivation is concentrated: many LSOAs in the most deprived deciles, some in the least.
    assert lsoas.filter(imd_decile__lte=2).count() >= 35
    assert lsoas.filter(imd_decile__gte=8).count() >= 10
    # Each LSOA's bands add up to its total, both sexes in every band.
    for lsoa in lsoas[:20]:
        assert lsoa.population.count() == 18
        assert lsoa.population.aggregate(total=Sum("count"))["total"] == lsoa.population_total
    older = AreaPopulation.objects.filter(age_band="85+")
    assert (
        older.filter(sex="female").aggregate(n=Sum("count"))["n"]
        > older.filter(sex="male").aggregate(n=Sum("count"))["n"]
    )


def test_every_lsoa_is_in_one_demo_neighbourhood_and_their_populations_add_up():
    load_geography()
    assert NeighbourhoodMembership.objects.count() == 177
    tonge = Area.objects.get(code="BOL-NBH-01")
    assert neighbourhood_of_lsoa(Postcode.objects.get(postcode="BL2 6LT").lsoa) == tonge
    neighbourhoods = Area.objects.filter(area_type="neighbourhood")
    assert sum(population_of(n) for n in neighbourhoods) == 296_000
    assert sum(lsoas_of(n).count() for n in neighbourhoods) == 177


def test_loading_the_demo_geography_twice_changes_nothing():
    load_geography()
    first = snapshot()
    load_geography()
    assert snapshot() == first


def test_the_demo_keeps_an_admins_neighbourhood_edit_and_imported_real_figures():
    load_geography()
    lsoa = Area.objects.get(code="E01004766")
    elsewhere = Area.objects.get(code="BOL-NBH-01")
    NeighbourhoodMembership.objects.filter(lsoa=lsoa).update(neighbourhood=elsewhere)
    Area.objects.filter(pk=lsoa.pk).update(imd_decile=9, imd_is_synthetic=False)
    load_geography()
    lsoa.refresh_from_db()
    assert neighbourhood_of_lsoa(lsoa) == elsewhere
    assert (lsoa.imd_decile, lsoa.imd_is_synthetic) == (9, False)


def test_an_lsoa_whose_parent_was_a_neighbourhood_gets_the_borough_and_a_membership():
    borough = Area.objects.create(code="E08000001", name="Bolton", area_type="local_authority")
    patch = Area.objects.create(
        code="BOL-NBH-02",
        name="Great Lever and Rumworth",
        area_type="neighbourhood",
        parent=borough,
    )
    Area.objects.create(code="E01004766", name="Bolton 005A", area_type="lsoa", parent=patch)
    load_geography()
    lsoa = Area.objects.get(code="E01004766")
    assert lsoa.parent == borough
    assert neighbourhood_of_lsoa(lsoa).code == "BOL-NBH-03"  # by the ward majority

"""Areas as data: any area type, IMD deciles, populations and neighbourhood membership."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from linkwork.places.models import Area, AreaPopulation, NeighbourhoodMembership
from linkwork.places.selectors import (
    area_ids_containing,
    boundary_of,
    lsoas_of,
    neighbourhood_ids_by_lsoa,
    neighbourhood_of_lsoa,
    population_by_age_sex,
    population_of,
)
from tests.places.factories import AreaFactory, local_authority, neighbourhood

pytestmark = pytest.mark.django_db


def test_an_area_type_outside_the_usual_list_is_accepted():
    merged = Area(code="E54000999", name="Merged ICB", area_type="icb_merged_2026")
    merged.full_clean()
    merged.save()
    assert str(merged) == "Merged ICB (Icb merged 2026)"


def test_an_area_type_that_is_not_a_slug_is_refused():
    with pytest.raises(ValidationError) as error:
        Area(code="X1", name="X", area_type="Not A Slug!").full_clean()
    assert "area_type" in error.value.message_dict


def test_imd_decile_outside_one_to_ten_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        AreaFactory(imd_decile=11)
    with pytest.raises(ValidationError):
        AreaFactory.build(imd_decile=0).full_clean()


def test_one_population_row_per_area_age_band_and_sex():
    lsoa = AreaFactory()
    AreaPopulation.objects.create(area=lsoa, age_band="18-24", sex="female", count=40)
    with pytest.raises(IntegrityError), transaction.atomic():
        AreaPopulation.objects.create(area=lsoa, age_band="18-24", sex="female", count=41)


def test_an_lsoa_belongs_to_one_neighbourhood_at_a_time():
    lsoa = AreaFactory()
    north = neighbourhood("N-1", "North", lsoas=[lsoa])
    south = neighbourhood("N-2", "South")
    with pytest.raises(IntegrityError), transaction.atomic():
        NeighbourhoodMembership.objects.create(neighbourhood=south, lsoa=lsoa)
    assert neighbourhood_of_lsoa(lsoa) == north


def test_neighbourhood_of_an_lsoa_from_membership_or_older_parent_link():
    borough = local_authority()
    member = AreaFactory(parent=borough)
    legacy_patch = neighbourhood("N-OLD", "Old patch", parent=borough)
    legacy = AreaFactory(parent=legacy_patch)
    patch = neighbourhood("N-1", "Patch", lsoas=[member], parent=borough)
    assert neighbourhood_of_lsoa(member) == patch
    assert neighbourhood_of_lsoa(legacy) == legacy_patch
    assert neighbourhood_of_lsoa(AreaFactory()) is None
    assert neighbourhood_of_lsoa(None) is None
    assert neighbourhood_ids_by_lsoa() == {member.pk: patch.pk, legacy.pk: legacy_patch.pk}


def test_a_moved_lsoa_counts_in_its_new_neighbourhood_only():
    old = neighbourhood("N-OLD", "Old")
    lsoa = AreaFactory(parent=old)  # older data: the neighbourhood was the parent
    new = neighbourhood("N-NEW", "New", lsoas=[lsoa])
    assert list(lsoas_of(new)) == [lsoa]
    assert list(lsoas_of(old)) == []
    assert neighbourhood_ids_by_lsoa() == {lsoa.pk: new.pk}


def test_lsoas_of_each_kind_of_area():
    borough = local_authority()
    a, b, c = AreaFactory(parent=borough), AreaFactory(parent=borough), AreaFactory()
    patch = neighbourhood("N-1", "Patch crossing wards", lsoas=[a, c], parent=borough)
    icb = AreaFactory(code="E54000057", name="ICB", area_type="icb")
    Area.objects.filter(pk=borough.pk).update(parent=icb)
    assert set(lsoas_of(a)) == {a}
    assert set(lsoas_of(patch)) == {a, c}
    # c is outside the borough's parent tree, but inside one of its neighbourhoods
    assert set(lsoas_of(borough)) == {a, b, c}
    assert set(lsoas_of(icb)) == {a, b, c}


def test_area_ids_containing_walks_parents_and_neighbourhoods():
    borough = local_authority()
    lsoa = AreaFactory(parent=borough)
    patch = neighbourhood("N-1", "Patch", lsoas=[lsoa], parent=borough)
    assert area_ids_containing(lsoa) == {lsoa.pk, borough.pk, patch.pk}
    assert area_ids_containing(None) == set()


def test_population_of_a_neighbourhood_is_the_sum_of_its_lsoas():
    a = AreaFactory(population_total=1500)
    b = AreaFactory(population_total=1700)
    patch = neighbourhood("N-1", "Patch", lsoas=[a, b])
    for lsoa, count in [(a, 10), (b, 12)]:
        AreaPopulation.objects.create(area=lsoa, age_band="85+", sex="female", count=count)
    assert population_of(patch) == 3200
    assert population_of(a) == 1500
    assert population_by_age_sex(patch) == {("85+", "female"): 22}
    assert population_of(neighbourhood("N-2", "Empty")) is None


def test_boundary_of_a_neighbourhood_collects_its_lsoa_polygons():
    square = [[[0, 0], [0, 1], [1, 1], [0, 0]]]
    a = AreaFactory(boundary_geojson=json.dumps({"type": "Polygon", "coordinates": square}))
    b = AreaFactory(
        boundary_geojson=json.dumps({"type": "MultiPolygon", "coordinates": [square, square]})
    )
    patch = neighbourhood("N-1", "Patch", lsoas=[a, b])
    assert boundary_of(a) == {"type": "Polygon", "coordinates": square}
    assert boundary_of(patch) == {"type": "MultiPolygon", "coordinates": [square] * 3}
    assert boundary_of(neighbourhood("N-2", "Empty")) is None

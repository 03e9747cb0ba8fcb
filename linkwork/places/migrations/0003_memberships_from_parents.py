"""LSOAs whose parent was a neighbourhood (the first demo data) become its members."""

from django.db import migrations


def memberships_from_parents(apps, schema_editor):
    Area = apps.get_model("places", "Area")
    NeighbourhoodMembership = apps.get_model("places", "NeighbourhoodMembership")
    taken = set(NeighbourhoodMembership.objects.values_list("lsoa_id", flat=True))
    NeighbourhoodMembership.objects.bulk_create(
        NeighbourhoodMembership(neighbourhood_id=parent_id, lsoa_id=lsoa_id)
        for lsoa_id, parent_id in Area.objects.filter(
            area_type="lsoa", parent__area_type="neighbourhood"
        ).values_list("id", "parent_id")
        if lsoa_id not in taken
    )


class Migration(migrations.Migration):
    dependencies = [("places", "0002_area_figures_and_neighbourhoods")]

    operations = [migrations.RunPython(memberships_from_parents, migrations.RunPython.noop)]

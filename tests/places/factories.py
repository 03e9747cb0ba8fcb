"""Factories for areas: LSOAs, neighbourhoods and a local authority."""

import factory

from linkwork.places.models import Area, AreaType, NeighbourhoodMembership


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E0190{n:04d}")
    name = factory.Sequence(lambda n: f"Testtown {n:03d}A")
    area_type = AreaType.LSOA
    vintage = "2011"


def local_authority(code: str = "E08000001", name: str = "Bolton") -> Area:
    return AreaFactory(code=code, name=name, area_type=AreaType.LOCAL_AUTHORITY, vintage="2023")


def neighbourhood(code: str, name: str, *, lsoas=(), parent: Area | None = None) -> Area:
    """A neighbourhood with these LSOAs as members."""
    area = AreaFactory(
        code=code, name=name, area_type=AreaType.NEIGHBOURHOOD, vintage="", parent=parent
    )
    for lsoa in lsoas:
        NeighbourhoodMembership.objects.update_or_create(
            lsoa=lsoa, defaults={"neighbourhood": area}
        )
    return area

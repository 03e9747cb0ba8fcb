"""Reads for places: postcode lookup, areas, neighbourhood membership and populations.

Neighbourhoods are user-defined groups of LSOAs (`NeighbourhoodMembership`). Older
data put an LSOA's neighbourhood in its `parent`; every selector here understands
both, with membership winning, so callers never walk either relation themselves.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.db import router
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext

from linkwork.places.models import Area, AreaPopulation, AreaType, NeighbourhoodMembership, Postcode
from linkwork.places.postcodes import InvalidPostcode, normalise_postcode
from linkwork.statements import statement

# The attribution OGL requires wherever the ONS/OS boundaries or postcodes are shown
# (maps, profile pages, exports with boundaries).
GEOGRAPHY_ATTRIBUTION = "Contains ONS and OS data © Crown copyright and database right"


class UnknownPostcode(LookupError):
    pass


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def postcode_point(raw: str) -> tuple[str, Point, Area | None]:
    """The normalised postcode, its point and LSOA.

    Raises InvalidPostcode when it is not shaped like a postcode, and UnknownPostcode
    when it is well formed but not in the loaded data (e.g. outside the deployment).
    """
    postcode = normalise_postcode(raw)
    found = Postcode.objects.select_related("lsoa").filter(postcode=postcode).first()
    if found is None:
        raise _unknown(postcode)
    return postcode, Point(found.latitude, found.longitude), found.lsoa


def _postcode_point_query(alias: str) -> QuerySet[Postcode]:
    return (
        Postcode.objects.db_manager(alias)
        .filter(postcode="")  # the placeholder for the postcode
        .order_by()
        .values_list("latitude", "longitude")[:1]
    )


def postcode_location(raw: str) -> Point:
    """`postcode_point`'s point alone (for a search), read without its LSOA; the same
    errors. Compiled once (linkwork/statements.py): every search by postcode reads it."""
    postcode = normalise_postcode(raw)
    found = statement(_postcode_point_query, router.db_for_read(Postcode), ("",)).rows([postcode])
    if not found:
        raise _unknown(postcode)
    return Point(*found[0])


def _unknown(postcode: str) -> UnknownPostcode:
    outward = postcode.split(" ")[0]
    if (
        Postcode.objects.exists()
        and not Postcode.objects.filter(postcode__startswith=outward + " ").exists()
    ):
        return UnknownPostcode(outside_area_message(postcode))
    return UnknownPostcode(
        gettext("We could not find %(postcode)s. Check it, or try a nearby postcode in the area.")
        % {"postcode": postcode}
    )


def coverage_area_name() -> str:
    """What the deployment covers, as residents name it (settings, else the places data)."""

    if settings.COVERAGE_AREA_NAME:
        return settings.COVERAGE_AREA_NAME
    names = list(
        Area.objects.filter(area_type=AreaType.LOCAL_AUTHORITY)
        .order_by("name")
        .values_list("name", flat=True)[:3]
    )
    return " and ".join(names) if names else "this area"


def outside_area_message(postcode: str) -> str:
    """For a well-formed postcode whose district the deployment holds no postcodes in:
    it is outside the area, not mistyped, so say where the service works instead."""

    example = settings.COVERAGE_EXAMPLE_POSTCODE or (
        Postcode.objects.order_by("postcode").values_list("postcode", flat=True).first() or ""
    )
    area = coverage_area_name()
    words = {"postcode": postcode, "service": settings.SERVICE_NAME, "area": area}
    if example:
        return gettext(
            "%(postcode)s is outside the area. %(service)s covers %(area)s: try a postcode "
            "in %(area)s, like %(example)s."
        ) % {**words, "example": example}
    return (
        gettext(
            "%(postcode)s is outside the area. %(service)s covers %(area)s: try a postcode in "
            "%(area)s."
        )
        % words
    )


def neighbourhoods() -> list[Area]:
    return list(Area.objects.filter(area_type=AreaType.NEIGHBOURHOOD).order_by("name"))


def neighbourhood_of_lsoa(lsoa: Area | None) -> Area | None:
    """The neighbourhood an LSOA is a member of (or, in older data, its parent), or None."""
    if lsoa is None:
        return None
    membership = (
        NeighbourhoodMembership.objects.select_related("neighbourhood").filter(lsoa=lsoa).first()
    )
    if membership is not None:
        return membership.neighbourhood
    parent = lsoa.parent
    if parent is not None and parent.area_type == AreaType.NEIGHBOURHOOD:
        return parent
    return None


def neighbourhood_ids_by_lsoa() -> dict[int, int]:
    """{LSOA id: neighbourhood id} for every LSOA in a neighbourhood, in two queries —
    for aggregating LSOA figures to neighbourhoods without one query per LSOA."""
    mapping = dict(
        Area.objects.filter(
            area_type=AreaType.LSOA, parent__area_type=AreaType.NEIGHBOURHOOD
        ).values_list("id", "parent_id")
    )
    mapping.update(NeighbourhoodMembership.objects.values_list("lsoa_id", "neighbourhood_id"))
    return mapping


def lsoas_of(area: Area) -> QuerySet[Area]:
    """The LSOAs that make up an area: itself for an LSOA; its members for a
    neighbourhood; for any other area (ward, local authority, ICB, ...) every LSOA
    below it through `parent`, and the members of any neighbourhood below it."""
    if area.area_type == AreaType.LSOA:
        return Area.objects.filter(pk=area.pk)
    if area.area_type == AreaType.NEIGHBOURHOOD:
        return Area.objects.filter(
            Q(neighbourhood_membership__neighbourhood=area)
            | Q(parent=area, neighbourhood_membership__isnull=True),
            area_type=AreaType.LSOA,
        )
    below: set[int] = set()
    frontier = {area.pk}
    while frontier:  # a few levels at most (ICB -> local authority -> ward -> LSOA)
        frontier = (
            set(Area.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - below
        )
        below |= frontier
    return Area.objects.filter(
        Q(pk__in=below) | Q(neighbourhood_membership__neighbourhood_id__in=below),
        area_type=AreaType.LSOA,
    ).distinct()


def area_ids_containing(area: Area | None) -> set[int]:
    """Ids of the area and every area it lies in: its parents, its neighbourhood and the
    neighbourhood's parents. For "does this LSOA fall within area X?" checks."""
    found: set[int] = set()
    pending = [area] if area is not None else []
    neighbourhood = neighbourhood_of_lsoa(area) if area is not None else None
    if neighbourhood is not None:
        pending.append(neighbourhood)
    while pending:
        current = pending.pop()
        if current is None or current.pk in found:
            continue
        found.add(current.pk)
        pending.append(current.parent)
    return found


def population_of(area: Area) -> int | None:
    """Usual residents of an area: its own total when it has one, else the sum over its
    LSOAs (None when none of them has a figure)."""
    if area.population_total is not None:
        return area.population_total
    return lsoas_of(area).aggregate(total=Sum("population_total"))["total"]


def population_by_age_sex(area: Area) -> dict[tuple[str, str], int]:
    """{(age_band, sex): residents} over the area's LSOAs (or its own rows)."""
    own = AreaPopulation.objects.filter(area=area)
    rows = own if own.exists() else AreaPopulation.objects.filter(area__in=lsoas_of(area))
    totals = rows.values_list("age_band", "sex").annotate(total=Sum("count"))
    return {(band, sex): total for band, sex, total in totals}


def boundary_of(area: Area) -> dict | None:
    """The area's boundary as a GeoJSON geometry: its own, or for a neighbourhood (or
    any area without one) a MultiPolygon of its LSOAs' polygons (not dissolved)."""
    if area.boundary_geojson:
        return json.loads(area.boundary_geojson)
    polygons: list = []
    for text in (
        lsoas_of(area).exclude(boundary_geojson="").values_list("boundary_geojson", flat=True)
    ):
        geometry = json.loads(text)
        if geometry.get("type") == "Polygon":
            polygons.append(geometry["coordinates"])
        elif geometry.get("type") == "MultiPolygon":
            polygons.extend(geometry["coordinates"])
    return {"type": "MultiPolygon", "coordinates": polygons} if polygons else None


__all__ = [
    "GEOGRAPHY_ATTRIBUTION",
    "InvalidPostcode",
    "Point",
    "UnknownPostcode",
    "area_ids_containing",
    "boundary_of",
    "lsoas_of",
    "neighbourhood_ids_by_lsoa",
    "neighbourhood_of_lsoa",
    "neighbourhoods",
    "population_by_age_sex",
    "population_of",
    "postcode_point",
]

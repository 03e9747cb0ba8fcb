"""The areas insight reports on, as SQL the aggregates join to.

Every figure about people is first placed in the LSOA they live in (Person.area,
UnmetNeed.area, Interest.lsoa) and then rolled up to the chosen *level*:

- `lsoa`: the LSOA itself;
- `neighbourhood`: the user-defined neighbourhood the LSOA is a member of
  (`places.NeighbourhoodMembership`; in older data, an LSOA whose parent is a
  neighbourhood). An LSOA is in at most one neighbourhood, so neighbourhood
  figures partition the LSOAs' figures.

Supply is placed the other way round: an asset serves every LSOA under each of its
coverage areas (through `parent` and neighbourhood membership, so a ward or a
neighbourhood covers its LSOAs) and the LSOA of each of its locations; a
borough-wide asset serves every area.
"""

# ruff: noqa: S608 — the SQL text holds only table names and constants; values are %s parameters.

from dataclasses import dataclass

from linkwork.errors import InvalidInput
from linkwork.places.models import Area, AreaType, NeighbourhoodMembership
from linkwork.places.selectors import lsoas_of, neighbourhood_ids_by_lsoa

LEVELS = (AreaType.LSOA.value, AreaType.NEIGHBOURHOOD.value)
DEFAULT_LEVEL = AreaType.NEIGHBOURHOOD.value

# The IMD population-need weight of the gap score: decile 1 (the most deprived tenth
# of England) counts twice as much as decile 10, in equal steps; unknown counts as 1.
IMD_WEIGHT = {decile: round(1 + (10 - decile) / 9, 3) for decile in range(1, 11)}


@dataclass(frozen=True)
class AreaInfo:
    id: int
    code: str
    name: str
    imd_weight: float
    population: int | None  # usual residents (census/ONS estimates, not our records)


def _tables() -> tuple[str, str]:
    return Area._meta.db_table, NeighbourhoodMembership._meta.db_table


def lsoa_to_level_sql(level: str) -> str:
    """A subquery of (lsoa_id, area_id): each LSOA and the area of `level` it counts in."""
    area, membership = _tables()
    if level == AreaType.LSOA:
        return f"SELECT id AS lsoa_id, id AS area_id FROM {area} WHERE area_type = 'lsoa'"
    return (
        f"SELECT lsoa_id, neighbourhood_id AS area_id FROM {membership} "
        f"UNION ALL SELECT l.id AS lsoa_id, l.parent_id AS area_id FROM {area} l "
        f"JOIN {area} n ON n.id = l.parent_id "
        f"WHERE l.area_type = 'lsoa' AND n.area_type = 'neighbourhood' "
        f"AND NOT EXISTS (SELECT 1 FROM {membership} x WHERE x.lsoa_id = l.id)"
    )


def area_edges_sql() -> str:
    """(parent_id, child_id) for both relations: the geographic hierarchy and
    neighbourhood membership, for walking between an LSOA and the areas containing it."""
    area, membership = _tables()
    return (
        f"SELECT parent_id, id AS child_id FROM {area} WHERE parent_id IS NOT NULL "
        f"UNION SELECT neighbourhood_id AS parent_id, lsoa_id AS child_id FROM {membership}"
    )


def parse_level(value: str | None, area: Area | None = None) -> str:
    """The level asked for; blank means the area's own level, else neighbourhoods."""
    if not value:
        if area is not None and area.area_type in LEVELS:
            return area.area_type
        return DEFAULT_LEVEL
    if value not in LEVELS:
        raise InvalidInput({"level": f"Choose one of: {', '.join(LEVELS)}."})
    return value


def parse_area(code: str | None) -> Area | None:
    """The area with this code (any type), or None when blank; 422 when unknown."""
    code = (code or "").strip()
    if not code:
        return None
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise InvalidInput({"area": f"No area has the code “{code[:40]}”."})
    return area


def areas_at_level(level: str, within: Area | None = None) -> dict[int, AreaInfo]:
    """{id: AreaInfo} for every area of `level`, or only those equal to or inside
    `within` (an area of any type). Weight and population come from the LSOAs."""
    lsoas = Area.objects.filter(area_type=AreaType.LSOA)
    if level == AreaType.LSOA:
        rows = lsoas.values_list("id", "code", "name", "imd_decile", "population_total")
        found = {
            pk: AreaInfo(pk, code, name, IMD_WEIGHT.get(decile, 1.0), population)
            for pk, code, name, decile, population in rows
        }
    else:
        found = _neighbourhoods(lsoas)
    if within is not None:
        inside = _lsoa_ids_within(within)
        if level == AreaType.LSOA:
            keep = set(inside)
        elif within.area_type == AreaType.NEIGHBOURHOOD:
            keep = {within.pk}
        else:
            # Neighbourhoods with any LSOA inside the area (patches may cross wards).

            neighbourhood_of = neighbourhood_ids_by_lsoa()
            keep = {neighbourhood_of[pk] for pk in inside if pk in neighbourhood_of}
        found = {pk: info for pk, info in found.items() if pk in keep}
    return found


def _neighbourhoods(lsoas) -> dict[int, AreaInfo]:

    neighbourhood_of = neighbourhood_ids_by_lsoa()
    weight_sum: dict[int, float] = {}
    people: dict[int, int] = {}
    counted: dict[int, int] = {}
    for pk, decile, population in lsoas.values_list("id", "imd_decile", "population_total"):
        hood = neighbourhood_of.get(pk)
        if hood is None:
            continue
        # Population-weighted mean of the LSOAs' weights (each LSOA 1 when unknown).
        share = population or 1
        weight_sum[hood] = weight_sum.get(hood, 0.0) + IMD_WEIGHT.get(decile, 1.0) * share
        counted[hood] = counted.get(hood, 0) + share
        if population is not None:
            people[hood] = people.get(hood, 0) + population
    rows = Area.objects.filter(area_type=AreaType.NEIGHBOURHOOD).values_list("id", "code", "name")
    return {
        pk: AreaInfo(
            pk,
            code,
            name,
            round(weight_sum[pk] / counted[pk], 3) if counted.get(pk) else 1.0,
            people.get(pk),
        )
        for pk, code, name in rows
    }


def _lsoa_ids_within(area: Area) -> list[int]:

    return list(lsoas_of(area).values_list("id", flat=True))

"""The demo's geography: Bolton's real LSOAs, boundaries and postcodes (ONS/OS open data,
loaded through `import-geography`), its made-up neighbourhoods, and synthetic IMD
deciles and populations.

The codes, names, centroids, boundaries and postcodes are real (places/data/README.md).
The IMD deciles and the populations by age band and sex are **made up** (seeded, so
the same every time; plausible for Bolton: about 296,000 residents, deprivation
concentrated in the inner east and south) and flagged `imd_is_synthetic` /
`population_is_synthetic`; importing the real files replaces them. Idempotent: only
what is missing is filled in, so an admin's neighbourhood edits and imported real
figures survive a re-run.
"""

import csv
import random
from collections import Counter
from pathlib import Path

from linkwork.demo import dataset
from linkwork.places.imports import Files, import_geography
from linkwork.places.models import (
    AGE_BANDS,
    Area,
    AreaPopulation,
    AreaType,
    NeighbourhoodMembership,
)
from linkwork.places.services import ensure_area

PLACES_DATA = Path(__file__).resolve().parent.parent / "places" / "data"
SEED = "linkwork-demo-places"

# Mean synthetic IMD decile of each demo neighbourhood (1 = most deprived).
DEPRIVATION_BY_NEIGHBOURHOOD = {
    "BOL-NBH-01": 1.8,  # Tonge and Breightmet
    "BOL-NBH-02": 1.5,  # Great Lever and Rumworth
    "BOL-NBH-03": 5.0,  # Halliwell and Heaton
    "BOL-NBH-04": 3.5,  # Farnworth and Kearsley
    "BOL-NBH-05": 7.5,  # Westhoughton and Horwich
}
BOROUGH_POPULATION = 296_000
# Share of residents in each of AGE_BANDS, for an average LSOA (roughly England's).
AGE_SHARES = (0.225, 0.08, 0.135, 0.13, 0.125, 0.125, 0.1, 0.058, 0.022)
# Share of each band that is female (women outlive men).
FEMALE_SHARES = (0.487, 0.49, 0.5, 0.505, 0.505, 0.51, 0.52, 0.56, 0.64)


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(PLACES_DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_geography() -> None:
    """Bolton, its demo neighbourhoods, the extract's LSOAs (with boundaries and centroids)
    and postcodes, neighbourhood memberships, and synthetic IMD and populations."""
    borough = ensure_area(area_type=AreaType.LOCAL_AUTHORITY, **dataset.LOCAL_AUTHORITY, by=None)
    neighbourhood_of_ward = {}
    for code, name, wards in dataset.NEIGHBOURHOODS:
        area = ensure_area(
            code=code,
            name=name,
            area_type=AreaType.NEIGHBOURHOOD,
            parent=borough,
            is_synthetic=True,
            by=None,
        )
        neighbourhood_of_ward.update(dict.fromkeys(wards, area))
    import_geography(
        Files(
            boundaries=str(PLACES_DATA / "bolton_lsoas.geojson"),
            postcodes=str(PLACES_DATA / "bolton_postcodes.csv"),
        ),
        vintage="2011",
        add_lsoas=True,
        by=None,
    )
    _place_lsoas(borough, neighbourhood_of_ward)
    _set_official_centroids()
    lsoas = list(Area.objects.filter(area_type=AreaType.LSOA, parent=borough).order_by("code"))
    _synthetic_deprivation(lsoas)
    _synthetic_population(lsoas)


def _place_lsoas(borough: Area, neighbourhood_of_ward: dict[str, Area]) -> None:
    """Each LSOA's parent is the borough; it joins the neighbourhood of the ward most of
    its demo postcodes are in, unless it is already in one."""
    wards_of_lsoa: dict[str, Counter] = {}
    for row in _read_csv("bolton_postcodes.csv"):
        wards_of_lsoa.setdefault(row["lsoa_code"], Counter())[row["ward_name"]] += 1
    lsoas = Area.objects.filter(area_type=AreaType.LSOA, code__in=list(wards_of_lsoa))
    lsoas.exclude(parent=borough).update(parent=borough)
    placed = set(NeighbourhoodMembership.objects.values_list("lsoa__code", flat=True))
    NeighbourhoodMembership.objects.bulk_create(
        NeighbourhoodMembership(
            neighbourhood=neighbourhood_of_ward[wards_of_lsoa[lsoa.code].most_common(1)[0][0]],
            lsoa=lsoa,
        )
        for lsoa in lsoas
        if lsoa.code not in placed
    )


def _set_official_centroids() -> None:
    """The ONS centroids from the extract (the boundaries file has none of its own)."""
    centroids = {
        row["lsoa_code"]: (float(row["latitude"]), float(row["longitude"]))
        for row in _read_csv("bolton_lsoas.csv")
    }
    changed = []
    for area in Area.objects.filter(area_type=AreaType.LSOA, code__in=list(centroids)):
        if (area.latitude, area.longitude) != centroids[area.code]:
            area.latitude, area.longitude = centroids[area.code]
            changed.append(area)
    Area.objects.bulk_update(changed, ["latitude", "longitude"])


def _synthetic_deprivation(lsoas: list[Area]) -> None:
    """A made-up IMD decile for each LSOA that has none, near its neighbourhood's mean."""
    neighbourhood_code = dict(
        NeighbourhoodMembership.objects.values_list("lsoa_id", "neighbourhood__code")
    )
    changed = []
    for lsoa in lsoas:
        if lsoa.imd_decile is not None:
            continue
        rng = random.Random(f"{SEED}:imd:{lsoa.code}")  # noqa: S311 (made-up data)
        mean = DEPRIVATION_BY_NEIGHBOURHOOD.get(neighbourhood_code.get(lsoa.pk), 4.0)
        lsoa.imd_decile = min(10, max(1, round(rng.gauss(mean, 1.8))))
        lsoa.imd_vintage, lsoa.imd_is_synthetic = "2019", True
        changed.append(lsoa)
    Area.objects.bulk_update(changed, ["imd_decile", "imd_vintage", "imd_is_synthetic"])


def synthetic_totals(codes: list[str]) -> dict[str, int]:
    """Made-up LSOA populations (1,200-2,300 each) scaled to add up to the borough's."""
    raw = {
        code: random.Random(f"{SEED}:pop:{code}").randint(1200, 2300)  # noqa: S311
        for code in codes
    }
    scale = BOROUGH_POPULATION / sum(raw.values())
    totals = {code: round(value * scale) for code, value in raw.items()}
    if totals:  # rounding: the last LSOA takes the difference
        totals[codes[-1]] += BOROUGH_POPULATION - sum(totals.values())
    return totals


def _shares(decile: int | None) -> list[float]:
    """Age shares for an LSOA: more children in deprived areas, more older people in
    less deprived ones."""
    tilt = ((decile or 5) - 5.5) / 4.5  # -1 (most deprived) .. +1 (least)
    shares = [
        share * (1 - 0.2 * tilt if band in ("0-17", "18-24", "25-34") else 1 + 0.25 * tilt)
        for share, band in zip(AGE_SHARES, AGE_BANDS, strict=True)
    ]
    return [share / sum(shares) for share in shares]


def _split(total: int, weights: list[float]) -> list[int]:
    """Whole numbers in proportion to the weights that add up to the total exactly."""
    exact = [total * weight for weight in weights]
    counts = [int(value) for value in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _synthetic_population(lsoas: list[Area]) -> None:
    """Made-up residents by age band and sex for LSOAs that have no population yet."""
    missing = [lsoa for lsoa in lsoas if lsoa.population_total is None]
    if not missing:
        return
    totals = synthetic_totals([lsoa.code for lsoa in lsoas])
    rows = []
    for lsoa in missing:
        lsoa.population_total = totals[lsoa.code]
        lsoa.population_vintage, lsoa.population_is_synthetic = "synthetic", True
        bands = _split(lsoa.population_total, _shares(lsoa.imd_decile))
        for band, count, female_share in zip(AGE_BANDS, bands, FEMALE_SHARES, strict=True):
            female = round(count * female_share)
            rows.append(AreaPopulation(area=lsoa, age_band=band, sex="female", count=female))
            rows.append(AreaPopulation(area=lsoa, age_band=band, sex="male", count=count - female))
    AreaPopulation.objects.filter(area__in=missing).delete()
    AreaPopulation.objects.bulk_create(rows)
    Area.objects.bulk_update(
        missing, ["population_total", "population_vintage", "population_is_synthetic"]
    )

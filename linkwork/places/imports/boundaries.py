"""LSOA boundaries from a GeoJSON FeatureCollection (ONS Open Geography Portal, in WGS84).

Properties are recognised whatever their case: LSOA21CD / LSOA11CD / lsoa_code for
the code, LSOA21NM / LSOA11NM / lsoa_name for the name, and the ONS centroid in
LAT / LONG (else the mean of the outer ring's vertices stands in). The geometry is
stored as given (already generalised), as compact JSON text on the Area. Each feature
is one record: checked whole, then written, or rejected with its reason.
Features for LSOAs not yet loaded are skipped unless `add_lsoas` is set.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from linkwork.places.imports.readers import GeographyFileError, lsoa_code_problem, update_rows
from linkwork.places.imports.report import FileReport
from linkwork.places.models import Area, AreaType

CODE_PROPERTIES = {"2011": ["lsoa11cd"], "2021": ["lsoa21cd"], None: ["lsoa_code", "code"]}
NAME_PROPERTIES = {"2011": ["lsoa11nm"], "2021": ["lsoa21nm"], None: ["lsoa_name", "name"]}


@dataclass(frozen=True)
class Feature:
    code: str
    name: str
    geometry_text: str
    latitude: float
    longitude: float
    # False when the file gave no centroid and the ring's mean stands in: then an LSOA
    # that already has a point (e.g. an ONS centroid) keeps it.
    centroid_given: bool = True


def read(path: str) -> list:
    """The features of the file; GeographyFileError when it is not a FeatureCollection."""
    try:
        with open(Path(path), encoding="utf-8-sig") as handle:
            document = json.load(handle)
    except OSError as error:
        raise GeographyFileError(f"Cannot read {path}: {error.strerror or error}.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise GeographyFileError(f"{path} is not valid GeoJSON: {error}.") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise GeographyFileError(f"{path} is not a GeoJSON FeatureCollection.")
    features = document.get("features")
    if not isinstance(features, list):
        raise GeographyFileError(f"{path} has no list of features.")
    return features


def choose_vintage(features: list, vintage: str | None, path: str) -> str | None:
    """The vintage the properties speak (LSOA11CD -> 2011), checked against --vintage."""
    keys = {
        key.lower()
        for feature in features[:50]
        if isinstance(feature, dict) and isinstance(feature.get("properties"), dict)
        for key in feature["properties"]
    }
    found = [v for v in ("2011", "2021") if CODE_PROPERTIES[v][0] in keys]
    if vintage and found and vintage not in found:
        raise GeographyFileError(
            f"{path} has {found[0]} LSOA codes (LSOA{found[0][2:]}CD), "
            f"not the {vintage} codes asked for."
        )
    if vintage:
        return vintage
    if len(found) == 2:
        raise GeographyFileError(
            f"{path} has both 2011 and 2021 LSOA codes: say which to use with --vintage."
        )
    if found:
        return found[0]
    if not keys & {"lsoa_code", "code"}:
        raise GeographyFileError(
            f"{path}: no LSOA code property (LSOA21CD, LSOA11CD or lsoa_code) in its features."
        )
    return None


def _property(properties: dict, names: list[str]) -> str:
    lowered = {str(key).lower(): value for key, value in properties.items()}
    for name in names:
        if lowered.get(name) not in (None, ""):
            return str(lowered[name]).strip()
    return ""


def _number(properties: dict, names: list[str]) -> float | None:
    try:
        return float(_property(properties, names))
    except ValueError:
        return None


def _rings(geometry: dict) -> list:
    """The polygons' rings, or ValueError saying what is wrong with the geometry."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates
    else:
        raise ValueError(f"geometry is {kind or 'missing'}, not a Polygon or MultiPolygon")
    if not isinstance(polygons, list) or not polygons:
        raise ValueError("geometry has no coordinates")
    rings = [ring for polygon in polygons for ring in (polygon or [None])]
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise ValueError("a ring has fewer than 4 positions")
        for position in ring:
            if not (
                isinstance(position, list)
                and len(position) >= 2
                and all(isinstance(n, int | float) for n in position[:2])
            ):
                raise ValueError("a position is not a pair of numbers")
            if not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90):
                raise ValueError(
                    "coordinates are not longitude/latitude: download the boundaries in "
                    "WGS84 (EPSG:4326), not British National Grid"
                )
    return rings


def _code_of(feature: object, vintage: str | None) -> str:
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        return ""
    return _property(
        feature["properties"], CODE_PROPERTIES.get(vintage, []) + CODE_PROPERTIES[None]
    )


def parse_feature(feature: object, vintage: str | None) -> Feature:
    """The feature as a record, or ValueError with the reason it is rejected."""
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        raise ValueError("not a GeoJSON feature with properties")
    properties = feature["properties"]
    code = _property(properties, CODE_PROPERTIES.get(vintage, []) + CODE_PROPERTIES[None])
    problem = lsoa_code_problem(code.upper())
    if problem:
        raise ValueError(problem)
    rings = _rings(feature.get("geometry"))
    latitude = _number(properties, ["lat", "latitude"])
    longitude = _number(properties, ["long", "longitude", "lon"])
    centroid_given = latitude is not None and longitude is not None
    if not centroid_given:
        outer = rings[0]
        latitude = sum(p[1] for p in outer) / len(outer)
        longitude = sum(p[0] for p in outer) / len(outer)
    return Feature(
        code=code.upper(),
        name=_property(properties, NAME_PROPERTIES.get(vintage, []) + NAME_PROPERTIES[None]),
        geometry_text=json.dumps(feature["geometry"], separators=(",", ":")),
        latitude=round(latitude, 6),
        longitude=round(longitude, 6),
        centroid_given=centroid_given,
    )


def import_boundaries(
    features: list,
    *,
    vintage: str | None,
    add_lsoas: bool,
    report: FileReport,
    progress: Callable[[FileReport], None],
    progress_every: int,
) -> None:
    """Store each LSOA's boundary and centroid (and name, for LSOAs named by their code)."""
    known = {
        code: (pk, name, boundary, latitude, longitude)
        for code, pk, name, boundary, latitude, longitude in Area.objects.filter(
            area_type=AreaType.LSOA
        ).values_list("code", "id", "name", "boundary_geojson", "latitude", "longitude")
    }
    others = set(Area.objects.exclude(area_type=AreaType.LSOA).values_list("code", flat=True))
    seen: set[str] = set()
    new: list[Area] = []
    changed: list[tuple] = []
    for number, raw in enumerate(features, start=1):
        code = _code_of(raw, vintage)
        where = f"feature {number} ({code})" if code else f"feature {number}"
        try:
            feature = parse_feature(raw, vintage)
        except ValueError as error:
            report.reject(where, str(error))
            continue
        if feature.code in seen:
            report.reject(where, "the LSOA appears twice in the file")
        elif feature.code in others:
            report.reject(where, "the code belongs to an area that is not an LSOA")
        elif feature.code in known:
            row = _changed(known[feature.code], feature)
            if row is None:
                report.unchanged += 1
            else:
                changed.append(row)
                report.updated += 1
        elif add_lsoas:
            new.append(_new_area(feature, vintage))
            report.loaded += 1
        else:
            report.skipped["LSOA not loaded in this deployment (add it with --add-lsoas)"] += 1
        seen.add(feature.code)
        if number % progress_every == 0:
            progress(report)
    # Every feature was checked whole above, so these writes hold only complete records.
    with transaction.atomic():
        Area.objects.bulk_create(new, batch_size=500)
        update_rows(Area, ["name", "boundary_geojson", "latitude", "longitude"], changed)


def _new_area(feature: Feature, vintage: str | None) -> Area:
    return Area(
        code=feature.code,
        name=(feature.name or feature.code)[:200],
        area_type=AreaType.LSOA,
        vintage=vintage or "",
        boundary_geojson=feature.geometry_text,
        latitude=feature.latitude,
        longitude=feature.longitude,
    )


def _changed(stored: tuple, feature: Feature) -> tuple | None:
    """(name, boundary, latitude, longitude, id) to write, or None when nothing changed.
    A name is taken only for an LSOA named by its code until now; a centroid worked out
    from the ring does not replace a point the LSOA already has."""
    pk, name, boundary, latitude, longitude = stored
    code = feature.code
    new_name = feature.name[:200] if feature.name and name == code else name
    if feature.centroid_given or latitude is None or longitude is None:
        latitude, longitude = feature.latitude, feature.longitude
    values = (new_name, feature.geometry_text, latitude, longitude)
    if values == (name, boundary, stored[3], stored[4]):
        return None
    return (*values, pk)

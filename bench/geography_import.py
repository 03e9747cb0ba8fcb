"""Geography import: how long `linkwork import-geography` takes, for the demo's Bolton
extract and for national-sized files in the ONS shapes (synthetic content).

National: 33,755 LSOA boundaries (small squares with LAT/LONG), IMD deciles and ONS
wide population rows (F0..F90, M0..M90) for each, and an ONSPD-shaped postcode file
(GEO_BENCH_POSTCODES rows, default 300,000; the real ONSPD has about 2.7 million, of
which about 1.8 million are live). Each import is run twice: the second run changes
nothing (idempotent) and shows the cost of checking.
"""

import csv
import json
import os
import random
import resource
import tempfile
import time
from pathlib import Path

from bench._setup import django_with_fresh_database

LSOAS = int(os.environ.get("GEO_BENCH_LSOAS", "33755"))
POSTCODES = int(os.environ.get("GEO_BENCH_POSTCODES", "300000"))
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _lsoa_code(i: int) -> str:
    return f"E0{1000000 + i:07d}"


def _write_files(folder: Path) -> dict[str, Path]:
    rng = random.Random(7)  # noqa: S311 (synthetic files)
    paths = {name: folder / name for name in ("lsoa.geojson", "onspd.csv", "imd.csv", "pop.csv")}
    features = []
    for i in range(LSOAS):
        lat, lon = 50.5 + (i // 200) * 0.02, -4.0 + (i % 200) * 0.03
        ring = [[lon, lat], [lon + 0.02, lat], [lon + 0.02, lat + 0.015], [lon, lat + 0.015]]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "LSOA21CD": _lsoa_code(i),
                    "LSOA21NM": f"Area {i // 5:04d}{'ABCDE'[i % 5]}",
                    "LAT": lat + 0.007,
                    "LONG": lon + 0.01,
                },
                "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
            }
        )
    paths["lsoa.geojson"].write_text(
        json.dumps({"type": "FeatureCollection", "features": features})
    )
    with open(paths["onspd.csv"], "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["pcd", "pcds", "doterm", "oslaua", "lsoa11", "lsoa21", "lat", "long"])
        for n in range(POSTCODES):
            i = n % LSOAS
            k = n // 4000  # 4,000 inward codes per district: every postcode is different
            district = f"{LETTERS[k % 20]}{LETTERS[k // 20 % 20]}{k // 400 + 1}"
            code = f"{district} {n % 10}{LETTERS[n // 10 % 20]}{LETTERS[n // 200 % 20]}"
            ended = "202001" if n % 3 == 2 else ""  # about a third terminated, as in ONSPD
            lat, lon = 50.5 + (i // 200) * 0.02 + 0.005, -4.0 + (i % 200) * 0.03 + 0.01
            out.writerow([code, code, ended, "E08000001", _lsoa_code(i), _lsoa_code(i), lat, lon])
    with open(paths["imd.csv"], "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "LSOA code (2021)",
                "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of "
                "LSOAs)",
            ]
        )
        out.writerows([_lsoa_code(i), i % 10 + 1] for i in range(LSOAS))
    with open(paths["pop.csv"], "w", newline="") as handle:
        out = csv.writer(handle)
        ages = [f"{sex}{age}" for sex in "FM" for age in range(91)]
        out.writerow(["LSOA 2021 Code", "Total", *ages])
        for i in range(LSOAS):
            counts = [rng.randint(5, 30) for _ in ages]
            out.writerow([_lsoa_code(i), sum(counts), *counts])
    return paths


def _timed(label: str, **files) -> None:
    from linkwork.places.imports import Files, import_geography

    for attempt in ("first run", "second run (unchanged)"):
        started = time.perf_counter()
        report = import_geography(Files(**files), add_lsoas=True, vintage="2021", by=None)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        counts = "; ".join(
            f"{r.kind}: {r.read:,} read, loaded {r.loaded:,}, updated {r.updated:,}, "
            f"unchanged {r.unchanged:,}, skipped {sum(r.skipped.values()):,}"
            for r in report.files
        )
        print(f"  {label}, {attempt}: {seconds:7.2f} s, peak process memory so far {peak:6.0f} MB")
        print(f"      {counts}")


def main() -> None:
    django_with_fresh_database()
    from django.db import connection

    from linkwork.demo.places import PLACES_DATA

    print(f"Geography import benchmark on {connection.vendor}")
    _timed(
        "Bolton extract (177 LSOAs, 202 postcodes)",
        boundaries=str(PLACES_DATA / "bolton_lsoas.geojson"),
        postcodes=str(PLACES_DATA / "bolton_postcodes.csv"),
    )
    with tempfile.TemporaryDirectory(prefix="linkwork-geo-") as folder:
        paths = _write_files(Path(folder))
        _timed(f"{LSOAS:,} LSOA boundaries", boundaries=str(paths["lsoa.geojson"]))
        _timed(f"{POSTCODES:,} ONSPD-shaped postcodes", postcodes=str(paths["onspd.csv"]))
        _timed(f"{LSOAS:,} IMD deciles", imd=str(paths["imd.csv"]))
        _timed(f"{LSOAS:,} LSOA populations (F0..M90)", population=str(paths["pop.csv"]))


if __name__ == "__main__":
    main()

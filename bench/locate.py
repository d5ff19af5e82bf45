"""How fast the in-memory spatial index locates points: in bulk and one at a time.

Run: .venv/bin/python bench/locate.py
Builds BoundaryIndex straight from synthetic cities of 100, 1,000 and 10,000
neighbourhoods (no database), then locates uniformly random points over each
city's rectangle with locate_many (1,000,000 points) and with locate (100,000,
one call each). About 5% of points fall in grid cells a border runs through and
take the exact (slower) path, as real look-ups would.
Targets: ≥ 1,000,000 points/s in bulk and < 15 µs per single look-up at 1,000.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

# The script's own folder goes first on sys.path, where bench/http.py would hide the
# standard library's http: put the project there instead.
sys.path[0] = str(Path(__file__).resolve().parent.parent)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beatbridge.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import shapely  # noqa: E402

from beatbridge.demo.synthetic import synthetic_city  # noqa: E402
from beatbridge.places.spatial import BoundaryIndex  # noqa: E402

SIZES = (100, 1_000, 10_000)
BULK_POINTS = 1_000_000
SINGLE_POINTS = 100_000


def main() -> None:
    print(
        f"machine: {os.cpu_count()} CPUs, {platform.machine()}, {platform.system()}; "
        f"Python {platform.python_version()}, shapely {shapely.__version__} "
        f"(GEOS {shapely.geos_version_string}), numpy {np.__version__}"
    )
    print(f"{'neighbourhoods':>14} {'build s':>8} {'bulk points/s':>14} {'single µs':>10}")
    for size in SIZES:
        city = synthetic_city(size, seed=1)
        rows = [(number, feature["geometry"]) for number, feature in enumerate(city["features"])]
        started = time.perf_counter()
        index = BoundaryIndex.build(None, rows)
        built = time.perf_counter() - started

        rng = np.random.default_rng(2)
        west, south, east, north = shapely.total_bounds(index.tree.geometries)
        latitudes = rng.uniform(south, north, BULK_POINTS)
        longitudes = rng.uniform(west, east, BULK_POINTS)

        started = time.perf_counter()
        index.locate_many(latitudes, longitudes)
        bulk_rate = BULK_POINTS / (time.perf_counter() - started)

        pairs = list(
            zip(
                latitudes[:SINGLE_POINTS].tolist(), longitudes[:SINGLE_POINTS].tolist(), strict=True
            )
        )
        locate = index.locate
        started = time.perf_counter()
        for latitude, longitude in pairs:
            locate(latitude, longitude)
        single_us = (time.perf_counter() - started) / SINGLE_POINTS * 1e6

        print(f"{size:>14,} {built:>8.2f} {bulk_rate:>14,.0f} {single_us:>10.2f}")


if __name__ == "__main__":
    main()

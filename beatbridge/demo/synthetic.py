"""Synthetic cities: made-up neighbourhood boundaries of any size, shaped like real data.

The city is a Voronoi tessellation of seeded random points, relaxed once so
neighbourhoods come out of similar size (about 2 km² each, like Seattle's), and
clipped to a rectangle: no overlaps, no gaps. A few neighbourhoods own a small
exclave cut out of a neighbour, so the data has MultiPolygons and holes as real
boundaries do. The same seed always gives the same city.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import shapely

from beatbridge.places.services import geojson_of

# Minneapolis, far from the Seattle demo city so the two never overlap.
DEFAULT_CENTRE = (44.9778, -93.2650)
_KM_PER_DEGREE = 111.32
_KM2_PER_NEIGHBOURHOOD = 2.0
_EXCLAVE_SHARE = 0.05

_PREFIXES = ["", "North ", "South ", "East ", "West ", "Upper ", "Lower ", "Old ", "New "]
_ROOTS = [
    "Oak", "Maple", "Cedar", "Ash", "Elm", "Birch", "Willow", "Alder", "Hazel", "Holly",
    "Mill", "Brook", "Stone", "River", "Lake", "Marsh", "Fair", "Green", "Red", "White",
    "Kings", "Queens", "Bishops", "Abbots", "Fox", "Hart", "Crow", "Lark", "Wren", "Heron",
    "Clay", "Sand", "Chalk", "Iron", "Copper", "Silver", "Sun", "Moor", "Bell", "Rose",
]  # fmt: skip
_SUFFIXES = [
    "field", "wood", "ton", "ham", "ford", "bury", "dale", "gate", "side", "view",
    "mont", "ridge", "hurst", "leigh", "well", "wick", " Park", " Heights", " Hill", " Green",
]  # fmt: skip
# A few names with accents, so search by name meets them as it does in real cities.
_ACCENTED = [
    "Beaulieu-sur-Rivière", "Château Park", "Montlake Café", "São Bento", "Peña Blanca",
    "Grünwald", "Côte Saint-Luc", "Łąki", "Ñuñoa Gardens", "Èze Terrace",
]  # fmt: skip
_COMPASS = {
    1: ["Central"],
    2: ["North-West", "North-East", "South-West", "South-East"],
    3: [
        "North-West", "North", "North-East", "West", "Central", "East",
        "South-West", "South", "South-East",
    ],
}  # fmt: skip


def synthetic_city(
    neighbourhoods: int, seed: int, *, centre: tuple[float, float] = DEFAULT_CENTRE
) -> dict:
    """A GeoJSON FeatureCollection of ``neighbourhoods`` tiling a rectangle around ``centre``.

    Each feature has the properties ``name`` (unique, and unique once made an id)
    and ``sector``. ``centre`` is (latitude, longitude).
    """
    if neighbourhoods < 1:
        raise ValueError("A city needs at least one neighbourhood.")
    rng = np.random.default_rng(seed)
    envelope = _envelope(neighbourhoods, centre)
    cells = _tessellate(envelope, neighbourhoods, rng)
    cells = _with_exclaves(cells, rng)
    names = _names(neighbourhoods, rng)
    sectors = _sectors(cells, envelope, neighbourhoods)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name, "sector": sector},
                "geometry": geojson_of(cell),
            }
            for cell, name, sector in zip(cells, names, sectors, strict=True)
        ],
    }


def _envelope(neighbourhoods: int, centre: tuple[float, float]) -> shapely.Polygon:
    latitude, longitude = centre
    side_km = math.sqrt(neighbourhoods * _KM2_PER_NEIGHBOURHOOD)
    half_height = side_km / 2 / _KM_PER_DEGREE
    half_width = half_height / math.cos(math.radians(latitude))
    return shapely.box(
        longitude - half_width,
        latitude - half_height,
        longitude + half_width,
        latitude + half_height,
    )


def _tessellate(
    envelope: shapely.Polygon, count: int, rng: np.random.Generator
) -> list[shapely.Polygon]:
    """Voronoi cells of random points in the envelope, once moved to their cells' centroids."""
    west, south, east, north = envelope.bounds
    points = rng.uniform((west, south), (east, north), size=(count, 2))
    for _relaxation in range(2):
        cells = _voronoi_cells(points, envelope)
        points = shapely.get_coordinates(shapely.centroid(cells))
    return list(_voronoi_cells(points, envelope))


def _voronoi_cells(points: np.ndarray, envelope: shapely.Polygon) -> np.ndarray:
    """The clipped cell of each point, in the points' order."""
    if len(points) == 1:
        return np.array([envelope])
    regions = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(points), extend_to=envelope)
    )
    # voronoi_polygons does not keep the input order: match each region to its point.
    tree = shapely.STRtree(regions)
    point_index, region_index = tree.query(shapely.points(points), predicate="intersects")
    owner = np.empty(len(points), dtype=np.int64)
    owner[point_index[::-1]] = region_index[::-1]
    cells = shapely.intersection(regions[owner], envelope)
    return shapely.set_precision(cells, 1e-7)


def _with_exclaves(cells: list[shapely.Polygon], rng: np.random.Generator) -> list:
    """Give a few neighbourhoods a small island cut from inside a neighbouring one."""
    tree = shapely.STRtree(cells)
    used: set[int] = set()
    for owner in rng.permutation(len(cells))[: round(len(cells) * _EXCLAVE_SHARE)].tolist():
        hosts = [
            host
            for host in tree.query(cells[owner], predicate="touches").tolist()
            if host not in used and host != owner
        ]
        if owner in used or not hosts:
            continue
        host = hosts[int(rng.integers(len(hosts)))]
        inside = cells[host].point_on_surface()
        radius = cells[host].exterior.distance(inside) / 3
        exclave = shapely.set_precision(inside.buffer(radius, quad_segs=3), 1e-7)
        if exclave.is_empty or not cells[host].contains(exclave):
            continue
        used.update((owner, host))
        cells[host] = cells[host].difference(exclave)
        cells[owner] = shapely.MultiPolygon([cells[owner], exclave])
    return cells


def _names(count: int, rng: np.random.Generator) -> list[str]:
    """Unique, plausible place names; numbered once the word list runs out."""
    parts = itertools.product(_PREFIXES, _ROOTS, _SUFFIXES)
    words = [*_ACCENTED, *(f"{prefix}{root}{suffix}" for prefix, root, suffix in parts)]
    names = [words[i] for i in rng.permutation(len(words))]
    numbered = (f"{words[i % len(words)]} {i // len(words) + 2}" for i in itertools.count())
    names += itertools.islice(numbered, max(0, count - len(names)))
    return names[:count]


def _sectors(cells: list, envelope: shapely.Polygon, neighbourhoods: int) -> list[str]:
    """Sector of each neighbourhood: the square of a grid over the city its centre falls in."""
    side = max(1, min(10, round(math.sqrt(neighbourhoods) / 4)))
    names = _COMPASS.get(side) or [f"District {n}" for n in range(1, side * side + 1)]
    west, south, east, north = envelope.bounds
    centres = shapely.get_coordinates(shapely.point_on_surface(cells))
    columns = np.clip(((centres[:, 0] - west) / (east - west) * side).astype(int), 0, side - 1)
    rows = np.clip(((north - centres[:, 1]) / (north - south) * side).astype(int), 0, side - 1)
    return [
        f"{names[row * side + column]} Sector" for row, column in zip(rows, columns, strict=True)
    ]

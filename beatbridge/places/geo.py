"""Distances on the ground, in metres, between points and from points to boundaries.

Good to a fraction of a percent over a city's extent: the haversine for point to point,
and a local flat projection (equirectangular, centred on the boundary) for a point's
distance to a polygon, which is what alerts and duplicates need.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import shape

EARTH_RADIUS_METRES = 6_371_000


Bounds = tuple[float, float, float, float]  # west, south, east, north (lon/lat degrees)


def grown_by(bounds: Bounds, metres: float) -> Bounds:
    """A lon/lat box grown on every side by at least ``metres`` on the ground: what a
    query filters on before measuring exactly."""
    west, south, east, north = bounds
    lat_pad = metres / (math.pi * EARTH_RADIUS_METRES / 180)
    widest = max(abs(south), abs(north))
    lng_pad = lat_pad / max(math.cos(math.radians(widest)), 0.01)
    return west - lng_pad, south - lat_pad, east + lng_pad, north + lat_pad


def distance_metres(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine) between two points."""
    return float(distances_metres(lat1, lng1, [lat2], [lng2])[0])


def distances_metres(
    latitude: float, longitude: float, latitudes: Sequence[float], longitudes: Sequence[float]
) -> np.ndarray:
    """Great-circle distances from one point to many, at once."""
    phi1 = math.radians(latitude)
    phi2 = np.radians(np.asarray(latitudes, dtype=float))
    dphi = phi2 - phi1
    dlambda = np.radians(np.asarray(longitudes, dtype=float) - longitude)
    a = np.sin(dphi / 2) ** 2 + math.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def distances_to_boundary(
    boundary: dict, latitudes: Sequence[float], longitudes: Sequence[float]
) -> np.ndarray:
    """Metres from each point to a GeoJSON (Multi)Polygon: 0 inside it."""
    geometry = shape(boundary)
    centre = geometry.centroid
    metres_per_degree_lat = math.pi * EARTH_RADIUS_METRES / 180
    metres_per_degree_lng = metres_per_degree_lat * math.cos(math.radians(centre.y))

    def project(coordinates: np.ndarray) -> np.ndarray:
        return np.column_stack(
            (
                (coordinates[:, 0] - centre.x) * metres_per_degree_lng,
                (coordinates[:, 1] - centre.y) * metres_per_degree_lat,
            )
        )

    projected = shapely.transform(geometry, project)
    points = shapely.points(
        project(np.column_stack((np.asarray(longitudes, float), np.asarray(latitudes, float))))
    )
    return shapely.distance(projected, points)


def buffered(geometry: shapely.Geometry, metres: float) -> shapely.Geometry:
    """The geometry (lon/lat) grown by ``metres`` on the ground on every side."""
    centre = geometry.centroid
    metres_per_degree_lat = math.pi * EARTH_RADIUS_METRES / 180
    metres_per_degree_lng = metres_per_degree_lat * math.cos(math.radians(centre.y))
    to_metres = np.array([metres_per_degree_lng, metres_per_degree_lat])
    origin = np.array([centre.x, centre.y])
    projected = shapely.transform(geometry, lambda xy: (xy - origin) * to_metres)
    return shapely.transform(projected.buffer(metres), lambda xy: xy / to_metres + origin)

"""Hotspot maps and repeat locations of an area, from the street-point counts.

The study area is the neighbourhoods chosen (all of the force's by default). A grid of
square cells is laid over it; a cell belongs to the area when its centre lies in one
of the neighbourhoods or it holds incidents. Gi* (``crimedata.hotspots``) then marks
each cell hot, cold or neither at 90, 95 and 99% confidence.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.db.models import Sum
from django.utils.translation import gettext as _

from beatbridge.crimedata.hotspots import Grid, default_cell_metres, gi_star
from beatbridge.crimedata.models import PointMonthlyCount
from beatbridge.errors import DomainError
from beatbridge.places.geo import EARTH_RADIUS_METRES
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.places.spatial import boundary_index

SMALLEST_CELL_METRES = 25
LARGEST_CELL_METRES = 5000
MOST_CELLS = 1_000_000
REPEAT_LOCATIONS = 10


@dataclass(frozen=True)
class HotspotCell:
    row: int
    column: int
    # west, south, east, north in degrees
    bounds: tuple[float, float, float, float]
    incidents: int
    z: float
    p: float
    # +99/+95/+90 hot, negatives cold, 0 neither.
    confidence: int
    # The street point with the most incidents in the cell, to name it by; "" if none.
    street: str = ""


@dataclass(frozen=True)
class RepeatLocation:
    point_id: int
    name: str
    latitude: float
    longitude: float
    incidents: int


@dataclass(frozen=True)
class HotspotMap:
    """Gi* over the area's grid: cells that hold incidents or are significant, by z."""

    first_month: datetime.date
    last_month: datetime.date
    category: str | None
    cell_metres: int
    radius: int
    rows: int
    columns: int
    area_cells: int
    incidents: int
    cells: list[HotspotCell]
    repeat_locations: list[RepeatLocation]
    # The outlines of the area's neighbourhoods, GeoJSON geometries, for drawing.
    outlines: list[dict]
    bounds: tuple[float, float, float, float]

    def significant(self, *, hot: bool = True) -> list[HotspotCell]:
        """Hot (or cold) cells at 90% confidence or more, strongest first."""
        chosen = [
            cell for cell in self.cells if (cell.confidence > 0 if hot else cell.confidence < 0)
        ]
        return sorted(chosen, key=lambda cell: -abs(cell.z))


def hotspot_map(
    *,
    force: Force,
    neighbourhoods: Sequence[Neighbourhood] = (),
    category: str | None,
    first_month: datetime.date,
    last_month: datetime.date,
    cell_metres: int | None = None,
    radius: int = 1,
) -> HotspotMap:
    """Gi* hotspots of the area over the months, for one category or all.

    Refuses (DomainError) a cell size outside 25-5,000 m (on ``cell``), a radius other
    than 1-3 (on ``radius``), and a grid of more than a million cells.
    """
    if not 1 <= radius <= 3:
        raise DomainError(_("The neighbourhood of a cell is 1, 2 or 3 cells wide."), field="radius")
    index = boundary_index()
    chosen = list(neighbourhoods) or list(Neighbourhood.objects.filter(force=force).only("pk"))
    geometries = [index.geometry_of(n.pk) for n in chosen]
    area = shapely.union_all([g for g in geometries if g is not None])
    if area.is_empty:
        raise DomainError(_("This force has no neighbourhoods to look in."), field="neighbourhood")
    bounds = tuple(float(value) for value in area.bounds)
    if cell_metres is None:
        cell_metres = default_cell_metres(_area_square_metres(area))
    if not SMALLEST_CELL_METRES <= cell_metres <= LARGEST_CELL_METRES:
        raise DomainError(
            _("Choose a cell size from %(least)d to %(most)d metres.")
            % {"least": SMALLEST_CELL_METRES, "most": LARGEST_CELL_METRES},
            field="cell",
        )
    grid = Grid.over(bounds, cell_metres)  # type: ignore[arg-type]
    if grid.cells > MOST_CELLS:
        raise DomainError(
            _("Cells this small make more than a million of them here: choose larger cells."),
            field="cell",
        )
    points = _point_totals(
        force, chosen if neighbourhoods else [], category, first_month, last_month
    )
    latitudes = np.array([row["point__latitude"] for row in points], dtype=np.float64)
    longitudes = np.array([row["point__longitude"] for row in points], dtype=np.float64)
    totals = np.array([row["total"] for row in points], dtype=np.float64)
    counts = grid.counts(latitudes, longitudes, totals)
    centre_latitudes, centre_longitudes = grid.centres()
    inside = shapely.contains_xy(area, centre_longitudes, centre_latitudes) | (counts > 0)
    result = gi_star(counts, mask=inside, radius=radius)
    shown = np.nonzero(inside & ((counts > 0) | (result.confidence != 0)))
    streets = _busiest_street_per_cell(grid, points, latitudes, longitudes)
    cells = [
        HotspotCell(
            row=int(row),
            column=int(column),
            bounds=grid.bounds_of(int(row), int(column)),
            incidents=int(counts[row, column]),
            z=round(float(result.z[row, column]), 4),
            p=float(result.p[row, column]),
            confidence=int(result.confidence[row, column]),
            street=streets.get((int(row), int(column)), ""),
        )
        for row, column in zip(*shown, strict=True)
    ]
    return HotspotMap(
        first_month=first_month,
        last_month=last_month,
        category=category,
        cell_metres=cell_metres,
        radius=radius,
        rows=grid.rows,
        columns=grid.columns,
        area_cells=int(inside.sum()),
        incidents=int(totals.sum()),
        cells=sorted(cells, key=lambda cell: -cell.z),
        repeat_locations=[
            RepeatLocation(
                point_id=row["point_id"],
                name=row["point__street_name"],
                latitude=row["point__latitude"],
                longitude=row["point__longitude"],
                incidents=int(row["total"]),
            )
            for row in points[:REPEAT_LOCATIONS]
        ],
        outlines=[shapely.geometry.mapping(g) for g in geometries if g is not None],
        bounds=bounds,  # type: ignore[arg-type]
    )


def _busiest_street_per_cell(
    grid: Grid, points: list[dict], latitudes: np.ndarray, longitudes: np.ndarray
) -> dict[tuple[int, int], str]:
    """Each cell's busiest street point's name (``points`` come busiest first)."""
    rows, columns, inside = grid.cell_of(latitudes, longitudes)
    streets: dict[tuple[int, int], str] = {}
    for point, row, column, on_grid in zip(points, rows, columns, inside, strict=True):
        if on_grid:
            streets.setdefault((int(row), int(column)), point["point__street_name"])
    return streets


def _point_totals(
    force: Force,
    neighbourhoods: Sequence[Neighbourhood],
    category: str | None,
    first_month: datetime.date,
    last_month: datetime.date,
) -> list[dict]:
    """Incidents per street point over the months, most first."""
    counts = PointMonthlyCount.objects.filter(
        force=force, month__gte=first_month, month__lte=last_month
    )
    if neighbourhoods:
        counts = counts.filter(neighbourhood__in=neighbourhoods)
    if category:
        counts = counts.filter(category=category)
    return list(
        counts.values("point_id", "point__latitude", "point__longitude", "point__street_name")
        .annotate(total=Sum("incidents"))
        .order_by("-total", "point_id")
    )


def _area_square_metres(area: shapely.Geometry) -> float:
    _west, south, _east, north = area.bounds
    per_degree = np.pi * EARTH_RADIUS_METRES / 180
    scale = per_degree * per_degree * np.cos(np.radians((south + north) / 2))
    return float(area.area * scale)


def as_geojson(found: HotspotMap) -> dict[str, Any]:
    """The map as a GeoJSON FeatureCollection of cells, with what was computed beside it."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [cell.bounds[0], cell.bounds[1]],
                            [cell.bounds[2], cell.bounds[1]],
                            [cell.bounds[2], cell.bounds[3]],
                            [cell.bounds[0], cell.bounds[3]],
                            [cell.bounds[0], cell.bounds[1]],
                        ]
                    ],
                },
                "properties": {
                    "row": cell.row,
                    "column": cell.column,
                    "incidents": cell.incidents,
                    "z": cell.z,
                    "p": cell.p,
                    "confidence": cell.confidence,
                },
            }
            for cell in found.cells
        ],
        "metadata": {
            "first_month": found.first_month.strftime("%Y-%m"),
            "last_month": found.last_month.strftime("%Y-%m"),
            "category": found.category,
            "cell_metres": found.cell_metres,
            "radius": found.radius,
            "rows": found.rows,
            "columns": found.columns,
            "area_cells": found.area_cells,
            "incidents": found.incidents,
            "method": "Getis-Ord Gi* (star), binary weights, cells within radius each way",
        },
        "repeat_locations": [
            {
                "id": location.point_id,
                "name": location.name,
                "latitude": location.latitude,
                "longitude": location.longitude,
                "incidents": location.incidents,
            }
            for location in found.repeat_locations
        ],
    }

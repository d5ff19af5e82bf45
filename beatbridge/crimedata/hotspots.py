"""Hotspots: the Getis-Ord Gi* statistic over a regular grid of incident counts.

Gi* asks of every cell whether it and its neighbours together hold more incidents
than chance would put there, given the whole study area (Getis & Ord, 1992; Ord &
Getis, 1995). Neighbours are the cells within ``radius`` cells each way (for 1, the
eight around it: queen contiguity), the cell itself included (the "star"), with
binary weights; a cell outside the study area (the mask) is neither an observation
nor anyone's neighbour. For cell i, with x the counts, n the cells of the area,
x̄ their mean, S their standard deviation and W_i the number of cells in its window:

    z_i = (Σ_j w_ij x_j - x̄ W_i) / (S √((n W_i - W_i²) / (n - 1)))

which is the z-score PySAL's ``esda.G_Local(star=True)`` reports as ``Zs``; the
tests check the two agree. Window sums come from a summed-area table, so the whole
grid costs a few array passes, whatever the radius.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from beatbridge.places.geo import EARTH_RADIUS_METRES

# Two-sided z thresholds of the 99%, 95% and 90% confidence classes.
CONFIDENCE_LEVELS = ((99, 2.5758), (95, 1.9600), (90, 1.6449))
# Cell sizes offered, in metres; the default is the one giving the area about this many cells.
CELL_SIZES = (50, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500, 2000)
_TARGET_CELLS = 4000


@dataclass(frozen=True)
class GiStar:
    """Per cell of the grid: the z-score, its two-sided p-value and its confidence class.

    ``confidence`` is +99/+95/+90 for a hot spot at that level, the negatives for a
    cold spot and 0 otherwise; cells outside the mask have z = 0, p = 1.
    """

    z: np.ndarray
    p: np.ndarray
    confidence: np.ndarray


def gi_star(counts: np.ndarray, *, mask: np.ndarray | None = None, radius: int = 1) -> GiStar:
    """Gi* of every cell of a 2-D grid of counts; see the module docstring."""
    if radius < 1:
        raise ValueError("radius must be at least 1")
    inside = np.ones(counts.shape, dtype=bool) if mask is None else mask.astype(bool)
    values = np.where(inside, counts, 0).astype(np.float64)
    cells = int(inside.sum())
    z = np.zeros(counts.shape, dtype=np.float64)
    if cells > 1:
        mean = values.sum() / cells
        spread = math.sqrt(max((values**2).sum() / cells - mean**2, 0.0))
        weights = _window_sums(inside.astype(np.float64), radius)
        sums = _window_sums(values, radius)
        if spread > 0:
            variance = (cells * weights - weights**2) / (cells - 1)
            with np.errstate(divide="ignore", invalid="ignore"):
                z = (sums - mean * weights) / (spread * np.sqrt(variance))
            # A window covering the whole area has no variance: nothing to test.
            z = np.where(inside & (variance > 0), z, 0.0)
    p = np.where(inside, 2 * ndtr(-np.abs(z)), 1.0)
    return GiStar(z=z, p=p, confidence=confidence_classes(z))


def confidence_classes(z: np.ndarray) -> np.ndarray:
    """+99/+95/+90 (hot), the negatives (cold) or 0, from two-sided z thresholds."""
    levels = np.zeros(z.shape, dtype=np.int8)
    magnitude = np.abs(z)
    for level, threshold in reversed(CONFIDENCE_LEVELS):
        levels = np.where(magnitude >= threshold, np.int8(level), levels)
    return (levels * np.sign(z)).astype(np.int8)


def _window_sums(grid: np.ndarray, radius: int) -> np.ndarray:
    """The sum over each cell's (2r+1)² window, cells beyond the edge counting nothing."""
    rows, columns = grid.shape
    table = np.zeros((rows + 1, columns + 1), dtype=np.float64)
    table[1:, 1:] = grid.cumsum(axis=0).cumsum(axis=1)
    top = np.clip(np.arange(rows) - radius, 0, rows)
    bottom = np.clip(np.arange(rows) + radius + 1, 0, rows)
    left = np.clip(np.arange(columns) - radius, 0, columns)
    right = np.clip(np.arange(columns) + radius + 1, 0, columns)
    return (
        table[np.ix_(bottom, right)]
        - table[np.ix_(top, right)]
        - table[np.ix_(bottom, left)]
        + table[np.ix_(top, left)]
    )


@dataclass(frozen=True)
class Grid:
    """A regular grid of square cells laid over a lon/lat box, ``metres`` on a side.

    Cell (row, column) counts rows north from the south edge. Near a city, a local
    flat projection keeps cells square on the ground to well under a percent.
    """

    west: float
    south: float
    metres: float
    rows: int
    columns: int
    metres_per_degree_lng: float

    @classmethod
    def over(cls, bounds: tuple[float, float, float, float], metres: float) -> Grid:
        west, south, east, north = bounds
        per_degree_lat = math.pi * EARTH_RADIUS_METRES / 180
        per_degree_lng = per_degree_lat * math.cos(math.radians((south + north) / 2))
        columns = max(1, math.ceil((east - west) * per_degree_lng / metres))
        rows = max(1, math.ceil((north - south) * per_degree_lat / metres))
        return cls(west, south, metres, rows, columns, per_degree_lng)

    @property
    def _degrees_lat(self) -> float:
        return self.metres / (math.pi * EARTH_RADIUS_METRES / 180)

    @property
    def _degrees_lng(self) -> float:
        return self.metres / self.metres_per_degree_lng

    def cell_of(self, latitudes: np.ndarray, longitudes: np.ndarray) -> tuple[np.ndarray, ...]:
        """(rows, columns, inside) of points: inside is False for points off the grid."""
        rows = np.floor((np.asarray(latitudes) - self.south) / self._degrees_lat).astype(np.int64)
        columns = np.floor((np.asarray(longitudes) - self.west) / self._degrees_lng).astype(
            np.int64
        )
        inside = (rows >= 0) & (rows < self.rows) & (columns >= 0) & (columns < self.columns)
        return rows, columns, inside

    def counts(
        self, latitudes: np.ndarray, longitudes: np.ndarray, weights: np.ndarray
    ) -> np.ndarray:
        """The grid of summed ``weights`` (incidents) of the points in each cell."""
        rows, columns, inside = self.cell_of(latitudes, longitudes)
        flat = rows[inside] * self.columns + columns[inside]
        totals = np.bincount(
            flat, weights=np.asarray(weights, dtype=np.float64)[inside], minlength=self.cells
        )
        return totals.reshape(self.rows, self.columns)

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Latitudes and longitudes of every cell's centre, as (rows, columns) arrays."""
        rows, columns = np.mgrid[0 : self.rows, 0 : self.columns]
        return (
            self.south + (rows + 0.5) * self._degrees_lat,
            self.west + (columns + 0.5) * self._degrees_lng,
        )

    def bounds_of(self, row: int, column: int) -> tuple[float, float, float, float]:
        """(west, south, east, north) of one cell."""
        west = self.west + column * self._degrees_lng
        south = self.south + row * self._degrees_lat
        return west, south, west + self._degrees_lng, south + self._degrees_lat


def default_cell_metres(area_square_metres: float) -> int:
    """The offered cell size that gives an area of this size closest to a few thousand cells."""
    if area_square_metres <= 0:
        return CELL_SIZES[0]
    ideal = math.sqrt(area_square_metres / _TARGET_CELLS)
    return min(CELL_SIZES, key=lambda size: abs(math.log(size / ideal)))

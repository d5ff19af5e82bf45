"""The in-process spatial index of neighbourhood boundaries.

Each process builds the index once and rebuilds it when the BoundaryRevision
token in the database has moved on, so an import seen by one process reaches
every other process at its next look-up. Beside each boundary the index keeps the
neighbourhood's force id, code and name, so a look-up needs no row.

A look-up first reads a grid laid over all boundaries: most cells lie wholly
inside one neighbourhood (or outside all), and answer at once, with no geometry
call. A cell that a boundary runs through keeps the short list of boundaries
that reach into it, and only those are tested exactly. A cell is "decided" only
when no boundary comes within a small margin of it, so the grid never answers
differently from an exact test against every boundary.
"""

from __future__ import annotations

import math
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import shapely
from django.db import connection
from shapely.geometry import shape

from beatbridge.places.models import BoundaryRevision, Neighbourhood

_OUTSIDE = -1
# Cells a boundary runs through hold _UNDECIDED - k, k being their slot in the candidate lists.
_UNDECIDED = -2
# Cells along the longer side of the grid per √(neighbourhood), and the most cells in all.
_CELLS_PER_ROOT = 64
_MAX_CELLS = 4_000_000
# In cell widths: a boundary this close to a cell makes it undecided, far more than the
# rounding error of computing a point's cell.
_MARGIN = 1e-6


@dataclass(frozen=True)
class _Grid:
    west: float
    south: float
    scale: float  # cells per degree
    columns: int
    rows: int
    # Per cell: the tree position of the one neighbourhood covering it, _OUTSIDE, or a slot.
    cells: np.ndarray
    # Slot k's candidates, ascending tree positions: candidates[offsets[k]:offsets[k + 1]].
    offsets: np.ndarray
    candidates: np.ndarray
    candidate_geometries: np.ndarray
    # The same arrays read as Python ints, for the one-point look-up.
    cell_list: memoryview = field(repr=False)
    offset_list: memoryview = field(repr=False)
    candidate_list: memoryview = field(repr=False)


@dataclass(frozen=True)
class NeighbourhoodRef:
    """What names a neighbourhood in a link or an answer, held in the index beside its boundary.

    It changes only with a new BoundaryRevision, so every write that renames a
    neighbourhood, changes its id or its force's id, or deletes one marks the boundaries
    changed.
    """

    id: int
    force_id: int
    force_slug: str
    code: str
    name: str


@dataclass(frozen=True)
class BoundaryIndex:
    """Boundaries in ascending neighbourhood id, with a tree and a grid over them.

    Make one with ``build``; the grid is what makes ``locate`` fast.
    """

    revision: uuid.UUID | None
    ids: np.ndarray
    tree: shapely.STRtree
    _id_list: list[int] = field(repr=False, default_factory=list)
    _grid: _Grid | None = field(repr=False, default=None)
    _refs: dict[int, NeighbourhoodRef] = field(repr=False, default_factory=dict)

    @classmethod
    def build(
        cls,
        revision: uuid.UUID | None,
        rows: list[tuple[int, dict]],
        refs: Iterable[NeighbourhoodRef] = (),
    ) -> BoundaryIndex:
        rows = sorted(rows, key=lambda row: row[0])
        geometries = np.array([shape(boundary) for _id, boundary in rows], dtype=object)
        shapely.prepare(geometries)
        tree = shapely.STRtree(geometries)
        ids = np.array([row_id for row_id, _b in rows], dtype=np.int64)
        return cls(
            revision=revision,
            ids=ids,
            tree=tree,
            _id_list=ids.tolist(),
            _grid=_build_grid(tree, geometries),
            _refs={ref.id: ref for ref in refs},
        )

    def ref_of(self, neighbourhood_id: int) -> NeighbourhoodRef | None:
        """The indexed force id, code and name of a neighbourhood; None if not indexed."""
        return self._refs.get(neighbourhood_id)

    def ids_intersecting(self, geometry: shapely.Geometry) -> list[int]:
        """The ids of the neighbourhoods whose boundaries' boxes meet ``geometry``'s box."""
        return sorted(self.ids[self.tree.query(geometry)].tolist())

    def locate(self, latitude: float, longitude: float) -> int | None:
        """The id of the neighbourhood covering the point; the lowest id on a shared border."""
        grid = self._grid
        if grid is None:
            return None
        column = (longitude - grid.west) * grid.scale
        row = (latitude - grid.south) * grid.scale
        # Written so that NaN fails too.
        if not (0 <= column <= grid.columns and 0 <= row <= grid.rows):
            return None
        cell = grid.cell_list[
            min(int(row), grid.rows - 1) * grid.columns + min(int(column), grid.columns - 1)
        ]
        if cell >= 0:
            return self._id_list[cell]
        if cell == _OUTSIDE:
            return None
        start, end = grid.offset_list[_UNDECIDED - cell], grid.offset_list[_UNDECIDED - cell + 1]
        hits = shapely.intersects_xy(grid.candidate_geometries[start:end], longitude, latitude)
        (found,) = np.nonzero(hits)
        return self._id_list[grid.candidate_list[start + int(found[0])]] if found.size else None

    def locate_many(self, latitudes: np.ndarray, longitudes: np.ndarray) -> np.ndarray:
        """Ids for many points at once; -1 where a point is outside every neighbourhood."""
        latitudes = np.asarray(latitudes, dtype=np.float64)
        longitudes = np.asarray(longitudes, dtype=np.float64)
        result = np.full(latitudes.shape, -1, dtype=np.int64)
        grid = self._grid
        if grid is None:
            return result
        columns = (longitudes - grid.west) * grid.scale
        rows = (latitudes - grid.south) * grid.scale
        within = (columns >= 0) & (columns <= grid.columns) & (rows >= 0) & (rows <= grid.rows)
        (points,) = np.nonzero(within)
        cell_index = np.minimum(rows[points].astype(np.int64), grid.rows - 1) * grid.columns
        cell_index += np.minimum(columns[points].astype(np.int64), grid.columns - 1)
        cells = grid.cells[cell_index]
        decided = cells >= 0
        result[points[decided]] = self.ids[cells[decided]]
        undecided = cells <= _UNDECIDED
        exact, slots = points[undecided], _UNDECIDED - cells[undecided].astype(np.int64)
        # Pair every such point with each candidate of its cell, test all pairs at once.
        starts, counts = grid.offsets[slots], grid.offsets[slots + 1] - grid.offsets[slots]
        pair_point = np.repeat(np.arange(exact.size), counts)
        pair_candidate = np.arange(counts.sum()) + np.repeat(
            starts - np.cumsum(counts) + counts, counts
        )
        hits = shapely.intersects_xy(
            grid.candidate_geometries[pair_candidate],
            longitudes[exact][pair_point],
            latitudes[exact][pair_point],
        )
        lowest = np.full(exact.size, len(self.ids), dtype=np.int64)
        np.minimum.at(lowest, pair_point[hits], grid.candidates[pair_candidate[hits]])
        found = lowest < len(self.ids)
        result[exact[found]] = self.ids[lowest[found]]
        return result

    def geometry_of(self, neighbourhood_id: int) -> shapely.Geometry | None:
        """The indexed boundary of one neighbourhood, or None if it is not in the index."""
        position = int(np.searchsorted(self.ids, neighbourhood_id))
        if position < len(self.ids) and self.ids[position] == neighbourhood_id:
            return self.tree.geometries[position]
        return None

    def touching(self, geometry: shapely.Geometry) -> list[int]:
        """Ids of the boundaries that touch or overlap the geometry, ascending."""
        return self.ids[np.sort(self.tree.query(geometry, predicate="intersects"))].tolist()


def _build_grid(tree: shapely.STRtree, geometries: np.ndarray) -> _Grid | None:
    """Mark cells that a boundary runs through undecided, and find the rest's neighbourhood.

    Boundaries are cut into pieces shorter than half a cell, so each piece lies in
    the box of its two ends' cells; those cells are undecided. Any other cell is
    crossed by no boundary, and neither is a run of such cells along a row, so the
    whole run shares its answer: one exact look-up per run fills it.
    """
    if len(geometries) == 0:
        return None
    west, south, east, north = shapely.total_bounds(geometries)
    width, height = max(east - west, 1e-9), max(north - south, 1e-9)
    long_side = min(_CELLS_PER_ROOT * math.ceil(math.sqrt(len(geometries))), math.isqrt(_MAX_CELLS))
    scale = long_side / max(width, height)
    columns = max(1, math.ceil(width * scale))
    rows = max(1, math.ceil(height * scale))
    cells = np.full(rows * columns, _OUTSIDE, dtype=np.int32)

    rings = shapely.segmentize(shapely.get_rings(shapely.get_parts(geometries)), 0.5 / scale)
    coordinates, ring_of = shapely.get_coordinates(rings, return_index=True)
    x = (coordinates[:, 0] - west) * scale
    y = (coordinates[:, 1] - south) * scale
    same_ring = ring_of[1:] == ring_of[:-1]
    x0, x1 = np.minimum(x[:-1], x[1:])[same_ring], np.maximum(x[:-1], x[1:])[same_ring]
    y0, y1 = np.minimum(y[:-1], y[1:])[same_ring], np.maximum(y[:-1], y[1:])[same_ring]
    first_column = np.clip(np.floor(x0 - _MARGIN), 0, columns - 1).astype(np.int64)
    last_column = np.clip(np.floor(x1 + _MARGIN), 0, columns - 1).astype(np.int64)
    first_row = np.clip(np.floor(y0 - _MARGIN), 0, rows - 1).astype(np.int64)
    last_row = np.clip(np.floor(y1 + _MARGIN), 0, rows - 1).astype(np.int64)
    # A piece shorter than half a cell spans at most three cells each way (with the margin).
    for step_row in range(3):
        for step_column in range(3):
            row = first_row + step_row
            column = first_column + step_column
            reached = (row <= last_row) & (column <= last_column)
            cells[row[reached] * columns + column[reached]] = _UNDECIDED

    grid_rows = cells.reshape(rows, columns)
    open_cells = grid_rows == _OUTSIDE
    starts = open_cells.copy()
    starts[:, 1:] &= ~open_cells[:, :-1]
    start_rows, start_columns = np.nonzero(starts)
    centres = shapely.points(
        west + (start_columns + 0.5) / scale, south + (start_rows + 0.5) / scale
    )
    point_index, tree_index = tree.query(centres, predicate="intersects")
    run_answer = np.full(len(centres), len(geometries), dtype=np.int32)
    np.minimum.at(run_answer, point_index, tree_index.astype(np.int32))
    run_answer[run_answer == len(geometries)] = _OUTSIDE
    run_of_cell = np.cumsum(starts.ravel()) - 1
    open_flat = open_cells.ravel()
    cells[open_flat] = run_answer[run_of_cell[open_flat]]
    offsets, candidates = _candidates_of_undecided(cells, tree, west, south, scale, columns)
    return _Grid(
        west=float(west),
        south=float(south),
        scale=float(scale),
        columns=columns,
        rows=rows,
        cells=cells,
        offsets=offsets,
        candidates=candidates,
        candidate_geometries=geometries[candidates],
        cell_list=memoryview(cells),
        offset_list=memoryview(offsets),
        candidate_list=memoryview(candidates),
    )


def _candidates_of_undecided(
    cells: np.ndarray,
    tree: shapely.STRtree,
    west: float,
    south: float,
    scale: float,
    columns: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Number the undecided cells and list the boundaries reaching into each, ascending.

    The cells are widened by the margin, so a point that rounding puts in a
    neighbouring cell still meets every boundary it could lie in.
    """
    (undecided,) = np.nonzero(cells == _UNDECIDED)
    cells[undecided] = _UNDECIDED - np.arange(undecided.size, dtype=np.int32)
    rows, columns_of = np.divmod(undecided, columns)
    margin = _MARGIN / scale
    boxes = shapely.box(
        west + columns_of / scale - margin,
        south + rows / scale - margin,
        west + (columns_of + 1) / scale + margin,
        south + (rows + 1) / scale + margin,
    )
    box_index, tree_index = tree.query(boxes, predicate="intersects")
    order = np.lexsort((tree_index, box_index))
    offsets = np.zeros(undecided.size + 1, dtype=np.int64)
    np.cumsum(np.bincount(box_index, minlength=undecided.size), out=offsets[1:])
    return offsets, tree_index[order].astype(np.int64)


_token_field = BoundaryRevision._meta.get_field("token")
# The table name comes from the model, never from input.
_REVISION_SQL = f"SELECT token FROM {BoundaryRevision._meta.db_table} WHERE id = 1"  # noqa: S608
_lock = threading.Lock()
_index: BoundaryIndex | None = None


def current_revision() -> uuid.UUID | None:
    """The token of the last boundary change, None before the first.

    Every look-up asks, so it is one statement on an open cursor: the ORM's query
    building would cost more than the query itself.
    """
    with connection.cursor() as cursor:
        cursor.execute(_REVISION_SQL)
        row = cursor.fetchone()
    return _token_field.to_python(row[0]) if row else None


def boundary_index() -> BoundaryIndex:
    """This process's index, rebuilt first if boundaries have changed since it was built."""
    global _index
    revision = current_revision()
    index = _index
    if index is not None and index.revision == revision:
        return index
    with _lock:
        if _index is None or _index.revision != revision:
            rows = list(
                Neighbourhood.objects.values_list(
                    "pk", "boundary", "force_id", "force__slug", "code", "name"
                )
            )
            _index = BoundaryIndex.build(
                revision,
                [(pk, boundary) for pk, boundary, *_ref in rows],
                [NeighbourhoodRef(pk, *ref) for pk, _boundary, *ref in rows],
            )
        return _index


def locate_ref(latitude: float, longitude: float) -> NeighbourhoodRef | None:
    """The indexed reference of the neighbourhood covering the point, without a row read."""
    index = boundary_index()
    neighbourhood_id = index.locate(latitude, longitude)
    return None if neighbourhood_id is None else index.ref_of(neighbourhood_id)

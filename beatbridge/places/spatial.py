"""The in-process spatial index of neighbourhood boundaries (shapely STRtree).

Each process builds the index once and rebuilds it when the BoundaryRevision
token in the database has moved on, so an import seen by one process reaches
every other process at its next look-up.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape

from beatbridge.places.models import BoundaryRevision, Neighbourhood


@dataclass(frozen=True)
class BoundaryIndex:
    """Boundaries in ascending neighbourhood id, with a tree over them."""

    revision: uuid.UUID | None
    ids: np.ndarray
    tree: shapely.STRtree

    @classmethod
    def build(cls, revision: uuid.UUID | None, rows: list[tuple[int, dict]]) -> BoundaryIndex:
        rows = sorted(rows, key=lambda row: row[0])
        geometries = [shape(boundary) for _id, boundary in rows]
        for geometry in geometries:
            shapely.prepare(geometry)
        return cls(
            revision=revision,
            ids=np.array([row_id for row_id, _b in rows], dtype=np.int64),
            tree=shapely.STRtree(geometries),
        )

    def locate(self, latitude: float, longitude: float) -> int | None:
        """The id of the neighbourhood covering the point; the lowest id on a shared border."""
        hits = self.tree.query(shapely.Point(longitude, latitude), predicate="intersects")
        if hits.size == 0:
            return None
        return int(self.ids[hits.min()])

    def locate_many(self, latitudes: np.ndarray, longitudes: np.ndarray) -> np.ndarray:
        """Ids for many points at once; -1 where a point is outside every neighbourhood."""
        points = shapely.points(longitudes, latitudes)
        point_index, tree_index = self.tree.query(points, predicate="intersects")
        result = np.full(len(points), -1, dtype=np.int64)
        if point_index.size:
            # Visit hits from the highest tree position down so the lowest id is written last.
            order = np.lexsort((-tree_index, point_index))
            result[point_index[order]] = self.ids[tree_index[order]]
        return result


_lock = threading.Lock()
_index: BoundaryIndex | None = None


def current_revision() -> uuid.UUID | None:
    return BoundaryRevision.objects.filter(pk=1).values_list("token", flat=True).first()


def boundary_index() -> BoundaryIndex:
    """This process's index, rebuilt first if boundaries have changed since it was built."""
    global _index
    revision = current_revision()
    index = _index
    if index is not None and index.revision == revision:
        return index
    with _lock:
        if _index is None or _index.revision != revision:
            rows = list(Neighbourhood.objects.values_list("pk", "boundary"))
            _index = BoundaryIndex.build(revision, rows)
        return _index


def locate_point(latitude: float, longitude: float) -> int | None:
    return boundary_index().locate(latitude, longitude)

"""Writes for places: boundaries and the revision that invalidates every spatial index."""

from __future__ import annotations

import uuid

from beatbridge.places.models import BoundaryRevision


def mark_boundaries_changed() -> None:
    """Tell every process to rebuild its spatial index; call inside the changing transaction."""
    BoundaryRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4()})

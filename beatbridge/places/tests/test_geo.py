"""Distances on the ground and the boxes queries filter on before measuring."""

from __future__ import annotations

import pytest

from beatbridge.places.geo import distance_metres, grown_by


@pytest.mark.parametrize("latitude", [0.0, 47.6, -60.0])
def test_a_grown_box_holds_every_point_that_far_away(latitude):
    box = grown_by((10.0, latitude, 10.0, latitude), 1000)
    west, south, east, north = box
    # The box's edges are at least 1 km from the point, east-west as north-south.
    assert distance_metres(latitude, 10.0, north, 10.0) >= 999
    assert distance_metres(latitude, 10.0, south, 10.0) >= 999
    assert distance_metres(latitude, 10.0, latitude, east) >= 999
    assert distance_metres(latitude, 10.0, latitude, west) >= 999
    # And not wildly more: a query on it stays narrow.
    assert distance_metres(latitude, 10.0, latitude, east) < 1100

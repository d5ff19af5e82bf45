from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely

from beatbridge.demo.synthetic import synthetic_city
from beatbridge.places import selectors, services
from beatbridge.places.spatial import BoundaryIndex, boundary_index
from beatbridge.places.tests.factories import ForceFactory, NeighbourhoodFactory, square


def located(latitude: float, longitude: float) -> int | None:
    """The id of the neighbourhood found at the point, or None."""
    found = selectors.locate_neighbourhood_ref(latitude, longitude)
    return None if found is None else found.id


SEATTLE = Path(__file__).resolve().parents[2] / "demo" / "data" / "seattle.geojson"

# A 0.03° square with a 0.01° hole in the middle, and the island that fills the hole.
RING = [[-122.33, 47.60], [-122.30, 47.60], [-122.30, 47.63], [-122.33, 47.63], [-122.33, 47.60]]
HOLE = [[-122.32, 47.61], [-122.32, 47.62], [-122.31, 47.62], [-122.31, 47.61], [-122.32, 47.61]]
WITH_HOLE = {"type": "Polygon", "coordinates": [RING, HOLE]}
TWO_PARTS = {
    "type": "MultiPolygon",
    "coordinates": [square(-122.20, 47.60)["coordinates"], square(-122.10, 47.60)["coordinates"]],
}


@pytest.mark.django_db
def test_point_inside_a_neighbourhood_locates_it():
    inside = NeighbourhoodFactory(boundary=square(-122.30, 47.60))
    NeighbourhoodFactory(boundary=square(-122.20, 47.60))
    services.mark_boundaries_changed()

    assert located(47.605, -122.295) == inside.pk


@pytest.mark.django_db
def test_point_outside_every_neighbourhood_is_not_found():
    NeighbourhoodFactory(boundary=square(-122.30, 47.60))
    services.mark_boundaries_changed()

    assert located(10.0, 10.0) is None


@pytest.mark.django_db
def test_no_neighbourhoods_at_all_locates_nothing():
    services.mark_boundaries_changed()

    assert located(47.6, -122.3) is None


@pytest.mark.django_db
def test_point_on_a_shared_border_resolves_to_the_lowest_id_every_time():
    west = NeighbourhoodFactory(boundary=square(-122.30, 47.60))
    NeighbourhoodFactory(boundary=square(-122.29, 47.60))
    services.mark_boundaries_changed()

    answers = {located(47.605, -122.29) for _ in range(3)}

    assert answers == {west.pk}


@pytest.mark.django_db
def test_shared_border_answer_does_not_depend_on_creation_order():
    # The higher id lies to the west this time.
    east = NeighbourhoodFactory(boundary=square(-122.29, 47.60))
    NeighbourhoodFactory(boundary=square(-122.30, 47.60))
    services.mark_boundaries_changed()

    assert located(47.605, -122.29) == east.pk


@pytest.mark.django_db
def test_point_in_a_hole_is_not_in_the_polygon_around_it():
    NeighbourhoodFactory(boundary=WITH_HOLE)
    services.mark_boundaries_changed()

    assert located(47.615, -122.315) is None


@pytest.mark.django_db
def test_point_in_a_hole_is_in_the_island_that_fills_it():
    around = NeighbourhoodFactory(boundary=WITH_HOLE)
    island = NeighbourhoodFactory(boundary={"type": "Polygon", "coordinates": [HOLE]})
    services.mark_boundaries_changed()

    assert located(47.615, -122.315) == island.pk
    assert located(47.605, -122.315) == around.pk


@pytest.mark.django_db
def test_every_part_of_a_multipolygon_locates_it():
    parts = NeighbourhoodFactory(
        boundary=TWO_PARTS, centre_latitude=47.605, centre_longitude=-122.195
    )
    services.mark_boundaries_changed()

    assert located(47.605, -122.195) == parts.pk
    assert located(47.605, -122.095) == parts.pk
    assert located(47.605, -122.15) is None


@pytest.mark.django_db
def test_index_is_rebuilt_after_a_boundary_changes():
    neighbourhood = NeighbourhoodFactory(boundary=square(-122.30, 47.60))
    services.mark_boundaries_changed()
    assert located(47.705, -122.295) is None

    services.change_boundary(neighbourhood=neighbourhood, boundary=square(-122.30, 47.70))

    assert located(47.705, -122.295) == neighbourhood.pk
    assert located(47.605, -122.295) is None


@pytest.mark.django_db
def test_a_look_up_costs_one_query_for_the_token_once_the_index_is_built(
    django_assert_num_queries,
):
    NeighbourhoodFactory(boundary=square(-122.30, 47.60))
    services.mark_boundaries_changed()
    boundary_index()

    with django_assert_num_queries(1):
        boundary_index().locate(47.605, -122.295)


def test_bad_coordinates_are_not_found():
    index = BoundaryIndex.build(None, [(1, square(-122.30, 47.60))])

    assert index.locate(float("nan"), -122.295) is None
    assert index.locate(47.605, float("inf")) is None


def test_an_empty_index_locates_nothing():
    index = BoundaryIndex.build(None, [])

    assert index.locate(47.6, -122.3) is None
    assert index.locate_many(np.array([47.6]), np.array([-122.3])).tolist() == [-1]


def test_locate_many_agrees_with_locate_on_borders_holes_and_parts():
    index = BoundaryIndex.build(
        None,
        [
            (7, square(-122.29, 47.60)),
            (3, square(-122.30, 47.60)),
            (9, WITH_HOLE),
            (4, TWO_PARTS),
        ],
    )
    points = [
        (47.605, -122.29),  # border of 3 and 7
        (47.605, -122.295),  # inside 3
        (47.615, -122.315),  # in the hole of 9
        (47.605, -122.195),  # first part of 4
        (47.605, -122.095),  # second part of 4
        (0.0, 0.0),  # nowhere
    ]
    latitudes, longitudes = (np.array(column) for column in zip(*points, strict=True))

    many = index.locate_many(latitudes, longitudes).tolist()

    assert many == [3, 3, -1, 4, 4, -1]
    assert [index.locate(lat, lon) or -1 for lat, lon in points] == many


def test_the_index_answers_as_an_exact_test_would_on_a_synthetic_city():
    city = synthetic_city(300, seed=5)
    index = BoundaryIndex.build(
        None, [(n, feature["geometry"]) for n, feature in enumerate(city["features"], start=1)]
    )
    rng = np.random.default_rng(0)
    west, south, east, north = shapely.total_bounds(index.tree.geometries)
    vertices = shapely.get_coordinates(index.tree.geometries)[::7]
    longitudes = np.concatenate([rng.uniform(west - 0.01, east + 0.01, 20_000), vertices[:, 0]])
    latitudes = np.concatenate([rng.uniform(south - 0.01, north + 0.01, 20_000), vertices[:, 1]])

    point_index, tree_index = index.tree.query(
        shapely.points(longitudes, latitudes), predicate="intersects"
    )
    lowest_position = np.full(len(latitudes), len(index.ids))
    np.minimum.at(lowest_position, point_index, tree_index)
    expected_ids = np.append(index.ids, -1)[lowest_position]

    assert index.locate_many(latitudes, longitudes).tolist() == expected_ids.tolist()
    sample = range(0, len(latitudes), 37)
    assert [index.locate(latitudes[i], longitudes[i]) or -1 for i in sample] == [
        expected_ids[i] for i in sample
    ]


@pytest.mark.django_db
def test_seattle_imports_and_locates_pike_place_market():
    force = ForceFactory(slug="seattle")
    collection = json.loads(SEATTLE.read_text())

    result = services.import_boundaries(force=force, collection=collection)
    pike_place = selectors.locate_neighbourhood_ref(47.6097, -122.3422)

    assert (result.created, result.skipped) == (90, [])
    assert pike_place is not None
    assert (pike_place.name, pike_place.code) == ("Pike-Market", "pike-market")
    assert selectors.locate_neighbourhood_ref(47.6205, -122.3493).name == "Lower Queen Anne"

import pytest

from beatbridge.places import selectors, services
from beatbridge.places.tests.factories import NeighbourhoodFactory, square

pytestmark = pytest.mark.django_db


def test_point_inside_a_neighbourhood_locates_it():
    inside = NeighbourhoodFactory(boundary=square(-122.30, 47.60))
    NeighbourhoodFactory(boundary=square(-122.20, 47.60))
    services.mark_boundaries_changed()

    assert selectors.locate_neighbourhood(47.605, -122.295) == inside


def test_point_outside_every_neighbourhood_is_not_found():
    NeighbourhoodFactory(boundary=square(-122.30, 47.60))
    services.mark_boundaries_changed()

    assert selectors.locate_neighbourhood(10.0, 10.0) is None


def test_point_on_a_shared_border_resolves_to_the_lowest_id_every_time():
    west = NeighbourhoodFactory(boundary=square(-122.30, 47.60))
    NeighbourhoodFactory(boundary=square(-122.29, 47.60))
    services.mark_boundaries_changed()

    answers = {selectors.locate_neighbourhood(47.605, -122.29) for _ in range(3)}

    assert answers == {west}

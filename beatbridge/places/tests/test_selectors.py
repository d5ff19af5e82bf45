from __future__ import annotations

import pytest

from beatbridge.errors import NotFound
from beatbridge.places import selectors, services
from beatbridge.places.tests.factories import ForceFactory, NeighbourhoodFactory, square

pytestmark = pytest.mark.django_db


def names(neighbourhoods) -> list[str]:
    return [neighbourhood.name for neighbourhood in neighbourhoods]


def test_search_ignores_accents_and_case():
    NeighbourhoodFactory(name="Montlake Café")
    NeighbourhoodFactory(name="Fremont")

    assert names(selectors.search_neighbourhoods("montlake cafe")) == ["Montlake Café"]
    assert names(selectors.search_neighbourhoods("MONTLAKE CAFÉ")) == ["Montlake Café"]


def test_search_finds_names_that_imports_wrote_in_bulk():
    force = ForceFactory()
    services.import_boundaries(
        force=force,
        collection={
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"name": "Peña Blanca"}, "geometry": square(0, 0)}
            ],
        },
    )

    assert names(selectors.search_neighbourhoods("pena")) == ["Peña Blanca"]


def test_search_puts_names_that_start_with_the_query_first():
    NeighbourhoodFactory(name="North Lake")
    NeighbourhoodFactory(name="Lake City")
    NeighbourhoodFactory(name="Alki")

    assert names(selectors.search_neighbourhoods("lake")) == ["Lake City", "North Lake"]


def test_search_can_be_limited_to_one_force():
    seattle = ForceFactory()
    NeighbourhoodFactory(name="Lake City", force=seattle)
    NeighbourhoodFactory(name="Lake District")

    assert names(selectors.search_neighbourhoods("lake", force=seattle)) == ["Lake City"]


def test_an_empty_search_finds_nothing():
    NeighbourhoodFactory(name="Fremont")

    assert names(selectors.search_neighbourhoods("  ")) == []


def test_search_results_cost_one_query(django_assert_num_queries):
    for number in range(5):
        NeighbourhoodFactory(name=f"Lake {number}")

    with django_assert_num_queries(1):
        found = [(n.name, n.force.name) for n in selectors.search_neighbourhoods("lake")]

    assert len(found) == 5


def test_neighbours_are_the_touching_neighbourhoods_of_the_same_force_by_name():
    force = ForceFactory()
    centre = NeighbourhoodFactory(force=force, name="Centre", boundary=square(0.01, 0.01))
    NeighbourhoodFactory(force=force, name="West", boundary=square(0.0, 0.01))
    NeighbourhoodFactory(force=force, name="East", boundary=square(0.02, 0.01))
    NeighbourhoodFactory(force=force, name="Corner", boundary=square(0.02, 0.02))
    NeighbourhoodFactory(force=force, name="Far", boundary=square(0.05, 0.05))
    NeighbourhoodFactory(name="Other force", boundary=square(0.01, 0.0))
    services.mark_boundaries_changed()

    assert names(selectors.neighbours_of(centre)) == ["Corner", "East", "West"]


def test_neighbours_cost_only_the_token_once_indexed(django_assert_num_queries):
    force = ForceFactory()
    centre = NeighbourhoodFactory(force=force, boundary=square(0.01, 0.01))
    NeighbourhoodFactory(force=force, boundary=square(0.0, 0.01))
    services.mark_boundaries_changed()
    selectors.neighbours_of(centre)

    with django_assert_num_queries(1):
        found = selectors.neighbours_of(centre)

    assert len(found) == 1


def test_a_neighbourhood_with_no_neighbours_has_none():
    lonely = NeighbourhoodFactory(boundary=square(0, 0))
    NeighbourhoodFactory(boundary=square(1, 1))
    services.mark_boundaries_changed()

    assert selectors.neighbours_of(lonely) == []


def test_get_force_ignores_case_and_reports_an_unknown_force():
    force = ForceFactory(slug="seattle")

    assert selectors.get_force("Seattle") == force
    with pytest.raises(NotFound) as raised:
        selectors.get_force("nowhere")
    assert raised.value.field == "force"


def test_get_neighbourhood_reports_which_part_was_not_found():
    neighbourhood = NeighbourhoodFactory(code="NC04")

    assert selectors.get_neighbourhood(neighbourhood.force.slug, "NC04") == neighbourhood
    with pytest.raises(NotFound) as raised:
        selectors.get_neighbourhood(neighbourhood.force, "XX")
    assert raised.value.field == "neighbourhood"

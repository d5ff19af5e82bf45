from __future__ import annotations

import pytest
from django.test import Client

from beatbridge.accounts.models import Role
from beatbridge.accounts.tests.factories import OfficerProfileFactory, UserFactory
from beatbridge.places import services
from beatbridge.places.tests.factories import (
    ForceFactory,
    NeighbourhoodFactory,
    square,
)

pytestmark = pytest.mark.django_db


def test_forces_list_is_paginated_with_the_force_fields(client: Client, force):
    ForceFactory(slug="tacoma", name="Tacoma Police")

    response = client.get("/api/v1/forces?limit=1")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 2
    assert body["items"] == [
        {
            "id": "seattle",
            "name": "Seattle Police",
            "description": "Serving the city.",
            "telephone": "206-625-5011",
            "url": "https://police.example.org",
            "engagement_methods": [
                {
                    "type": "facebook",
                    "title": "Facebook",
                    "description": "News from the precincts",
                    "url": "https://facebook.example/spd",
                }
            ],
        }
    ]


def test_forces_list_takes_two_queries_however_many_forces(
    client: Client, django_assert_num_queries
):
    for _ in range(5):
        ForceFactory()

    with django_assert_num_queries(2):  # count, page
        client.get("/api/v1/forces")


def test_force_id_is_case_insensitive(client: Client, force):
    response = client.get("/api/v1/forces/SEATTLE")

    assert response.status_code == 200
    assert response.json()["id"] == "seattle"


def test_unknown_force_is_404_naming_the_force(client: Client):
    response = client.get("/api/v1/forces/atlantis")

    assert response.status_code == 404
    assert response.json()["field"] == "force"
    assert response.json()["code"] == "not_found"


def test_neighbourhoods_are_listed_by_name_without_loading_boundaries(
    client: Client, force, django_assert_num_queries
):
    for name in ["Wallingford", "Ballard", "Fremont"]:
        NeighbourhoodFactory(force=force, name=name)
    NeighbourhoodFactory(name="Elsewhere")

    with django_assert_num_queries(3) as captured:  # force, count, page
        response = client.get("/api/v1/forces/seattle/neighbourhoods")

    assert [item["name"] for item in response.json()["items"]] == [
        "Ballard",
        "Fremont",
        "Wallingford",
    ]
    assert response.json()["count"] == 3
    assert '"boundary"' not in captured.captured_queries[-1]["sql"]


def test_neighbourhood_search_ignores_case_and_accents(client: Client, force):
    NeighbourhoodFactory(force=force, name="Montlake Café")
    NeighbourhoodFactory(force=force, name="Ballard")

    response = client.get("/api/v1/forces/seattle/neighbourhoods", {"q": "CAFE"})

    assert [item["name"] for item in response.json()["items"]] == ["Montlake Café"]


def test_neighbourhood_detail_has_numbers_for_the_centre_and_its_neighbours(
    client: Client, fremont
):
    NeighbourhoodFactory(
        force=fremont.force, code="N-WAL", name="Wallingford", boundary=square(-122.34, 47.65)
    )
    NeighbourhoodFactory(force=fremont.force, name="Far away", boundary=square(-122.0, 47.0))
    services.mark_boundaries_changed()

    body = client.get("/api/v1/forces/seattle/neighbourhoods/N-FRE").json()

    assert body == {
        "id": "N-FRE",
        "force": "seattle",
        "name": "Fremont",
        "description": "Home of the troll.",
        "population": 24000,
        "centre": {"latitude": 47.655, "longitude": -122.345},
        "sector": {"id": "north", "name": "North"},
        "contacts": {
            "email": "fremont@police.example.org",
            "telephone": "206-555-0100",
            "address": None,
            "web": None,
        },
        "languages": ["en", "es"],
        "neighbours": [{"id": "N-WAL", "name": "Wallingford"}],
    }


def test_unknown_neighbourhood_is_404_naming_the_neighbourhood(client: Client, force):
    response = client.get("/api/v1/forces/seattle/neighbourhoods/NOPE")

    assert response.status_code == 404
    assert response.json()["field"] == "neighbourhood"


def test_boundary_is_a_geojson_feature(client: Client, fremont):
    response = client.get("/api/v1/forces/seattle/neighbourhoods/N-FRE/boundary")

    assert response["Content-Type"] == "application/geo+json"
    assert response.json() == {
        "type": "Feature",
        "geometry": square(-122.35, 47.65),
        "properties": {"force": "seattle", "id": "N-FRE", "name": "Fremont"},
    }


def test_boundaries_of_a_force_are_one_feature_collection_in_two_queries(
    client: Client, force, django_assert_num_queries
):
    for index in range(4):
        NeighbourhoodFactory(force=force, name=f"Area {index}")
    NeighbourhoodFactory(name="Another force's")

    with django_assert_num_queries(2):  # force, boundaries
        response = client.get("/api/v1/forces/seattle/boundaries")

    body = response.json()
    assert response["Content-Type"] == "application/geo+json"
    assert body["type"] == "FeatureCollection"
    assert [feature["properties"]["name"] for feature in body["features"]] == [
        "Area 0",
        "Area 1",
        "Area 2",
        "Area 3",
    ]
    assert body["features"][0]["geometry"]["type"] == "Polygon"


def test_locate_answers_with_the_force_and_neighbourhood(client: Client, fremont):
    services.mark_boundaries_changed()

    response = client.get("/api/v1/locate", {"latitude": 47.655, "longitude": -122.345})

    assert response.status_code == 200
    assert response.json() == {
        "force": "seattle",
        "neighbourhood": {
            "id": "N-FRE",
            "name": "Fremont",
            "url": "http://testserver/api/v1/forces/seattle/neighbourhoods/N-FRE",
        },
    }


def test_point_outside_every_neighbourhood_is_not_found(client: Client, fremont):
    services.mark_boundaries_changed()

    response = client.get("/api/v1/locate", {"latitude": 10, "longitude": 10})

    assert response.status_code == 404
    assert response.json() == {
        "detail": "No neighbourhood contains this point.",
        "field": None,
        "code": "not_found",
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"latitude": 200, "longitude": 0}, "latitude"),
        ({"latitude": 0, "longitude": -181}, "longitude"),
        ({"latitude": "abc", "longitude": 0}, "latitude"),
        ({"latitude": "nan", "longitude": 0}, "latitude"),
        ({"longitude": 0}, "latitude"),
    ],
)
def test_locate_rejects_a_bad_point_naming_the_field(client: Client, query, field):
    response = client.get("/api/v1/locate", query)

    assert response.status_code == 400
    assert response.json()["field"] == field
    assert response.json()["code"] == "invalid"


PEOPLE = {
    "anonymous": lambda: None,
    "resident": lambda: UserFactory(role=Role.RESIDENT),
    "officer": lambda: OfficerProfileFactory().user,
    "admin": lambda: UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
}


URLS = [
    "/api/v1/forces",
    "/api/v1/forces/seattle",
    "/api/v1/forces/seattle/neighbourhoods",
    "/api/v1/forces/seattle/neighbourhoods/N-FRE",
    "/api/v1/forces/seattle/neighbourhoods/N-FRE/boundary",
    "/api/v1/forces/seattle/boundaries",
    "/api/v1/locate?latitude=47.655&longitude=-122.345",
]


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize(
    ("method", "expected"), [("get", 200), *[(m, 405) for m in ("post", "put", "delete")]]
)
@pytest.mark.parametrize("url", URLS)
def test_permission_matrix_reads_are_public_and_writes_are_not_allowed(
    client: Client, fremont, url, method, expected, who
):
    services.mark_boundaries_changed()
    if (person := PEOPLE[who]()) is not None:
        client.force_login(person)

    response = getattr(client, method)(url)

    assert response.status_code == expected


@pytest.mark.parametrize(("query", "field"), [("limit=0", "limit"), ("offset=abc", "offset")])
def test_bad_pagination_is_400_naming_the_parameter(client: Client, force, query, field):
    response = client.get(f"/api/v1/forces/seattle/neighbourhoods?{query}")

    assert response.status_code == 400
    assert response.json()["field"] == field

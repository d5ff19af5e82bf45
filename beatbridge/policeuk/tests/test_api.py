from __future__ import annotations

import datetime

import pytest
from django.test import Client

from beatbridge.accounts.models import OfficerProfile, Role, TeamRole
from beatbridge.accounts.tests.factories import (
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.places.tests.factories import ForceFactory, NeighbourhoodFactory, square

pytestmark = pytest.mark.django_db


def test_forces_are_listed_as_id_and_name_in_one_query(
    client: Client, force, django_assert_num_queries
):
    ForceFactory(slug="tacoma", name="Tacoma Police")

    with django_assert_num_queries(1):
        response = client.get("/api/forces")

    assert response.json() == [
        {"id": "seattle", "name": "Seattle Police"},
        {"id": "tacoma", "name": "Tacoma Police"},
    ]


def test_force_has_police_uks_fields(client: Client, force):
    response = client.get("/api/forces/seattle")

    assert response.json() == {
        "id": "seattle",
        "name": "Seattle Police",
        "description": "Serving the city.",
        "url": "https://police.example.org",
        "telephone": "206-625-5011",
        "engagement_methods": [
            {
                "url": "https://facebook.example/spd",
                "description": "News from the precincts",
                "title": "Facebook",
                "type": "facebook",
            }
        ],
    }


def test_force_id_is_case_insensitive(client: Client, force):
    assert client.get("/api/forces/Seattle").json()["id"] == "seattle"
    assert client.get("/api/SEATTLE/neighbourhoods").status_code == 200


def test_unknown_force_is_404_with_a_json_body(client: Client):
    for url in ["/api/forces/atlantis", "/api/atlantis/neighbourhoods", "/api/atlantis/N1"]:
        response = client.get(url)

        assert response.status_code == 404
        assert response.json()["field"] == "force"


def test_senior_officers_are_the_forces_people_without_contact_details(
    client: Client, force, django_assert_num_queries
):
    OfficerProfileFactory(force=force, display_name="Chief Diaz", rank="Chief", is_senior=True)
    OfficerProfileFactory(force=force, display_name="Bo Chen", is_senior=False)
    OfficerProfileFactory(display_name="Other force's chief", is_senior=True)

    with django_assert_num_queries(2):  # force, officers
        response = client.get("/api/forces/seattle/people")

    assert response.json() == [
        {"name": "Chief Diaz", "rank": "Chief", "bio": "Walks the beat.", "contact_details": {}}
    ]


def test_neighbourhoods_are_listed_as_id_and_name_without_boundaries(
    client: Client, force, django_assert_num_queries
):
    NeighbourhoodFactory(force=force, code="B1", name="Ballard")
    NeighbourhoodFactory(force=force, code="A1", name="Alki")

    with django_assert_num_queries(2) as captured:  # force, neighbourhoods
        response = client.get("/api/seattle/neighbourhoods")

    assert response.json() == [{"id": "A1", "name": "Alki"}, {"id": "B1", "name": "Ballard"}]
    assert '"boundary"' not in captured.captured_queries[-1]["sql"]


def test_neighbourhood_has_police_uks_shape_with_string_coordinates(client: Client, fremont):
    body = client.get("/api/seattle/N-FRE").json()

    assert body == {
        "id": "N-FRE",
        "name": "Fremont",
        "description": "Home of the troll.",
        "population": 24000,
        "url_force": None,
        "contact_details": {"email": "fremont@police.example.org", "telephone": "206-555-0100"},
        "centre": {"latitude": "47.655", "longitude": "-122.345"},
        "links": [],
        "locations": [],
        "engagement_methods": [],
    }


def test_neighbourhood_population_is_null_when_unknown(client: Client, force):
    NeighbourhoodFactory(force=force, code="X1", population=None)

    assert client.get("/api/seattle/X1").json()["population"] is None


def test_unknown_neighbourhood_is_404_naming_it(client: Client, force):
    for suffix in ["", "/boundary", "/people", "/events", "/priorities"]:
        response = client.get(f"/api/seattle/NOPE{suffix}")

        assert response.status_code == 404
        assert response.json()["field"] == "neighbourhood"


def test_boundary_is_a_list_of_string_points(client: Client, fremont):
    points = client.get("/api/seattle/N-FRE/boundary").json()

    assert points == [
        {"latitude": "47.65", "longitude": "-122.35"},
        {"latitude": "47.65", "longitude": "-122.34"},
        {"latitude": "47.66", "longitude": "-122.34"},
        {"latitude": "47.66", "longitude": "-122.35"},
        {"latitude": "47.65", "longitude": "-122.35"},
    ]


def test_multipolygon_boundary_is_the_outer_rings_of_its_parts_in_order(client: Client, force):
    west, east = square(-122.40, 47.60), square(-122.30, 47.60)
    hole = [[-122.298, 47.602], [-122.296, 47.602], [-122.296, 47.604], [-122.298, 47.602]]
    NeighbourhoodFactory(
        force=force,
        code="TWO",
        centre_latitude=47.605,
        centre_longitude=-122.35,
        boundary={
            "type": "MultiPolygon",
            "coordinates": [west["coordinates"], [east["coordinates"][0], hole]],
        },
    )

    points = client.get("/api/seattle/TWO/boundary").json()

    assert len(points) == 10
    assert points[0] == {"latitude": "47.6", "longitude": "-122.4"}
    assert points[5] == {"latitude": "47.6", "longitude": "-122.3"}


def test_neighbourhood_people_are_the_current_team_without_contact_details(
    client: Client, fremont, django_assert_num_queries
):
    TeamAssignmentFactory(
        officer=OfficerProfileFactory(force=fremont.force, display_name="Gone Before"),
        neighbourhood=fremont,
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2020, 1, 1),
    )

    with django_assert_num_queries(2):  # the neighbourhood with its force, the team with officers
        response = client.get("/api/seattle/N-FRE/people")

    assert response.json() == [
        {
            "name": "Ana Ruiz",
            "rank": "Sergeant",
            "bio": "Twenty years in Fremont.",
            "contact_details": {},
        }
    ]
    assert "@" not in response.content.decode()


def test_someone_in_two_roles_is_listed_once(client: Client, fremont):
    officer = OfficerProfile.objects.get(display_name="Ana Ruiz")
    TeamAssignmentFactory(officer=officer, neighbourhood=fremont, role=TeamRole.LIAISON_OFFICER)

    people = client.get("/api/seattle/N-FRE/people").json()

    assert [person["name"] for person in people] == ["Ana Ruiz"]


@pytest.mark.parametrize("what", ["events", "priorities"])
def test_events_and_priorities_are_an_empty_list_when_there_are_none(client: Client, fremont, what):
    response = client.get(f"/api/seattle/N-FRE/{what}")

    assert response.status_code == 200
    assert response.json() == []


def test_locate_neighbourhood_answers_force_and_neighbourhood_ids(client: Client, fremont):
    response = client.get("/api/locate-neighbourhood", {"q": "47.655,-122.345"})

    assert response.json() == {"force": "seattle", "neighbourhood": "N-FRE"}


def test_locate_neighbourhood_reads_only_the_boundary_token_once_indexed(
    client: Client, django_assert_num_queries, fremont
):
    client.get("/api/locate-neighbourhood", {"q": "47.655,-122.345"})

    with django_assert_num_queries(1):
        response = client.get("/api/locate-neighbourhood", {"q": "47.655,-122.345"})

    assert response.json() == {"force": "seattle", "neighbourhood": "N-FRE"}


def test_locate_neighbourhood_outside_every_neighbourhood_is_404(client: Client, fremont):
    response = client.get("/api/locate-neighbourhood", {"q": "51.5,-0.12"})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ({}, "Field required"),
        ({"q": ""}, "two numbers separated by a comma"),
        ({"q": "abc"}, "two numbers separated by a comma"),
        ({"q": "1,2,3"}, "two numbers separated by a comma"),
        ({"q": "nan,0"}, "two numbers separated by a comma"),
        ({"q": "1e400,0"}, "two numbers separated by a comma"),
        ({"q": "200,0"}, "latitude must be between -90 and 90"),
        ({"q": "0,-200"}, "longitude must be between -180 and 180"),
    ],
)
def test_locate_neighbourhood_rejects_a_bad_q_saying_why(client: Client, query, detail):
    response = client.get("/api/locate-neighbourhood", query)

    assert response.status_code == 400
    assert response.json()["field"] == "q"
    assert detail in response.json()["detail"]


@pytest.mark.parametrize(
    "query",
    [
        {"lat": "52.6", "lng": "-1.13"},
        {"lat": "52.6", "lng": "-1.13", "date": "2024-01"},
        {"poly": "52.268,0.543:52.794,0.238:52.130,0.478"},
    ],
)
def test_street_crimes_are_empty_without_data(client: Client, query):
    response = client.get("/api/crimes-street/all-crime", query)

    assert response.status_code == 200
    assert response.json() == []


def test_street_crimes_accept_a_polygon_by_post_as_police_uk_does(client: Client):
    response = client.post(
        "/api/crimes-street/burglary", {"poly": "52.268,0.543:52.794,0.238:52.130,0.478"}
    )

    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "lat"),
        ({"lat": "52.6"}, "lng"),
        ({"lat": "95", "lng": "0"}, "lat"),
        ({"lat": "abc", "lng": "0"}, "lat"),
        ({"lat": "0", "lng": "190"}, "lng"),
        ({"poly": "52.2,0.5:52.7,0.2"}, "poly"),
        ({"poly": "52.2,0.5:north,0.2:52.1,0.4"}, "poly"),
        ({"lat": "52.6", "lng": "-1.13", "date": "2024-13"}, "date"),
    ],
)
def test_street_crimes_reject_a_bad_area_naming_the_field(client: Client, query, field):
    response = client.get("/api/crimes-street/all-crime", query)

    assert response.status_code == 400
    assert response.json()["field"] == field


def test_fixed_paths_win_over_force_and_neighbourhood_ids(client: Client, force):
    # Forces and neighbourhoods whose ids collide with police.uk's fixed paths.
    for slug, code in [
        ("forces", "seattle"),
        ("crimes-street", "all-crime"),
        ("v1", "forces"),
        ("seattle", "neighbourhoods"),
    ]:
        NeighbourhoodFactory(force=ForceFactory(slug=slug), code=code, name=f"{slug}/{code}")

    assert client.get("/api/forces/seattle").json()["name"] == "Seattle Police"
    assert client.get("/api/crimes-street/all-crime", {"lat": 1, "lng": 1}).json() == []
    assert "count" in client.get("/api/v1/forces").json()
    assert {"id": "neighbourhoods", "name": "seattle/neighbourhoods"} in client.get(
        "/api/seattle/neighbourhoods"
    ).json()


PEOPLE = {
    "anonymous": lambda: None,
    "resident": lambda: UserFactory(role=Role.RESIDENT),
    "officer": lambda: OfficerProfileFactory().user,
    "admin": lambda: UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
}

READS = [
    "/api/forces",
    "/api/forces/seattle",
    "/api/forces/seattle/people",
    "/api/seattle/neighbourhoods",
    "/api/seattle/N-FRE",
    "/api/seattle/N-FRE/boundary",
    "/api/seattle/N-FRE/people",
    "/api/seattle/N-FRE/events",
    "/api/seattle/N-FRE/priorities",
    "/api/locate-neighbourhood?q=47.655,-122.345",
    "/api/crime-categories",
]
CASES = [
    *[(url, "get", 200) for url in READS],
    *[(url, method, 405) for url in READS for method in ("post", "put", "delete")],
    ("/api/crimes-street/all-crime?lat=47.6&lng=-122.3", "get", 200),
    ("/api/crimes-street/all-crime?lat=47.6&lng=-122.3", "post", 400),  # POST reads the body
    ("/api/crimes-street/all-crime", "put", 405),
    ("/api/crimes-street/all-crime", "delete", 405),
]


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize(("url", "method", "expected"), CASES)
def test_permission_matrix_reads_are_public_and_writes_are_not_allowed(
    client: Client, fremont, url, method, expected, who
):
    if (person := PEOPLE[who]()) is not None:
        client.force_login(person)

    response = getattr(client, method)(url)

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/forces/%00", "force"),
        ("/api/seattle/%00", "neighbourhood"),
        ("/api/seattle/a%20b/people", "neighbourhood"),
        ("/api/v1/forces/%00/neighbourhoods/N1/team", "force"),
        ("/api/v1/forces/seattle/neighbourhoods?q=%00", "q"),
        ("/api/v1/forces?offset=99999999999999999999999", "offset"),
        ("/api/v1/forces?limit=99999999999999999999999", "limit"),
    ],
)
def test_input_no_database_could_hold_is_400_never_500(client: Client, force, url, field):
    response = client.get(url)

    assert response.status_code == 400
    assert response.json()["field"] == field

"""police.uk's crime and outcome endpoints over data imported from police.uk's own files."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils.translation import trans_real

from beatbridge.accounts.models import Role
from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.crimedata.importing import import_police_uk
from beatbridge.crimedata.models import Incident, StreetPoint
from beatbridge.crimedata.selectors import streets
from beatbridge.crimedata.tests.files import (
    crime_id,
    outcome_row,
    street_row,
    write_outcomes_file,
    write_street_file,
)
from beatbridge.places.geo import EARTH_RADIUS_METRES

pytestmark = pytest.mark.django_db

LAT, LNG = 47.655, -122.345
PARK_LANE = "On or near Park Lane"
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_METRES / 180


def _north(metres: float) -> str:
    """The latitude ``metres`` due north of the centre (a meridian's haversine is exact)."""
    return f"{LAT + metres / METRES_PER_DEGREE:.7f}"


BURGLARY_ID = crime_id("burglary at Park Lane")
NOT_IMPORTED_ID = crime_id("a crime whose street-level file was never imported")
JULY = [
    street_row(crime_type="Burglary", reference=BURGLARY_ID, outcome="Under investigation"),
    street_row(crime_type="Vehicle crime", outcome="", context="Car window smashed."),
    street_row(crime_type="Anti-social behaviour"),
    street_row(
        crime_type="Violence and sexual offences",
        latitude=_north(1000),
        location="On or near Fremont Avenue",
    ),
    street_row(crime_type="Burglary", latitude=_north(1605), location="On or near Inside Road"),
    street_row(crime_type="Burglary", latitude=_north(1615), location="On or near Outside Road"),
    street_row(crime_type="Drugs", reported_by="British Transport Police", location="Station"),
    street_row(crime_type="Other theft", latitude="", longitude=""),
    street_row(crime_type="Burglary", latitude="", longitude=""),
]
JUNE = [street_row(month="2017-06", crime_type="Burglary")]
OUTCOMES_JULY = [outcome_row(reference=BURGLARY_ID, month="2017-07", outcome="Under investigation")]
OUTCOMES_AUGUST = [
    outcome_row(reference=BURGLARY_ID, month="2017-08", outcome="Offender sent to prison"),
    outcome_row(reference=NOT_IMPORTED_ID, month="2017-08", outcome="Offender fined"),
]
LOCATED = [row for row in JULY if row[5]]
WITHIN_A_MILE = [row for row in LOCATED if row[6] != "On or near Outside Road"]


@dataclass(frozen=True)
class Imported:
    park_lane: int
    inside_road: int


@pytest.fixture
def imported(tmp_path) -> Imported:
    write_street_file(tmp_path, JULY)
    write_street_file(tmp_path, JUNE, month="2017-06")
    write_outcomes_file(tmp_path, OUTCOMES_JULY, month="2017-07")
    write_outcomes_file(tmp_path, OUTCOMES_AUGUST, month="2017-08")
    result = import_police_uk(paths=[tmp_path])
    assert not result.refused
    return Imported(
        park_lane=StreetPoint.objects.get(street_name=PARK_LANE).pk,
        inside_road=StreetPoint.objects.get(street_name="On or near Inside Road").pk,
    )


def _public_id(**filters) -> int:
    return Incident.objects.get(**filters).public_id


def _street(crime: dict) -> str:
    return crime["location"]["street"]["name"]


# --- categories and months ------------------------------------------------------------------


def test_categories_are_all_crime_then_the_months_categories_in_english(
    client: Client, monkeypatch
):
    # A Spanish name for a category must not reach police.uk's answer.
    spanish = trans_real.translation("es")._catalog._catalogs[0]
    monkeypatch.setitem(spanish, "Burglary", "Robo en vivienda")

    body = client.get(
        "/api/crime-categories", {"date": "2017-07"}, HTTP_ACCEPT_LANGUAGE="es"
    ).json()

    assert body[:4] == [
        {"url": "all-crime", "name": "All crime"},
        {"url": "anti-social-behaviour", "name": "Anti-social behaviour"},
        {"url": "bicycle-theft", "name": "Bicycle theft"},
        {"url": "burglary", "name": "Burglary"},
    ]
    assert {"url": "violent-crime", "name": "Violence and sexual offences"} in body
    assert len(body) == 15
    assert "public-disorder-weapons" not in {category["url"] for category in body}


def test_categories_before_may_2013_are_police_uks_older_set(client: Client):
    urls = {category["url"] for category in client.get("/api/crime-categories?date=2013-04").json()}

    assert "public-disorder-weapons" in urls
    assert not urls & {"public-order", "possession-of-weapons", "shoplifting"}


def test_dates_are_the_months_with_crimes_newest_first(client: Client, imported):
    assert client.get("/api/crimes-street-dates").json() == [
        {"date": "2017-07", "stop-and-search": []},
        {"date": "2017-06", "stop-and-search": []},
    ]


def test_last_updated_is_the_first_day_of_the_latest_month(client: Client, imported):
    assert client.get("/api/crime-last-updated").json() == {"date": "2017-07-01"}


def test_without_any_data_there_are_no_dates_and_no_last_update(client: Client):
    response = client.get("/api/crime-last-updated")

    assert client.get("/api/crimes-street-dates").json() == []
    assert response.status_code == 404
    assert "No crime data" in response.json()["detail"]


# --- street-level crimes --------------------------------------------------------------------


def test_street_crimes_have_police_uks_shape_field_for_field(client: Client, imported):
    crimes = client.get("/api/crimes-street/burglary", {"lat": LAT, "lng": LNG}).json()

    assert crimes[0] == {
        "category": "burglary",
        "location_type": "Force",
        "location": {
            "latitude": "47.655",
            "street": {"id": imported.park_lane, "name": PARK_LANE},
            "longitude": "-122.345",
        },
        "context": "",
        # The outcomes files said when the latest outcome was recorded.
        "outcome_status": {"category": "Offender sent to prison", "date": "2017-08"},
        "persistent_id": BURGLARY_ID,
        "id": _public_id(reference=BURGLARY_ID),
        "location_subtype": "",
        "month": "2017-07",
    }


def test_outcome_status_is_null_without_an_outcome_and_undated_from_a_street_file_alone(
    client: Client, imported
):
    crimes = client.get("/api/crimes-street/all-crime", {"lat": LAT, "lng": LNG}).json()
    by_category = {crime["category"]: crime for crime in crimes}

    assert by_category["anti-social-behaviour"]["outcome_status"] is None
    assert by_category["anti-social-behaviour"]["persistent_id"] == ""
    assert by_category["vehicle-crime"]["outcome_status"] is None
    assert by_category["vehicle-crime"]["context"] == "Car window smashed."
    assert by_category["violent-crime"]["outcome_status"] == {
        "category": "Under investigation",
        "date": None,
    }
    assert by_category["drugs"]["location_type"] == "BTP"


def test_street_crimes_are_those_within_a_mile_in_few_queries(
    client: Client, imported, django_assert_num_queries
):
    with django_assert_num_queries(2):  # points with their counts, then the crimes
        crimes = client.get(
            "/api/crimes-street/all-crime", {"lat": LAT, "lng": LNG, "date": "2017-07"}
        ).json()

    assert len(crimes) == len(WITHIN_A_MILE)
    assert sorted(map(_street, crimes)) == sorted(row[6] for row in WITHIN_A_MILE)


def test_a_mile_is_measured_exactly_on_the_ground(client: Client, imported):
    streets_found = set(
        map(_street, client.get("/api/crimes-street/burglary", {"lat": LAT, "lng": LNG}).json())
    )

    assert "On or near Inside Road" in streets_found  # 1,605 m away
    assert "On or near Outside Road" not in streets_found  # 1,615 m away


def test_street_crimes_of_one_category(client: Client, imported):
    crimes = client.get("/api/crimes-street/burglary", {"lat": LAT, "lng": LNG}).json()

    assert {crime["category"] for crime in crimes} == {"burglary"}
    assert len(crimes) == sum(1 for row in WITHIN_A_MILE if row[9] == "Burglary")


def test_date_defaults_to_the_latest_month_and_selects_another(client: Client, imported):
    latest = client.get("/api/crimes-street/burglary", {"lat": LAT, "lng": LNG}).json()
    june = client.get(
        "/api/crimes-street/burglary", {"lat": LAT, "lng": LNG, "date": "2017-06"}
    ).json()

    assert {crime["month"] for crime in latest} == {"2017-07"}
    assert [crime["month"] for crime in june] == ["2017-06"]


def test_a_month_without_data_is_an_empty_list(client: Client, imported):
    response = client.get(
        "/api/crimes-street/all-crime", {"lat": LAT, "lng": LNG, "date": "2020-01"}
    )

    assert response.status_code == 200
    assert response.json() == []


# Fremont Avenue is inside; Inside Road (1,605 m north) is not.
SQUARE = [(47.65, -122.35), (47.666, -122.35), (47.666, -122.34), (47.65, -122.34)]


def _poly(corners: list[tuple[float, float]]) -> str:
    return ":".join(f"{lat},{lng}" for lat, lng in corners)


def test_a_polygon_need_not_repeat_its_first_corner(client: Client, imported):
    open_ring = client.get("/api/crimes-street/all-crime", {"poly": _poly(SQUARE)}).json()
    closed_ring = client.get(
        "/api/crimes-street/all-crime", {"poly": _poly([*SQUARE, SQUARE[0]])}
    ).json()

    assert open_ring == closed_ring
    assert sorted(map(_street, open_ring)) == sorted(
        row[6] for row in LOCATED if float(row[5]) < 47.666
    )


def test_a_polygon_by_post_as_police_api_client_sends_it(client: Client, imported):
    response = client.post("/api/crimes-street/burglary", {"poly": _poly(SQUARE)})

    assert response.status_code == 200
    assert [crime["persistent_id"] for crime in response.json()] == [BURGLARY_ID]


def test_an_unknown_category_is_404_naming_it(client: Client, imported):
    response = client.get("/api/crimes-street/cattle-rustling", {"lat": LAT, "lng": LNG})

    assert response.status_code == 404
    assert response.json()["field"] == "category"
    assert "cattle-rustling" in response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"lat": "abc", "lng": LNG}, "lat"),
        ({"lat": "91", "lng": LNG}, "lat"),
        ({"lat": LAT, "lng": "-181"}, "lng"),
        ({"poly": "47.65,-122.35:47.66,-122.35"}, "poly"),
        # A bow tie: its edges cross.
        ({"poly": "47.65,-122.35:47.66,-122.34:47.65,-122.34:47.66,-122.35"}, "poly"),
        # Three corners on one line enclose nothing.
        ({"poly": "47.65,-122.35:47.655,-122.35:47.66,-122.35"}, "poly"),
        ({"lat": LAT, "lng": LNG, "date": "2017-7"}, "date"),
    ],
)
def test_bad_input_is_400_naming_the_field(client: Client, imported, query, field):
    response = client.get("/api/crimes-street/all-crime", query)

    assert response.status_code == 400
    assert response.json()["field"] == field


def test_more_crimes_than_one_answer_holds_is_503(client: Client, imported, monkeypatch):
    monkeypatch.setattr(streets, "MAX_CRIMES", len(WITHIN_A_MILE) - 1)

    too_many = client.get("/api/crimes-street/all-crime", {"lat": LAT, "lng": LNG})
    burglaries = client.get("/api/crimes-street/burglary", {"lat": LAT, "lng": LNG})

    assert too_many.status_code == 503
    assert "choose a smaller area" in too_many.json()["detail"]
    assert burglaries.status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_crimes_are_open_data_for_everyone_alike(client: Client, imported, who):
    if who == "resident":
        client.force_login(UserFactory(role=Role.RESIDENT))

    crimes = client.get("/api/crimes-street/all-crime", {"lat": LAT, "lng": LNG}).json()

    assert len(crimes) == len(WITHIN_A_MILE)


# --- crimes at a location, and without one --------------------------------------------------


def test_crimes_at_a_location_id_are_that_points_only(
    client: Client, imported, django_assert_num_queries
):
    with django_assert_num_queries(1):
        crimes = client.get(
            "/api/crimes-at-location", {"location_id": imported.park_lane, "date": "2017-07"}
        ).json()

    assert {_street(crime) for crime in crimes} == {PARK_LANE}
    assert len(crimes) == sum(1 for row in JULY if row[6] == PARK_LANE)


def test_crimes_at_a_place_are_those_of_the_nearest_point(client: Client, imported):
    near_inside_road = float(_north(1605)) - 0.0002  # 22 m south of it

    crimes = client.get("/api/crimes-at-location", {"lat": near_inside_road, "lng": LNG}).json()
    nowhere = client.get("/api/crimes-at-location", {"lat": 51.5, "lng": -0.12}).json()

    assert [crime["location"]["street"]["id"] for crime in crimes] == [imported.inside_road]
    assert nowhere == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "location_id"),
        ({"lat": LAT}, "lng"),
        ({"location_id": "abc"}, "location_id"),
        ({"location_id": "99999999999999999999999"}, "location_id"),
    ],
)
def test_crimes_at_location_need_a_location(client: Client, query, field):
    response = client.get("/api/crimes-at-location", query)

    assert response.status_code == 400
    assert response.json()["field"] == field


def test_crimes_without_location_have_null_location_and_type(
    client: Client, imported, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the force, the crimes
        crimes = client.get(
            "/api/crimes-no-location",
            {"category": "all-crime", "force": "west-yorkshire", "date": "2017-07"},
        ).json()

    assert len(crimes) == sum(1 for row in JULY if not row[5])
    assert {crime["category"] for crime in crimes} == {"other-theft", "burglary"}
    assert all(crime["location"] is None and crime["location_type"] is None for crime in crimes)
    assert crimes[0]["outcome_status"] == {"category": "Under investigation", "date": None}


def test_crimes_without_location_of_one_category(client: Client, imported):
    crimes = client.get(
        "/api/crimes-no-location", {"category": "other-theft", "force": "WEST-YORKSHIRE"}
    ).json()

    assert [crime["category"] for crime in crimes] == ["other-theft"]


def test_more_crimes_without_location_than_one_answer_holds_is_503(
    client: Client, imported, monkeypatch
):
    monkeypatch.setattr(streets, "MAX_CRIMES", 1)

    response = client.get(
        "/api/crimes-no-location", {"category": "all-crime", "force": "west-yorkshire"}
    )

    assert response.status_code == 503
    assert "choose one category" in response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ({"category": "all-crime", "force": "atlantis"}, 404, "force"),
        ({"category": "cattle-rustling", "force": "west-yorkshire"}, 404, "category"),
        ({"force": "west-yorkshire"}, 400, "category"),
        ({"category": "all-crime"}, 400, "force"),
    ],
)
def test_crimes_without_location_need_a_known_force_and_category(
    client: Client, imported, query, status, field
):
    response = client.get("/api/crimes-no-location", query)

    assert response.status_code == status
    assert response.json()["field"] == field


# --- outcomes -------------------------------------------------------------------------------


def test_outcomes_at_a_location_have_police_uks_shape_with_their_crime(
    client: Client, imported, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the outcomes, their crimes
        outcomes = client.get(
            "/api/outcomes-at-location", {"location_id": imported.park_lane, "date": "2017-08"}
        ).json()

    # The fine's crime was never imported: it is left out.
    assert outcomes == [
        {
            "category": {"code": "imprisoned", "name": "Offender sent to prison"},
            "date": "2017-08",
            "person_id": None,
            "crime": {
                "category": "burglary",
                "location_type": "Force",
                "location": {
                    "latitude": "47.655",
                    "street": {"id": imported.park_lane, "name": PARK_LANE},
                    "longitude": "-122.345",
                },
                "context": "",
                "persistent_id": BURGLARY_ID,
                "id": _public_id(reference=BURGLARY_ID),
                "location_subtype": "",
                "month": "2017-07",
            },
        }
    ]


def test_outcomes_default_to_the_latest_month_with_outcomes(client: Client, imported):
    around = client.get("/api/outcomes-at-location", {"lat": LAT, "lng": LNG}).json()
    in_july = client.get(
        "/api/outcomes-at-location", {"poly": _poly(SQUARE), "date": "2017-07"}
    ).json()

    assert [outcome["category"]["code"] for outcome in around] == ["imprisoned"]
    assert [(o["category"]["code"], o["date"]) for o in in_july] == [
        ("under-investigation", "2017-07")
    ]


def test_outcomes_for_a_crime_are_its_history_oldest_first(
    client: Client, imported, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the crime with its point, its outcomes
        body = client.get(f"/api/outcomes-for-crime/{BURGLARY_ID}").json()

    assert body["crime"]["persistent_id"] == BURGLARY_ID
    assert "outcome_status" not in body["crime"]
    assert body["outcomes"] == [
        {
            "category": {"code": "under-investigation", "name": "Under investigation"},
            "date": "2017-07",
            "person_id": None,
        },
        {
            "category": {"code": "imprisoned", "name": "Offender sent to prison"},
            "date": "2017-08",
            "person_id": None,
        },
    ]


@pytest.mark.parametrize(
    ("persistent_id", "status"),
    [(NOT_IMPORTED_ID, 404), (crime_id("no such crime"), 404), ("a%00b", 400)],
)
def test_outcomes_for_an_unknown_crime_are_refused(client: Client, imported, persistent_id, status):
    response = client.get(f"/api/outcomes-for-crime/{persistent_id}")

    assert response.status_code == status
    assert response.json()["field"] == "persistent_id"

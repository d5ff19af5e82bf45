from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.crimedata.categories import CrimeCategory
from beatbridge.crimedata.importing import import_police_uk
from beatbridge.crimedata.models import Incident, MonthlyCount
from beatbridge.crimedata.tests.files import (
    crime_id,
    outcome_row,
    street_row,
    write_outcomes_file,
    write_street_file,
)
from beatbridge.crimedata.tests.test_counts import (
    INCIDENTS,
    PARK_LANE,
    import_incidents,
)
from beatbridge.places.tests.factories import ForceFactory, NeighbourhoodFactory

pytestmark = pytest.mark.django_db

CRIMES = "/api/v1/crimes"
FREMONT_COUNTS = "/api/v1/forces/seattle/neighbourhoods/N-FRE/crime-counts"
FORCE_COUNTS = "/api/v1/forces/seattle/crime-counts"
PATHS = ["/api/v1/crime-categories", f"{CRIMES}?force=seattle", FREMONT_COUNTS, FORCE_COUNTS]


@pytest.fixture
def seattle(tmp_path, fremont):
    import_incidents(tmp_path, INCIDENTS)
    return fremont


# --- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "resident", "officer"])
@pytest.mark.parametrize("path", PATHS)
def test_anyone_may_read_crime_data(client: Client, seattle, fremont_officer, who, path):
    if who == "resident":
        client.force_login(UserFactory(home_neighbourhood=seattle))
    elif who == "officer":
        client.force_login(fremont_officer)

    response = client.get(path)

    assert response.status_code == 200
    assert response.json()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", PATHS)
def test_nothing_writes_crime_data(client: Client, seattle, fremont_officer, method, path):
    client.force_login(fremont_officer)
    before = (Incident.objects.count(), MonthlyCount.objects.count())

    response = getattr(client, method)(path, {}, content_type="application/json")

    assert response.status_code == 405
    assert (Incident.objects.count(), MonthlyCount.objects.count()) == before


# --- categories ---------------------------------------------------------------------------


def test_crime_categories_are_police_uks_ids(client: Client):
    body = client.get("/api/v1/crime-categories").json()

    assert [item["id"] for item in body] == [category.value for category in CrimeCategory]
    assert {"id": "violent-crime", "name": "Violence and sexual offences"} in body


def test_crime_category_names_are_in_the_request_language(client: Client, monkeypatch):
    spanish = translation.trans_real.translation("es")._catalog._catalogs[0]
    monkeypatch.setitem(spanish, "Burglary", "Robo en vivienda")

    body = client.get("/api/v1/crime-categories", HTTP_ACCEPT_LANGUAGE="es").json()

    assert {"id": "burglary", "name": "Robo en vivienda"} in body


# --- crimes -------------------------------------------------------------------------------


def test_a_crime_has_its_point_neighbourhood_and_latest_outcome(client: Client, fremont, tmp_path):
    reference = crime_id("the burglary")
    write_street_file(
        tmp_path,
        [street_row(month="2024-06", reference=reference, context="Side door.", **PARK_LANE)],
        month="2024-06",
    )
    write_outcomes_file(
        tmp_path,
        [outcome_row(reference=reference, month="2024-07", outcome="Offender sent to prison")],
        month="2024-07",
    )
    assert not import_police_uk(paths=[tmp_path], force_slug="seattle").refused
    incident = Incident.objects.get()

    body = client.get(CRIMES, {"force": "seattle"}).json()

    assert body["items"] == [
        {
            "id": incident.public_id,
            "reference": reference,
            "category": "burglary",
            "month": "2024-06",
            "point": {
                "id": incident.point_id,
                "name": "On or near Park Lane",
                "latitude": 47.655,
                "longitude": -122.345,
            },
            "neighbourhood": "N-FRE",
            "outcome": {
                "code": "imprisoned",
                "name": "Offender sent to prison",
                "month": "2024-07",
            },
            "context": "Side door.",
        }
    ]


def test_a_crime_without_a_location_has_no_point_nor_neighbourhood(client: Client, seattle):
    body = client.get(
        CRIMES, {"force": "seattle", "month_from": "2024-02", "month_to": "2024-02"}
    ).json()

    nowhere = [item for item in body["items"] if item["category"] == "other-theft"]
    assert len(nowhere) == 3
    assert {(item["point"], item["neighbourhood"]) for item in nowhere} == {(None, None)}


def test_crimes_are_by_month_then_id_and_paginated(client: Client, seattle):
    query = {"force": "seattle", "month_from": "2022-01", "month_to": "2024-12"}
    whole = client.get(CRIMES, {**query, "limit": 100}).json()
    page = client.get(CRIMES, {**query, "limit": 5, "offset": 5}).json()

    keys = [(item["month"], item["id"]) for item in whole["items"]]
    assert keys == sorted(keys)
    assert whole["count"] == sum(many for *_rest, many in INCIDENTS) == 39
    assert page["count"] == 39
    assert page["items"] == whole["items"][5:10]


def test_crimes_default_to_the_forces_latest_month(client: Client, seattle):
    body = client.get(CRIMES, {"force": "seattle"}).json()

    assert body["count"] == 5
    assert {item["month"] for item in body["items"]} == {"2024-06"}


def test_crimes_of_a_neighbourhood_and_category(client: Client, seattle):
    body = client.get(
        CRIMES,
        {
            "force": "seattle",
            "neighbourhood": "N-FRE",
            "category": "burglary",
            "month_from": "2023-01",
            "month_to": "2024-12",
        },
    ).json()

    assert [(item["month"], item["neighbourhood"]) for item in body["items"]] == [
        ("2023-06", "N-FRE")
    ] * 4 + [("2024-06", "N-FRE")] * 3


def test_crimes_take_three_queries_for_a_page(client: Client, seattle, django_assert_num_queries):
    query = {"force": "seattle", "month_from": "2022-01", "month_to": "2024-12", "limit": 20}
    with django_assert_num_queries(3):  # force, count, page
        response = client.get(CRIMES, query)

    assert len(response.json()["items"]) == 20


def test_crimes_of_another_force_are_not_listed(client: Client, seattle):
    ForceFactory(slug="tacoma")

    body = client.get(CRIMES, {"force": "tacoma", "month_from": "2022-01"}).json()

    assert body == {"items": [], "count": 0}


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ({}, 400, "force"),
        ({"force": "atlantis"}, 404, "force"),
        ({"force": "seattle", "neighbourhood": "N-NONE"}, 404, "neighbourhood"),
        ({"force": "seattle", "category": "arson"}, 400, "category"),
        ({"force": "seattle", "month_from": "2024-13"}, 400, "month_from"),
        ({"force": "seattle", "month_from": "2024-1"}, 400, "month_from"),
        ({"force": "seattle", "month_to": "0000-01"}, 400, "month_to"),
        ({"force": "seattle", "month_to": "June 2024"}, 400, "month_to"),
        ({"force": "seattle", "month_from": "2024-06", "month_to": "2024-05"}, 400, "month_from"),
        ({"force": "seattle", "offset": -1}, 400, "offset"),
    ],
)
def test_bad_crime_queries_name_the_field(client: Client, seattle, query, status, field):
    response = client.get(CRIMES, query)

    assert response.status_code == status
    assert response.json()["field"] == field


def test_a_bad_month_says_how_to_write_it(client: Client, seattle):
    response = client.get(CRIMES, {"force": "seattle", "month_from": "2024-13"})

    assert response.json()["detail"] == "Write the month as YYYY-MM, for example 2024-03."


def test_a_neighbourhood_of_another_force_is_not_found(client: Client, seattle):
    NeighbourhoodFactory(force=ForceFactory(slug="tacoma"), code="T-1")

    response = client.get(CRIMES, {"force": "seattle", "neighbourhood": "T-1"})

    assert response.status_code == 404
    assert response.json()["field"] == "neighbourhood"


# --- counts -------------------------------------------------------------------------------


def test_neighbourhood_counts_default_to_the_last_twelve_months(client: Client, seattle):
    body = client.get(FREMONT_COUNTS).json()

    assert (body["force"], body["neighbourhood"]) == ("seattle", "N-FRE")
    assert (body["month_from"], body["month_to"]) == ("2023-07", "2024-06")
    assert body["counts"] == [
        {"month": "2024-01", "category": "vehicle-crime", "incidents": 2},
        {"month": "2024-06", "category": "anti-social-behaviour", "incidents": 1},
        {"month": "2024-06", "category": "burglary", "incidents": 3},
        {"month": "2024-06", "category": "drugs", "incidents": 1},
    ]
    assert body["totals"] == {
        "incidents": 7,
        "categories": [
            {"category": "burglary", "name": "Burglary", "incidents": 3},
            {"category": "vehicle-crime", "name": "Vehicle crime", "incidents": 2},
            {
                "category": "anti-social-behaviour",
                "name": "Anti-social behaviour",
                "incidents": 1,
            },
            {"category": "drugs", "name": "Drugs", "incidents": 1},
        ],
    }


def test_neighbourhood_counts_of_months_and_a_category(client: Client, seattle):
    body = client.get(
        FREMONT_COUNTS, {"month_from": "2023-01", "month_to": "2023-12", "category": "burglary"}
    ).json()

    assert body["counts"] == [{"month": "2023-06", "category": "burglary", "incidents": 4}]
    assert body["totals"]["incidents"] == 4


def test_force_counts_label_incidents_outside_neighbourhoods(client: Client, seattle):
    body = client.get(FORCE_COUNTS, {"month_from": "2024-02", "month_to": "2024-02"}).json()

    assert body["counts"] == [
        {
            "month": "2024-02",
            "category": "burglary",
            "incidents": 2,
            "in_neighbourhoods": 0,
            "outside_neighbourhoods": 2,
            "without_location": 0,
        },
        {
            "month": "2024-02",
            "category": "other-theft",
            "incidents": 3,
            "in_neighbourhoods": 0,
            "outside_neighbourhoods": 0,
            "without_location": 3,
        },
    ]
    assert body["totals"]["incidents"] == 5
    assert body["totals"]["without_location"] == 3


def test_force_counts_over_the_default_window_add_up(client: Client, seattle):
    body = client.get(FORCE_COUNTS).json()

    # Fremont 7, Wallingford's and Ballard's points lie outside Fremont (the only
    # neighbourhood here): 6 + 10 + 2 outside, 3 without a location.
    assert body["totals"]["incidents"] == 28
    assert body["totals"]["in_neighbourhoods"] == 7
    assert body["totals"]["outside_neighbourhoods"] == 18
    assert body["totals"]["without_location"] == 3


def test_counts_of_a_force_without_data_are_empty(client: Client, fremont):
    body = client.get(FREMONT_COUNTS).json()

    assert (body["month_from"], body["month_to"], body["counts"]) == (None, None, [])
    assert body["totals"]["incidents"] == 0


def test_counts_take_three_queries(client: Client, seattle, django_assert_num_queries):
    with django_assert_num_queries(3):  # neighbourhood, latest month, counts
        client.get(FREMONT_COUNTS)


@pytest.mark.parametrize(
    ("path", "query", "status", "field"),
    [
        ("/api/v1/forces/atlantis/crime-counts", {}, 404, "force"),
        ("/api/v1/forces/seattle/neighbourhoods/N-NONE/crime-counts", {}, 404, "neighbourhood"),
        (FORCE_COUNTS, {"month_to": "2024-00"}, 400, "month_to"),
        (FREMONT_COUNTS, {"month_from": "yesterday"}, 400, "month_from"),
        (FREMONT_COUNTS, {"month_from": "2024-07", "month_to": "2024-06"}, 400, "month_from"),
        (FREMONT_COUNTS, {"category": "all-crime"}, 400, "category"),
    ],
)
def test_bad_count_queries_name_the_field(client: Client, seattle, path, query, status, field):
    response = client.get(path, query)

    assert response.status_code == status
    assert response.json()["field"] == field


def test_a_first_month_after_the_latest_is_not_refused(client: Client, seattle):
    body = client.get(FORCE_COUNTS, {"month_from": "2025-01"}).json()

    assert (body["month_from"], body["month_to"], body["counts"]) == ("2025-01", "2025-01", [])


def test_openapi_documents_the_crime_data_paths_and_categories(client: Client):
    schema = client.get("/api/openapi.json").json()

    assert set(schema["paths"]) >= {
        "/api/v1/crime-categories",
        "/api/v1/crimes",
        "/api/v1/forces/{force}/neighbourhoods/{code}/crime-counts",
        "/api/v1/forces/{force}/crime-counts",
    }
    parameters = schema["paths"]["/api/v1/crimes"]["get"]["parameters"]
    category = next(item for item in parameters if item["name"] == "category")
    reference = category["schema"]["anyOf"][0]["$ref"].removeprefix("#/components/schemas/")
    assert schema["components"]["schemas"][reference]["enum"] == list(CrimeCategory.values)

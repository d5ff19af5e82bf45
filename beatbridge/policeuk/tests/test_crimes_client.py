"""A program written for data.police.uk reads Beatbridge's crimes unchanged.

The client is police-api-client, the library police.uk's own site was built on: it
hydrates every crime's category through crime-categories, and sends polygons by POST.
"""

from __future__ import annotations

import pytest
from police_api import PoliceAPI

from beatbridge.crimedata.importing import import_police_uk
from beatbridge.crimedata.models import Incident, StreetPoint
from beatbridge.crimedata.tests.files import (
    crime_id,
    outcome_row,
    street_row,
    write_outcomes_file,
    write_street_file,
)

LAT, LNG = 47.655, -122.345
BURGLARY_ID = crime_id("a burglary on Park Lane")
JULY = [
    street_row(crime_type="Burglary", reference=BURGLARY_ID),
    street_row(crime_type="Anti-social behaviour"),
    street_row(crime_type="Vehicle crime", latitude="47.66", location="On or near Leary Way"),
    # About five miles north: outside the mile and the polygon.
    street_row(crime_type="Burglary", latitude="47.73", location="On or near Far Lane"),
    street_row(crime_type="Other theft", latitude="", longitude=""),
]
JUNE = [street_row(month="2017-06", crime_type="Robbery")]
OUTCOMES = [
    outcome_row(reference=BURGLARY_ID, month="2017-07", outcome="Under investigation"),
    outcome_row(reference=BURGLARY_ID, month="2017-08", outcome="Offender sent to prison"),
]
AROUND_PARK_LANE = [(47.65, -122.35), (47.665, -122.35), (47.665, -122.34), (47.65, -122.34)]


@pytest.fixture
def police_api(live_server) -> PoliceAPI:
    return PoliceAPI(base_url=f"{live_server.url}/api/", timeout=10)


@pytest.fixture
def imported(tmp_path, transactional_db) -> None:
    write_street_file(tmp_path, JULY)
    write_street_file(tmp_path, JUNE, month="2017-06")
    write_outcomes_file(tmp_path, OUTCOMES[:1], month="2017-07")
    write_outcomes_file(tmp_path, OUTCOMES[1:], month="2017-08")
    assert not import_police_uk(paths=[tmp_path]).refused


def test_police_uk_client_reads_categories_and_dates(police_api, imported):
    categories = police_api.get_crime_categories(date="2017-07")

    assert police_api.get_dates() == ["2017-07", "2017-06"]
    assert police_api.get_latest_date() == "2017-07"
    assert police_api.get_crime_category("burglary", date="2017-07").name == "Burglary"
    assert len(categories) == 14
    assert "all-crime" not in {category.id for category in categories}


def test_police_uk_client_reads_crimes_by_point_and_by_polygon(police_api, imported):
    around = police_api.get_crimes_point(LAT, LNG)
    burglaries = police_api.get_crimes_point(LAT, LNG, category="burglary")
    inside = police_api.get_crimes_area(AROUND_PARK_LANE, date="2017-07")
    june = police_api.get_crimes_point(LAT, LNG, date="2017-06")

    located_near = [row for row in JULY if row[5] and row[6] != "On or near Far Lane"]
    assert len(around) == len(located_near)
    assert sorted(crime.category.id for crime in inside) == sorted(
        crime.category.id for crime in around
    )
    assert [crime.persistent_id for crime in burglaries] == [BURGLARY_ID]
    assert burglaries[0].location.name == "On or near Park Lane"
    assert burglaries[0].location.latitude == "47.655"
    assert not burglaries[0].location.is_btp()
    assert [crime.category.name for crime in june] == ["Robbery"]


def test_police_uk_client_reads_crimes_at_a_location_and_without_one(police_api, imported):
    park_lane = StreetPoint.objects.get(street_name="On or near Park Lane").pk

    at_park_lane = police_api.get_crimes_location(park_lane, date="2017-07")
    nowhere = police_api.get_crimes_no_location("west-yorkshire", date="2017-07")

    assert len(at_park_lane) == sum(1 for row in JULY if row[6] == "On or near Park Lane")
    assert {crime.location.id for crime in at_park_lane} == {park_lane}
    # The client keeps only the id, month and context of a crime without a location.
    assert [(crime.id, crime.month) for crime in nowhere] == [
        (Incident.objects.get(category="other-theft").public_id, "2017-07")
    ]


def test_police_uk_client_reads_a_crime_with_its_outcomes(police_api, imported):
    crime = police_api.get_crime(BURGLARY_ID)
    [latest] = police_api.get_crimes_point(LAT, LNG, category="burglary")

    assert crime.category.id == "burglary"
    assert [(outcome.category.name, outcome.date) for outcome in crime.outcomes] == [
        ("Under investigation", "2017-07"),
        ("Offender sent to prison", "2017-08"),
    ]
    assert (latest.outcome_status.category.name, latest.outcome_status.date) == (
        "Offender sent to prison",
        "2017-08",
    )
    assert [outcome.category.id for outcome in latest.outcomes] == [
        "under-investigation",
        "imprisoned",
    ]

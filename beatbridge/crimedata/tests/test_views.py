"""A neighbourhood's public crime page and its downloads, built from imported police.uk files:
the figures shown are the files' counts, the year earlier, the caveats and the choices."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.crimedata.importing import import_police_uk
from beatbridge.crimedata.tests.files import (
    crime_id,
    outcome_row,
    street_row,
    write_outcomes_file,
    write_street_file,
)
from beatbridge.places import services as places_services
from beatbridge.places.tests.factories import NeighbourhoodFactory, square

pytestmark = pytest.mark.django_db

FREMONT = {"force": "seattle", "code": "N-FRE"}
PAGE_URL = reverse("crimedata:neighbourhood_crime", kwargs=FREMONT)
CSV_URL = reverse("crimedata:neighbourhood_crime_csv", kwargs=FREMONT)
GEOJSON_URL = reverse("crimedata:neighbourhood_crime_points", kwargs=FREMONT)
OUTCOMES_CSV_URL = reverse("crimedata:neighbourhood_outcomes_csv", kwargs=FREMONT)
# Inside Fremont (conftest: the 0.01° square from -122.35, 47.65).
PARK_LANE = {"latitude": "47.655", "longitude": "-122.345", "location": "On or near Park Lane"}
ELM_STREET = {"latitude": "47.652", "longitude": "-122.342", "location": "On or near Elm Street"}
# Inside Ballard, and inside no neighbourhood at all.
MARKET_STREET = {"latitude": "47.665", "longitude": "-122.395", "location": "On or near Market St"}
FAR_ROAD = {"latitude": "47.8", "longitude": "-122.2", "location": "On or near Far Road"}
NO_LOCATION = {"latitude": "", "longitude": "", "location": ""}


def _rows(count: int, crime_type: str, place: dict[str, str], month: str) -> list[list[str]]:
    # Context differs per row so that each crime has its own Crime ID.
    return [
        street_row(month=month, crime_type=crime_type, context=f"{crime_type} {index}", **place)
        for index in range(count)
    ]


# Month -> rows. The page's twelve months are 2016-08 to 2017-07, the year earlier
# 2015-08 to 2016-07; 2015-07 is in neither.
FILES = {
    "2017-07": [
        *_rows(3, "Burglary", PARK_LANE, "2017-07"),
        *_rows(1, "Burglary", ELM_STREET, "2017-07"),
        *_rows(2, "Anti-social behaviour", PARK_LANE, "2017-07"),
        *_rows(1, "Vehicle crime", NO_LOCATION, "2017-07"),
        *_rows(1, "Burglary", FAR_ROAD, "2017-07"),
        *_rows(9, "Robbery", MARKET_STREET, "2017-07"),
    ],
    "2017-01": _rows(1, "Vehicle crime", ELM_STREET, "2017-01"),
    "2016-07": _rows(2, "Burglary", PARK_LANE, "2016-07"),
    "2015-12": _rows(1, "Drugs", PARK_LANE, "2015-12"),
    "2015-07": _rows(5, "Robbery", PARK_LANE, "2015-07"),
}


@pytest.fixture
def ballard(force):
    neighbourhood = NeighbourhoodFactory(
        force=force,
        code="N-BAL",
        name="Ballard",
        population=6000,
        boundary=square(-122.40, 47.66),
    )
    places_services.mark_boundaries_changed()
    return neighbourhood


@pytest.fixture
def imported(fremont, ballard, tmp_path: Path):
    for month, rows in FILES.items():
        write_street_file(tmp_path, rows, month=month)
    result = import_police_uk(paths=[tmp_path], force_slug="seattle")
    assert not result.refused, result.refused
    return result


def _text(html: str) -> str:
    """The page's text with tags dropped and white space collapsed, as a reader hears it."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _table(html: str, table_id: str) -> list[list[str]]:
    """The rows of a table (head, body and foot) as lists of cell texts."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert table, f"no table {table_id}"
    return [
        [_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), re.S)
    ]


def _trend_table(html: str) -> list[list[str]]:
    details = re.search(r'<details[^>]*id="trend-table".*?</details>', html, re.S)
    assert details, "no trend table"
    return _table(details.group(0).replace("<table", '<table id="trend"', 1), "trend")


def test_the_trend_table_gives_each_months_count_and_the_year_earlier(client: Client, imported):
    html = client.get(PAGE_URL).content.decode()

    rows = _trend_table(html)
    assert rows[0] == ["Month", "Incidents", "A year earlier"]
    by_month = {row[0]: row[1:] for row in rows[1:-1]}
    assert [rows[1][0], rows[-2][0]] == ["August 2016", "July 2017"]
    assert by_month["July 2017"] == ["6", "2"]
    assert by_month["January 2017"] == ["1", "0"]
    assert by_month["December 2016"] == ["0", "1"]
    assert by_month["March 2017"] == ["0", "0"]
    assert rows[-1] == ["Total", "7", "3"]


def test_the_category_table_gives_totals_year_earlier_and_change(client: Client, imported):
    # The robberies of 2015-07 fall in neither period, and Ballard's are Ballard's.
    html = client.get(PAGE_URL).content.decode()

    rows = _table(html, "category-table")
    assert rows[1:] == [
        ["Burglary", "4", "2", "up 100%"],
        ["Anti-social behaviour", "2", "0", "new"],
        ["Vehicle crime", "1", "0", "new"],
        ["Drugs", "0", "1", "down 100%"],
        ["All crime", "7", "3", "up 133%"],
    ]


def test_each_category_links_to_its_view_of_the_page_keeping_the_month(client: Client, imported):
    html = client.get(PAGE_URL, {"month": "2017-07"}).content.decode()

    assert f'href="{PAGE_URL}?month=2017-07&amp;category=burglary"' in html
    assert f'href="{PAGE_URL}?month=2017-07"' in html


def test_the_caveats_count_the_forces_incidents_without_a_place_or_outside_every_neighbourhood(
    client: Client, imported
):
    text = _text(client.get(PAGE_URL).content.decode())

    assert "1 incident recorded by Seattle Police had no location" in text
    assert "1 incident recorded by Seattle Police fell outside every neighbourhood" in text
    assert "not all crime" in text
    assert "On or near …" in text
    assert "Beatbridge" in text and "Not for emergencies." in text


def test_when_every_incident_is_in_a_neighbourhood_the_caveat_says_so(
    client: Client, fremont, tmp_path: Path
):
    write_street_file(tmp_path, _rows(2, "Burglary", PARK_LANE, "2017-07"), month="2017-07")
    import_police_uk(paths=[tmp_path], force_slug="seattle")

    text = _text(client.get(PAGE_URL).content.decode())

    assert "every incident recorded by Seattle Police had a location inside one of its" in text
    assert "had no location" not in text


def test_the_lead_names_the_twelve_months_and_the_source(client: Client, imported):
    text = _text(client.get(PAGE_URL).content.decode())

    assert "Crime and anti-social behaviour in Fremont" in text
    assert (
        "All crime and anti-social behaviour recorded in the 12 months from August 2016 to "
        "July 2017, "
        "from the open data Seattle Police publishes." in text
    )


def test_the_rate_per_resident_is_compared_with_the_forces(client: Client, imported):
    text = _text(client.get(PAGE_URL).content.decode())

    # Fremont: 7 over 24,000 residents; the force: 7 + 9 over 30,000.
    assert "0.3 crimes and incidents of anti-social behaviour were recorded for every 1,000" in text
    assert "it was 0.5 for every 1,000 residents" in text
    assert "The rate in Fremont is lower than across the force." in text


def test_without_a_population_the_page_gives_no_rate_and_says_why(
    client: Client, fremont, imported
):
    fremont.population = None
    fremont.save(update_fields=["population"])

    text = _text(client.get(PAGE_URL).content.decode())

    assert "We do not know how many people live in Fremont" in text
    # Fremont is left out of both sides of the force's rate: Ballard's 9 over 6,000.
    assert "it was 1.5 for every 1,000 residents" in text
    assert "is lower than" not in text


def test_the_street_points_list_the_most_incidents_first(client: Client, imported):
    html = client.get(PAGE_URL).content.decode()

    assert _table(html, "points-table")[1:] == [
        ["On or near Park Lane", "5"],
        ["On or near Elm Street", "2"],
    ]


def test_choosing_a_category_shows_its_trend_categories_and_streets(client: Client, imported):
    response = client.get(PAGE_URL, {"category": "burglary"})
    html = response.content.decode()

    assert response.status_code == 200
    rows = _trend_table(html)
    assert {row[0]: row[1:] for row in rows[1:-1]}["July 2017"] == ["4", "2"]
    assert rows[-1] == ["Total", "4", "2"]
    assert _table(html, "points-table")[1:] == [
        ["On or near Park Lane", "3"],
        ["On or near Elm Street", "1"],
    ]
    assert 'aria-current="true">Burglary</a>' in html
    assert '<option value="burglary" selected>' in html


def test_choosing_an_earlier_month_moves_the_twelve_months(client: Client, imported):
    html = client.get(PAGE_URL, {"month": "2016-07"}).content.decode()

    rows = _trend_table(html)
    assert rows[1][0] == "August 2015" and rows[-2][0] == "July 2016"
    # A year before July 2016 is July 2015, with its five robberies.
    assert rows[-1] == ["Total", "3", "5"]
    assert '<option value="2016-07" selected>' in html


def test_a_category_with_nothing_here_says_so_without_a_chart(client: Client, imported):
    html = client.get(PAGE_URL, {"category": "shoplifting"}).content.decode()

    assert "None of this kind was recorded in Fremont" in _text(html)
    assert "<svg" not in html


def test_the_chart_draws_both_periods_with_the_year_earlier_dashed(client: Client, imported):
    html = client.get(PAGE_URL).content.decode()

    chart = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in chart
    assert "All crime in Fremont, month by month" in chart
    assert chart.count("<polyline") >= 2
    assert 'stroke-dasharray="6 4"' in chart


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"month": "2017-13"}, "month", "There are no figures for “2017-13”"),
        ({"month": "2001-01"}, "month", "There are no figures for “2001-01”"),
        ({"month": "July"}, "month", "There are no figures for “July”"),
        ({"category": "jaywalking"}, "category", "“jaywalking” is not a category of crime"),
    ],
)
def test_a_bad_choice_is_a_message_on_its_field_with_the_defaults_shown(
    client: Client, imported, query, field, message
):
    response = client.get(PAGE_URL, query)
    html = response.content.decode()

    assert response.status_code == 400
    error = re.search(rf'<p class="errorlist" id="id_{field}_error">(.*?)</p>', html, re.S)
    assert error and message in _text(error.group(1))
    assert re.search(rf'<select name="{field}"[^>]*aria-describedby="[^"]*id_{field}_error', html)
    # The defaults stand in: all crime over the latest twelve months.
    assert _trend_table(html)[-1] == ["Total", "7", "3"]


def test_a_neighbourhood_with_no_crime_says_so_plainly(client: Client, imported, force):
    NeighbourhoodFactory(force=force, code="N-QUI", name="Quiet", boundary=square(-122.2, 47.5))
    url = reverse("crimedata:neighbourhood_crime", kwargs={"force": "seattle", "code": "N-QUI"})

    response = client.get(url)
    html = response.content.decode()

    assert response.status_code == 200
    assert "No crime or anti-social behaviour was recorded in Quiet" in _text(html)
    assert "<svg" not in html
    assert "No incident in these months was placed on a street here." in _text(html)


def test_a_force_without_figures_says_so_plainly(client: Client, fremont):
    response = client.get(PAGE_URL)

    assert response.status_code == 200
    assert "Seattle Police has not published any crime figures here yet." in _text(
        response.content.decode()
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"force": "nowhere", "code": "N-FRE"},
        {"force": "seattle", "code": "N-NONE"},
    ],
)
@pytest.mark.parametrize(
    "name",
    [
        "crimedata:neighbourhood_crime",
        "crimedata:neighbourhood_crime_csv",
        "crimedata:neighbourhood_outcomes_csv",
        "crimedata:neighbourhood_crime_points",
    ],
)
def test_an_unknown_force_or_neighbourhood_is_404(client: Client, fremont, kwargs, name):
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 404


def test_the_page_is_public_and_the_same_for_a_signed_in_resident(client: Client, imported):
    anonymous = client.get(PAGE_URL)
    client.force_login(UserFactory())
    signed_in = client.get(PAGE_URL)

    assert anonymous.status_code == signed_in.status_code == 200
    assert "Sign out" in signed_in.content.decode()
    for html in (anonymous.content.decode(), signed_in.content.decode()):
        assert _table(html, "category-table")[-1] == ["All crime", "7", "3", "up 133%"]
        assert _table(html, "outcomes-table")[-1] == ["All crimes", "5", "100%"]


def test_the_page_takes_a_fixed_number_of_queries(
    client: Client, imported, django_assert_max_num_queries
):
    # The neighbourhood, the months offered, the dashboard's three, the street points, the
    # outcomes.
    with django_assert_max_num_queries(7):
        assert client.get(PAGE_URL, {"category": "burglary"}).status_code == 200


def test_the_signed_in_page_takes_a_fixed_number_of_queries(
    client: Client, imported, django_assert_max_num_queries
):
    client.force_login(UserFactory())
    with django_assert_max_num_queries(10):
        assert client.get(PAGE_URL).status_code == 200


def test_the_neighbourhood_page_links_to_the_crime_page(client: Client, fremont):
    html = client.get(reverse("places:neighbourhood", kwargs=FREMONT)).content.decode()

    assert f'href="{PAGE_URL}"' in html
    assert "Crime and anti-social behaviour" in html


# --- downloads --------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_holds_each_month_and_category_with_the_year_earlier(client: Client, imported):
    response = client.get(CSV_URL, {"month": "2017-07"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="crime-seattle-N-FRE-2016-08-to-2017-07.csv"'
    )
    rows = _csv(response)
    assert rows[0] == ["month", "category", "count", "year_earlier_count"]
    body = rows[1:]
    assert len(body) == 12 * 4
    assert ["2017-07", "burglary", "4", "2"] in body
    assert ["2017-07", "anti-social-behaviour", "2", "0"] in body
    assert ["2016-12", "drugs", "0", "1"] in body
    assert sum(int(row[2]) for row in body) == 7
    assert sum(int(row[3]) for row in body) == 3


def test_the_csv_of_one_category_has_a_row_per_month(client: Client, imported):
    response = client.get(CSV_URL, {"month": "2017-07", "category": "burglary"})

    rows = _csv(response)[1:]
    assert [row[0] for row in rows] == [f"{m}" for m in _months("2016-08", 12)]
    assert {row[1] for row in rows} == {"burglary"}
    assert rows[-1] == ["2017-07", "burglary", "4", "2"]
    assert response["Content-Disposition"].endswith('2016-08-to-2017-07-burglary.csv"')


def _months(first: str, count: int) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    found = []
    for _index in range(count):
        found.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def test_the_geojson_holds_the_street_points_with_their_counts(client: Client, imported):
    response = client.get(GEOJSON_URL, {"category": "burglary"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Disposition"] == (
        'attachment; filename="crime-points-seattle-N-FRE-2016-08-to-2017-07-burglary.geojson"'
    )
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    assert [
        (
            feature["properties"]["name"],
            feature["properties"]["count"],
            feature["geometry"]["coordinates"],
        )
        for feature in collection["features"]
    ] == [
        ("On or near Park Lane", 3, [-122.345, 47.655]),
        ("On or near Elm Street", 1, [-122.342, 47.652]),
    ]
    assert {feature["properties"]["period"] for feature in collection["features"]} == {
        "2016-08/2017-07"
    }
    assert {feature["properties"]["category"] for feature in collection["features"]} == {"burglary"}


def test_the_page_links_to_downloads_of_what_it_shows(client: Client, imported):
    html = client.get(PAGE_URL, {"category": "burglary"}).content.decode()

    assert f'href="{CSV_URL}?month=2017-07&amp;category=burglary"' in html
    assert f'href="{GEOJSON_URL}?month=2017-07&amp;category=burglary"' in html
    assert f'href="{OUTCOMES_CSV_URL}?month=2017-07&amp;category=burglary"' in html


@pytest.mark.parametrize("url", [CSV_URL, OUTCOMES_CSV_URL, GEOJSON_URL])
@pytest.mark.parametrize(
    ("query", "field"), [({"month": "2017-13"}, "month"), ({"category": "nope"}, "category")]
)
def test_a_download_with_a_bad_choice_is_400_naming_the_field(
    client: Client, imported, url, query, field
):
    response = client.get(url, query)

    assert response.status_code == 400
    assert response.content.decode().startswith(f"{field}: ")


@pytest.mark.parametrize("url", [CSV_URL, OUTCOMES_CSV_URL, GEOJSON_URL])
def test_an_unchanged_download_is_answered_with_304(client: Client, imported, url):
    first = client.get(url)
    again = client.get(url, headers={"if-none-match": first["ETag"]})

    assert first["Cache-Control"] == "public, no-cache"
    assert again.status_code == 304


def test_downloads_of_a_force_without_figures_are_empty(client: Client, fremont):
    assert _csv(client.get(CSV_URL)) == [["month", "category", "count", "year_earlier_count"]]
    assert json.loads(client.get(GEOJSON_URL).content)["features"] == []
    assert _csv(client.get(OUTCOMES_CSV_URL)) == [["category", "outcome", "count"]]


# --- what happened next ------------------------------------------------------------------------

# The first of July's Park Lane burglaries, as FILES writes it.
SENT_TO_PRISON = crime_id(
    "2017-07Burglary{latitude}{longitude}{location}Burglary 0".format(**PARK_LANE)
)


@pytest.fixture
def one_sent_to_prison(imported, tmp_path: Path):
    """An outcomes file of August 2017: one of Fremont's July burglaries ends in prison."""
    folder = tmp_path / "outcomes"
    write_outcomes_file(
        folder,
        [outcome_row(reference=SENT_TO_PRISON, outcome="Offender sent to prison", **PARK_LANE)],
        month="2017-08",
    )
    result = import_police_uk(paths=[folder], force_slug="seattle")
    assert not result.refused, result.refused


def test_what_happened_next_gives_each_latest_outcome_with_its_share(
    client: Client, one_sent_to_prison
):
    html = client.get(PAGE_URL).content.decode()

    assert _table(html, "outcomes-table") == [
        ["Latest outcome", "Crimes", "Share"],
        ["Under investigation", "4", "80%"],
        ["Offender sent to prison", "1", "20%"],
        ["All crimes", "5", "100%"],
    ]
    text = _text(html)
    assert "the latest outcome Seattle Police has recorded so far" in text
    assert "Recent crimes are often still under investigation" in text
    assert (
        "Police data gives no outcomes for anti-social behaviour, so the 2 incidents of "
        "anti-social behaviour in these months are not counted here." in text
    )


def test_the_outcomes_chart_draws_a_bar_per_outcome(client: Client, one_sent_to_prison):
    html = client.get(PAGE_URL).content.decode()

    chart = re.search(r'<svg[^>]*aria-labelledby="crime-outcomes-title.*?</svg>', html, re.S)
    assert chart, "no outcomes chart"
    assert chart.group(0).count("<rect") == 2
    assert "Offender sent to prison" in chart.group(0)


def test_crimes_with_no_outcome_given_are_a_row_of_their_own(
    client: Client, fremont, tmp_path: Path
):
    rows = [
        street_row(crime_type="Burglary", outcome="", context="0", **PARK_LANE),
        street_row(crime_type="Burglary", context="1", **PARK_LANE),
    ]
    write_street_file(tmp_path, rows, month="2017-07")
    import_police_uk(paths=[tmp_path], force_slug="seattle")

    html = client.get(PAGE_URL).content.decode()

    assert _table(html, "outcomes-table")[1:] == [
        ["Under investigation", "1", "50%"],
        ["No outcome given", "1", "50%"],
        ["All crimes", "2", "100%"],
    ]
    assert "Seattle Police has published no outcome at all" in _text(html)
    assert "anti-social behaviour in these months" not in _text(html)


def test_anti_social_behaviour_alone_says_it_has_no_outcomes_instead_of_a_table(
    client: Client, imported
):
    html = client.get(PAGE_URL, {"category": "anti-social-behaviour"}).content.decode()

    assert 'id="outcomes-table"' not in html
    assert "Police data gives no outcomes for anti-social behaviour, so there is nothing" in (
        _text(html)
    )


def test_a_category_without_crimes_here_says_there_is_no_outcome(client: Client, imported):
    html = client.get(PAGE_URL, {"category": "shoplifting"}).content.decode()

    assert 'id="outcomes-table"' not in html
    assert "No crime of this kind was recorded in Fremont in these months, so there is no" in (
        _text(html)
    )


def test_the_outcomes_are_inside_the_figures_htmx_swaps(client: Client, imported):
    html = client.get(PAGE_URL, {"category": "burglary"}).content.decode()

    figures = html.index('<div id="crime-figures">')
    assert figures < html.index('id="outcomes-heading"') < html.index('id="downloads-heading"')
    assert _table(html, "outcomes-table")[-1] == ["All crimes", "4", "100%"]


def test_the_outcomes_csv_holds_each_category_and_latest_outcome(
    client: Client, one_sent_to_prison
):
    response = client.get(OUTCOMES_CSV_URL, {"month": "2017-07"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="crime-outcomes-seattle-N-FRE-2016-08-to-2017-07.csv"'
    )
    assert _csv(response) == [
        ["category", "outcome", "count"],
        ["anti-social-behaviour", "", "2"],
        ["burglary", "imprisoned", "1"],
        ["burglary", "under-investigation", "3"],
        ["vehicle-crime", "under-investigation", "1"],
    ]


def test_the_outcomes_csv_of_one_category_holds_only_it(client: Client, one_sent_to_prison):
    response = client.get(OUTCOMES_CSV_URL, {"category": "vehicle-crime"})

    assert _csv(response)[1:] == [["vehicle-crime", "under-investigation", "1"]]
    assert response["Content-Disposition"].endswith('2016-08-to-2017-07-vehicle-crime.csv"')


# --- the map ----------------------------------------------------------------------------------


def test_the_map_reads_the_street_points_of_the_choice_within_the_boundary(
    client: Client, imported
):
    html = client.get(PAGE_URL, {"category": "burglary"}).content.decode()

    points_url = f"{GEOJSON_URL}?month=2017-07&amp;category=burglary"
    assert re.search(
        rf'<div class="map" hidden data-map [^>]*data-points-url="{re.escape(points_url)}"', html
    )
    assert 'data-boundary="crime-map-boundary"' in html
    boundary = re.search(
        r'<script id="crime-map-boundary" type="application/json">(.*?)</script>', html
    )
    assert json.loads(boundary.group(1))["type"] == "Polygon"
    # Without script the map stays hidden: the table of places is what everyone gets.
    assert 'id="points-table"' in html
    assert "vendor/leaflet/leaflet.js" in html and "web/map.js" in html


def test_there_is_no_map_without_street_points(client: Client, imported):
    html = client.get(PAGE_URL, {"category": "shoplifting"}).content.decode()

    assert "data-points-url" not in html

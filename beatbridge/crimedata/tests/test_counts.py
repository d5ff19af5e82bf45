from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path

import pytest

from beatbridge.crimedata.categories import CRIME_TYPES
from beatbridge.crimedata.importing import import_police_uk
from beatbridge.crimedata.selectors import counts
from beatbridge.crimedata.tests.files import crime_id, street_row, write_street_file
from beatbridge.places import selectors as places_selectors
from beatbridge.places import services as places_services
from beatbridge.places.tests.factories import ForceFactory, NeighbourhoodFactory, square

pytestmark = pytest.mark.django_db

# Street points: two in Fremont (population 24,000), one each in Wallingford (6,000)
# and Ballard (population unknown), one outside every neighbourhood.
PARK_LANE = {"latitude": "47.655", "longitude": "-122.345", "location": "On or near Park Lane"}
TROLL_AVENUE = {"latitude": "47.652", "longitude": "-122.348", "location": "On or near Troll Ave"}
WALLINGFORD = {"latitude": "47.655", "longitude": "-122.335", "location": "On or near 45th St"}
BALLARD = {"latitude": "47.665", "longitude": "-122.385", "location": "On or near Market St"}
OUTSIDE = {"latitude": "47.0", "longitude": "-122.0", "location": "On or near Far Road"}
NOWHERE = {"latitude": "", "longitude": ""}

# (month, crime type, place, how many)
INCIDENTS = [
    ("2024-06", "Burglary", PARK_LANE, 3),
    ("2024-06", "Anti-social behaviour", TROLL_AVENUE, 1),
    ("2024-06", "Drugs", TROLL_AVENUE, 1),
    ("2024-01", "Vehicle crime", PARK_LANE, 2),
    # A year before the window's last month, outside the window.
    ("2023-06", "Burglary", PARK_LANE, 4),
    ("2023-06", "Other theft", NOWHERE, 1),
    # A category only in the year-earlier months.
    ("2022-09", "Robbery", PARK_LANE, 1),
    # Before both the window and the year before it.
    ("2022-06", "Shoplifting", PARK_LANE, 5),
    ("2024-03", "Burglary", WALLINGFORD, 6),
    ("2024-03", "Drugs", BALLARD, 10),
    ("2024-02", "Burglary", OUTSIDE, 2),
    ("2024-02", "Other theft", NOWHERE, 3),
]


def street_rows(incidents: list[tuple[str, str, dict[str, str], int]]) -> list[list[str]]:
    rows = []
    for number, (month, crime_type, place, many) in enumerate(incidents):
        for copy in range(many):
            reference = "" if crime_type == "Anti-social behaviour" else None
            rows.append(
                street_row(
                    month=month,
                    crime_type=crime_type,
                    reference=reference
                    if reference is not None
                    else crime_id(f"{number}-{copy}-{month}"),
                    **place,
                )
            )
    return rows


def import_incidents(
    folder: Path, incidents: list[tuple[str, str, dict[str, str], int]], *, force: str = "seattle"
) -> None:
    """Import the incidents through a police.uk street-level file (one file may hold
    several months: one import, which the tests' speed needs)."""
    write_street_file(folder, street_rows(incidents), month=incidents[0][0])
    result = import_police_uk(paths=[folder], force_slug=force)
    assert not result.refused


@pytest.fixture
def seattle(tmp_path, fremont):
    """Fremont and three other places of the Seattle force, with INCIDENTS imported."""
    NeighbourhoodFactory(
        force=fremont.force, code="N-WAL", population=6000, boundary=square(-122.34, 47.65)
    )
    NeighbourhoodFactory(
        force=fremont.force, code="N-BAL", population=None, boundary=square(-122.39, 47.66)
    )
    places_services.mark_boundaries_changed()
    import_incidents(tmp_path, INCIDENTS)
    return fremont


def month(text: str) -> datetime.date:
    return datetime.date(int(text[:4]), int(text[5:]), 1)


# --- the dashboard ------------------------------------------------------------------------


def test_dashboard_shows_twelve_months_ending_at_the_forces_latest(seattle):
    dashboard = counts.neighbourhood_dashboard(seattle)

    assert dashboard.months[0] == month("2023-07")
    assert dashboard.months[-1] == month("2024-06")
    assert len(dashboard.months) == 12
    assert dashboard.year_earlier_months[-1] == month("2023-06")


def test_dashboard_series_equal_what_the_files_hold(seattle):
    dashboard = counts.neighbourhood_dashboard(seattle)

    series = {item.category: item for item in dashboard.categories}
    june = dashboard.months.index(month("2024-06"))
    january = dashboard.months.index(month("2024-01"))
    assert series["burglary"].counts[june] == 3
    assert series["burglary"].total == 3
    assert series["vehicle-crime"].counts[january] == 2
    assert series["anti-social-behaviour"].total == 1
    assert series["drugs"].total == 1
    assert dashboard.total == 7
    assert dashboard.totals[june] == 5
    assert dashboard.totals_by_category == {
        "burglary": 3,
        "vehicle-crime": 2,
        "anti-social-behaviour": 1,
        "drugs": 1,
        "robbery": 0,
    }


def test_dashboard_compares_each_month_with_the_same_month_a_year_earlier(seattle):
    dashboard = counts.neighbourhood_dashboard(seattle)

    series = {item.category: item for item in dashboard.categories}
    june = dashboard.months.index(month("2024-06"))
    september = dashboard.months.index(month("2023-09"))
    assert series["burglary"].year_earlier[june] == 4
    assert series["burglary"].year_earlier_total == 4
    assert series["robbery"].year_earlier[september] == 1
    assert series["robbery"].counts == (0,) * 12
    assert dashboard.year_earlier_total == 5


def test_dashboard_lists_categories_seen_in_either_year_most_first(seattle):
    dashboard = counts.neighbourhood_dashboard(seattle)

    # Shoplifting (2022-06) is before both windows; other neighbourhoods' drugs are theirs.
    assert [item.category for item in dashboard.categories] == [
        "burglary",
        "vehicle-crime",
        "anti-social-behaviour",  # ties in police.uk's order
        "drugs",
        "robbery",
    ]
    assert dashboard.categories[0].name == "Burglary"


def test_dashboard_rates_are_per_thousand_residents(seattle):
    dashboard = counts.neighbourhood_dashboard(seattle)

    assert dashboard.rate == pytest.approx(7 * 1000 / 24000)
    # Fremont and Wallingford; Ballard's population is unknown, so its incidents are left out.
    assert dashboard.force_rate == pytest.approx((7 + 6) * 1000 / (24000 + 6000))


def test_dashboard_rates_are_none_where_populations_are_unknown(tmp_path, force):
    ballard = NeighbourhoodFactory(
        force=force, code="N-BAL", population=None, boundary=square(-122.39, 47.66)
    )
    places_services.mark_boundaries_changed()
    import_incidents(tmp_path, [("2024-03", "Drugs", BALLARD, 2)])

    dashboard = counts.neighbourhood_dashboard(ballard)

    assert dashboard.total == 2
    assert dashboard.rate is None
    assert dashboard.force_rate is None


def test_dashboard_states_the_forces_incidents_it_cannot_place(seattle):
    dashboard = counts.neighbourhood_dashboard(seattle)

    # Over the window only: the 2023-06 incident without a location is before it.
    assert dashboard.force_without_location == 3
    assert dashboard.force_outside_neighbourhoods == 2


def test_dashboard_ends_at_the_month_asked_for(seattle):
    dashboard = counts.neighbourhood_dashboard(
        seattle, last_month=datetime.date(2023, 6, 15), months=3
    )

    assert dashboard.months == (month("2023-04"), month("2023-05"), month("2023-06"))
    # Shoplifting of 2022-06 is now in the year-earlier months.
    assert dashboard.totals_by_category == {"burglary": 4, "shoplifting": 0}
    assert dashboard.year_earlier_totals == (0, 0, 5)
    assert dashboard.force_without_location == 1


def test_dashboard_reads_only_the_rollups_in_four_queries(seattle, django_assert_num_queries):
    neighbourhood = places_selectors.get_neighbourhood("seattle", "N-FRE")

    # latest month, the neighbourhood's counts, the force's totals, the populations
    with django_assert_num_queries(4) as captured:
        counts.neighbourhood_dashboard(neighbourhood)

    assert not any("crimedata_incident" in query["sql"] for query in captured.captured_queries)


def test_dashboard_for_a_given_month_takes_three_queries(seattle, django_assert_num_queries):
    neighbourhood = places_selectors.get_neighbourhood("seattle", "N-FRE")

    with django_assert_num_queries(3):
        counts.neighbourhood_dashboard(neighbourhood, last_month=month("2024-06"))


def test_dashboard_of_a_force_without_data_is_empty(fremont):
    dashboard = counts.neighbourhood_dashboard(fremont)

    assert not dashboard.has_data
    assert dashboard.categories == ()
    assert dashboard.rate is None


# --- latest month and counts --------------------------------------------------------------


def test_latest_month_is_the_forces_own(seattle, tmp_path):
    ForceFactory(slug="tacoma")
    import_incidents(tmp_path / "tacoma", [("2024-09", "Drugs", OUTSIDE, 1)], force="tacoma")

    assert counts.latest_month(seattle.force) == month("2024-06")
    assert counts.latest_month() == month("2024-09")
    assert counts.latest_month(ForceFactory()) is None


def test_counted_months_run_from_the_forces_first_to_its_latest(seattle, django_assert_num_queries):
    with django_assert_num_queries(1):
        months = counts.counted_months(seattle.force)

    assert (months[0], months[-1], len(months)) == (month("2022-06"), month("2024-06"), 25)
    assert counts.counted_months(ForceFactory()) == []


def test_neighbourhood_counts_equal_what_the_files_hold(seattle):
    rows = counts.monthly_counts(
        neighbourhood=seattle, first_month=month("2022-01"), last_month=month("2024-12")
    )

    expected = Counter()
    for month_text, crime_type, place, many in INCIDENTS:
        if place in (PARK_LANE, TROLL_AVENUE):
            expected[month(month_text), CRIME_TYPES[crime_type]] += many
    assert {(row.month, row.category): row.incidents for row in rows} == expected
    assert [row.month for row in rows] == sorted(row.month for row in rows)


def test_force_counts_include_and_label_incidents_outside_neighbourhoods(seattle):
    rows = counts.monthly_counts(
        force=seattle.force, first_month=month("2024-02"), last_month=month("2024-03")
    )

    assert [
        (row.month, row.category, row.incidents, row.outside_neighbourhoods, row.without_location)
        for row in rows
    ] == [
        (month("2024-02"), "burglary", 2, 2, 0),
        (month("2024-02"), "other-theft", 3, 0, 3),
        (month("2024-03"), "burglary", 6, 0, 0),
        (month("2024-03"), "drugs", 10, 0, 0),
    ]
    assert rows[2].in_neighbourhoods == 6


def test_counts_of_one_category(seattle):
    rows = counts.monthly_counts(
        force=seattle.force,
        first_month=month("2023-01"),
        last_month=month("2024-12"),
        category="burglary",
    )

    assert [(row.month, row.incidents) for row in rows] == [
        (month("2023-06"), 4),
        (month("2024-02"), 2),
        (month("2024-03"), 6),
        (month("2024-06"), 3),
    ]


def test_totals_add_up_the_counts_most_frequent_first(seattle):
    found = counts.crime_counts(force=seattle.force)

    assert (found.first_month, found.last_month) == (month("2023-07"), month("2024-06"))
    assert found.totals.incidents == 7 + 6 + 10 + 5
    assert found.totals.by_category[:2] == (("burglary", 11), ("drugs", 11))
    assert found.totals.without_location == 3
    assert found.totals.outside_neighbourhoods == 2


def test_a_first_month_after_the_last_is_refused(seattle):
    from beatbridge.errors import DomainError

    with pytest.raises(DomainError) as refused:
        counts.crime_counts(
            force=seattle.force, first_month=month("2024-06"), last_month=month("2024-01")
        )

    assert refused.value.field == "month_from"


# --- street points ------------------------------------------------------------------------


def test_point_counts_put_the_busiest_street_points_first(seattle):
    points = counts.point_counts(seattle, first_month=month("2023-07"), last_month=month("2024-06"))

    assert [(point.name, point.incidents) for point in points] == [
        ("On or near Park Lane", 5),
        ("On or near Troll Ave", 2),
    ]
    assert (points[0].latitude, points[0].longitude) == (47.655, -122.345)


def test_point_counts_of_one_category_and_period(seattle, django_assert_num_queries):
    with django_assert_num_queries(1):
        points = counts.point_counts(
            seattle, first_month=month("2022-01"), last_month=month("2023-12"), category="burglary"
        )

    assert [(point.name, point.incidents) for point in points] == [("On or near Park Lane", 4)]

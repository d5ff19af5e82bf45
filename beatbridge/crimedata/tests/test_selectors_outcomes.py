"""What happened next: a neighbourhood's crimes by latest outcome, read from the rollup that
imports of street-level and outcomes files keep."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import translation

from beatbridge.crimedata.importing import import_police_uk
from beatbridge.crimedata.selectors.outcomes import outcome_summary
from beatbridge.crimedata.tests.files import (
    crime_id,
    outcome_row,
    street_row,
    write_outcomes_file,
    write_street_file,
)

pytestmark = pytest.mark.django_db

JULY = datetime.date(2017, 7, 1)
# The twelve months up to July 2017, as the crime page shows them.
FIRST = datetime.date(2016, 8, 1)
# Inside Fremont (conftest's 0.01° square from -122.35, 47.65), and inside no neighbourhood.
PARK_LANE = {"latitude": "47.655", "longitude": "-122.345", "location": "On or near Park Lane"}
FAR_ROAD = {"latitude": "47.8", "longitude": "-122.2", "location": "On or near Far Road"}
CHARGED_LATER = crime_id("the burglary an outcomes file settles")


def _row(crime_type: str, outcome: str, index: int, **options) -> list[str]:
    place = options.pop("place", PARK_LANE)
    return street_row(
        month=options.pop("month", "2017-07"),
        crime_type=crime_type,
        outcome=outcome,
        context=f"{crime_type} {outcome} {index}",
        **place,
        **options,
    )


@pytest.fixture
def imported(fremont, tmp_path: Path):
    """Fremont in July 2017: five crimes with outcomes, one without, two of anti-social
    behaviour; then an August outcomes file sends one of the burglaries to prison."""
    rows = [
        _row("Burglary", "Under investigation", 0, reference=CHARGED_LATER),
        _row("Burglary", "Under investigation", 1),
        _row("Burglary", "Under investigation", 2),
        _row("Burglary", "Investigation complete; no suspect identified", 3),
        _row("Vehicle crime", "Investigation complete; no suspect identified", 4),
        _row("Vehicle crime", "", 5),
        _row("Anti-social behaviour", "", 6),
        _row("Anti-social behaviour", "", 7),
        # Outside Fremont, and before its twelve months: neither is counted.
        _row("Burglary", "Under investigation", 8, place=FAR_ROAD),
        _row("Burglary", "Under investigation", 9, month="2016-07"),
    ]
    for month in ("2017-07", "2016-07"):
        write_street_file(tmp_path, [row for row in rows if row[1] == month], month=month)
    write_outcomes_file(
        tmp_path,
        [outcome_row(reference=CHARGED_LATER, outcome="Offender sent to prison", **PARK_LANE)],
        month="2017-08",
    )
    result = import_police_uk(paths=[tmp_path], force_slug="seattle")
    assert not result.refused, result.refused
    return fremont


def test_crimes_are_counted_by_their_latest_outcome_most_first(imported):
    summary = outcome_summary(imported, first_month=FIRST, last_month=JULY)

    # The outcomes file moved one burglary from "under investigation" to prison; ties
    # keep police.uk's order of outcomes.
    assert [(row.outcome, row.crimes) for row in summary.outcomes] == [
        ("no-further-action", 2),
        ("under-investigation", 2),
        ("imprisoned", 1),
    ]
    assert (summary.crimes, summary.without_outcome) == (6, 1)
    assert [round(row.share, 1) for row in summary.outcomes] == [33.3, 33.3, 16.7]
    assert round(summary.without_outcome_share, 1) == 16.7


def test_anti_social_behaviour_is_counted_apart_as_it_never_has_an_outcome(imported):
    summary = outcome_summary(imported, first_month=FIRST, last_month=JULY)

    assert summary.anti_social_behaviour == 2
    assert ("anti-social-behaviour", "", 2) in summary.by_category


def test_a_category_counts_only_its_own_crimes(imported):
    summary = outcome_summary(imported, first_month=FIRST, last_month=JULY, category="burglary")

    assert [(row.outcome, row.crimes) for row in summary.outcomes] == [
        ("under-investigation", 2),
        ("no-further-action", 1),
        ("imprisoned", 1),
    ]
    assert (summary.crimes, summary.without_outcome, summary.anti_social_behaviour) == (4, 0, 0)


def test_only_anti_social_behaviour_gives_no_crimes_to_count(imported):
    summary = outcome_summary(
        imported, first_month=FIRST, last_month=JULY, category="anti-social-behaviour"
    )

    assert (summary.outcomes, summary.crimes, summary.anti_social_behaviour) == ((), 0, 2)


def test_the_months_before_the_window_are_left_out(imported):
    whole = outcome_summary(imported, first_month=datetime.date(2016, 7, 1), last_month=JULY)

    assert whole.crimes == 7


def test_the_download_rows_give_each_category_and_outcome(imported):
    summary = outcome_summary(imported, first_month=FIRST, last_month=JULY)

    assert summary.by_category == (
        ("anti-social-behaviour", "", 2),
        ("burglary", "imprisoned", 1),
        ("burglary", "no-further-action", 1),
        ("burglary", "under-investigation", 2),
        ("vehicle-crime", "", 1),
        ("vehicle-crime", "no-further-action", 1),
    )


def test_outcome_names_are_in_the_active_language(imported):
    with translation.override("es"):
        summary = outcome_summary(imported, first_month=FIRST, last_month=JULY)
        names = [row.name for row in summary.outcomes]

    assert names[-1] == "Infractor condenado a prisión"


def test_the_summary_is_one_query(imported, django_assert_num_queries):
    with django_assert_num_queries(1):
        outcome_summary(imported, first_month=FIRST, last_month=JULY)

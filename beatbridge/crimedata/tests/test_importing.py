from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from beatbridge.crimedata import importing
from beatbridge.crimedata.categories import CRIME_TYPES, outcome_types
from beatbridge.crimedata.importing import OUTCOME_COLUMNS, STREET_COLUMNS, import_police_uk
from beatbridge.crimedata.models import (
    CrimeImport,
    Incident,
    LocationType,
    MonthlyCount,
    Outcome,
    OutcomeMonthlyCount,
    PointMonthlyCount,
    StreetPoint,
)
from beatbridge.crimedata.tests.files import (
    FORCE_NAME,
    crime_id,
    csv_text,
    outcome_row,
    street_row,
    write_file,
    write_outcomes_file,
    write_street_file,
    write_zip,
)
from beatbridge.errors import DomainError
from beatbridge.places.models import Force
from beatbridge.places.tests.factories import ForceFactory

pytestmark = pytest.mark.django_db

CRIMEDATA_TABLES = [StreetPoint, Incident, Outcome, MonthlyCount, PointMonthlyCount, CrimeImport]
IN_FREMONT = {"latitude": "47.655", "longitude": "-122.345"}
NOWHERE = {"latitude": "51.5", "longitude": "-0.1", "location": "On or near Nowhere Lane"}
NO_LOCATION = {"latitude": "", "longitude": ""}


def table_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in [*CRIMEDATA_TABLES, Force]}


def assert_nothing_written(forces: int = 0) -> None:
    assert table_counts() == {
        **{model.__name__: 0 for model in CRIMEDATA_TABLES},
        "Force": forces,
    }


def assert_counts_match_incidents() -> None:
    """The rollups equal a GROUP BY of the incidents, row for row."""
    by_neighbourhood = {
        (row["force"], row["neighbourhood"], row["month"], row["category"]): (
            row["n"],
            row["no_point"],
        )
        for row in Incident.objects.order_by()
        .values("force", "neighbourhood", "month", "category")
        .annotate(n=Count("id"), no_point=Count("id", filter=Q(point__isnull=True)))
    }
    stored = [
        ((c.force_id, c.neighbourhood_id, c.month, c.category), (c.incidents, c.without_location))
        for c in MonthlyCount.objects.all()
    ]
    assert len(stored) == len(by_neighbourhood)
    assert dict(stored) == by_neighbourhood
    by_point = {
        (row["force"], row["point"], row["neighbourhood"], row["month"], row["category"]): row["n"]
        for row in Incident.objects.filter(point__isnull=False)
        .order_by()
        .values("force", "point", "neighbourhood", "month", "category")
        .annotate(n=Count("id"))
    }
    stored_points = [
        ((c.force_id, c.point_id, c.neighbourhood_id, c.month, c.category), c.incidents)
        for c in PointMonthlyCount.objects.all()
    ]
    assert len(stored_points) == len(by_point)
    assert dict(stored_points) == by_point
    by_outcome = {
        (row["force"], row["neighbourhood"], row["month"], row["category"], row["outcome"]): row[
            "n"
        ]
        for row in Incident.objects.order_by()
        .values("force", "neighbourhood", "month", "category", "outcome")
        .annotate(n=Count("id"))
    }
    stored_outcomes = [
        ((c.force_id, c.neighbourhood_id, c.month, c.category, c.outcome), c.incidents)
        for c in OutcomeMonthlyCount.objects.all()
    ]
    assert len(stored_outcomes) == len(by_outcome)
    assert dict(stored_outcomes) == by_outcome


def assert_points_exist() -> None:
    """Every incident's and outcome's point is a stored point (none lost to a rollback)."""
    points = set(StreetPoint.objects.values_list("pk", flat=True))
    assert set(Incident.objects.exclude(point=None).values_list("point", flat=True)) <= points
    assert set(Outcome.objects.exclude(point=None).values_list("point", flat=True)) <= points


def run(*paths: Path, **options) -> importing.ImportResult:
    return import_police_uk(paths=list(paths), **options)


def refusal_of(result: importing.ImportResult) -> importing.RefusedFile:
    assert result.imported == []
    (refused,) = result.refused
    return refused


def public_ids() -> list[int]:
    return sorted(Incident.objects.values_list("public_id", flat=True))


# --- what a street-level file becomes ------------------------------------------------


def test_a_street_file_becomes_incidents_of_the_force_it_names(tmp_path, fremont):
    path = write_street_file(
        tmp_path,
        [
            street_row(crime_type="Burglary", **IN_FREMONT),
            street_row(crime_type="Anti-social behaviour", **IN_FREMONT),
            street_row(crime_type="Drugs", **NOWHERE),
            street_row(crime_type="Burglary", **NO_LOCATION),
        ],
    )

    result = run(path)

    assert result.refused == []
    (summary,) = result.imported
    assert (summary.source, summary.kind, summary.force, summary.months) == (
        "2017-07-west-yorkshire-street.csv",
        "street",
        "west-yorkshire",
        ["2017-07"],
    )
    assert (summary.rows, summary.without_location, summary.outside_neighbourhoods) == (4, 1, 1)
    assert summary.by_category == {"burglary": 2, "anti-social-behaviour": 1, "drugs": 1}
    force = Force.objects.get(slug="west-yorkshire")
    assert force.name == FORCE_NAME
    assert list(
        Incident.objects.order_by("source_line").values_list(
            "source_line", "category", "neighbourhood__code"
        )
    ) == [
        (2, "burglary", "N-FRE"),
        (3, "anti-social-behaviour", "N-FRE"),
        (4, "drugs", None),
        (5, "burglary", None),
    ]
    record = CrimeImport.objects.get()
    assert (record.force, record.kind, record.months, record.rows) == (
        force,
        "street",
        ["2017-07"],
        4,
    )
    assert (record.without_location, record.outside_neighbourhoods) == (1, 1)
    assert_counts_match_incidents()


def test_an_existing_force_keeps_its_name(tmp_path):
    ForceFactory(slug="west-yorkshire", name="WYP")

    run(write_street_file(tmp_path, [street_row()]))

    assert Force.objects.get().name == "WYP"


def test_a_row_keeps_what_police_uk_says_of_it(tmp_path):
    reference = crime_id("kept")
    run(
        write_street_file(
            tmp_path,
            [street_row(reference=reference, outcome="Offender fined", context="Seen, twice")],
        )
    )

    incident = Incident.objects.get()
    assert (
        incident.reference,
        incident.month.isoformat(),
        incident.outcome,
        incident.outcome_month,
        incident.area_code,
        incident.area_name,
        incident.context,
        incident.location_type,
    ) == (
        reference,
        "2017-07-01",
        "fined",
        None,
        "E01011229",
        "Leeds 001A",
        "Seen, twice",
        LocationType.FORCE,
    )
    # police.uk's own numbering: the Crime ID's first 15 hex digits.
    assert incident.public_id == int(reference[:16], 16) >> 11
    assert incident.point.street_name == "On or near Park Lane"


def test_every_police_uk_crime_type_and_outcome_has_its_category(tmp_path):
    # Anti-social behaviour has no outcome; every other type takes outcomes in turn.
    crimes = sorted(set(CRIME_TYPES) - {"Anti-social behaviour"})
    outcomes = sorted(outcome_types())
    pairs = [(crimes[n % len(crimes)], outcome) for n, outcome in enumerate(outcomes)]
    pairs += [(crime, outcomes[0]) for crime in crimes]
    rows = [
        street_row(crime_type=crime, outcome=outcome, reference=crime_id(f"{crime}{outcome}"))
        for crime, outcome in pairs
    ]
    run(write_street_file(tmp_path, [*rows, street_row(crime_type="Anti-social behaviour")]))

    assert set(Incident.objects.values_list("category", "outcome")) == {
        *((CRIME_TYPES[crime], outcome_types()[outcome]) for crime, outcome in pairs),
        ("anti-social-behaviour", ""),
    }


def test_british_transport_police_rows_are_marked_btp(tmp_path):
    run(
        write_street_file(
            tmp_path,
            [
                street_row(reported_by="British Transport Police", crime_type="Robbery"),
                street_row(crime_type="Drugs"),
            ],
        )
    )

    assert dict(Incident.objects.values_list("category", "location_type")) == {
        "robbery": LocationType.BTP,
        "drugs": LocationType.FORCE,
    }


def test_a_crime_without_a_location_is_kept_without_a_point(tmp_path, fremont):
    result = run(write_street_file(tmp_path, [street_row(**NO_LOCATION)]))

    incident = Incident.objects.get()
    assert (incident.point, incident.neighbourhood) == (None, None)
    assert result.imported[0].without_location == 1
    assert result.imported[0].outside_neighbourhoods == 0
    assert StreetPoint.objects.count() == 0
    count = MonthlyCount.objects.get()
    assert (count.neighbourhood, count.incidents, count.without_location) == (None, 1, 1)
    assert PointMonthlyCount.objects.count() == 0


def test_incidents_take_the_neighbourhood_of_their_street_point(tmp_path, fremont):
    run(write_street_file(tmp_path, [street_row(**IN_FREMONT), street_row(**NOWHERE)]))

    points = dict(StreetPoint.objects.values_list("street_name", "neighbourhood"))
    assert points == {"On or near Park Lane": fremont.pk, "On or near Nowhere Lane": None}
    for incident in Incident.objects.select_related("point"):
        assert incident.neighbourhood_id == incident.point.neighbourhood_id


def test_a_street_point_already_stored_is_used_as_it_is(tmp_path, fremont):
    # Stored before Fremont's boundary reached it: its neighbourhood is the stored one.
    point = StreetPoint.objects.create(
        latitude=47.655, longitude=-122.345, street_name="On or near Park Lane"
    )

    run(write_street_file(tmp_path, [street_row(**IN_FREMONT)]))

    incident = Incident.objects.get()
    assert (incident.point, incident.neighbourhood) == (point, None)
    assert StreetPoint.objects.count() == 1


def test_the_same_place_written_two_ways_is_one_point(tmp_path):
    run(
        write_street_file(
            tmp_path,
            [
                street_row(latitude="53.80", longitude="-1.50", crime_type="Drugs"),
                street_row(latitude="53.8", longitude="-1.500", crime_type="Robbery"),
            ],
        )
    )

    assert StreetPoint.objects.count() == 1
    assert Incident.objects.values("point").distinct().count() == 1


def test_coordinates_keep_every_digit_so_a_second_import_finds_its_points(tmp_path):
    path = write_street_file(
        tmp_path,
        [
            street_row(latitude="53.796079123456789", longitude="-1.759398765432101"),
            street_row(latitude="0.1", longitude="0.2", crime_type="Drugs"),
            street_row(latitude="1e-7", longitude="-0.0", crime_type="Robbery"),
        ],
    )
    run(path)

    run(path)

    assert StreetPoint.objects.count() == 3
    assert_points_exist()


# --- ids --------------------------------------------------------------------------------


def test_anti_social_behaviour_gets_stable_ids_distinct_for_identical_rows(tmp_path):
    asb = street_row(crime_type="Anti-social behaviour")
    other = street_row(crime_type="Anti-social behaviour", location="On or near Mill Lane")
    path = write_street_file(tmp_path, [asb, asb, other])

    run(path)
    first = public_ids()
    run(path)

    assert Incident.objects.filter(reference="").count() == 3
    assert len(set(first)) == 3
    assert public_ids() == first
    assert all(0 <= number < 2**53 for number in first)


def test_a_crime_id_that_is_not_police_uk_hex_gets_a_number_of_its_own(tmp_path):
    hex_id = crime_id("x")
    # int(…, 16) would read this as the same number as hex_id.
    underscored = hex_id[:2] + "_" + hex_id[3:]
    run(
        write_street_file(
            tmp_path,
            [
                street_row(reference=hex_id),
                street_row(reference=underscored, crime_type="Drugs"),
                street_row(reference="-" + hex_id[1:], crime_type="Robbery"),
                street_row(reference="custom-42", crime_type="Shoplifting"),
            ],
        )
    )

    numbers = public_ids()
    assert len(set(numbers)) == 4
    assert all(0 <= number < 2**53 for number in numbers)


# --- re-importing -----------------------------------------------------------------------


def test_importing_a_month_again_replaces_it(tmp_path, fremont):
    july = [
        street_row(crime_type="Burglary", **IN_FREMONT),
        street_row(crime_type="Anti-social behaviour", **IN_FREMONT),
    ]
    path = write_street_file(tmp_path, july)
    run(path)
    ids = public_ids()
    run(path)

    assert Incident.objects.count() == 2
    assert public_ids() == ids
    assert CrimeImport.objects.count() == 2
    assert_counts_match_incidents()

    write_street_file(tmp_path, [street_row(crime_type="Drugs", **NOWHERE)])
    run(path)

    assert list(Incident.objects.values_list("category", flat=True)) == ["drugs"]
    assert_counts_match_incidents()
    assert not MonthlyCount.objects.filter(category="burglary").exists()


def test_importing_a_month_leaves_other_months_and_forces_be(tmp_path):
    june = write_street_file(tmp_path, [street_row(month="2017-06")], month="2017-06")
    july = write_street_file(tmp_path, [street_row(month="2017-07")], month="2017-07")
    btp = write_street_file(tmp_path, [street_row(month="2017-07")], month="2017-07", force="btp")
    run(june, july, btp)
    before = set(Incident.objects.values_list("force__slug", "month", "public_id"))

    run(july)

    assert set(Incident.objects.values_list("force__slug", "month", "public_id")) == before
    assert Incident.objects.count() == 3
    assert_counts_match_incidents()


def test_a_month_split_over_two_files_of_one_run_keeps_both(tmp_path):
    first = write_file(tmp_path / "a" / "july.csv", csv_text([street_row(crime_type="Drugs")]))
    second = write_file(tmp_path / "b" / "july.csv", csv_text([street_row(crime_type="Robbery")]))

    result = run(first, second, force_slug="west-yorkshire")

    assert len(result.imported) == 2
    assert sorted(Incident.objects.values_list("category", flat=True)) == ["drugs", "robbery"]
    assert_counts_match_incidents()

    run(second, force_slug="west-yorkshire")

    assert list(Incident.objects.values_list("category", flat=True)) == ["robbery"]
    assert_counts_match_incidents()


def test_a_file_named_twice_in_one_run_is_read_once(tmp_path):
    path = write_street_file(tmp_path, [street_row()])

    result = run(tmp_path, path, path)

    assert len(result.imported) == 1
    assert Incident.objects.count() == 1


def test_the_archive_and_its_unpacked_folder_in_one_run_do_not_count_twice(tmp_path):
    text = csv_text([street_row()])
    folder = tmp_path / "unpacked"
    write_file(folder / "2017-07" / "2017-07-west-yorkshire-street.csv", text)
    archive = write_zip(
        tmp_path / "police.zip", {"2017-07/2017-07-west-yorkshire-street.csv": text}
    )

    result = run(archive, folder)

    assert [summary.source for summary in result.imported] == [
        "police.zip:2017-07/2017-07-west-yorkshire-street.csv"
    ]
    (refused,) = result.refused
    assert refused.source == "unpacked/2017-07/2017-07-west-yorkshire-street.csv"
    assert "imported earlier in this run" in refused.message
    assert Incident.objects.count() == 1


# --- files, folders and archives -------------------------------------------------------


def test_a_folder_in_the_archive_layout_is_searched(tmp_path):
    write_street_file(tmp_path / "data", [street_row(month="2017-06")], month="2017-06")
    write_street_file(tmp_path / "data", [street_row(month="2017-07")], month="2017-07")
    write_file(tmp_path / "data" / "README.txt", "not a crime file")

    result = run(tmp_path / "data")

    assert [summary.source for summary in result.imported] == [
        "data/2017-06/2017-06-west-yorkshire-street.csv",
        "data/2017-07/2017-07-west-yorkshire-street.csv",
    ]
    assert Incident.objects.count() == 2


def test_a_zip_archive_with_nested_folders_and_two_forces_is_imported(tmp_path):
    archive = write_zip(
        tmp_path / "download.zip",
        {
            "police/2017-07/2017-07-west-yorkshire-street.csv": csv_text([street_row()]),
            "police/2017-07/2017-07-btp-street.csv": csv_text(
                [street_row(reported_by="British Transport Police")]
            ),
            "police/2017-07/2017-07-west-yorkshire-stop-and-search.csv": "Type,Date\r\n",
            "police/2017-07/2017-07-west-yorkshire-outcomes.csv": csv_text(
                [outcome_row(reference=crime_id("o"), month="2017-07")], OUTCOME_COLUMNS
            ),
            "__MACOSX/police/2017-07/._2017-07-btp-street.csv": b"\x00\x05\x16\x07 mac",
        },
    )

    result = run(archive)

    assert result.refused == []
    assert result.ignored == [
        "download.zip:police/2017-07/2017-07-west-yorkshire-stop-and-search.csv"
    ]
    assert sorted((s.force, s.kind) for s in result.imported) == [
        ("btp", "street"),
        ("west-yorkshire", "outcomes"),
        ("west-yorkshire", "street"),
    ]
    assert sorted(Incident.objects.values_list("force__slug", "location_type")) == [
        ("btp", LocationType.BTP),
        ("west-yorkshire", LocationType.FORCE),
    ]
    assert Outcome.objects.count() == 1


def test_a_zip_made_on_windows_still_names_its_forces(tmp_path):
    archive = write_zip(
        tmp_path / "download.zip",
        {"police\\2017-07\\2017-07-west-yorkshire-street.csv": csv_text([street_row()])},
    )

    result = run(archive)

    assert [summary.force for summary in result.imported] == ["west-yorkshire"]


def test_a_corrupt_member_of_an_archive_is_refused_and_the_others_imported(tmp_path):
    archive = write_zip(
        tmp_path / "download.zip",
        {
            "2017-06/2017-06-west-yorkshire-street.csv": csv_text([street_row(month="2017-06")]),
            "2017-07/2017-07-west-yorkshire-street.csv": csv_text([street_row()]),
        },
    )
    data = bytearray(archive.read_bytes())
    # Flip a byte of the second member's compressed data: its CRC no longer matches.
    second = data.find(b"2017-07/2017-07-west-yorkshire-street.csv")
    data[second + 60] ^= 0xFF
    archive.write_bytes(bytes(data))

    result = run(archive)

    (refused,) = result.refused
    assert refused.source == "download.zip:2017-07/2017-07-west-yorkshire-street.csv"
    assert refused.message.startswith("The file cannot be read")
    assert [incident.month.isoformat() for incident in Incident.objects.all()] == ["2017-06-01"]


def test_mac_litter_beside_the_files_is_passed_over(tmp_path):
    write_street_file(tmp_path, [street_row()])
    write_file(tmp_path / "2017-07" / "._2017-07-west-yorkshire-street.csv", b"\x00\x05mac")

    result = run(tmp_path)

    assert result.refused == []
    assert len(result.imported) == 1


@pytest.mark.parametrize("blank_lines", ["", "\r\n\r\n"])
def test_a_file_with_a_header_and_no_rows_is_named_and_passed_over(tmp_path, blank_lines):
    path = write_file(tmp_path / "2017-07-btp-street.csv", csv_text([]) + blank_lines)

    result = run(path)

    assert (result.imported, result.refused, result.ignored) == (
        [],
        [],
        ["2017-07-btp-street.csv"],
    )
    assert_nothing_written()


def test_a_stop_and_search_file_is_named_and_passed_over(tmp_path):
    path = write_file(tmp_path / "2017-07-west-yorkshire-stop-and-search.csv", "Type,Date\r\n")

    result = run(path)

    assert (result.imported, result.refused, result.ignored) == (
        [],
        [],
        ["2017-07-west-yorkshire-stop-and-search.csv"],
    )
    assert_nothing_written()


def test_the_force_given_applies_to_every_file(tmp_path):
    ForceFactory(slug="seattle", name="Seattle Police")
    july = write_street_file(tmp_path, [street_row()])
    custom = write_file(tmp_path / "extra.csv", csv_text([street_row(crime_type="Drugs")]))

    result = run(july, custom, force_slug="seattle")

    assert [summary.force for summary in result.imported] == ["seattle", "seattle"]
    assert set(Incident.objects.values_list("force__slug", flat=True)) == {"seattle"}
    assert not Force.objects.filter(slug="west-yorkshire").exists()


def test_a_file_whose_name_does_not_say_its_force_asks_for_one(tmp_path):
    path = write_file(tmp_path / "crimes.csv", csv_text([street_row()]))

    refused = refusal_of(run(path))

    assert "--force" in refused.message
    assert_nothing_written()


def test_a_new_force_is_named_from_falls_within_when_given_with_force(tmp_path):
    run(write_file(tmp_path / "crimes.csv", csv_text([street_row()])), force_slug="wy")

    assert Force.objects.get().name == FORCE_NAME


def test_a_force_id_that_is_not_one_is_refused(tmp_path):
    refused = refusal_of(run(write_street_file(tmp_path, [street_row()]), force_slug="West Y!"))

    assert "force id" in refused.message
    assert_nothing_written()


# --- what is refused, and how nothing of it is written -------------------------------


def refused_rows(tmp_path: Path, rows: list[list[str]]) -> importing.RefusedFile:
    refused = refusal_of(run(write_street_file(tmp_path, rows)))
    assert_nothing_written()
    return refused


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (
            street_row(latitude="433512", longitude="429876"),
            "Latitude 433512, Longitude 429876 are not degrees: this looks like a projected "
            "coordinate (an easting and northing).",
        ),
        (
            street_row(latitude="nan", longitude="-1.5"),
            "Latitude nan, Longitude -1.5 are not degrees: this looks like a projected "
            "coordinate (an easting and northing).",
        ),
        (
            street_row(latitude="53.8", longitude=""),
            "Latitude and Longitude must both be numbers, or both empty.",
        ),
        (
            street_row(latitude="53,8", longitude="-1.5"),
            "Latitude and Longitude must both be numbers, or both empty.",
        ),
        (
            street_row(crime_type="Littering"),
            "Crime type “Littering” is not one of police.uk's categories.",
        ),
        (
            street_row(crime_type="burglary"),
            "Crime type “burglary” is not one of police.uk's categories.",
        ),
        (
            street_row(outcome="Sorted"),
            "Outcome “Sorted” is not one of police.uk's outcomes.",
        ),
        (street_row()[:11], "Expected 12 columns, found 11."),
        ([*street_row(), "extra"], "Expected 12 columns, found 13."),
        (street_row(month="2017-13"), "Month “2017-13” is not a month written YYYY-MM."),
        (street_row(month="2017-7"), "Month “2017-7” is not a month written YYYY-MM."),
        (street_row(month="07/2017"), "Month “07/2017” is not a month written YYYY-MM."),
        (street_row(month="2017-+7"), "Month “2017-+7” is not a month written YYYY-MM."),
        (street_row(month="2017- 7"), "Month “2017- 7” is not a month written YYYY-MM."),
        # Full-width digits, which int() would read.
        (
            street_row(month="\uff12\uff10\uff11\uff17-07"),
            "Month “\uff12\uff10\uff11\uff17-07” is not a month written YYYY-MM.",
        ),
        (street_row(month="0000-01"), "Month “0000-01” is not a month written YYYY-MM."),
        (street_row(month=""), "Month “” is not a month written YYYY-MM."),
        (street_row(reference="f" * 65), "Crime ID is longer than 64 characters."),
        (street_row(location="x" * 201), "Location is longer than 200 characters."),
    ],
)
def test_a_bad_row_is_named_by_line_and_reason_and_nothing_is_written(tmp_path, row, reason):
    refused = refused_rows(tmp_path, [street_row(), row])

    assert refused.source == "2017-07-west-yorkshire-street.csv"
    assert refused.message == "1 row is invalid; nothing from this file was imported."
    assert [(problem.line, problem.reason) for problem in refused.problems] == [(3, reason)]


def test_over_long_area_code_and_name_are_refused(tmp_path):
    long_code = street_row()
    long_code[7] = "E" * 17
    long_name = street_row(crime_type="Drugs")
    long_name[8] = "L" * 101

    refused = refused_rows(tmp_path, [long_code, long_name])

    assert [problem.reason for problem in refused.problems] == [
        "LSOA code is longer than 16 characters.",
        "LSOA name is longer than 100 characters.",
    ]


def test_every_bad_row_is_listed(tmp_path):
    refused = refused_rows(
        tmp_path,
        [street_row(crime_type="Nope"), street_row(), street_row(month="x"), street_row()],
    )

    assert refused.message == "2 rows are invalid; nothing from this file was imported."
    assert [problem.line for problem in refused.problems] == [2, 4]
    assert str(refused.problems[0]) == (
        "2017-07-west-yorkshire-street.csv, line 2: "
        "Crime type “Nope” is not one of police.uk's categories."
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf", "The file is empty."),
        (
            csv_text([street_row()]).replace("Crime type", "Crime Type"),
            "The first line is not a police.uk street-level or outcomes header.",
        ),
        (
            csv_text([street_row()], header=None),
            "The first line is not a police.uk street-level or outcomes header.",
        ),
        (
            csv_text(
                [street_row()],
                header=[
                    *STREET_COLUMNS[:4],
                    "Easting",
                    "Northing",
                    *STREET_COLUMNS[6:],
                ],
            ),
            "The file gives eastings and northings, not latitude and longitude in degrees",
        ),
        (
            csv_text([street_row(location="On or near Café")]).encode("latin-1"),
            "The file is not UTF-8 text",
        ),
        (csv_text([street_row()]).encode("utf-16"), "The file holds a NUL byte"),
        (csv_text([street_row(context="a\x00b")]), "The file holds a NUL byte"),
        (b"PK\x03\x04 a zip in disguise \x00\x00", "The file holds a NUL byte"),
    ],
)
def test_a_file_that_is_not_a_police_uk_file_is_refused_whole(tmp_path, content, message):
    path = write_file(tmp_path / "2017-07-west-yorkshire-street.csv", content)

    refused = refusal_of(run(path))

    assert refused.message.startswith(message), refused.message
    assert refused.problems == []
    assert_nothing_written()


def test_a_csv_field_larger_than_the_reader_allows_is_refused(tmp_path):
    path = write_street_file(tmp_path, [street_row(context="x" * 200_000)])

    refused = refusal_of(run(path))

    assert refused.message.startswith("The file cannot be read as CSV")
    assert_nothing_written()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.csv", "missing.csv does not exist."),
        ("missing-folder", "missing-folder does not exist."),
        ("notes.txt", "notes.txt is not a CSV file, a folder or a zip archive."),
    ],
)
def test_a_path_that_is_not_there_or_not_csv_stops_the_run_before_any_file(tmp_path, name, message):
    good = write_street_file(tmp_path, [street_row()])
    write_file(tmp_path / "notes.txt", "hello")

    with pytest.raises(DomainError) as raised:
        run(good, tmp_path / name)

    assert raised.value.field == "paths"
    assert raised.value.message.endswith(message)
    assert_nothing_written()


def test_a_folder_without_csv_files_is_refused(tmp_path):
    write_file(tmp_path / "notes.txt", "hello")

    with pytest.raises(DomainError) as raised:
        run(tmp_path)

    assert raised.value.message == "No CSV files were found there."


def test_skip_invalid_imports_the_good_rows_and_lists_the_bad(tmp_path):
    path = write_street_file(
        tmp_path, [street_row(crime_type="Nope"), street_row(), street_row(month="2017-99")]
    )

    result = run(path, skip_invalid=True)

    (summary,) = result.imported
    assert summary.rows == 1
    assert [problem.line for problem in summary.skipped] == [2, 4]
    assert Incident.objects.get().source_line == 3
    assert CrimeImport.objects.get().skipped == 2


def test_skip_invalid_with_no_good_row_left_writes_nothing(tmp_path):
    path = write_street_file(tmp_path, [street_row(crime_type="Nope")])

    refused = refusal_of(run(path, skip_invalid=True))

    assert refused.message == "No row of this file is valid; nothing from it was imported."
    assert len(refused.problems) == 1
    assert_nothing_written()


def test_a_refused_file_leaves_the_other_files_of_the_run_imported(tmp_path):
    good = write_street_file(tmp_path, [street_row(month="2017-06")], month="2017-06")
    bad = write_street_file(tmp_path, [street_row(crime_type="Nope")], month="2017-07")

    result = run(good, bad)

    assert [summary.months for summary in result.imported] == [["2017-06"]]
    assert [refused.source for refused in result.refused] == ["2017-07-west-yorkshire-street.csv"]
    assert Incident.objects.count() == 1


# --- the CSV as police.uk and spreadsheets write it -----------------------------------


def test_byte_order_mark_crlf_and_quoted_line_breaks_are_read_and_lines_counted(tmp_path):
    rows = [
        street_row(context='Said "stop", then\r\nleft.\nTwice.'),
        street_row(crime_type="Drugs", context="one, two"),
        street_row(crime_type="Nope"),
    ]
    path = write_file(tmp_path / "2017-07-west-yorkshire-street.csv", "\ufeff" + csv_text(rows))

    refused = refusal_of(run(path))

    # Line 2 holds a row over three lines, so the third row starts on line 5 and
    # the fourth on line 6.
    assert [problem.line for problem in refused.problems] == [6]

    write_file(path, "\ufeff" + csv_text(rows[:2]))
    run(path)

    assert dict(Incident.objects.values_list("source_line", "context")) == {
        2: 'Said "stop", then\r\nleft.\nTwice.',
        5: "one, two",
    }


def test_line_endings_of_unix_and_blank_lines_are_read(tmp_path):
    text = csv_text([street_row(), street_row(crime_type="Drugs")]).replace("\r\n", "\n")
    path = write_file(tmp_path / "2017-07-west-yorkshire-street.csv", text + "\n\n")

    result = run(path)

    assert result.refused == []
    assert sorted(Incident.objects.values_list("source_line", flat=True)) == [2, 3]


# --- outcomes ---------------------------------------------------------------------------


@pytest.mark.parametrize("outcomes_first", [True, False])
def test_outcomes_set_the_latest_outcome_in_either_order(tmp_path, outcomes_first):
    reference = crime_id("a")
    street = write_street_file(
        tmp_path, [street_row(reference=reference), street_row(crime_type="Drugs")]
    )
    august = write_outcomes_file(
        tmp_path, [outcome_row(reference=reference, outcome="Suspect charged")], month="2017-08"
    )
    september = write_outcomes_file(
        tmp_path,
        [outcome_row(reference=reference, month="2017-09", outcome="Offender sent to prison")],
        month="2017-09",
    )
    order = [september, august, street] if outcomes_first else [street, august, september]

    for path in order:
        run(path)

    charged = Incident.objects.get(reference=reference)
    assert (charged.outcome, charged.outcome_month.isoformat()) == ("imprisoned", "2017-09-01")
    untouched = Incident.objects.get(category="drugs")
    assert (untouched.outcome, untouched.outcome_month) == ("under-investigation", None)
    assert Outcome.objects.count() == 2
    assert_counts_match_incidents()


def test_importing_an_outcomes_month_again_replaces_it(tmp_path):
    reference = crime_id("a")
    run(write_street_file(tmp_path, [street_row(reference=reference)]))
    path = write_outcomes_file(tmp_path, [outcome_row(reference=reference)])
    run(path)
    run(path)

    assert Outcome.objects.count() == 1
    (summary,) = run(path).imported
    assert (summary.kind, summary.rows, summary.by_category) == (
        "outcomes",
        1,
        {"imprisoned": 1},
    )


def test_a_corrected_outcomes_month_takes_back_the_outcomes_it_drops(tmp_path):
    charged, cautioned = crime_id("a"), crime_id("b")
    run(
        write_street_file(
            tmp_path,
            [
                street_row(reference=charged),
                street_row(reference=cautioned, outcome="Local resolution"),
            ],
        )
    )
    run(
        write_outcomes_file(
            tmp_path, [outcome_row(reference=charged, outcome="Suspect charged")], month="2017-08"
        )
    )
    september = [
        outcome_row(reference=charged, month="2017-09"),
        outcome_row(reference=cautioned, month="2017-09", outcome="Offender given a caution"),
    ]
    run(write_outcomes_file(tmp_path, september, month="2017-09"))
    assert Incident.objects.get(reference=charged).outcome == "imprisoned"
    assert Incident.objects.get(reference=cautioned).outcome == "cautioned"

    # September published again, naming neither crime.
    run(
        write_outcomes_file(
            tmp_path, [outcome_row(reference=crime_id("c"), month="2017-09")], month="2017-09"
        )
    )

    back_to_august = Incident.objects.get(reference=charged)
    assert (back_to_august.outcome, back_to_august.outcome_month.isoformat()) == (
        "charged",
        "2017-08-01",
    )
    back_to_street_file = Incident.objects.get(reference=cautioned)
    assert (back_to_street_file.outcome, back_to_street_file.outcome_month) == (
        "local-resolution",
        None,
    )
    assert_counts_match_incidents()


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (outcome_row(reference=""), "Crime ID is empty."),
        (
            outcome_row(reference=crime_id("a"), outcome="Sorted"),
            "Outcome “Sorted” is not one of police.uk's outcomes.",
        ),
        (outcome_row(reference=crime_id("a"), month="2017"), "Month “2017” is not a month"),
        (outcome_row(reference=crime_id("a"))[:9], "Expected 10 columns, found 9."),
        (outcome_row(reference="f" * 65), "Crime ID is longer than 64 characters."),
        (
            outcome_row(reference=crime_id("a"), latitude="433512", longitude="429876"),
            "Latitude 433512, Longitude 429876 are not degrees",
        ),
    ],
)
def test_a_bad_outcome_row_is_refused(tmp_path, row, reason):
    path = write_outcomes_file(tmp_path, [row])

    refused = refusal_of(run(path))

    ((line, found),) = [(problem.line, problem.reason) for problem in refused.problems]
    assert line == 2
    assert found.startswith(reason)
    assert_nothing_written()


# --- one run, many files ---------------------------------------------------------------


def test_a_file_failing_inside_its_transaction_does_not_spoil_the_next(tmp_path, monkeypatch):
    june = write_street_file(tmp_path, [street_row(month="2017-06")], month="2017-06")
    # July's new point is made, then rolled back with July; August needs it again.
    july = write_street_file(
        tmp_path, [street_row(month="2017-07", location="On or near New Street")]
    )
    august = write_street_file(
        tmp_path,
        [street_row(month="2017-08", location="On or near New Street")],
        month="2017-08",
    )
    rebuild_counts = importing.rebuild_counts

    def fail_for_july(*, force, months):
        if {month.month for month in months} == {7}:
            raise DomainError("The counts could not be rebuilt.")
        rebuild_counts(force=force, months=months)

    monkeypatch.setattr(importing, "rebuild_counts", fail_for_july)

    result = run(june, july, august)

    assert [refused.source for refused in result.refused] == ["2017-07-west-yorkshire-street.csv"]
    assert sorted(Incident.objects.values_list("month__month", flat=True)) == [6, 8]
    assert_points_exist()
    assert sorted(StreetPoint.objects.values_list("street_name", flat=True)) == [
        "On or near New Street",
        "On or near Park Lane",
    ]
    assert CrimeImport.objects.count() == 2


def test_a_point_another_import_made_meanwhile_refuses_the_file_not_the_run(tmp_path, monkeypatch):
    july = write_street_file(tmp_path, [street_row()])
    august = write_street_file(tmp_path, [street_row(month="2017-08")], month="2017-08")
    real_index = importing.boundary_index
    calls = []

    def index_after_a_rival_import():
        # As if another import stored the same point between look-up and insert.
        if not calls:
            StreetPoint.objects.create(
                latitude=47.655, longitude=-122.345, street_name="On or near Park Lane"
            )
        calls.append(1)
        return real_index()

    monkeypatch.setattr(importing, "boundary_index", index_after_a_rival_import)

    result = run(july, august)

    (refused,) = result.refused
    assert refused.message.startswith("The database refused the file")
    assert [summary.months for summary in result.imported] == [["2017-08"]]
    assert_points_exist()


def test_progress_is_reported_up_to_the_total(tmp_path):
    paths = [
        write_street_file(tmp_path, [street_row(month=month)], month=month)
        for month in ("2017-06", "2017-07")
    ]
    reports: list[tuple[int, int]] = []

    run(*paths, progress=lambda done, total: reports.append((done, total)))

    total = sum(path.stat().st_size for path in paths)
    assert reports[-1] == (total, total)
    assert [done for done, _total in reports] == sorted(done for done, _total in reports)


def test_a_run_of_many_months_and_re_imports_keeps_the_counts_equal_to_the_incidents(
    tmp_path, fremont
):
    def month_rows(month: str, extra: int) -> list[list[str]]:
        return [
            street_row(month=month, crime_type="Burglary", **IN_FREMONT),
            street_row(month=month, crime_type="Burglary", **IN_FREMONT),
            street_row(month=month, crime_type="Anti-social behaviour", **NOWHERE),
            street_row(month=month, crime_type="Drugs", **NO_LOCATION),
        ] + [
            street_row(month=month, crime_type="Robbery", location=f"On or near {n} Street")
            for n in range(extra)
        ]

    for month, extra in (("2017-06", 1), ("2017-07", 3)):
        write_street_file(tmp_path, month_rows(month, extra), month=month)
        write_street_file(tmp_path, month_rows(month, 2), month=month, force="btp")
    run(tmp_path)
    assert_counts_match_incidents()

    write_street_file(tmp_path, month_rows("2017-07", 0), month="2017-07")
    run(tmp_path / "2017-07")

    assert_counts_match_incidents()
    assert Incident.objects.filter(force__slug="west-yorkshire", month__month=7).count() == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_postgresql_copy_writes_what_sqlite_writes(tmp_path, fremont):
    rows = [
        street_row(context='tab\tback\\slash\r\nnew line, comma "quote"'),
        street_row(crime_type="Anti-social behaviour", location="On or near Café Street"),
        street_row(**NO_LOCATION),
    ]

    run(write_street_file(tmp_path, rows))

    assert sorted(Incident.objects.values_list("context", flat=True)) == [
        "",
        "",
        'tab\tback\\slash\r\nnew line, comma "quote"',
    ]
    assert set(StreetPoint.objects.values_list("street_name", flat=True)) == {
        "On or near Park Lane",
        "On or near Café Street",
    }
    assert_counts_match_incidents()


def test_the_queries_of_a_file_do_not_grow_with_its_rows(tmp_path, fremont):
    def queries_for(rows: int, month: str) -> int:
        path = write_street_file(
            tmp_path,
            [
                street_row(month=month, location=f"On or near {n} Street", context=str(n))
                for n in range(rows)
            ],
            month=month,
        )
        with CaptureQueriesContext(connection) as queries:
            run(path)
        return len(queries)

    # The first file makes the force; then a file of 3 rows and one of 300 (with 300
    # new points) take as many queries.
    queries_for(1, "2017-05")
    assert queries_for(3, "2017-06") == queries_for(300, "2017-07")


def test_the_migration_counts_outcomes_of_incidents_imported_before_the_rollup(tmp_path):
    reference = crime_id("a")
    run(
        write_street_file(
            tmp_path,
            [street_row(reference=reference), street_row(crime_type="Anti-social behaviour")],
        )
    )
    run(write_outcomes_file(tmp_path, [outcome_row(reference=reference)]))
    # As a database imported before migration 0003 had it: incidents, no outcome counts.
    OutcomeMonthlyCount.objects.all().delete()
    migration = importlib.import_module(
        "beatbridge.crimedata.migrations.0005_count_existing_outcomes"
    )

    migration.count_existing_outcomes(django_apps, None)

    assert OutcomeMonthlyCount.objects.filter(outcome="imprisoned").get().incidents == 1
    assert_counts_match_incidents()

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from beatbridge.crimedata.models import CrimeImport, Incident, StreetPoint
from beatbridge.crimedata.tests.files import (
    csv_text,
    street_row,
    write_file,
    write_street_file,
    write_zip,
)
from beatbridge.places.models import Force
from beatbridge.places.tests.factories import ForceFactory

pytestmark = pytest.mark.django_db


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def import_crimes(*args: str, stderr: StringIO | None = None) -> tuple[str, str]:
    out, err = StringIO(), stderr or StringIO()
    call_command("import_crimes", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused_run(*args: str) -> tuple[str, str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_crimes", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(raised.value)


def test_the_summary_gives_rows_categories_locations_and_speed(tmp_path, fremont):
    path = write_street_file(
        tmp_path,
        [
            street_row(crime_type="Burglary"),
            street_row(crime_type="Burglary", latitude="51.5", longitude="-0.1"),
            street_row(crime_type="Drugs", latitude="", longitude=""),
        ],
    )

    out, err = import_crimes(str(path))

    assert err == ""
    (line,) = out.splitlines()
    assert re.fullmatch(
        r"2017-07-west-yorkshire-street\.csv \(street, west-yorkshire, 2017-07\): 3 rows, "
        r"0 skipped, 1 without a location, 1 outside every neighbourhood, [\d,]+ rows/s\. "
        r"By category: burglary 2, drugs 1",
        line,
    ), line


def test_a_run_of_several_files_closes_with_the_totals(tmp_path):
    write_street_file(tmp_path, [street_row(month="2017-06")], month="2017-06")
    write_street_file(
        tmp_path,
        [street_row(month="2017-07", crime_type="Drugs"), street_row(latitude="", longitude="")],
        month="2017-07",
    )

    out, _err = import_crimes(str(tmp_path))

    *files, totals = out.splitlines()
    assert len(files) == 2
    assert re.fullmatch(
        r"In all: 2 files, 3 rows, 1 without a location, 2 outside every neighbourhood, "
        r"[\d,]+ rows/s\. By category: burglary 2, drugs 1",
        totals,
    ), totals


def test_a_refused_file_is_listed_with_line_and_reason_and_the_command_fails(tmp_path):
    good = write_street_file(tmp_path, [street_row(month="2017-06")], month="2017-06")
    bad = write_street_file(
        tmp_path, [street_row(), street_row(crime_type="Littering")], month="2017-07"
    )

    out, err, message = refused_run(str(good), str(bad))

    assert message == "1 file refused; nothing was written from it."
    assert err.splitlines() == [
        "Refused 2017-07-west-yorkshire-street.csv: 1 row is invalid; nothing from this file "
        "was imported.",
        "  2017-07-west-yorkshire-street.csv, line 3: Crime type “Littering” is not one of "
        "police.uk's categories.",
    ]
    assert out.startswith("2017-06-west-yorkshire-street.csv (street")
    assert list(Incident.objects.values_list("month__month", flat=True)) == [6]


def test_skip_invalid_imports_the_rest_and_names_what_it_skipped(tmp_path):
    path = write_street_file(tmp_path, [street_row(), street_row(month="July")])

    out, err = import_crimes(str(path), "--skip-invalid")

    assert err.splitlines() == [
        "Skipped 2017-07-west-yorkshire-street.csv, line 3: Month “July” is not a month "
        "written YYYY-MM."
    ]
    assert ": 1 rows, 1 skipped," in out
    assert Incident.objects.count() == 1


def test_without_force_a_file_not_named_by_police_uk_asks_for_force(tmp_path):
    path = write_file(tmp_path / "crimes.csv", csv_text([street_row()]))

    _out, err, _message = refused_run(str(path))

    assert err.strip() == (
        "Refused crimes.csv: The file name does not say which force it is for: give --force."
    )
    assert (Incident.objects.count(), Force.objects.count()) == (0, 0)


def test_force_applies_to_every_file(tmp_path):
    ForceFactory(slug="seattle")
    write_street_file(tmp_path, [street_row()])
    write_file(tmp_path / "extra" / "crimes.csv", csv_text([street_row(crime_type="Drugs")]))

    import_crimes(str(tmp_path), "--force", "seattle")

    assert set(Incident.objects.values_list("force__slug", flat=True)) == {"seattle"}
    assert Incident.objects.count() == 2


def test_a_missing_path_fails_before_anything_is_written(tmp_path):
    good = write_street_file(tmp_path, [street_row()])

    with pytest.raises(CommandError, match="does not exist"):
        import_crimes(str(good), str(tmp_path / "missing.zip"))

    assert (Incident.objects.count(), StreetPoint.objects.count()) == (0, 0)
    assert (CrimeImport.objects.count(), Force.objects.count()) == (0, 0)


def test_stop_and_search_files_of_an_archive_are_named_as_passed_over(tmp_path):
    archive = write_zip(
        tmp_path / "police.zip",
        {
            "2017-07/2017-07-west-yorkshire-street.csv": csv_text([street_row()]),
            "2017-07/2017-07-west-yorkshire-stop-and-search.csv": "Type,Date\r\n",
        },
    )

    out, _err = import_crimes(str(archive))

    assert out.splitlines()[0] == (
        "Passed over police.zip:2017-07/2017-07-west-yorkshire-stop-and-search.csv: "
        "it holds no crimes."
    )
    assert Incident.objects.count() == 1


def test_a_progress_bar_is_drawn_on_a_terminal_and_ends_full(tmp_path):
    path = write_street_file(tmp_path, [street_row()])
    terminal = Terminal()

    import_crimes(str(path), stderr=terminal)

    assert terminal.getvalue().endswith("\r[" + "#" * 40 + "] 100%\n")


def test_no_progress_bar_is_drawn_into_a_file(tmp_path):
    path = write_street_file(tmp_path, [street_row()])

    _out, err = import_crimes(str(path))

    assert err == ""

"""A city's open-data incident CSV, through a column mapping (Seattle's by default)."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from beatbridge.crimedata.city import clean_mapping, import_city_crimes, load_mapping
from beatbridge.crimedata.models import CrimeImport, Incident, MonthlyCount, StreetPoint
from beatbridge.errors import DomainError

pytestmark = pytest.mark.django_db

SEATTLE = Path(__file__).resolve().parents[1] / "data" / "seattle-spd.json"
HEADER = [
    "Report Number",
    "Offense ID",
    "Offense Start DateTime",
    "Offense Parent Group",
    "Offense",
    "100 Block Address",
    "Longitude",
    "Latitude",
]


def _row(number: str, when: str, group: str, block: str, lng: str, lat: str) -> list[str]:
    return [number, "1", when, group, "x", block, lng, lat]


def _file(tmp_path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / "spd.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


FREMONT_AVE = "36XX BLOCK OF FREMONT AVE N"
BURGLARY = "BURGLARY/BREAKING&ENTERING"
ROWS = [
    _row("2026-1", "03/31/2026 11:30:00 PM", BURGLARY, FREMONT_AVE, "-122.345", "47.655"),
    _row("2026-2", "04/01/2026 08:15:00 AM", "LARCENY-THEFT", FREMONT_AVE, "-122.345", "47.655"),
    _row("2026-3", "04/02/2026 01:00:00 PM", "SEX OFFENSES", "", "0", "0"),
    _row("2026-4", "04/03/2026 02:00:00 PM", "BAD CHECKS", "1XX BLOCK OF PINE ST", "", ""),
]


def test_a_city_file_imports_with_times_categories_points_and_counts(fremont, tmp_path):
    result = import_city_crimes(
        path=_file(tmp_path, ROWS), force_slug="seattle", mapping=load_mapping(SEATTLE)
    )

    assert not result.refused
    [summary] = result.imported
    assert (summary.kind, summary.rows, summary.without_location) == ("city", 4, 2)
    assert summary.months == ["2026-03", "2026-04"]
    burglary = Incident.objects.get(reference="2026-1")
    seattle = zoneinfo.ZoneInfo("America/Los_Angeles")
    assert burglary.occurred_at == datetime.datetime(2026, 3, 31, 23, 30, tzinfo=seattle)
    assert burglary.month == datetime.date(2026, 3, 1)  # the local date's month
    assert (burglary.category, burglary.neighbourhood_id) == ("burglary", fremont.pk)
    assert StreetPoint.objects.get().street_name == "36XX BLOCK OF FREMONT AVE N"
    withheld = Incident.objects.get(reference="2026-3")
    assert (withheld.category, withheld.point_id) == ("violent-crime", None)
    unmapped = Incident.objects.get(reference="2026-4")
    assert unmapped.category == "other-crime"
    assert unmapped.context == "Block: 1XX BLOCK OF PINE ST"
    april = MonthlyCount.objects.filter(neighbourhood=fremont, month=datetime.date(2026, 4, 1))
    assert [(c.category, c.incidents) for c in april] == [("other-theft", 1)]


def test_importing_the_file_again_replaces_its_months(fremont, tmp_path):
    path = _file(tmp_path, ROWS)
    mapping = load_mapping(SEATTLE)

    import_city_crimes(path=path, force_slug="seattle", mapping=mapping)
    import_city_crimes(path=path, force_slug="seattle", mapping=mapping)

    assert Incident.objects.count() == 4
    assert CrimeImport.objects.filter(kind="city").count() == 2


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (_row("", "04/01/2026 08:15:00 AM", "ROBBERY", "", "", ""), "id"),
        (_row("9", "yesterday", "ROBBERY", "", "", ""), "not a date and time"),
        (_row("9", "04/01/2026 08:15:00 AM", "ROBBERY", "", "-122.3", "abc"), "numbers"),
        (_row("9", "04/01/2026 08:15:00 AM", "ROBBERY", "", "1290000", "230000"), "not degrees"),
        (_row("2026-1", "04/01/2026 08:15:00 AM", "ROBBERY", "", "", ""), "appears twice"),
    ],
)
def test_a_bad_row_is_named_and_refuses_the_file(fremont, tmp_path, row, reason):
    path = _file(tmp_path, [ROWS[0], row])

    result = import_city_crimes(path=path, force_slug="seattle", mapping=load_mapping(SEATTLE))

    [refused] = result.refused
    [problem] = refused.problems
    assert problem.line == 3 and reason in problem.reason
    assert Incident.objects.count() == StreetPoint.objects.count() == 0


def test_skip_invalid_imports_the_good_rows(fremont, tmp_path):
    path = _file(tmp_path, [*ROWS, _row("9", "soon", "ROBBERY", "", "", "")])

    result = import_city_crimes(
        path=path, force_slug="seattle", mapping=load_mapping(SEATTLE), skip_invalid=True
    )

    assert result.imported[0].rows == 4 and len(result.imported[0].skipped) == 1


def test_a_file_without_the_mapped_columns_is_refused(fremont, tmp_path):
    path = _file(tmp_path, [["1", "x"]], header=["Report Number", "Other"])

    result = import_city_crimes(path=path, force_slug="seattle", mapping=load_mapping(SEATTLE))

    assert "Offense Start DateTime" in result.refused[0].message
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"columns": {"id": "a", "occurred_at": "b"}}, "must name category"),
        ({"categories": {"X": "burglaries"}}, "not a police.uk category"),
        ({"time_zone": "Mars/Olympus"}, "not a time zone"),
        ({"columns": {"id": "a", "occurred_at": "b", "category": "c", "latitude": "d"}}, "both"),
        ({"columns": {"id": "a", "occurred_at": "b", "category": "c", "colour": "d"}}, "colour"),
    ],
)
def test_a_bad_mapping_says_what_is_wrong(change, message):
    data = {**json.loads(SEATTLE.read_text()), **change}

    with pytest.raises(DomainError, match=message) as refused:
        clean_mapping(data)

    assert refused.value.field == "mapping"


def test_the_command_prints_a_summary_and_fails_on_a_refused_file(fremont, tmp_path):
    output = io.StringIO()
    call_command(
        "import_city_crimes", str(_file(tmp_path, ROWS)), "--force", "seattle", stdout=output
    )

    assert "4 rows" in output.getvalue()
    bad = _file(tmp_path, [_row("1", "never", "ROBBERY", "", "", "")])
    with pytest.raises(CommandError, match="1 file refused"):
        call_command(
            "import_city_crimes",
            str(bad),
            "--force",
            "seattle",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )

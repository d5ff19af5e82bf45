from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from beatbridge.audit.models import AuditEntry
from beatbridge.reports.models import Category, Report, ReportUpdate, Source, Status, UpdateKind
from beatbridge.reports.services import public_point
from beatbridge.reports.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
BOSTON = DATA / "boston311-100.csv"
NYC = DATA / "NYC311-5.csv"
BOSTON_HEADER = BOSTON.read_text().splitlines()[0]
UTC = datetime.UTC


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_311", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _boston_row(
    case_id: str,
    *,
    opened: str = "2022-01-10 09:00:00",
    closed: str = "",
    status: str = "Open",
    type_: str = "Graffiti Removal",
    latitude: str = "42.3401",
    longitude: str = "-71.0803",
    closure: str = "",
) -> str:
    """One Boston row with the columns the importer reads filled in and the rest blank."""
    values = {
        "case_enquiry_id": case_id,
        "open_dt": opened,
        "closed_dt": closed,
        "case_status": status,
        "closure_reason": closure,
        "case_title": type_,
        "type": type_,
        "location": "1 Main St  Boston  MA  02118",
        "latitude": latitude,
        "longitude": longitude,
    }
    return ",".join(values.get(column, "") for column in BOSTON_HEADER.split(","))


def _boston_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "requests.csv"
    path.write_text("\n".join([BOSTON_HEADER, *rows]) + "\n")
    return path


def test_the_boston_sample_imports_every_row_as_an_anonymous_imported_report(force):
    out, _err = _run(str(BOSTON), "--force", "seattle", "--time-zone", "America/New_York")

    reports = Report.staff_objects.all()
    assert reports.count() == 100
    assert "Rows read: 100" in out
    assert "Imported: 100" in out
    assert reports.filter(status=Status.RESOLVED).count() == 85
    assert reports.filter(status=Status.NEW).count() == 15
    assert set(reports.values_list("source", flat=True)) == {Source.IMPORT}
    assert not reports.exclude(reporter=None).exists()
    assert not reports.exclude(contact_name="", contact_email="", contact_phone="").exists()
    assert Report.staff_objects.get(external_id="boston:101004113298")


def test_boston_dates_are_read_in_the_given_time_zone_and_closure_becomes_resolution(force):
    _run(str(BOSTON), "--force", "seattle", "--time-zone", "America/New_York")

    report = Report.staff_objects.get(external_id="boston:101004130437")
    # 2022-01-19 11:18 and 11:42:16 in Boston (EST, UTC-5).
    assert report.created_at == datetime.datetime(2022, 1, 19, 16, 18, tzinfo=UTC)
    assert report.resolved_at == datetime.datetime(2022, 1, 19, 16, 42, 16, tzinfo=UTC)
    assert report.acknowledged_at == report.resolved_at
    assert report.status == Status.RESOLVED
    assert report.description == "Needle Pickup"
    assert report.address == "42 Cross St Boston MA 02113"
    closure = report.updates.get()
    assert closure.kind == UpdateKind.STATUS
    assert closure.is_public
    assert (closure.status_before, closure.status_after) == (Status.NEW, Status.RESOLVED)
    assert closure.text.startswith("Case Closed. Closed date : Wed Jan 19 11:42:16 EST 2022")
    assert closure.created_at == report.resolved_at


def test_the_default_time_zone_is_the_setting(force, settings):
    settings.TIME_ZONE = "Europe/Madrid"

    _run(str(BOSTON), "--force", "seattle")

    report = Report.staff_objects.get(external_id="boston:101004130437")
    assert report.created_at == datetime.datetime(2022, 1, 19, 10, 18, tzinfo=UTC)


def test_summer_time_is_applied_to_local_dates(force, tmp_path):
    path = _boston_file(tmp_path, _boston_row("1", opened="2022-07-01 12:00:00"))

    _run(str(path), "--force", "seattle", "--time-zone", "America/New_York")

    report = Report.staff_objects.get(external_id="boston:1")
    assert report.created_at == datetime.datetime(2022, 7, 1, 16, 0, tzinfo=UTC)


def test_a_point_is_snapped_for_the_public_and_placeholder_points_are_dropped(force):
    _run(str(BOSTON), "--force", "seattle")

    located = Report.staff_objects.get(external_id="boston:101004130437")
    assert (located.latitude, located.longitude) == (42.3634, -71.0566)
    assert (located.public_latitude, located.public_longitude) == public_point(42.3634, -71.0566)
    # Boston writes City Hall Plaza's point for cases it could not place.
    placeholder = Report.staff_objects.get(external_id="boston:101004143000")
    assert placeholder.latitude is None
    assert placeholder.public_latitude is None
    assert Report.staff_objects.filter(latitude=None).count() == 19


def test_the_nyc_sample_imports_with_its_layout_recognised(force):
    out, _err = _run(str(NYC), "--force", "seattle", "--time-zone", "America/New_York")

    assert "Layout: nyc" in out
    assert "Imported: 5" in out
    noise = Report.staff_objects.get(external_id="nyc:34675190")
    # 10/31/2016 11:07:15 PM in New York (EDT, UTC-4).
    assert noise.created_at == datetime.datetime(2016, 11, 1, 3, 7, 15, tzinfo=UTC)
    assert noise.description == "Noise - Residential — Banging/Pounding"
    assert noise.address == "117 EAST 118 STREET, NEW YORK"
    assert noise.status == Status.RESOLVED
    assert "determined that police action was not necessary" in noise.updates.get().text


def test_an_open_nyc_request_without_a_point_keeps_its_public_resolution_text(force):
    _run(str(NYC), "--force", "seattle", "--time-zone", "America/New_York")

    report = Report.staff_objects.get(external_id="nyc:20520945")
    assert report.status == Status.NEW
    assert report.resolved_at is None
    assert report.latitude is None
    update = report.updates.get()
    assert update.kind == UpdateKind.PUBLIC
    assert update.is_public
    assert update.text.startswith("The following complaint conditions are still open.")
    assert update.created_at == datetime.datetime(2011, 6, 15, 4, 0, tzinfo=UTC)


def test_a_layout_that_does_not_match_the_file_is_refused_naming_the_columns(force):
    with pytest.raises(CommandError, match="lacks the nyc layout's column"):
        _run(str(BOSTON), "--force", "seattle", "--layout", "nyc")

    assert Report.staff_objects.count() == 0


def test_an_explicit_layout_imports_like_auto_detection(force):
    out, _err = _run(str(BOSTON), "--force", "seattle", "--layout", "boston")

    assert "Layout: boston" in out
    assert Report.staff_objects.count() == 100


def test_types_map_to_the_forces_categories_by_code_or_name_in_any_case(force):
    noise = CategoryFactory(force=force, code="noise-residential", name="Loud neighbours")
    vehicles = CategoryFactory(force=force, code="abandoned-vehicle", name="abandoned VEHICLES")

    _run(str(NYC), "--force", "seattle")
    _run(str(BOSTON), "--force", "seattle")

    assert Report.staff_objects.filter(category=noise).count() == 2
    assert Report.staff_objects.filter(category=vehicles).count() == 3


def test_unknown_types_get_inactive_imported_categories_and_are_reported(force):
    out, _err = _run(str(NYC), "--force", "seattle")

    created = Category.objects.get(force=force, name="Water System")
    assert created.code == "water-system"
    assert created.group == "Imported"
    assert not created.is_active
    assert Report.staff_objects.get(external_id="nyc:47976463").category == created
    assert "(new, inactive)" in out
    assert "4 new inactive categories" in out


def test_the_neighbourhood_is_located_from_the_point_and_outside_rows_are_counted(
    fremont, tmp_path
):
    path = _boston_file(
        tmp_path,
        _boston_row("1", latitude="47.655", longitude="-122.345"),
        _boston_row("2", latitude="42.3401", longitude="-71.0803"),
        _boston_row("3", latitude="0", longitude="0"),
        _boston_row("4", latitude="", longitude=""),
    )

    out, _err = _run(str(path), "--force", "seattle")

    assert Report.staff_objects.get(external_id="boston:1").neighbourhood == fremont
    assert Report.staff_objects.get(external_id="boston:2").neighbourhood is None
    assert Report.staff_objects.get(external_id="boston:3").latitude is None
    assert "Outside every neighbourhood: 1" in out
    assert "Without a place on the map: 2" in out


def test_a_bad_row_refuses_the_whole_file_naming_its_line_and_problem(force, tmp_path):
    path = _boston_file(
        tmp_path,
        _boston_row("1"),
        _boston_row("2", opened="31/01/2022 9am"),
        _boston_row("3"),
    )

    with pytest.raises(CommandError, match="1 row\\(s\\) cannot be imported") as raised:
        call_command("import_311", str(path), "--force", "seattle", stderr=(err := io.StringIO()))

    assert "nothing was imported" in str(raised.value)
    assert "line 3: bad date in open_dt: “31/01/2022 9am”" in err.getvalue()
    assert Report.staff_objects.count() == 0
    assert Category.objects.count() == 0
    assert ReportUpdate.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (_boston_row(""), "the id (case_enquiry_id) is missing"),
        (_boston_row("1", opened=""), "the date open_dt is missing"),
        (_boston_row("1", status="Closed"), "the request is closed but closed_dt is empty"),
        (_boston_row("1", status="Frozen"), "unknown status “Frozen”"),
        (_boston_row("1", latitude="north"), "bad latitude or longitude"),
        (_boston_row("1", latitude="142.1"), "the point 142.1, -71.0803 is not on the map"),
        (_boston_row("1", type_=""), "the type of request (type) is missing"),
        (
            _boston_row("1", opened="2022-01-10 09:00:00", closed="2022-01-09 09:00:00"),
            "closed_dt is before open_dt",
        ),
        ("1,2,3", "the row has 3 fields where the header has 29"),
    ],
)
def test_each_kind_of_bad_row_is_named(force, tmp_path, row, reason):
    path = _boston_file(tmp_path, row)

    with pytest.raises(CommandError):
        call_command("import_311", str(path), "--force", "seattle", stderr=(err := io.StringIO()))

    assert f"line 2: {reason}" in err.getvalue()


def test_skip_invalid_imports_the_good_rows_and_lists_the_bad_ones(force, tmp_path):
    path = _boston_file(
        tmp_path,
        _boston_row("1"),
        _boston_row("2", opened="yesterday"),
        _boston_row("1"),
        _boston_row("4"),
    )

    out, _err = _run(str(path), "--force", "seattle", "--skip-invalid")

    assert sorted(Report.staff_objects.values_list("external_id", flat=True)) == [
        "boston:1",
        "boston:4",
    ]
    assert "Imported: 2" in out
    assert "Skipped: 2" in out
    assert "line 3: bad date in open_dt: “yesterday”" in out
    assert "line 4: the id boston:1 is repeated from line 2" in out


def test_a_quoted_field_over_several_lines_keeps_the_line_numbers_right(force, tmp_path):
    multi_line = _boston_row("1", closure='"Fixed.\nThanks."', status="Open")
    path = _boston_file(tmp_path, multi_line, _boston_row("2", opened="soon"))

    with pytest.raises(CommandError):
        call_command("import_311", str(path), "--force", "seattle", stderr=(err := io.StringIO()))

    assert "line 4: bad date" in err.getvalue()


def test_importing_the_same_file_again_writes_nothing(force):
    _run(str(BOSTON), "--force", "seattle")
    counts = (Report.staff_objects.count(), ReportUpdate.objects.count(), Category.objects.count())

    out, _err = _run(str(BOSTON), "--force", "seattle")

    assert (
        Report.staff_objects.count(),
        ReportUpdate.objects.count(),
        Category.objects.count(),
    ) == counts
    assert "Imported: 0" in out
    assert "Already imported: 100" in out


def test_ids_imported_for_another_force_are_not_taken_over(force, tmp_path):
    from beatbridge.places.tests.factories import ForceFactory

    ForceFactory(slug="boston")
    path = _boston_file(tmp_path, _boston_row("1"))
    _run(str(path), "--force", "boston")

    with pytest.raises(CommandError):
        call_command("import_311", str(path), "--force", "seattle", stderr=(err := io.StringIO()))

    assert "the id boston:1 was imported for another force" in err.getvalue()
    assert Report.staff_objects.get().force.slug == "boston"


def test_a_dry_run_counts_everything_and_writes_nothing(force):
    out, _err = _run(str(BOSTON), "--force", "seattle", "--dry-run")

    assert "Dry run: nothing was written." in out
    assert "Imported: 100" in out
    assert Report.staff_objects.count() == 0
    assert Category.objects.count() == 0


def test_an_import_is_audited_without_personal_data(force):
    _run(str(NYC), "--force", "seattle")

    entry = AuditEntry.objects.get(action="reports.imported")
    assert entry.actor is None
    assert entry.detail == {
        "force": force.pk,
        "layout": "nyc",
        "imported": 5,
        "already_imported": 0,
        "skipped": 0,
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        (b"", "The file is empty"),
        (b"\n\n", "The file is empty"),
        (b'{"type": "FeatureCollection"}\n', "matches no known layout"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "is not a UTF-8 text file"),
        # A field past the csv module's size limit: what a binary file renamed .csv gives.
        (f"{BOSTON_HEADER}\n1,{'x' * 200_000}\n".encode(), "not valid CSV \\(line 2\\)"),
    ],
)
def test_a_file_that_is_not_a_311_csv_gives_a_clear_error(force, tmp_path, content, message):
    path = tmp_path / "upload.csv"
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        _run(str(path), "--force", "seattle")

    assert Report.staff_objects.count() == 0


def test_a_directory_is_not_a_csv_file(force, tmp_path):
    with pytest.raises(CommandError, match="is a directory"):
        _run(str(tmp_path), "--force", "seattle")


def test_an_unknown_force_or_time_zone_is_refused(force):
    with pytest.raises(CommandError, match="no force with the identifier “boston”"):
        _run(str(BOSTON), "--force", "boston")
    with pytest.raises(CommandError, match="“Mars/Olympus” is not a time zone"):
        _run(str(BOSTON), "--force", "seattle", "--time-zone", "Mars/Olympus")

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from beatbridge.demo.synthetic import synthetic_city
from beatbridge.places.models import Neighbourhood, Sector
from beatbridge.places.tests.factories import ForceFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_boundaries", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_is_imported_and_counted():
    ForceFactory(slug="seattle")

    out, _err = run(
        str(DATA / "three_squares.geojson"), "--force", "seattle", "--sector-property", "ward"
    )

    assert out.strip() == "3 created, 0 updated, 0 skipped."
    assert sorted(Neighbourhood.objects.values_list("code", flat=True)) == [
        "harrison-denny-blaine",
        "leschi",
        "montlake-cafe",
    ]
    assert sorted(Sector.objects.values_list("name", flat=True)) == ["North", "South"]


def test_a_second_run_updates_what_the_first_created():
    ForceFactory(slug="seattle")
    run(str(DATA / "three_squares.geojson"), "--force", "seattle")

    out, _err = run(str(DATA / "three_squares.geojson"), "--force", "seattle")

    assert out.strip() == "0 created, 3 updated, 0 skipped."
    assert Neighbourhood.objects.count() == 3


def test_bad_features_are_listed_by_index_and_nothing_is_written():
    ForceFactory(slug="seattle")
    err = StringIO()

    with pytest.raises(CommandError) as raised:
        call_command(
            "import_boundaries",
            str(DATA / "two_bad_features.geojson"),
            "--force",
            "seattle",
            stderr=err,
        )

    assert err.getvalue().splitlines() == [
        "feature 1: Ring 1 of polygon 1 is not closed: its first and last positions differ.",
        "feature 2: The geometry is a LineString; only Polygon and MultiPolygon are accepted.",
    ]
    assert "2 features are invalid; nothing was imported." in str(raised.value)
    assert Neighbourhood.objects.count() == 0


def test_skip_invalid_imports_the_good_and_lists_the_skipped():
    ForceFactory(slug="seattle")

    out, err = run(str(DATA / "two_bad_features.geojson"), "--force", "seattle", "--skip-invalid")

    assert out.strip() == "1 created, 0 updated, 2 skipped."
    assert err.count("feature ") == 2
    assert list(Neighbourhood.objects.values_list("name", flat=True)) == ["Good"]


def test_a_large_file_shows_a_progress_bar(tmp_path):
    ForceFactory(slug="big")
    city = tmp_path / "city.geojson"
    city.write_text(json.dumps(synthetic_city(600, seed=1)))

    out, err = run(str(city), "--force", "big", "--sector-property", "sector")

    assert out.strip() == "600 created, 0 updated, 0 skipped."
    assert "[" + "#" * 40 + "] 600/600" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        ("{not json", "is not valid JSON"),
        ('{"type": "Feature"}', "is not a GeoJSON FeatureCollection"),
        ("[1, 2]", "is not a GeoJSON FeatureCollection"),
    ],
)
def test_an_unusable_file_is_a_clear_error(tmp_path, content, message):
    ForceFactory(slug="seattle")
    path = tmp_path / "boundaries.geojson"
    if content is not None:
        path.write_text(content)

    with pytest.raises(CommandError, match=message):
        run(str(path), "--force", "seattle")


def test_an_unknown_force_is_a_clear_error():
    with pytest.raises(CommandError, match="no force with the identifier “atlantis”"):
        run(str(DATA / "three_squares.geojson"), "--force", "atlantis")
    assert Neighbourhood.objects.count() == 0


def test_the_command_exits_non_zero_without_a_traceback():
    """Run as a person would: no traceback, a non-zero exit status."""
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-m", "beatbridge", "import_boundaries", str(DATA / "x"), "--force", "x"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "does not exist" in result.stderr

"""police.uk-format files for tests, written the way data.police.uk writes them."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from pathlib import Path

from beatbridge.crimedata.importing import OUTCOME_COLUMNS, STREET_COLUMNS

FORCE_NAME = "West Yorkshire Police"


def crime_id(seed: str) -> str:
    """A Crime ID as police.uk writes them: 64 hex digits."""
    return hashlib.sha256(seed.encode()).hexdigest()


def street_row(
    *,
    month: str = "2017-07",
    crime_type: str = "Burglary",
    latitude: str = "47.655",
    longitude: str = "-122.345",
    location: str = "On or near Park Lane",
    reference: str | None = None,
    outcome: str = "Under investigation",
    reported_by: str = FORCE_NAME,
    context: str = "",
) -> list[str]:
    if reference is None:
        reference = (
            ""
            if crime_type == "Anti-social behaviour"
            else crime_id(f"{month}{crime_type}{latitude}{longitude}{location}{context}")
        )
    if crime_type == "Anti-social behaviour":
        outcome = ""
    return [
        reference,
        month,
        reported_by,
        FORCE_NAME,
        longitude,
        latitude,
        location if latitude else "No Location",
        "E01011229" if latitude else "",
        "Leeds 001A" if latitude else "",
        crime_type,
        outcome,
        context,
    ]


def outcome_row(
    *,
    reference: str,
    month: str = "2017-08",
    outcome: str = "Offender sent to prison",
    latitude: str = "47.655",
    longitude: str = "-122.345",
    location: str = "On or near Park Lane",
) -> list[str]:
    return [
        reference,
        month,
        FORCE_NAME,
        FORCE_NAME,
        longitude,
        latitude,
        location,
        "E01011229",
        "Leeds 001A",
        outcome,
    ]


def csv_text(rows: list[list[str]], header: list[str] | None = STREET_COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def write_street_file(
    folder: Path, rows: list[list[str]], *, month: str = "2017-07", force: str = "west-yorkshire"
) -> Path:
    path = folder / month / f"{month}-{force}-street.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(rows), encoding="utf-8")
    return path


def write_outcomes_file(
    folder: Path, rows: list[list[str]], *, month: str = "2017-08", force: str = "west-yorkshire"
) -> Path:
    path = folder / month / f"{month}-{force}-outcomes.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(rows, OUTCOME_COLUMNS), encoding="utf-8")
    return path


def write_file(path: Path, content: str | bytes) -> Path:
    """Write text exactly as given (no newline translation), or bytes; folders are made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def write_zip(path: Path, members: dict[str, str | bytes]) -> Path:
    """A zip archive as data.police.uk serves it: ``members`` maps names inside it to text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path

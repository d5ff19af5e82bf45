"""Importing a city's open-data incident CSV, described by a column mapping.

US cities publish incidents with their own columns: an id, a date and time, an offence
category, and a latitude and longitude or only a block address. A mapping (a JSON
file) names those columns, the date formats and time zone, and which of the city's
categories is which of police.uk's; the rows then go the way police.uk's do (checked
first, one transaction, months replaced, street points located, counts rebuilt).

A mapping::

    {
      "name": "Seattle Police Department",
      "columns": {"id": "Report Number", "occurred_at": "Offense Start DateTime",
                  "category": "Offense Parent Group", "latitude": "Latitude",
                  "longitude": "Longitude", "block": "100 Block Address"},
      "date_formats": ["%m/%d/%Y %I:%M:%S %p"],
      "time_zone": "America/Los_Angeles",
      "categories": {"BURGLARY/BREAKING&ENTERING": "burglary"},
      "other_categories": "other-crime"
    }

``latitude`` and ``longitude`` or ``block`` (or all three) must be mapped; without
coordinates a row keeps its block in its context and counts as having no location. A
category the mapping does not name is refused unless ``other_categories`` gives one
for it. Coordinates of 0 (a common stand-in for "withheld") mean no location.
"""

from __future__ import annotations

import datetime
import json
import time
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from beatbridge.crimedata.categories import CrimeCategory
from beatbridge.crimedata.importing import (
    ImportResult,
    Progress,
    RefusedFile,
    RowProblem,
    _hashed,
    _import_source,
    _new_slot,
    _Parsed,
    _Reader,
    _Refused,
    _Run,
)
from beatbridge.crimedata.models import CrimeImport, Incident, LocationType
from beatbridge.crimedata.sources import sources_in
from beatbridge.errors import DomainError

_REQUIRED_COLUMNS = ("id", "occurred_at", "category")
_KNOWN_COLUMNS = (*_REQUIRED_COLUMNS, "latitude", "longitude", "block")
_MAX_REFERENCE = Incident._meta.get_field("reference").max_length or 64
_MAX_CONTEXT = 1000


@dataclass(frozen=True)
class CityMapping:
    """Which column holds what, how dates are written, and the categories' police.uk ids."""

    columns: dict[str, str]
    categories: dict[str, str]
    name: str = ""
    date_formats: tuple[str, ...] = ()
    time_zone: str = ""
    other_categories: str | None = None
    # Filled in by ``from_json``: the zone dates are read in.
    zone: Any = field(default=None, compare=False)


def load_mapping(path: Path) -> CityMapping:
    """A mapping read from a JSON file; DomainError on ``mapping`` saying what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DomainError(_("%(path)s does not exist.") % {"path": path}, field="mapping") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DomainError(
            _("The mapping %(path)s cannot be read as JSON: %(error)s")
            % {"path": path, "error": error},
            field="mapping",
        ) from None
    return clean_mapping(data)


def clean_mapping(data: object) -> CityMapping:
    """Check a mapping (see the module docstring); DomainError on ``mapping``."""

    def refuse(message: str) -> DomainError:
        return DomainError(message, field="mapping")

    if not isinstance(data, dict):
        raise refuse(_("The mapping is a JSON object with “columns” and “categories”."))
    columns = data.get("columns")
    if not isinstance(columns, dict) or not all(
        isinstance(key, str) and isinstance(value, str) and value for key, value in columns.items()
    ):
        raise refuse(_("“columns” maps id, occurred_at, category… to column names."))
    unknown = sorted(set(columns) - set(_KNOWN_COLUMNS))
    if unknown:
        raise refuse(
            _("“columns” names %(unknown)s; it knows %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(_KNOWN_COLUMNS)}
        )
    missing = [name for name in _REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise refuse(_("“columns” must name %(missing)s.") % {"missing": ", ".join(missing)})
    if ("latitude" in columns) != ("longitude" in columns):
        raise refuse(_("Map both latitude and longitude, or neither."))
    if "latitude" not in columns and "block" not in columns:
        raise refuse(_("Map latitude and longitude, or block, or both."))
    categories = data.get("categories")
    if not isinstance(categories, dict) or not categories:
        raise refuse(_("“categories” maps each of the city's categories to a police.uk id."))
    other = data.get("other_categories")
    for category in [*categories.values(), *([other] if other is not None else [])]:
        if category not in CrimeCategory.values:
            raise refuse(
                _("“%(category)s” is not a police.uk category id (such as “burglary”).")
                % {"category": category}
            )
    formats = data.get("date_formats", [])
    if not isinstance(formats, list) or not all(isinstance(item, str) for item in formats):
        raise refuse(_("“date_formats” is a list of strptime formats."))
    zone_name = data.get("time_zone") or settings.TIME_ZONE
    try:
        zone = zoneinfo.ZoneInfo(str(zone_name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise refuse(
            _("“%(zone)s” is not a time zone such as America/Chicago.") % {"zone": zone_name}
        ) from None
    return CityMapping(
        columns=dict(columns),
        categories={str(key).strip().casefold(): value for key, value in categories.items()},
        name=str(data.get("name", "")),
        date_formats=tuple(formats),
        time_zone=str(zone_name),
        other_categories=other,
        zone=zone,
    )


def import_city_crimes(
    *,
    path: Path,
    force_slug: str,
    mapping: CityMapping,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one city incident CSV into a force (made if missing, named after the mapping)."""
    started = time.perf_counter()
    sources = sources_in([path])
    if len(sources) != 1:
        raise DomainError(_("Give one CSV file."), field="paths")
    [source] = sources
    result = ImportResult()
    run = _Run(total=source.size, progress=progress)

    def parse(header: list[str] | None, reader: _Reader, name: str, _run: _Run) -> _Parsed:
        return _parse_city(header, reader, name, mapping)

    try:
        summary = _import_source(source, force_slug, skip_invalid, run, parse)
        if summary is None:
            result.ignored.append(source.name)
        else:
            result.imported.append(summary)
    except _Refused as refusal:
        result.refused.append(RefusedFile(source.name, refusal.message, refusal.problems))
    except DomainError as error:
        result.refused.append(RefusedFile(source.name, error.message))
    run.report()
    result.seconds = time.perf_counter() - started
    return result


def _parse_city(
    header: list[str] | None, reader: _Reader, name: str, mapping: CityMapping
) -> _Parsed:
    if header is None:
        raise _Refused(_("The file is empty."))
    positions = {column: index for index, column in enumerate(header)}
    absent = [column for column in mapping.columns.values() if column not in positions]
    if absent:
        raise _Refused(
            _("The file has no column %(columns)s, which the mapping names.")
            % {"columns": ", ".join(f"“{column}”" for column in absent)}
        )
    where = {key: positions[column] for key, column in mapping.columns.items()}
    parsed = _Parsed(kind=CrimeImport.Kind.CITY, force_name=mapping.name)
    seen: set[str] = set()
    for fields in reader:
        line = reader.line_num
        if not fields:
            continue
        if len(fields) != len(header):
            parsed.problems.append(
                RowProblem(
                    name,
                    line,
                    _("Expected %(expected)d columns, found %(found)d.")
                    % {"expected": len(header), "found": len(fields)},
                )
            )
            continue
        row = _city_row(fields, where, mapping, parsed, seen)
        if isinstance(row, str):
            parsed.problems.append(RowProblem(name, line, row))
        else:
            parsed.rows.append((*row[:10], line, row[10]))
    return parsed


def _city_row(
    fields: list[str],
    where: dict[str, int],
    mapping: CityMapping,
    parsed: _Parsed,
    seen: set[str],
) -> tuple | str:
    """One row as the street writer takes it (without its line), or what is wrong."""
    reference = fields[where["id"]].strip()
    if not reference:
        return _("The id (%(column)s) is empty.") % {"column": mapping.columns["id"]}
    if len(reference) > _MAX_REFERENCE:
        return _("The id is longer than %(max)d characters.") % {"max": _MAX_REFERENCE}
    if reference in seen:
        return _("The id “%(id)s” appears twice in the file.") % {"id": reference}
    occurred_at = _occurred_at(fields[where["occurred_at"]].strip(), mapping)
    if occurred_at is None:
        return _("“%(value)s” (%(column)s) is not a date and time the mapping knows.") % {
            "value": fields[where["occurred_at"]][:40],
            "column": mapping.columns["occurred_at"],
        }
    source_category = fields[where["category"]].strip()
    category = mapping.categories.get(source_category.casefold(), mapping.other_categories)
    if category is None:
        return _("The category “%(category)s” is not in the mapping.") % {
            "category": source_category[:80]
        }
    block = fields[where["block"]].strip() if "block" in where else ""
    latitude = fields[where["latitude"]].strip() if "latitude" in where else ""
    longitude = fields[where["longitude"]].strip() if "longitude" in where else ""
    if _is_withheld(latitude) or _is_withheld(longitude):
        latitude = longitude = ""
    slot = _new_slot(latitude, longitude, block, parsed) if latitude else -1
    if isinstance(slot, str):
        return slot
    seen.add(reference)
    context = "" if slot >= 0 or not block else _("Block: %(block)s") % {"block": block}
    return (
        occurred_at.date().replace(day=1),
        category,
        reference,
        _hashed(reference),
        slot,
        LocationType.FORCE,
        "",
        "",
        "",
        context[:_MAX_CONTEXT],
        occurred_at,
    )


def _is_withheld(text: str) -> bool:
    try:
        return float(text) == 0
    except ValueError:
        return False


def _occurred_at(text: str, mapping: CityMapping) -> datetime.datetime | None:
    """The moment, in the mapping's time zone unless the text gives its own offset."""
    if not text:
        return None
    for date_format in mapping.date_formats or ("iso",):
        try:
            moment = (
                datetime.datetime.fromisoformat(text)
                if date_format == "iso"
                else datetime.datetime.strptime(text, date_format)  # noqa: DTZ007
            )
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=mapping.zone)
    return None

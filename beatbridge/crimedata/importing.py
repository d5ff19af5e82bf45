"""Importing data.police.uk's street-level crime and outcome files.

A file is read and checked in full before anything is written; then it is written in
one transaction: the months it holds replace what the force had for them (so importing
a month again never duplicates it), its street points are found or made and placed in
their neighbourhoods, and the counts dashboards read are rebuilt. A bad row names
its file, line and reason; the file is refused unless the caller chose to skip bad rows.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from beatbridge.crimedata.bulk import insert_rows
from beatbridge.crimedata.categories import CRIME_TYPES, outcome_types
from beatbridge.crimedata.models import CrimeImport, Incident, LocationType, Outcome, StreetPoint
from beatbridge.crimedata.rollups import rebuild_counts
from beatbridge.crimedata.sources import Source, sources_in
from beatbridge.errors import DomainError
from beatbridge.places.models import Force
from beatbridge.places.services import ensure_force
from beatbridge.places.spatial import boundary_index

STREET_COLUMNS = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
OUTCOME_COLUMNS = [*STREET_COLUMNS[:9], "Outcome type"]

_BTP = "British Transport Police"
_MAX_REFERENCE = Incident._meta.get_field("reference").max_length
_MAX_STREET = StreetPoint._meta.get_field("street_name").max_length
_MAX_AREA_CODE = Incident._meta.get_field("area_code").max_length
_MAX_AREA_NAME = Incident._meta.get_field("area_name").max_length
_MAX_SOURCE = Incident._meta.get_field("source_file").max_length
# Rows between two calls of the progress callback.
_PROGRESS_EVERY = 1 << 15

# Called with the bytes read so far and the bytes of all files.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowProblem:
    """Why one row of a file cannot be imported."""

    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return _("%(source)s, line %(line)d: %(reason)s") % {
            "source": self.source,
            "line": self.line,
            "reason": self.reason,
        }


@dataclass
class FileSummary:
    """What one imported file held and what became of it."""

    source: str
    kind: str
    force: str
    months: list[str]
    rows: int
    by_category: dict[str, int]
    without_location: int
    outside_neighbourhoods: int
    skipped: list[RowProblem]
    seconds: float


@dataclass(frozen=True)
class RefusedFile:
    """A file of which nothing was written, and why."""

    source: str
    message: str
    problems: list[RowProblem] = field(default_factory=list)


@dataclass
class ImportResult:
    imported: list[FileSummary] = field(default_factory=list)
    refused: list[RefusedFile] = field(default_factory=list)
    # Files of the archive that hold no crimes (stop and search), named and passed over.
    ignored: list[str] = field(default_factory=list)


class _Refused(Exception):
    def __init__(self, message: str, problems: list[RowProblem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def import_police_uk(
    *,
    paths: list[Path],
    force_slug: str | None = None,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import every street-level and outcomes file the paths hold; see the module docstring.

    A file belongs to ``force_slug`` when given, else to the force its police.uk name
    says; a force that does not exist yet is made, named from the file's "Falls
    within". A file refused leaves the others be: each is one transaction.
    """
    sources = sources_in(paths)
    if not sources:
        raise DomainError(_("No CSV files were found there."), field="paths")
    result = ImportResult()
    run = _Run(total=sum(source.size for source in sources), progress=progress)
    for source in sources:
        parts = source.police_uk_parts()
        if parts and parts[2] == "stop-and-search":
            result.ignored.append(source.name)
            continue
        slug = force_slug or (parts[1] if parts else None)
        try:
            if slug is None:
                raise _Refused(_("The file name does not say which force it is for: give --force."))
            result.imported.append(_import_source(source, slug, skip_invalid, run))
        except _Refused as refusal:
            result.refused.append(RefusedFile(source.name, refusal.message, refusal.problems))
        except DomainError as error:
            result.refused.append(RefusedFile(source.name, error.message))
    run.report()
    return result


@dataclass
class _Run:
    """What files of one import share: the progress, the months already replaced (so that
    two files of one force and month both land) and the street points already found."""

    total: int
    progress: Progress | None
    read: list[int] = field(default_factory=lambda: [0])
    replaced: set[tuple[int, str, datetime.date]] = field(default_factory=set)
    points: dict[tuple[float, float, str], tuple[int, int | None]] = field(default_factory=dict)

    def report(self) -> None:
        if self.progress is not None:
            self.progress(min(self.read[0], self.total), self.total)


@dataclass
class _Parsed:
    kind: str
    force_name: str = ""
    # Street: (line, month, category, reference, public id, point slot, location type,
    #          area code, area name, outcome, context).
    # Outcomes: (line, month, reference, outcome, point slot).
    rows: list[tuple] = field(default_factory=list)
    points: dict[tuple[float, float, str], int] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)


def _import_source(source: Source, slug: str, skip_invalid: bool, run: _Run) -> FileSummary:
    started = time.perf_counter()
    with source.open_counted(run.read) as text:
        reader = csv.reader(text)
        header = next(reader, None)
        kind = _kind_of(header)
        parse = _parse_street if kind == CrimeImport.Kind.STREET else _parse_outcomes
        parsed = parse(reader, source.name, run)
    if parsed.problems and not skip_invalid:
        raise _Refused(
            ngettext(
                "%(count)d row is invalid; nothing from this file was imported.",
                "%(count)d rows are invalid; nothing from this file was imported.",
                len(parsed.problems),
            )
            % {"count": len(parsed.problems)},
            parsed.problems,
        )
    replaced = set(run.replaced)
    try:
        with transaction.atomic():
            force = ensure_force(slug=slug, name=parsed.force_name or slug)
            if kind == CrimeImport.Kind.STREET:
                summary = _write_street(force, source, parsed, run)
            else:
                summary = _write_outcomes(force, source, parsed, run)
    except BaseException:
        # The rollback took this file's points and cleared months back with it.
        run.points.clear()
        run.replaced = replaced
        raise
    summary.seconds = time.perf_counter() - started
    return summary


def _kind_of(header: list[str] | None) -> str:
    if header == STREET_COLUMNS:
        return CrimeImport.Kind.STREET
    if header == OUTCOME_COLUMNS:
        return CrimeImport.Kind.OUTCOMES
    if header is None:
        raise _Refused(_("The file is empty."))
    if "Easting" in header or "Northing" in header:
        raise _Refused(
            _(
                "The file gives eastings and northings, not latitude and longitude in degrees: "
                "export it from data.police.uk in the current format."
            )
        )
    raise _Refused(
        _(
            "The first line is not a police.uk street-level or outcomes header. Expected "
            "“%(street)s” or “%(outcomes)s”, found “%(found)s”."
        )
        % {
            "street": ",".join(STREET_COLUMNS),
            "outcomes": ",".join(OUTCOME_COLUMNS),
            "found": ",".join(header)[:300],
        }
    )


def _month_of(text: str) -> datetime.date | None:
    if len(text) != 7 or text[4] != "-":
        return None
    try:
        return datetime.date(int(text[:4]), int(text[5:]), 1)
    except ValueError:
        return None


def _number_of(reference: str) -> int:
    """A stable positive 63-bit number for a reference (police.uk's are 64 hex digits)."""
    if len(reference) == 64:
        try:
            return int(reference[:15], 16)
        except ValueError:
            pass
    return int.from_bytes(hashlib.blake2b(reference.encode(), digest_size=8).digest()) >> 1


def _locate(text_latitude: str, text_longitude: str, street: str, parsed: _Parsed) -> int | str:
    """The slot of the row's street point, -1 without a location, or what is wrong."""
    if not text_latitude and not text_longitude:
        return -1
    try:
        latitude, longitude = float(text_latitude), float(text_longitude)
    except ValueError:
        return _("Latitude and Longitude must both be numbers, or both empty.")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return _(
            "Latitude %(latitude)s, Longitude %(longitude)s are not degrees: this looks "
            "like a projected coordinate (an easting and northing)."
        ) % {"latitude": text_latitude, "longitude": text_longitude}
    if len(street) > _MAX_STREET:
        return _("Location is longer than %(max)d characters.") % {"max": _MAX_STREET}
    key = (latitude, longitude, street)
    slot = parsed.points.get(key)
    if slot is None:
        slot = parsed.points[key] = len(parsed.points)
    return slot


def _parse_street(reader: Iterable[list[str]], name: str, run: _Run) -> _Parsed:
    parsed = _Parsed(kind=CrimeImport.Kind.STREET)
    rows, problems = parsed.rows, parsed.problems
    months: dict[str, datetime.date | None] = {}
    outcomes = outcome_types()
    repeats: dict[str, int] = {}
    for count, fields in enumerate(reader, 1):
        line = reader.line_num  # type: ignore[attr-defined]
        if not count % _PROGRESS_EVERY:
            run.report()
        if len(fields) != len(STREET_COLUMNS):
            problems.append(RowProblem(name, line, _column_count(len(fields), STREET_COLUMNS)))
            continue
        (
            reference,
            month_text,
            reported_by,
            falls_within,
            longitude,
            latitude,
            street,
            area_code,
            area_name,
            crime_type,
            outcome_name,
            context,
        ) = fields
        month = months.get(month_text, False)
        if month is False:
            month = months[month_text] = _month_of(month_text)
        if month is None:
            problems.append(RowProblem(name, line, _bad_month(month_text)))
            continue
        category = CRIME_TYPES.get(crime_type)
        if category is None:
            problems.append(RowProblem(name, line, _unknown_crime_type(crime_type)))
            continue
        outcome = outcomes.get(outcome_name, "") if outcome_name else ""
        if outcome_name and not outcome:
            problems.append(RowProblem(name, line, _unknown_outcome(outcome_name)))
            continue
        slot = _locate(latitude, longitude, street, parsed)
        if isinstance(slot, str):
            problems.append(RowProblem(name, line, slot))
            continue
        too_long = _too_long(reference, area_code, area_name)
        if too_long:
            problems.append(RowProblem(name, line, too_long))
            continue
        if reference:
            public_id = _number_of(reference)
        else:
            # Anti-social behaviour has no Crime ID: the row itself, and how many
            # identical rows came before it, make the id.
            signature = "\x1f".join(fields)
            repeat = repeats[signature] = repeats.get(signature, 0) + 1
            public_id = _number_of(f"{signature}\x1f{repeat}")
        if not parsed.force_name:
            parsed.force_name = falls_within
        rows.append(
            (
                line,
                month,
                category,
                reference,
                public_id,
                slot,
                LocationType.BTP if reported_by == _BTP else LocationType.FORCE,
                area_code,
                area_name,
                outcome,
                context,
            )
        )
    return parsed


def _parse_outcomes(reader: Iterable[list[str]], name: str, run: _Run) -> _Parsed:
    parsed = _Parsed(kind=CrimeImport.Kind.OUTCOMES)
    rows, problems = parsed.rows, parsed.problems
    months: dict[str, datetime.date | None] = {}
    outcomes = outcome_types()
    for count, fields in enumerate(reader, 1):
        line = reader.line_num  # type: ignore[attr-defined]
        if not count % _PROGRESS_EVERY:
            run.report()
        if len(fields) != len(OUTCOME_COLUMNS):
            problems.append(RowProblem(name, line, _column_count(len(fields), OUTCOME_COLUMNS)))
            continue
        reference, month_text, _by, falls_within, longitude, latitude, street = fields[:7]
        outcome_name = fields[9]
        month = months.get(month_text, False)
        if month is False:
            month = months[month_text] = _month_of(month_text)
        if month is None:
            problems.append(RowProblem(name, line, _bad_month(month_text)))
            continue
        if not reference:
            problems.append(RowProblem(name, line, _("Crime ID is empty.")))
            continue
        outcome = outcomes.get(outcome_name)
        if outcome is None:
            problems.append(RowProblem(name, line, _unknown_outcome(outcome_name)))
            continue
        slot = _locate(latitude, longitude, street, parsed)
        if isinstance(slot, str):
            problems.append(RowProblem(name, line, slot))
            continue
        too_long = _too_long(reference, "", "")
        if too_long:
            problems.append(RowProblem(name, line, too_long))
            continue
        if not parsed.force_name:
            parsed.force_name = falls_within
        rows.append((line, month, reference, outcome, slot))
    return parsed


def _column_count(found: int, columns: list[str]) -> str:
    return _("Expected %(expected)d columns, found %(found)d.") % {
        "expected": len(columns),
        "found": found,
    }


def _bad_month(text: str) -> str:
    return _("Month “%(month)s” is not a month written YYYY-MM.") % {"month": text[:20]}


def _unknown_crime_type(text: str) -> str:
    return _("Crime type “%(type)s” is not one of police.uk's categories.") % {"type": text[:80]}


def _unknown_outcome(text: str) -> str:
    return _("Outcome “%(outcome)s” is not one of police.uk's outcomes.") % {"outcome": text[:80]}


def _too_long(reference: str, area_code: str, area_name: str) -> str:
    for column, value, limit in (
        ("Crime ID", reference, _MAX_REFERENCE),
        ("LSOA code", area_code, _MAX_AREA_CODE),
        ("LSOA name", area_name, _MAX_AREA_NAME),
    ):
        if len(value) > limit:
            return _("%(column)s is longer than %(max)d characters.") % {
                "column": column,
                "max": limit,
            }
    return ""


def _replace_months(force: Force, kind: str, months: set[datetime.date], run: _Run) -> None:
    """Clear the months this file brings, once per import run (so that a month split over
    two files keeps both)."""
    fresh = {month for month in months if (force.pk, kind, month) not in run.replaced}
    if not fresh:
        return
    run.replaced.update((force.pk, kind, month) for month in fresh)
    model = Incident if kind == CrimeImport.Kind.STREET else Outcome
    model.objects.filter(force=force, month__in=fresh).delete()


def _street_points(parsed: _Parsed, run: _Run) -> tuple[list[int], list[int | None]]:
    """The ids and neighbourhoods of the file's street points, in slot order; points not
    seen before are made and located in their neighbourhood."""
    keys = list(parsed.points)
    missing = [key for key in keys if key not in run.points]
    if missing:
        _find_points(missing, run)
        new = [key for key in missing if key not in run.points]
        if new:
            located = boundary_index().locate_many(
                np.array([key[0] for key in new]), np.array([key[1] for key in new])
            )
            insert_rows(
                StreetPoint,
                ["latitude", "longitude", "street_name", "neighbourhood"],
                (
                    (latitude, longitude, street, int(found) if found >= 0 else None)
                    for (latitude, longitude, street), found in zip(new, located, strict=True)
                ),
            )
            _find_points(new, run)
    found = [run.points[key] for key in keys]
    return [point for point, _n in found], [neighbourhood for _p, neighbourhood in found]


def _find_points(keys: list[tuple[float, float, str]], run: _Run) -> None:
    """Read into the run's cache the stored points in the box around ``keys``."""
    latitudes = [key[0] for key in keys]
    longitudes = [key[1] for key in keys]
    stored = StreetPoint.objects.filter(
        latitude__range=(min(latitudes), max(latitudes)),
        longitude__range=(min(longitudes), max(longitudes)),
    ).values_list("latitude", "longitude", "street_name", "pk", "neighbourhood_id")
    for latitude, longitude, street, pk, neighbourhood in stored.iterator(chunk_size=10_000):
        run.points[(latitude, longitude, street)] = (pk, neighbourhood)


def _write_street(force: Force, source: Source, parsed: _Parsed, run: _Run) -> FileSummary:
    months = {row[1] for row in parsed.rows}
    _replace_months(force, CrimeImport.Kind.STREET, months, run)
    point_ids, neighbourhoods = _street_points(parsed, run)
    source_name = source.name[-_MAX_SOURCE:]
    force_id = force.pk
    rows = [
        (
            force_id,
            month.isoformat(),
            category,
            reference,
            public_id,
            point_ids[slot] if slot >= 0 else None,
            neighbourhoods[slot] if slot >= 0 else None,
            location_type,
            area_code,
            area_name,
            outcome,
            context,
            source_name,
            line,
        )
        for (
            line,
            month,
            category,
            reference,
            public_id,
            slot,
            location_type,
            area_code,
            area_name,
            outcome,
            context,
        ) in parsed.rows
    ]
    insert_rows(
        Incident,
        [
            "force",
            "month",
            "category",
            "reference",
            "public_id",
            "point",
            "neighbourhood",
            "location_type",
            "area_code",
            "area_name",
            "outcome",
            "context",
            "source_file",
            "source_line",
        ],
        rows,
    )
    rebuild_counts(force=force, months=months)
    refresh_latest_outcomes(Incident.objects.filter(force=force, month__in=months))
    without_location = sum(1 for row in rows if row[5] is None)
    outside = sum(1 for row in rows if row[6] is None) - without_location
    return _record(
        force,
        source_name,
        CrimeImport.Kind.STREET,
        months,
        rows=len(rows),
        by_category=Counter(row[2] for row in rows),
        without_location=without_location,
        outside=outside,
        skipped=parsed.problems,
    )


def _write_outcomes(force: Force, source: Source, parsed: _Parsed, run: _Run) -> FileSummary:
    months = {row[1] for row in parsed.rows}
    _replace_months(force, CrimeImport.Kind.OUTCOMES, months, run)
    point_ids, _neighbourhoods = _street_points(parsed, run)
    source_name = source.name[-_MAX_SOURCE:]
    force_id = force.pk
    insert_rows(
        Outcome,
        ["force", "month", "reference", "category", "point", "source_file", "source_line"],
        (
            (
                force_id,
                month.isoformat(),
                reference,
                outcome,
                point_ids[slot] if slot >= 0 else None,
                source_name,
                line,
            )
            for line, month, reference, outcome, slot in parsed.rows
        ),
    )
    refresh_latest_outcomes(
        Incident.objects.filter(
            reference__in=Outcome.objects.filter(force=force, month__in=months).values("reference")
        )
    )
    return _record(
        force,
        source_name,
        CrimeImport.Kind.OUTCOMES,
        months,
        rows=len(parsed.rows),
        by_category=dict(Counter(row[3] for row in parsed.rows)),
        without_location=sum(1 for row in parsed.rows if row[4] < 0),
        outside=0,
        skipped=parsed.problems,
    )


def refresh_latest_outcomes(incidents: QuerySet[Incident]) -> None:
    """Give these incidents the latest outcome, with its month, that outcomes files recorded.

    Incidents no outcomes file mentions keep the outcome their street-level file gave.
    """
    recorded = Outcome.objects.filter(reference=OuterRef("reference")).order_by("-month", "-pk")
    incidents.exclude(reference="").filter(Exists(recorded)).update(
        outcome=Subquery(recorded.values("category")[:1]),
        outcome_month=Subquery(recorded.values("month")[:1]),
    )


def _record(
    force: Force,
    source_name: str,
    kind: str,
    months: set[datetime.date],
    *,
    rows: int,
    by_category: dict[str, int],
    without_location: int,
    outside: int,
    skipped: list[RowProblem],
) -> FileSummary:
    month_names = sorted(month.strftime("%Y-%m") for month in months)
    CrimeImport.objects.create(
        force=force,
        kind=kind,
        source_file=source_name,
        months=month_names,
        rows=rows,
        skipped=len(skipped),
        without_location=without_location,
        outside_neighbourhoods=outside,
    )
    return FileSummary(
        source=source_name,
        kind=str(kind),
        force=force.slug,
        months=month_names,
        rows=rows,
        by_category=dict(by_category),
        without_location=without_location,
        outside_neighbourhoods=outside,
        skipped=skipped,
        seconds=0.0,
    )

"""Importing data.police.uk's street-level crime and outcome files.

A file is read and checked in full before anything is written; then it is written in
one transaction: the months it holds replace what the force had for them (so importing
a month again never duplicates it), its street points are found or made and placed in
their neighbourhoods, and the counts dashboards read are rebuilt. A bad row names
its file, line and reason; the file is refused unless the caller chose to skip bad rows.
"""

from __future__ import annotations

import binascii
import csv
import datetime
import hashlib
import time
import zipfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Protocol

import numpy as np
from django.db import DataError, IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from beatbridge.crimedata.bulk import cache_room, insert_rows
from beatbridge.crimedata.categories import CRIME_TYPES, outcome_types
from beatbridge.crimedata.models import CrimeImport, Incident, LocationType, Outcome, StreetPoint
from beatbridge.crimedata.rollups import rebuild_counts, rebuild_outcome_counts
from beatbridge.crimedata.sources import NotText, Source, sources_in
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
_MAX_REFERENCE = Incident._meta.get_field("reference").max_length or 64
_MAX_STREET = StreetPoint._meta.get_field("street_name").max_length or 200
_MAX_AREA_CODE = Incident._meta.get_field("area_code").max_length or 16
_MAX_AREA_NAME = Incident._meta.get_field("area_name").max_length or 100
_MAX_SOURCE = Incident._meta.get_field("source_file").max_length or 255
# Latitudes per query when looking up stored street points.
_LOOKUP_CHUNK = 500

# Called with the bytes read so far and the bytes of all files.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowProblem:
    """Why one row of a file cannot be imported; ``line`` is the line the row starts on."""

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
    # Files that hold no crimes (stop and search; a header without rows), named and
    # passed over.
    ignored: list[str] = field(default_factory=list)
    # The whole run's, reading and writing every file.
    seconds: float = 0.0


class _Reader(Protocol):
    """A csv.reader: its rows, and the line it has read up to."""

    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...


# Reads a file's rows given its header: (header, reader, file name, run) -> parsed rows.
Parser = Callable[[list[str] | None, "_Reader", str, "_Run"], "_Parsed"]


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
    within". A file refused leaves the others be: each is one transaction. A police.uk
    file name holds one force's month, so a second file of the same name in one run
    (the archive and its unpacked folder, say) is refused rather than counted twice.
    Raises DomainError on ``paths`` when a path is missing or holds no CSV file, before
    anything is written.
    """
    started = time.perf_counter()
    sources = sources_in(paths)
    if not sources:
        raise DomainError(_("No CSV files were found there."), field="paths")
    result = ImportResult()
    run = _Run(total=sum(source.size for source in sources), progress=progress)
    imported_as: dict[str, str] = {}
    for source in sources:
        parts = source.police_uk_parts()
        if parts and parts[2] == "stop-and-search":
            result.ignored.append(source.name)
            continue
        slug = force_slug or (parts[1] if parts else None)
        try:
            if slug is None:
                raise _Refused(_("The file name does not say which force it is for: give --force."))
            if parts and source.base_name in imported_as:
                raise _Refused(
                    _(
                        "%(earlier)s, of the same name, was imported earlier in this run: a "
                        "police.uk file holds one force's month, so this is a second copy. "
                        "Import it on its own to replace that month with it."
                    )
                    % {"earlier": imported_as[source.base_name]}
                )
            summary = _import_source(source, slug, skip_invalid, run)
            if summary is None:
                result.ignored.append(source.name)
            else:
                result.imported.append(summary)
                imported_as[source.base_name] = source.name
        except _Refused as refusal:
            result.refused.append(RefusedFile(source.name, refusal.message, refusal.problems))
        except DomainError as error:
            result.refused.append(RefusedFile(source.name, error.message))
        run.report()
    result.seconds = time.perf_counter() - started
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
    # Street and city: (month, category, reference, public id, point slot, location type,
    #          area code, area name, outcome, context, line, occurred at or None).
    # Outcomes: (month, reference, outcome, point slot, line).
    # Months are dates (the first of the month); slot -1 is "no location".
    rows: list[tuple] = field(default_factory=list)
    # Each distinct point, in slot order.
    points: dict[tuple[float, float, str], int] = field(default_factory=dict)
    # The same slots by the file's own text, which is cheaper to look up than to parse.
    slots: dict[tuple[str, str, str], int] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)


def _import_source(
    source: Source,
    slug: str,
    skip_invalid: bool,
    run: _Run,
    parser: Parser | None = None,
) -> FileSummary | None:
    """The file imported in one transaction; None when it holds no rows at all.

    ``parser`` reads its rows (police.uk's street-level and outcomes formats by default)."""
    started = time.perf_counter()
    parsed = _read(source, run, parser or _parse_police_uk)
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
    if not parsed.rows and not parsed.problems:
        return None
    if not parsed.rows:
        raise _Refused(
            _("No row of this file is valid; nothing from it was imported."), parsed.problems
        )
    replaced = set(run.replaced)
    try:
        with cache_room(len(parsed.rows)), transaction.atomic():
            force = ensure_force(slug=slug, name=parsed.force_name or slug)
            if parsed.kind != CrimeImport.Kind.OUTCOMES:
                summary = _write_street(force, source, parsed, run)
            else:
                summary = _write_outcomes(force, source, parsed, run)
    except BaseException as error:
        # The rollback took this file's points and cleared months back with it.
        run.points.clear()
        run.replaced = replaced
        if isinstance(error, DataError | IntegrityError):
            raise _Refused(
                _("The database refused the file: %(error)s") % {"error": error}
            ) from error
        raise
    summary.seconds = time.perf_counter() - started
    return summary


def _read(source: Source, run: _Run, parser: Parser) -> _Parsed:
    """The file's rows, parsed and checked; refused when it cannot be read as a CSV file."""
    try:
        with source.open_counted(run.read, run.report) as text:
            reader = csv.reader(text)
            return parser(next(reader, None), reader, source.name, run)
    except UnicodeDecodeError:
        raise _Refused(
            _("The file is not UTF-8 text, as police.uk's files are: save it as UTF-8.")
        ) from None
    except NotText:
        raise _Refused(
            _(
                "The file holds a NUL byte, which UTF-8 CSV text never does (a UTF-16 "
                "export, or not text at all): save it as UTF-8 CSV."
            )
        ) from None
    except csv.Error as error:
        raise _Refused(_("The file cannot be read as CSV: %(error)s") % {"error": error}) from None
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        raise _Refused(_("The file cannot be read: %(error)s") % {"error": error}) from None


def _parse_police_uk(header: list[str] | None, reader: _Reader, name: str, run: _Run) -> _Parsed:
    parse = _parse_street if _kind_of(header) == CrimeImport.Kind.STREET else _parse_outcomes
    return parse(reader, name, run)


def _kind_of(header: list[str] | None) -> str:
    if header == STREET_COLUMNS:
        return CrimeImport.Kind.STREET
    if header == OUTCOME_COLUMNS:
        return CrimeImport.Kind.OUTCOMES
    if header is None:
        raise _Refused(_("The file is empty."))
    if any(column.strip().lower().startswith(("easting", "northing")) for column in header):
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
    """The first day of the month "YYYY-MM"; None when it is not one."""
    # isascii first: isdigit and int() also take other scripts' digits.
    if not (len(text) == 7 and text.isascii() and text[4] == "-"):
        return None
    year, month = text[:4], text[5:]
    if not (year.isdigit() and month.isdigit()):
        return None
    try:
        return datetime.date(int(year), int(month), 1)
    except ValueError:
        return None


# What a cache look-up gives for a key it has not seen.
_UNSEEN = object()

# Public ids keep to 53 bits: JavaScript's numbers hold no larger whole number exactly.
_ID_SHIFT = 64 - 53


def _hashed(text: str) -> int:
    """A stable positive 53-bit number for a reference or a row without one."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest()) >> _ID_SHIFT


def _new_slot(text_latitude: str, text_longitude: str, street: str, parsed: _Parsed) -> int | str:
    """The slot of a point the file has not named in these words before, or what is wrong."""
    try:
        latitude, longitude = float(text_latitude), float(text_longitude)
    except ValueError:
        return _("Latitude and Longitude must both be numbers, or both empty.")
    # Written so that NaN fails too.
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return _(
            "Latitude %(latitude)s, Longitude %(longitude)s are not degrees: this looks "
            "like a projected coordinate (an easting and northing)."
        ) % {"latitude": text_latitude[:20], "longitude": text_longitude[:20]}
    if len(street) > _MAX_STREET:
        return _("Location is longer than %(max)d characters.") % {"max": _MAX_STREET}
    key = (latitude, longitude, street)
    slot = parsed.points.get(key)
    if slot is None:
        slot = parsed.points[key] = len(parsed.points)
    parsed.slots[(text_latitude, text_longitude, street)] = slot
    return slot


def _parse_street(reader: _Reader, name: str, run: _Run) -> _Parsed:
    # The loop runs once per row of files of millions of rows: the common case is kept
    # to a few dictionary look-ups, and every check that costs more runs on a row's
    # first sight of a value (a month, category and outcome; a point) only.
    parsed = _Parsed(kind=CrimeImport.Kind.STREET)
    rows, problems, slots = parsed.rows, parsed.problems, parsed.slots
    append = rows.append
    # (month, crime type, outcome) as the file writes them: (month, category, outcome),
    # or why the row is refused.
    kinds: dict[tuple[str, str, str], tuple[datetime.date, str, str] | str] = {}
    repeats: dict[str, int] = {}
    unhexlify, from_bytes = binascii.unhexlify, int.from_bytes
    btp, force_type = str(LocationType.BTP.value), str(LocationType.FORCE.value)
    force_name = ""
    last = reader.line_num
    for fields in reader:
        # The line the row starts on: a quoted field may hold line breaks.
        line = last + 1
        last = reader.line_num
        if len(fields) != 12:
            # A blank line is no row.
            if fields:
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
        kind = kinds.get((month_text, crime_type, outcome_name))
        if kind is None:
            kind = kinds[(month_text, crime_type, outcome_name)] = _street_kind(
                month_text, crime_type, outcome_name
            )
        if isinstance(kind, str):
            problems.append(RowProblem(name, line, kind))
            continue
        month, category, outcome = kind
        if latitude or longitude:
            slot = slots.get((latitude, longitude, street))
            if slot is None:
                slot = _new_slot(latitude, longitude, street, parsed)
                if isinstance(slot, str):
                    problems.append(RowProblem(name, line, slot))
                    continue
        else:
            slot = -1
        if (
            len(reference) > _MAX_REFERENCE
            or len(area_code) > _MAX_AREA_CODE
            or len(area_name) > _MAX_AREA_NAME
        ):
            problems.append(RowProblem(name, line, _too_long(reference, area_code, area_name)))
            continue
        if reference:
            # police.uk's Crime IDs are 64 hex digits; their first 53 bits make the number.
            # unhexlify refuses anything but hex digits, where int() would also take
            # signs, underscores and other scripts' digits.
            if len(reference) == 64:
                try:
                    public_id = from_bytes(unhexlify(reference)[:8]) >> _ID_SHIFT
                except ValueError:
                    public_id = _hashed(reference)
            else:
                public_id = _hashed(reference)
        else:
            # Anti-social behaviour has no Crime ID: the row itself, and how many
            # identical rows came before it, make the id.
            signature = "\x1f".join(fields)
            repeat = repeats[signature] = repeats.get(signature, 0) + 1
            public_id = _hashed(f"{signature}\x1f{repeat}")
        if not force_name:
            force_name = falls_within
        append(
            (
                month,
                category,
                reference,
                public_id,
                slot,
                btp if reported_by == _BTP else force_type,
                area_code,
                area_name,
                outcome,
                context,
                line,
                None,
            )
        )
    parsed.force_name = force_name
    return parsed


def _street_kind(
    month_text: str, crime_type: str, outcome_name: str
) -> tuple[datetime.date, str, str] | str:
    """(month, category, outcome) from a street-level row's words, or what is wrong."""
    month = _month_of(month_text)
    if month is None:
        return _bad_month(month_text)
    category = CRIME_TYPES.get(crime_type)
    if category is None:
        return _unknown_crime_type(crime_type)
    if not outcome_name:
        return month, category, ""
    outcome = outcome_types().get(outcome_name)
    if outcome is None:
        return _unknown_outcome(outcome_name)
    return month, category, outcome


def _parse_outcomes(reader: _Reader, name: str, run: _Run) -> _Parsed:
    parsed = _Parsed(kind=CrimeImport.Kind.OUTCOMES)
    rows, problems, slots = parsed.rows, parsed.problems, parsed.slots
    months: dict[str, datetime.date | None] = {}
    outcomes = outcome_types()
    force_name = ""
    last = reader.line_num
    for fields in reader:
        line = last + 1
        last = reader.line_num
        if len(fields) != 10:
            if fields:
                problems.append(RowProblem(name, line, _column_count(len(fields), OUTCOME_COLUMNS)))
            continue
        reference, month_text, _by, falls_within, longitude, latitude, street = fields[:7]
        outcome_name = fields[9]
        month = months.get(month_text, _UNSEEN)
        if month is _UNSEEN:
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
        if latitude or longitude:
            slot = slots.get((latitude, longitude, street))
            if slot is None:
                slot = _new_slot(latitude, longitude, street, parsed)
                if isinstance(slot, str):
                    problems.append(RowProblem(name, line, slot))
                    continue
        else:
            slot = -1
        if len(reference) > _MAX_REFERENCE:
            problems.append(RowProblem(name, line, _too_long(reference, "", "")))
            continue
        if not force_name:
            force_name = falls_within
        rows.append((month, reference, outcome, slot, line))
    parsed.force_name = force_name
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


def _claim_months(
    force: Force, kind: str, months: set[datetime.date], run: _Run
) -> set[datetime.date]:
    """The months this file brings that the run has not replaced yet, now marked as
    replaced: each is cleared once per run, so that a month split over two files keeps
    both."""
    fresh = {month for month in months if (force.pk, kind, month) not in run.replaced}
    run.replaced.update((force.pk, kind, month) for month in fresh)
    return fresh


def _street_points(parsed: _Parsed, run: _Run) -> tuple[list[int | None], list[int | None]]:
    """The ids and neighbourhoods of the file's street points, in slot order and then a
    None for slot -1 (no location); points not seen before are made and located."""
    keys = list(parsed.points)
    missing = [key for key in keys if key not in run.points]
    if missing:
        _find_points(missing, run)
        new = [key for key in missing if key not in run.points]
        if new:
            located = boundary_index().locate_many(
                np.array([key[0] for key in new]), np.array([key[1] for key in new])
            )
            # Ids only grow, so the new points are the ones after the last one now.
            last = StreetPoint.objects.aggregate(last=Max("pk"))["last"] or 0
            insert_rows(
                StreetPoint,
                ["latitude", "longitude", "street_name", "neighbourhood"],
                (
                    (latitude, longitude, street, int(found) if found >= 0 else None)
                    for (latitude, longitude, street), found in zip(new, located, strict=True)
                ),
            )
            _cache_points(StreetPoint.objects.filter(pk__gt=last), run)
    found = [run.points[key] for key in keys]
    return (
        [*(point for point, _n in found), None],
        [*(neighbourhood for _p, neighbourhood in found), None],
    )


def _find_points(keys: list[tuple[float, float, str]], run: _Run) -> None:
    """Read into the run's cache the stored points at the latitudes of ``keys``.

    By exact latitude, not by the box around them: the work follows the file's points,
    not the number of points the database holds.
    """
    latitudes = sorted({key[0] for key in keys})
    for start in range(0, len(latitudes), _LOOKUP_CHUNK):
        _cache_points(
            StreetPoint.objects.filter(latitude__in=latitudes[start : start + _LOOKUP_CHUNK]), run
        )


def _cache_points(points: QuerySet[StreetPoint], run: _Run) -> None:
    stored = points.values_list("latitude", "longitude", "street_name", "pk", "neighbourhood_id")
    for latitude, longitude, street, pk, neighbourhood in stored.iterator(chunk_size=10_000):
        run.points[(latitude, longitude, street)] = (pk, neighbourhood)


def _months_of(rows: list[tuple]) -> set[datetime.date]:
    return set(map(itemgetter(0), rows))


def _write_street(force: Force, source: Source, parsed: _Parsed, run: _Run) -> FileSummary:
    months = _months_of(parsed.rows)
    Incident.objects.filter(
        force=force, month__in=_claim_months(force, CrimeImport.Kind.STREET, months, run)
    ).delete()
    point_ids, neighbourhoods = _street_points(parsed, run)
    source_name = source.name[-_MAX_SOURCE:]
    force_id = force.pk
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
            "reported_outcome",
            "context",
            "source_file",
            "source_line",
            "occurred_at",
        ],
        (
            (
                force_id,
                month,
                category,
                reference,
                public_id,
                # Slot -1 reads the None at the end of both lists.
                point_ids[slot],
                neighbourhoods[slot],
                location_type,
                area_code,
                area_name,
                outcome,
                outcome,
                context,
                source_name,
                line,
                occurred_at,
            )
            for (
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
                line,
                occurred_at,
            ) in parsed.rows
        ),
    )
    refresh_latest_outcomes(Incident.objects.filter(force=force, month__in=months))
    rebuild_counts(force=force, months=months)
    per_slot = Counter(map(itemgetter(4), parsed.rows))
    return _record(
        force,
        source_name,
        parsed.kind,
        months,
        rows=len(parsed.rows),
        by_category=Counter(map(itemgetter(1), parsed.rows)),
        without_location=per_slot[-1],
        outside=sum(
            count for slot, count in per_slot.items() if slot >= 0 and neighbourhoods[slot] is None
        ),
        skipped=parsed.problems,
    )


def _write_outcomes(force: Force, source: Source, parsed: _Parsed, run: _Run) -> FileSummary:
    months = _months_of(parsed.rows)
    replaced = _claim_months(force, CrimeImport.Kind.OUTCOMES, months, run)
    affected = _forget_outcomes(force, replaced)
    Outcome.objects.filter(force=force, month__in=replaced).delete()
    point_ids, _neighbourhoods = _street_points(parsed, run)
    source_name = source.name[-_MAX_SOURCE:]
    force_id = force.pk
    insert_rows(
        Outcome,
        ["force", "month", "reference", "category", "point", "source_file", "source_line"],
        (
            (force_id, month, reference, outcome, point_ids[slot], source_name, line)
            for month, reference, outcome, slot, line in parsed.rows
        ),
    )
    updated = Incident.objects.filter(
        reference__in=Outcome.objects.filter(force=force, month__in=months).values("reference")
    )
    refresh_latest_outcomes(updated)
    for crimes_force, crime_months in _months_by_force(updated).items():
        affected.setdefault(crimes_force, set()).update(crime_months)
    for crimes_force, crime_months in affected.items():
        rebuild_outcome_counts(force=crimes_force, months=crime_months)
    return _record(
        force,
        source_name,
        CrimeImport.Kind.OUTCOMES,
        months,
        rows=len(parsed.rows),
        by_category=Counter(map(itemgetter(2), parsed.rows)),
        without_location=sum(1 for row in parsed.rows if row[3] < 0),
        outside=0,
        skipped=parsed.problems,
    )


def _months_by_force(incidents: QuerySet[Incident]) -> dict[Force, set[datetime.date]]:
    """The forces and months these incidents fall in (a crime's outcomes can come from
    another force's file, as police.uk's do when a case moves)."""
    months: dict[int, set[datetime.date]] = defaultdict(set)
    for force_id, month in incidents.order_by().values_list("force", "month").distinct():
        months[force_id].add(month)
    return {force: months[force.pk] for force in Force.objects.filter(pk__in=months)}


def _forget_outcomes(force: Force, months: set[datetime.date]) -> dict[Force, set[datetime.date]]:
    """Before the force's outcomes of ``months`` are replaced, give the crimes they name
    the latest of their other outcomes, or their street file's own when none is left, so
    that an outcome a corrected file drops does not stay. The forces and months of those
    crimes, whose outcome counts must be rebuilt."""
    if not months:
        return {}
    named = Incident.objects.filter(
        reference__in=Outcome.objects.filter(force=force, month__in=months).values("reference")
    )
    affected = _months_by_force(named)
    others = (
        Outcome.objects.filter(reference=OuterRef("reference"))
        .exclude(force=force, month__in=months)
        .order_by("-month", "-pk")
    )
    named.update(
        outcome=Coalesce(Subquery(others.values("category")[:1]), F("reported_outcome")),
        outcome_month=Subquery(others.values("month")[:1]),
    )
    return affected


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

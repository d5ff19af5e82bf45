"""Historical 311 data: reading the Boston and NYC open-data CSV layouts, and importing them.

Two halves, kept apart:

- **Parsing** (``read_311_file``) reads a CSV file into ``ImportRow``s, one per good
  row, and ``RowProblem``s naming the line and what is wrong with each bad one. It
  writes nothing.
- **Writing** (``import_reports``) turns parsed rows into reports of a force in one
  transaction, with bulk inserts. It is a write of its own rather than a call to
  ``services.submit_report``: imported rows have no reporter, come with their own
  dates and statuses, may lie outside every neighbourhood, and arrive by the
  hundred thousand.

Imported reports keep every invariant of a submitted one: the public sees the
snapped point only, the neighbourhood is the one containing the point, and no
identity is kept (the source files hold none we may keep).
"""

from __future__ import annotations

import csv
import datetime
import itertools
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from beatbridge.audit.services import record as audit
from beatbridge.errors import DomainError
from beatbridge.places.models import Force
from beatbridge.places.selectors import locate_neighbourhood_ref
from beatbridge.reports.models import (
    Category,
    CategoryKind,
    Report,
    ReportKind,
    ReportUpdate,
    Source,
    Status,
    UpdateKind,
)
from beatbridge.reports.services import public_point, random_code

IMPORTED_GROUP = "Imported"
BATCH_SIZE = 1000
_DESCRIPTION_MAX = 5000
_ADDRESS_MAX = 300
_EXTERNAL_ID_MAX = Report._meta.get_field("external_id").max_length or 100
_CODE_MAX = Category._meta.get_field("code").max_length or 64
_NAME_MAX = Category._meta.get_field("name").max_length or 120
# SQLite allows at most 999 parameters in one statement on older builds.
_LOOKUP_CHUNK = 900


# --- parsing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRow:
    """One source row, normalised: what ``import_reports`` needs and nothing personal."""

    line: int
    external_id: str
    # The source's own type of request, matched to a category of the force.
    source_type: str
    opened_at: datetime.datetime
    status: str
    acknowledged_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    description: str
    latitude: float | None
    longitude: float | None
    address: str
    # The source's public answer (closure reason, resolution description), if any.
    note: str = ""
    note_at: datetime.datetime | None = None


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


@dataclass
class ParsedFile:
    layout: str
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return len(self.rows) + len(self.problems)


@dataclass(frozen=True)
class Layout:
    """Where an open-data export keeps each thing, and how it writes dates and statuses."""

    name: str
    id_column: str
    opened_column: str
    closed_column: str
    status_column: str
    type_columns: tuple[str, ...]
    description_columns: tuple[str, ...]
    # Alternatives, first one with a value wins; the columns of one are joined by commas.
    address_columns: tuple[tuple[str, ...], ...]
    latitude_column: str
    longitude_column: str
    note_column: str
    date_formats: tuple[str, ...]
    # When the source last acted on a request; dates an open request's acknowledgement.
    updated_column: str = ""
    # Points a source writes when it has no place for a request.
    placeholder_points: frozenset[tuple[float, float]] = frozenset()
    # Notes that say nothing: a source's boilerplate for "no reason given".
    empty_notes: frozenset[str] = frozenset()

    @property
    def required_columns(self) -> tuple[str, ...]:
        return (
            self.id_column,
            self.opened_column,
            self.closed_column,
            self.status_column,
            self.type_columns[0],
            self.latitude_column,
            self.longitude_column,
        )


BOSTON = Layout(
    name="boston",
    id_column="case_enquiry_id",
    opened_column="open_dt",
    closed_column="closed_dt",
    status_column="case_status",
    type_columns=("type", "reason", "subject"),
    description_columns=("case_title", "type"),
    address_columns=(("location",), ("location_street_name",)),
    latitude_column="latitude",
    longitude_column="longitude",
    note_column="closure_reason",
    date_formats=(),
    # City Hall Plaza: where Boston's 311 system puts a case it could not place.
    placeholder_points=frozenset({(42.3594, -71.0587)}),
)

NYC = Layout(
    name="nyc",
    id_column="Unique Key",
    opened_column="Created Date",
    closed_column="Closed Date",
    status_column="Status",
    type_columns=("Complaint Type",),
    description_columns=("Complaint Type", "Descriptor"),
    address_columns=(("Incident Address", "City"), ("Street Name", "City")),
    latitude_column="Latitude",
    longitude_column="Longitude",
    note_column="Resolution Description",
    updated_column="Resolution Action Updated Date",
    date_formats=("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y"),
)

LAYOUTS = {layout.name: layout for layout in (BOSTON, NYC)}

# Source statuses (lower case) that mean a person has taken the request up but not closed it.
_WORKING_STATUSES = frozenset({"assigned", "in progress", "started", "pending"})
_OPEN_STATUSES = frozenset({"open", "new", "unspecified", ""})
_CLOSED_STATUSES = frozenset({"closed", "resolved"})


def read_311_file(path: Path, *, layout: str = "auto", time_zone: zoneinfo.ZoneInfo) -> ParsedFile:
    """Parse a Boston or NYC 311 CSV export into rows and per-line problems.

    ``layout`` is "boston", "nyc" or "auto" (chosen from the header). Dates without
    an offset are local times in ``time_zone``. A file that cannot be read, is not
    CSV, is empty, or lacks the layout's columns raises ``DomainError`` (field "file");
    a bad row only adds a ``RowProblem``.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return parse_311_csv(stream, layout=layout, time_zone=time_zone)
    except FileNotFoundError:
        raise DomainError(
            _("The file %(path)s does not exist.") % {"path": path}, field="file"
        ) from None
    except IsADirectoryError:
        raise DomainError(
            _("%(path)s is a directory, not a CSV file.") % {"path": path}, field="file"
        ) from None
    except UnicodeDecodeError:
        raise DomainError(
            _("The file %(path)s is not a UTF-8 text file: is it really CSV?") % {"path": path},
            field="file",
        ) from None
    except OSError as error:
        raise DomainError(
            _("The file %(path)s cannot be read: %(error)s")
            % {"path": path, "error": error.strerror or error},
            field="file",
        ) from None


def parse_311_csv(
    stream: Iterable[str], *, layout: str = "auto", time_zone: zoneinfo.ZoneInfo
) -> ParsedFile:
    """``read_311_file`` for an open text stream (lines of CSV)."""
    reader = csv.reader(stream)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise DomainError(_("The file is empty: there is no header row."), field="file")
        chosen = _choose_layout([cell.strip() for cell in header], layout)
        columns = {name.strip(): position for position, name in enumerate(header)}
        parsed = ParsedFile(layout=chosen.name)
        seen: dict[str, int] = {}
        line = reader.line_num
        for cells in reader:
            # A quoted field may span lines: a row starts on the line after the last one ended.
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            try:
                row = _parse_row(chosen, columns, cells, line=start, time_zone=time_zone)
            except _RowError as error:
                parsed.problems.append(RowProblem(start, error.reason))
                continue
            if row.external_id in seen:
                parsed.problems.append(
                    RowProblem(
                        start,
                        _("the id %(id)s is repeated from line %(line)d")
                        % {"id": row.external_id, "line": seen[row.external_id]},
                    )
                )
                continue
            seen[row.external_id] = start
            parsed.rows.append(row)
    except csv.Error as error:
        raise DomainError(
            _("The file is not valid CSV (line %(line)d): %(error)s")
            % {"line": reader.line_num, "error": error},
            field="file",
        ) from None
    return parsed


def _choose_layout(header: Sequence[str], layout: str) -> Layout:
    present = set(header)
    if layout != "auto":
        if layout not in LAYOUTS:
            raise DomainError(
                _("Unknown layout “%(layout)s”: use %(choices)s.")
                % {"layout": layout, "choices": ", ".join([*LAYOUTS, "auto"])},
                field="layout",
            )
        chosen = LAYOUTS[layout]
        missing = [column for column in chosen.required_columns if column not in present]
        if missing:
            raise DomainError(
                _("The file lacks the %(layout)s layout's column(s): %(columns)s.")
                % {"layout": chosen.name, "columns": ", ".join(missing)},
                field="file",
            )
        return chosen
    matching = [
        candidate
        for candidate in LAYOUTS.values()
        if all(column in present for column in candidate.required_columns)
    ]
    if len(matching) != 1:
        raise DomainError(
            _(
                "The file's header matches no known layout (Boston or NYC 311 open data); "
                "it starts: %(header)s"
            )
            % {"header": ", ".join(header[:6])[:200]},
            field="file",
        )
    return matching[0]


class _RowError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _parse_row(
    layout: Layout,
    columns: Mapping[str, int],
    cells: Sequence[str],
    *,
    line: int,
    time_zone: zoneinfo.ZoneInfo,
) -> ImportRow:
    if len(cells) != len(columns):
        raise _RowError(
            _("the row has %(found)d fields where the header has %(expected)d")
            % {"found": len(cells), "expected": len(columns)}
        )

    def value(column: str) -> str:
        position = columns.get(column)
        return cells[position].strip() if position is not None else ""

    source_id = value(layout.id_column)
    if not source_id:
        raise _RowError(_("the id (%(column)s) is missing") % {"column": layout.id_column})
    external_id = f"{layout.name}:{source_id}"
    if len(external_id) > _EXTERNAL_ID_MAX:
        raise _RowError(_("the id is longer than %(max)d characters") % {"max": _EXTERNAL_ID_MAX})
    source_type = next((value(column) for column in layout.type_columns if value(column)), "")[
        :_NAME_MAX
    ]
    if not source_type:
        raise _RowError(
            _("the type of request (%(column)s) is missing") % {"column": layout.type_columns[0]}
        )

    def moment(column: str, *, required: bool = False) -> datetime.datetime | None:
        text = value(column)
        if not text:
            if required:
                raise _RowError(_("the date %(column)s is missing") % {"column": column})
            return None
        parsed = _parse_datetime(text, layout.date_formats, time_zone)
        if parsed is None:
            raise _RowError(
                _("bad date in %(column)s: “%(value)s”") % {"column": column, "value": text[:40]}
            )
        return parsed

    opened_at = moment(layout.opened_column, required=True)
    assert opened_at is not None  # noqa: S101 (required=True returns a date or raises)
    closed_at = moment(layout.closed_column)
    updated_at = moment(layout.updated_column) if layout.updated_column else None
    if closed_at is not None and closed_at < opened_at:
        raise _RowError(
            _("%(closed)s is before %(opened)s")
            % {"closed": layout.closed_column, "opened": layout.opened_column}
        )
    status, acknowledged_at, resolved_at = _status(
        value(layout.status_column),
        layout=layout,
        opened_at=opened_at,
        closed_at=closed_at,
        updated_at=updated_at,
    )
    latitude, longitude = _point(
        value(layout.latitude_column), value(layout.longitude_column), layout
    )
    note = value(layout.note_column)
    if note in layout.empty_notes:
        note = ""
    description = " — ".join(
        dict.fromkeys(value(column) for column in layout.description_columns if value(column))
    )
    address = next(
        (
            ", ".join(value(column) for column in columns if value(column))
            for columns in layout.address_columns
            if value(columns[0])
        ),
        "",
    )
    # Boston pads its addresses with double spaces.
    address = " ".join(address.split())
    return ImportRow(
        line=line,
        external_id=external_id,
        source_type=source_type,
        opened_at=opened_at,
        status=status,
        acknowledged_at=acknowledged_at,
        resolved_at=resolved_at,
        description=(description or source_type)[:_DESCRIPTION_MAX],
        latitude=latitude,
        longitude=longitude,
        address=address[:_ADDRESS_MAX],
        note=note[:_DESCRIPTION_MAX],
        note_at=(resolved_at or updated_at or opened_at) if note else None,
    )


def _parse_datetime(
    text: str, formats: Sequence[str], time_zone: zoneinfo.ZoneInfo
) -> datetime.datetime | None:
    parsed = None
    for date_format in formats:
        try:
            parsed = datetime.datetime.strptime(text, date_format)  # noqa: DTZ007 (zone set below)
            break
        except ValueError:
            continue
    if parsed is None:
        try:
            parsed = datetime.datetime.fromisoformat(text)
        except ValueError:
            return None
    if parsed.tzinfo is None:
        # Local wall-clock time; in the repeated hour of autumn, the first of the two.
        parsed = parsed.replace(tzinfo=time_zone)
    return parsed.astimezone(datetime.UTC)


def _status(
    text: str,
    *,
    layout: Layout,
    opened_at: datetime.datetime,
    closed_at: datetime.datetime | None,
    updated_at: datetime.datetime | None,
) -> tuple[str, datetime.datetime | None, datetime.datetime | None]:
    """Our status, acknowledged_at and resolved_at for a source status.

    The source does not say when a request was first read: an acknowledged one is
    taken to have been read when the source last acted on it (closed it, else
    updated it, else opened it), the latest moment we know it had been read by.
    """
    status = text.casefold()
    if status in _CLOSED_STATUSES:
        resolved_at = closed_at or updated_at
        if resolved_at is None:
            raise _RowError(
                _("the request is closed but %(column)s is empty")
                % {"column": layout.closed_column}
            )
        return Status.RESOLVED, resolved_at, resolved_at
    if status in _WORKING_STATUSES:
        return Status.IN_PROGRESS, updated_at or opened_at, None
    if status in _OPEN_STATUSES:
        return Status.NEW, None, None
    raise _RowError(_("unknown status “%(status)s”") % {"status": text[:40]})


def _point(latitude_text: str, longitude_text: str, layout: Layout) -> tuple[float | None, ...]:
    if not latitude_text and not longitude_text:
        return None, None
    try:
        latitude, longitude = float(latitude_text), float(longitude_text)
    except ValueError:
        raise _RowError(
            _("bad latitude or longitude: “%(latitude)s”, “%(longitude)s”")
            % {"latitude": latitude_text[:30], "longitude": longitude_text[:30]}
        ) from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise _RowError(
            _("the point %(latitude)s, %(longitude)s is not on the map")
            % {"latitude": latitude_text[:30], "longitude": longitude_text[:30]}
        )
    if (latitude == 0 and longitude == 0) or (latitude, longitude) in layout.placeholder_points:
        return None, None
    return latitude, longitude


# --- writing --------------------------------------------------------------------------------


class ImportRefused(DomainError):
    """Some rows are bad and the caller did not ask to skip them: nothing was written."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        super().__init__(
            _(
                "%(count)d row(s) cannot be imported, so nothing was imported. Fix them, or "
                "import the others with --skip-invalid."
            )
            % {"count": len(problems)},
            field="file",
            code="invalid_rows",
        )
        self.problems = list(problems)


@dataclass
class ImportResult:
    rows_read: int
    imported: int = 0
    already_imported: int = 0
    skipped: list[RowProblem] = field(default_factory=list)
    by_category: Counter[str] = field(default_factory=Counter)
    # Names of the inactive categories made for source types the force had no category for.
    categories_created: list[str] = field(default_factory=list)
    outside_neighbourhoods: int = 0
    without_point: int = 0
    dry_run: bool = False


def import_reports(
    *,
    force: Force,
    parsed: ParsedFile,
    skip_invalid: bool = False,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Write parsed 311 rows as reports of ``force``, all in one transaction.

    - Any bad row refuses the whole file (``ImportRefused``, nothing written) unless
      ``skip_invalid``, when bad rows are skipped and listed in the result.
    - A row whose external id is already a report is skipped and counted as already
      imported: running the same file again writes nothing.
    - A source type is matched to the force's category with that code or name (any
      case, or the type's slug as code); an unknown type gets a new *inactive*
      category in the group "Imported", so no row is lost and residents are offered
      no category they should not be.
    - The neighbourhood is the force's one containing the point; a row outside every
      neighbourhood, or without a point, is imported with none (counted).
    - ``dry_run`` does all of it and rolls back.
    """
    if parsed.problems and not skip_invalid:
        raise ImportRefused(parsed.problems)
    result = ImportResult(
        rows_read=parsed.rows_read, skipped=list(parsed.problems), dry_run=dry_run
    )
    with transaction.atomic():
        existing = _existing_external_ids([row.external_id for row in parsed.rows])
        new_rows = []
        for row in parsed.rows:
            owner = existing.get(row.external_id)
            if owner is None:
                new_rows.append(row)
            elif owner == force.pk:
                result.already_imported += 1
            else:
                result.skipped.append(
                    RowProblem(
                        row.line,
                        _("the id %(id)s was imported for another force") % {"id": row.external_id},
                    )
                )
        if result.skipped and not skip_invalid:
            raise ImportRefused(result.skipped)
        categories = _categories_for(force, {row.source_type for row in new_rows}, result)
        for done, batch in enumerate(_batches(new_rows, BATCH_SIZE), start=1):
            _write_batch(force, batch, categories, result)
            if progress is not None:
                progress(min(done * BATCH_SIZE, len(new_rows)), len(new_rows))
        if result.imported:
            audit(
                actor=None,
                action="reports.imported",
                detail={
                    "force": force.pk,
                    "layout": parsed.layout,
                    "imported": result.imported,
                    "already_imported": result.already_imported,
                    "skipped": len(result.skipped),
                },
            )
        if dry_run:
            transaction.set_rollback(True)
    result.skipped.sort(key=lambda problem: problem.line)
    return result


def _batches(rows: Sequence[ImportRow], size: int) -> Iterator[Sequence[ImportRow]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _existing_external_ids(external_ids: Sequence[str]) -> dict[str, int]:
    """External id -> force id of the reports that already carry one of these ids."""
    found: dict[str, int] = {}
    for start in range(0, len(external_ids), _LOOKUP_CHUNK):
        chunk = external_ids[start : start + _LOOKUP_CHUNK]
        found.update(
            Report.staff_objects.filter(external_id__in=chunk).values_list(
                "external_id", "force_id"
            )
        )
    return found


def _categories_for(
    force: Force, source_types: set[str], result: ImportResult
) -> dict[str, Category]:
    """Each source type's category, making an inactive one for each type without any."""
    by_key: dict[str, Category] = {}
    # Names before codes, so a code equal to another category's name wins the tie.
    for category in Category.objects.filter(force=force).order_by("-id"):
        by_key[category.name.casefold()] = category
    for category in Category.objects.filter(force=force).order_by("-id"):
        by_key[category.code.casefold()] = category
    taken_codes = {key for key, category in by_key.items() if key == category.code.casefold()}
    chosen: dict[str, Category] = {}
    for source_type in sorted(source_types):
        category = by_key.get(source_type.casefold()) or by_key.get(slugify(source_type))
        if category is None:
            code = _free_code(slugify(source_type)[:_CODE_MAX] or "imported", taken_codes)
            category = Category.objects.create(
                force=force,
                code=code,
                name=source_type,
                description=f"Imported from historical 311 data ({source_type}).",
                group=IMPORTED_GROUP,
                is_active=False,
            )
            taken_codes.add(code)
            by_key[code] = by_key[source_type.casefold()] = category
            result.categories_created.append(category.name)
        chosen[source_type] = category
    return chosen


def _free_code(code: str, taken: set[str]) -> str:
    candidate, number = code, 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = f"{code[: _CODE_MAX - len(suffix)]}{suffix}"
    return candidate


def _write_batch(
    force: Force,
    rows: Sequence[ImportRow],
    categories: Mapping[str, Category],
    result: ImportResult,
) -> None:
    references = _new_references(len(rows))
    reports = []
    for row, reference in zip(rows, references, strict=True):
        category = categories[row.source_type]
        neighbourhood_id = None
        public_latitude = public_longitude = None
        if row.latitude is not None and row.longitude is not None:
            public_latitude, public_longitude = public_point(row.latitude, row.longitude)
            ref = locate_neighbourhood_ref(row.latitude, row.longitude)
            if ref is not None and ref.force_id == force.pk:
                neighbourhood_id = ref.id
            else:
                result.outside_neighbourhoods += 1
        else:
            result.without_point += 1
        last_change = max(
            moment for moment in (row.opened_at, row.resolved_at, row.note_at) if moment is not None
        )
        reports.append(
            Report(
                reference=reference,
                kind=(
                    ReportKind.SUSPICIOUS_ACTIVITY
                    if category.kind == CategoryKind.SUSPICIOUS_ACTIVITY
                    else ReportKind.CONCERN
                ),
                force=force,
                category=category,
                neighbourhood_id=neighbourhood_id,
                status=row.status,
                description=row.description,
                latitude=row.latitude,
                longitude=row.longitude,
                address=row.address,
                public_latitude=public_latitude,
                public_longitude=public_longitude,
                source=Source.IMPORT,
                external_id=row.external_id,
                created_at=row.opened_at,
                # Everything an import writes is public: one time serves both.
                updated_at=last_change,
                public_updated_at=last_change,
                acknowledged_at=row.acknowledged_at,
                resolved_at=row.resolved_at,
            )
        )
        result.by_category[category.name] += 1
    Report.staff_objects.bulk_create(reports, batch_size=BATCH_SIZE)
    updates = []
    for row, report in zip(rows, reports, strict=True):
        if row.status == Status.RESOLVED:
            # The closure as the history shows any resolution: a public status change.
            updates.append(
                ReportUpdate(
                    report=report,
                    kind=UpdateKind.STATUS,
                    text=row.note,
                    is_public=True,
                    status_before=Status.NEW,
                    status_after=Status.RESOLVED,
                    created_at=row.resolved_at,
                )
            )
        elif row.note:
            updates.append(
                ReportUpdate(
                    report=report,
                    kind=UpdateKind.PUBLIC,
                    text=row.note,
                    is_public=True,
                    created_at=row.note_at,
                )
            )
    ReportUpdate.objects.bulk_create(updates, batch_size=BATCH_SIZE)
    result.imported += len(reports)


def _new_references(count: int) -> list[str]:
    """``count`` fresh public references, none already taken."""
    references: set[str] = set()
    while len(references) < count:
        drawn = list({random_code(8) for _ in range(count - len(references))} - references)
        taken: set[str] = set()
        for start in range(0, len(drawn), _LOOKUP_CHUNK):
            taken.update(
                Report.staff_objects.filter(
                    reference__in=drawn[start : start + _LOOKUP_CHUNK]
                ).values_list("reference", flat=True)
            )
        references.update(code for code in drawn if code not in taken)
    return list(references)

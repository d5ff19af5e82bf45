"""Writes for places: boundaries and the revision that invalidates every spatial index.

Every boundary that reaches the database, from a file or from the admin, goes
through ``clean_boundary``: one set of rules for what a neighbourhood's shape may be.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import shapely
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from beatbridge.errors import DomainError
from beatbridge.places.models import (
    BoundaryRevision,
    Force,
    Neighbourhood,
    Sector,
    fold_for_search,
    neighbourhood_code_validator,
)
from beatbridge.places.selectors import PUBLIC_CONTENT_VERSION_KEY

# 7 decimals of a degree is about 1 cm: finer than any survey, coarser than float noise.
_DECIMALS = 7
_NAME_MAX_LENGTH = Neighbourhood._meta.get_field("name").max_length or 200
_CODE_MAX_LENGTH = Neighbourhood._meta.get_field("code").max_length or 64
_BATCH_SIZE = 500


_ENGAGEMENT_KEYS = ("type", "title", "description", "url")
_LINK_SCHEMES = ("https://", "http://", "mailto:", "tel:")


def clean_engagement_methods(methods: object) -> list[dict[str, str]]:
    """A force's ways to engage, in police.uk's shape; DomainError on "engagement_methods".

    A list of objects with text ``type``, ``title``, ``description`` and ``url`` (each
    optional, no other keys); a url must be http(s), mailto: or tel:.
    """
    problem = _("Give a list of objects with the keys type, title, description and url.")
    if methods is None:
        return []
    if not isinstance(methods, list):
        raise DomainError(problem, field="engagement_methods")
    cleaned = []
    for method in methods:
        if not isinstance(method, dict) or not set(method) <= set(_ENGAGEMENT_KEYS):
            raise DomainError(problem, field="engagement_methods")
        if not all(isinstance(value, str) for value in method.values()):
            raise DomainError(problem, field="engagement_methods")
        url = method.get("url", "")
        if url and not url.startswith(_LINK_SCHEMES):
            raise DomainError(
                _("%(url)s is not an http(s), mailto: or tel: link.") % {"url": url},
                field="engagement_methods",
            )
        cleaned.append({key: method.get(key, "") for key in _ENGAGEMENT_KEYS})
    return cleaned


def mark_boundaries_changed() -> None:
    """Tell every process to rebuild its spatial index; call inside the changing transaction.

    Neighbours, names and ids come from the index, so public pages change with it.
    """
    BoundaryRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4()})
    mark_public_content_changed()


def mark_public_content_changed() -> None:
    """Make every process render public place and team content afresh.

    Call it from any write to a force, sector, neighbourhood, officer or team. The
    token changes at once, so this process sees the change straight away, and again
    on commit, so a page rendered from the old rows in between is not kept.
    """
    _replace_content_version()
    transaction.on_commit(_replace_content_version)


def _replace_content_version() -> None:
    cache.set(PUBLIC_CONTENT_VERSION_KEY, uuid.uuid4().hex, timeout=None)


_FORCE_NAME_MAX_LENGTH = Force._meta.get_field("name").max_length or 200


def ensure_force(*, slug: str, name: str) -> Force:
    """The force with this id, created with ``name`` when there is none yet.

    Data files name forces that may not exist here yet; an existing force keeps its name.
    """
    slug = slug.lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", slug):
        raise DomainError(
            _("A force id uses lower-case letters, digits, dashes and underscores only."),
            field="force",
        )
    name = " ".join(name.split())[:_FORCE_NAME_MAX_LENGTH] or slug
    force, created = Force.objects.get_or_create(slug=slug, defaults={"name": name})
    if created:
        mark_public_content_changed()
    return force


@dataclass(frozen=True)
class CleanBoundary:
    """A boundary that passed ``clean_boundary``: its GeoJSON and a point inside it."""

    geojson: dict[str, Any]
    centre_latitude: float
    centre_longitude: float


def clean_boundary(geometry: object) -> CleanBoundary:
    """Check a GeoJSON geometry is a usable neighbourhood boundary, repairing it if it can.

    Rules: a Polygon or MultiPolygon; every ring closed, of at least 4 positions;
    longitudes within ±180 and latitudes within ±90; a valid shape, or one that
    shapely.make_valid turns into a (Multi)Polygon, which is then what is kept.
    Coordinates are rounded to 7 decimals (before the validity check, so rounding
    cannot spoil a valid shape unnoticed). The centre is a point guaranteed to lie
    inside the shape, even a concave one. Raises DomainError on the field "boundary".
    """
    if not isinstance(geometry, Mapping):
        raise _boundary_error(_("The boundary is missing or is not a GeoJSON geometry object."))
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        raise _boundary_error(
            _("The geometry is a %(kind)s; only Polygon and MultiPolygon are accepted.")
            % {"kind": kind if isinstance(kind, str) else _("(no type)")}
        )
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise _boundary_error(_("The %(kind)s has no coordinates.") % {"kind": kind})
    shell_and_holes = [
        _check_polygon(polygon, number) for number, polygon in enumerate(polygons, start=1)
    ]
    shape = shapely.MultiPolygon(
        [shapely.Polygon(rings[0], rings[1:]) for rings in shell_and_holes]
    )
    if kind == "Polygon":
        shape = shape.geoms[0]
    if shape.is_valid:
        coordinates = shell_and_holes[0] if kind == "Polygon" else shell_and_holes
        geojson = {"type": kind, "coordinates": coordinates}
    else:
        shape = _repaired(shape)
        geojson = geojson_of(shape)
    centre = shape.point_on_surface()
    return CleanBoundary(
        geojson=geojson,
        centre_latitude=round(centre.y, _DECIMALS),
        centre_longitude=round(centre.x, _DECIMALS),
    )


def _boundary_error(message: str) -> DomainError:
    return DomainError(message, field="boundary", code="invalid_boundary")


def _check_polygon(polygon: object, number: int) -> list[list[list[float]]]:
    """The rings of one polygon as rounded [lon, lat] lists, once their shape and range pass."""
    if not isinstance(polygon, list) or not polygon:
        raise _boundary_error(_("Polygon %(number)d has no rings.") % {"number": number})
    rings = []
    for ring_number, ring in enumerate(polygon, start=1):
        where = {"ring": ring_number, "polygon": number}
        try:
            positions = [[round(p[0], _DECIMALS), round(p[1], _DECIMALS)] for p in ring]
        except (TypeError, IndexError, KeyError):
            raise _boundary_error(
                _("Ring %(ring)d of polygon %(polygon)d is not a list of [longitude, latitude].")
                % where
            ) from None
        if len(positions) < 4:
            raise _boundary_error(
                _(
                    "Ring %(ring)d of polygon %(polygon)d has %(count)d positions; "
                    "a ring needs at least 4."
                )
                % {**where, "count": len(positions)}
            )
        if positions[0] != positions[-1]:
            raise _boundary_error(
                _(
                    "Ring %(ring)d of polygon %(polygon)d is not closed: "
                    "its first and last positions differ."
                )
                % where
            )
        for longitude, latitude in positions:
            # Written so that NaN is out of range too.
            if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
                raise _boundary_error(
                    _(
                        "The position [%(longitude)s, %(latitude)s] is out of range: "
                        "longitude must be within ±180 and latitude within ±90."
                    )
                    % {"longitude": longitude, "latitude": latitude}
                )
        rings.append(positions)
    return rings


def _repaired(shape: BaseGeometry) -> BaseGeometry:
    reason = shapely.is_valid_reason(shape)
    repaired = _polygonal(shapely.make_valid(shape))
    if repaired is not None:
        # A repair adds crossing points with every decimal; snapping them keeps the shape valid.
        repaired = _polygonal(shapely.set_precision(repaired, 10**-_DECIMALS))
    if repaired is None:
        raise _boundary_error(
            _("The boundary is not a valid polygon and cannot be repaired (%(reason)s).")
            % {"reason": reason}
        )
    return repaired


def _polygonal(shape: BaseGeometry) -> BaseGeometry | None:
    """The areas of a shape, dropping the lines and points a repair may leave; None if none."""
    parts = [
        part
        for part in shapely.get_parts(shapely.get_parts(shape))
        if isinstance(part, shapely.Polygon) and not part.is_empty
    ]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def geojson_of(shape: BaseGeometry) -> dict[str, Any]:
    """A shape as a GeoJSON geometry, with lists where shapely gives tuples.

    Lists, so that the JSON stored and read back compares equal to what was written.
    """
    return _as_lists(mapping(shape))


def _as_lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _as_lists(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_lists(item) for item in value]
    return value


def code_from_name(name: str) -> str:
    """A stable neighbourhood id from a name: "Harrison/Denny-Blaine" -> "harrison-denny-blaine"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:_CODE_MAX_LENGTH].strip("-")


@transaction.atomic
def change_boundary(*, neighbourhood: Neighbourhood, boundary: object) -> Neighbourhood:
    """Give one neighbourhood a new boundary, checked as an import checks it.

    The centre moves with the boundary; every spatial index is told to rebuild.
    A neighbourhood not yet saved is created with its other fields as they are.
    """
    clean = clean_boundary(boundary)
    neighbourhood.boundary = clean.geojson
    neighbourhood.centre_latitude = clean.centre_latitude
    neighbourhood.centre_longitude = clean.centre_longitude
    if neighbourhood.pk is None:
        neighbourhood.save()
    else:
        neighbourhood.save(
            update_fields=["boundary", "centre_latitude", "centre_longitude", "updated_at"]
        )
    mark_boundaries_changed()
    return neighbourhood


@dataclass(frozen=True)
class FeatureProblem:
    """Why the feature at ``index`` (0-based, in file order) cannot be imported."""

    index: int
    reason: str


@dataclass(frozen=True)
class BoundaryImportResult:
    created: int
    updated: int
    skipped: list[FeatureProblem]


class BoundaryImportError(DomainError):
    """A boundary file with bad features; nothing was written. ``problems`` says which."""

    def __init__(self, problems: list[FeatureProblem]):
        super().__init__(
            ngettext(
                "%(count)d feature is invalid; nothing was imported.",
                "%(count)d features are invalid; nothing was imported.",
                len(problems),
            )
            % {"count": len(problems)},
            field="features",
            code="invalid_features",
        )
        self.problems = problems


@dataclass(frozen=True)
class _GoodFeature:
    code: str
    name: str
    sector_name: str | None
    boundary: CleanBoundary


def import_boundaries(
    *,
    force: Force,
    collection: dict,
    name_property: str = "name",
    id_property: str | None = None,
    sector_property: str | None = None,
    skip_invalid: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> BoundaryImportResult:
    """Create or update a force's neighbourhoods from a GeoJSON FeatureCollection.

    Every feature is checked first (``clean_boundary``, a name, an id that is valid
    and, like the name, unique in the file). One bad feature stops the import with
    BoundaryImportError and nothing written, unless ``skip_invalid``, which imports
    the good ones and reports the rest. Neighbourhoods are matched on (force, id):
    a re-import updates boundary, name, centre and sector in place and keeps the
    database ids. Without ``id_property`` the id is derived from the name.
    Sectors are found or created by the slug of ``sector_property``'s value; when
    ``sector_property`` is None existing sectors are left alone. ``progress`` is
    called with (features checked, total).
    """
    is_collection = (
        isinstance(collection, Mapping) and collection.get("type") == "FeatureCollection"
    )
    features = collection.get("features") if is_collection else None
    if not isinstance(features, list):
        raise DomainError(
            _("The file is not a GeoJSON FeatureCollection."), field="collection", code="invalid"
        )
    good, problems = _check_features(
        features,
        name_property=name_property,
        id_property=id_property,
        sector_property=sector_property,
        progress=progress,
    )
    if problems and not skip_invalid:
        raise BoundaryImportError(problems)
    with transaction.atomic():
        created, updated = _write_neighbourhoods(
            force, good, update_sector=sector_property is not None
        )
        mark_boundaries_changed()
    return BoundaryImportResult(created=created, updated=updated, skipped=problems)


def _check_features(
    features: list,
    *,
    name_property: str,
    id_property: str | None,
    sector_property: str | None,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[_GoodFeature], list[FeatureProblem]]:
    good: list[_GoodFeature] = []
    problems: list[FeatureProblem] = []
    first_with_code: dict[str, int] = {}
    first_with_name: dict[str, int] = {}
    for index, feature in enumerate(features):
        try:
            checked = _check_feature(
                feature,
                name_property=name_property,
                id_property=id_property,
                sector_property=sector_property,
            )
            if (other := first_with_code.setdefault(checked.code, index)) != index:
                raise DomainError(
                    _("The id “%(code)s” is also used by feature %(other)d.")
                    % {"code": checked.code, "other": other}
                )
            if (other := first_with_name.setdefault(checked.name, index)) != index:
                raise DomainError(
                    _("The name “%(name)s” is also used by feature %(other)d.")
                    % {"name": checked.name, "other": other}
                )
            good.append(checked)
        except DomainError as error:
            problems.append(FeatureProblem(index=index, reason=error.message))
        if progress is not None:
            progress(index + 1, len(features))
    return good, problems


def _check_feature(
    feature: object,
    *,
    name_property: str,
    id_property: str | None,
    sector_property: str | None,
) -> _GoodFeature:
    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        raise DomainError(_("It is not a GeoJSON Feature."))
    if feature.get("geometry") is None:
        raise DomainError(_("The feature has no geometry."))
    boundary = clean_boundary(feature["geometry"])
    properties = feature.get("properties") or {}
    name = _text_property(properties, name_property)
    if not name:
        raise DomainError(
            _("The feature has no “%(property)s” property for its name.")
            % {"property": name_property}
        )
    if len(name) > _NAME_MAX_LENGTH:
        raise DomainError(
            _("The name is longer than %(limit)d characters.") % {"limit": _NAME_MAX_LENGTH}
        )
    if id_property is None:
        code = code_from_name(name)
        if not code:
            raise DomainError(
                _("No id can be made from the name “%(name)s”; give an id property.")
                % {"name": name}
            )
    else:
        code = _text_property(properties, id_property)
        if not code:
            raise DomainError(
                _("The feature has no “%(property)s” property for its id.")
                % {"property": id_property}
            )
        try:
            neighbourhood_code_validator(code)
        except ValidationError:
            raise DomainError(
                _(
                    "The id “%(code)s” is not valid: use up to 64 letters, digits, dots, "
                    "dashes and underscores, starting with a letter or digit."
                )
                % {"code": code}
            ) from None
    sector_name = _text_property(properties, sector_property) if sector_property else None
    if sector_name and not code_from_name(sector_name):
        raise DomainError(
            _("No sector id can be made from the sector name “%(name)s”.") % {"name": sector_name}
        )
    return _GoodFeature(code=code, name=name, sector_name=sector_name or None, boundary=boundary)


def _text_property(properties: object, key: str) -> str:
    value = properties.get(key) if isinstance(properties, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value).strip()


def _write_neighbourhoods(
    force: Force, features: list[_GoodFeature], *, update_sector: bool
) -> tuple[int, int]:
    sectors = _sectors_by_name(force, {f.sector_name for f in features if f.sector_name})
    existing = {
        neighbourhood.code: neighbourhood
        for neighbourhood in Neighbourhood.objects.filter(force=force).only("pk", "code")
    }
    now = timezone.now()
    to_create: list[Neighbourhood] = []
    to_update: list[Neighbourhood] = []
    for feature in features:
        neighbourhood = existing.get(feature.code) or Neighbourhood(force=force, code=feature.code)
        neighbourhood.name = feature.name
        neighbourhood.search_name = fold_for_search(feature.name)
        neighbourhood.boundary = feature.boundary.geojson
        neighbourhood.centre_latitude = feature.boundary.centre_latitude
        neighbourhood.centre_longitude = feature.boundary.centre_longitude
        neighbourhood.updated_at = now
        if update_sector or neighbourhood.pk is None:
            neighbourhood.sector = sectors.get(feature.sector_name or "")
        (to_update if neighbourhood.pk else to_create).append(neighbourhood)
    Neighbourhood.objects.bulk_create(to_create, batch_size=_BATCH_SIZE)
    fields = ["name", "search_name", "boundary", "centre_latitude", "centre_longitude"]
    fields += ["updated_at", *(["sector"] if update_sector else [])]
    _update_each(to_update, fields)
    return len(to_create), len(to_update)


def _update_each(neighbourhoods: list[Neighbourhood], fields: list[str]) -> None:
    """One prepared UPDATE run for every row.

    bulk_update builds a CASE over the whole batch for every column, which the
    database evaluates row by row: a re-import of 10,000 took minutes that way.
    """
    meta = Neighbourhood._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    statement = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608 (names from the model)
        f"WHERE {quote(meta.pk.column)} = %s"
    )
    rows = [
        [column.get_db_prep_save(getattr(row, column.attname), connection) for column in columns]
        + [row.pk]
        for row in neighbourhoods
    ]
    with connection.cursor() as cursor:
        cursor.executemany(statement, rows)


def _sectors_by_name(force: Force, names: set[str]) -> dict[str, Sector]:
    """The force's sectors for these names, found by slug or created."""
    slugs = {name: code_from_name(name) for name in names}
    existing = set(Sector.objects.filter(force=force).values_list("slug", flat=True))
    missing = {slug: name for name, slug in sorted(slugs.items()) if slug not in existing}
    Sector.objects.bulk_create(
        [Sector(force=force, slug=slug, name=name) for slug, name in missing.items()],
        batch_size=_BATCH_SIZE,
    )
    by_slug = {
        sector.slug: sector
        for sector in Sector.objects.filter(force=force, slug__in=set(slugs.values()))
    }
    return {name: by_slug[slug] for name, slug in slugs.items()}

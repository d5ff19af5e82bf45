"""Street-level reads of crime data: crimes and outcomes in an area or at a street point,
crimes without a location, one crime's outcomes, and the months that hold data.

An area is a circle (``Around``, police.uk's one mile by default), a polygon
(``Inside``) or one street point (``AtPoint``). Circles and polygons are found in two
steps: the points with rows that month inside the area's lon/lat box, counted per point
by the database, then the exact test (haversine or polygon) on those points. The sum of
their counts decides, before a single row is read, whether the answer stays within
``MAX_CRIMES``; police.uk refuses a larger one, and so do we (``TooManyCrimes``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import shapely
from django.db.models import Count
from django.utils.translation import gettext as _

from beatbridge.crimedata.categories import ALL_CRIME, CrimeCategory
from beatbridge.crimedata.models import CrimeImport, Incident, Outcome, StreetPoint
from beatbridge.errors import DomainError, NotFound
from beatbridge.places.geo import Bounds, distances_metres, grown_by
from beatbridge.places.models import Force

# The most rows one answer holds; police.uk's own limit for street-level crimes.
MAX_CRIMES = 10_000
ONE_MILE_METRES = 1609.344

# What the police.uk crime shape reads of an incident and its point, and no more.
_CRIME_FIELDS = (
    "category",
    "month",
    "reference",
    "public_id",
    "location_type",
    "outcome",
    "outcome_month",
    "context",
    "point",
)
_POINT_FIELDS = ("point__latitude", "point__longitude", "point__street_name")
_CRIME_KINDS = (CrimeImport.Kind.STREET, CrimeImport.Kind.CITY)

_Row = TypeVar("_Row", Incident, Outcome)


class TooManyCrimes(DomainError):
    """More rows than one answer may hold: police.uk answers 503 for too large an area."""

    status = 503
    default_code = "too_many_crimes"


@dataclass(frozen=True)
class Around:
    """Within ``metres`` of a point on the ground."""

    latitude: float
    longitude: float
    metres: float = ONE_MILE_METRES

    def box(self) -> Bounds:
        return grown_by((self.longitude, self.latitude, self.longitude, self.latitude), self.metres)

    def holds(self, latitudes: np.ndarray, longitudes: np.ndarray) -> np.ndarray:
        distances = distances_metres(self.latitude, self.longitude, latitudes, longitudes)
        return distances <= self.metres


@dataclass(frozen=True)
class Inside:
    """Inside a polygon or on its edge; make one with ``polygon_area``."""

    polygon: shapely.Polygon

    def box(self) -> Bounds:
        return self.polygon.bounds

    def holds(self, latitudes: np.ndarray, longitudes: np.ndarray) -> np.ndarray:
        return shapely.intersects_xy(self.polygon, longitudes, latitudes)


@dataclass(frozen=True)
class AtPoint:
    """At one street point (police.uk's ``location_id``)."""

    point_id: int


Area = Around | Inside | AtPoint


def polygon_area(corners: Sequence[tuple[float, float]]) -> Inside:
    """The polygon with these (latitude, longitude) corners, closed if the last is not the
    first, as police.uk does. DomainError on ``poly`` for fewer than three corners, or a
    polygon that crosses itself or has no area."""
    if len(corners) < 3:
        raise DomainError(_("A polygon needs at least three lat,lng points."), field="poly")
    polygon = shapely.Polygon([(longitude, latitude) for latitude, longitude in corners])
    if not polygon.is_valid or polygon.area == 0:
        raise DomainError(
            _("The polygon crosses itself or has no area: give its corners in order around it."),
            field="poly",
        )
    return Inside(polygon)


def category_filter(category: str) -> str | None:
    """A police.uk category id as a filter: None for "all-crime"; NotFound on ``category``
    for an id police.uk does not have."""
    if category == ALL_CRIME:
        return None
    if category not in CrimeCategory.values:
        raise NotFound(
            _("There is no crime category “%(category)s”; crime-categories lists them.")
            % {"category": category[:60]},
            field="category",
        )
    return category


# --- months ---------------------------------------------------------------------------------


def months_with_crimes(force: Force | None = None) -> list[datetime.date]:
    """The months that hold crimes, of ``force`` or of any force, newest first.

    Read from the import ledger (a row per file imported), not from the incidents or
    their counts: a few rows however many incidents there are. It is exact because
    importing is the only way incidents arrive, and an import replaces a month's
    incidents with its own, never with none (a file's months are those of its rows).
    """
    return _months_imported(_CRIME_KINDS, force)


def latest_outcome_month() -> datetime.date | None:
    """The newest month that holds outcomes (from the import ledger, as crimes' months)."""
    months = _months_imported((CrimeImport.Kind.OUTCOMES,))
    return months[0] if months else None


def _months_imported(kinds: Sequence[str], force: Force | None = None) -> list[datetime.date]:
    imports = CrimeImport.objects.filter(kind__in=kinds)
    if force is not None:
        imports = imports.filter(force=force)
    listed = imports.values_list("months", flat=True)
    names = {name for months in listed for name in months}
    return sorted((datetime.date(int(name[:4]), int(name[5:7]), 1) for name in names), reverse=True)


# --- crimes ---------------------------------------------------------------------------------


def street_crimes(*, area: Area, month: datetime.date, category: str | None) -> list[Incident]:
    """The crimes of ``month`` (of ``category``, or all when None) at the area's street
    points, with their points, by id. TooManyCrimes over ``MAX_CRIMES``."""
    filters = {"category": category} if category else {}
    points = _points_of(Incident, area, month, filters)
    if not points:
        return []
    return list(
        Incident.objects.filter(month=month, point_id__in=points, **filters)
        .select_related("point")
        .only(*_CRIME_FIELDS, *_POINT_FIELDS)
        .order_by("pk")
    )


def nearest_point(latitude: float, longitude: float) -> AtPoint | None:
    """The street point nearest the place, if one lies within a mile (police.uk's
    "nearest pre-defined location"); None otherwise."""
    around = Around(latitude, longitude)
    west, south, east, north = around.box()
    points = list(
        StreetPoint.objects.filter(
            latitude__range=(south, north), longitude__range=(west, east)
        ).values_list("pk", "latitude", "longitude")
    )
    if not points:
        return None
    ids, latitudes, longitudes = zip(*points, strict=True)
    distances = distances_metres(latitude, longitude, latitudes, longitudes)
    nearest = int(np.argmin(distances))
    return AtPoint(ids[nearest]) if distances[nearest] <= around.metres else None


def crimes_without_location(
    *, force: Force, month: datetime.date, category: str | None
) -> list[Incident]:
    """The force's crimes of ``month`` (of ``category``, or all when None) that have no
    location, by id. TooManyCrimes over ``MAX_CRIMES``."""
    filters = {"category": category} if category else {}
    crimes = list(
        Incident.objects.filter(force=force, month=month, point__isnull=True, **filters)
        .only(*_CRIME_FIELDS)
        .order_by("pk")[: MAX_CRIMES + 1]
    )
    if len(crimes) > MAX_CRIMES:
        raise _too_many(field="category")
    return crimes


# --- outcomes -------------------------------------------------------------------------------


def outcomes_in(*, area: Area, month: datetime.date) -> list[tuple[Outcome, Incident]]:
    """The outcomes recorded in ``month`` at the area's street points, each with its crime
    (found by its reference), by id. TooManyCrimes over ``MAX_CRIMES``.

    An outcome whose crime was never imported (its street-level file not loaded) is left
    out: police.uk's shape has no place for an outcome without its crime.
    """
    points = _points_of(Outcome, area, month, {})
    if not points:
        return []
    outcomes = list(
        Outcome.objects.filter(month=month, point_id__in=points)
        .only("category", "month", "reference")
        .order_by("pk")
    )
    crimes = _crimes_by_reference({outcome.reference for outcome in outcomes})
    return [
        (outcome, crimes[outcome.reference]) for outcome in outcomes if outcome.reference in crimes
    ]


def crime_with_outcomes(reference: str) -> tuple[Incident, list[Outcome]]:
    """The crime with this police.uk persistent id and its outcomes, oldest first;
    NotFound on ``persistent_id`` when no such crime was imported."""
    crime = _crimes_by_reference({reference}).get(reference)
    if crime is None:
        raise NotFound(_("No crime has this persistent id."), field="persistent_id")
    outcomes = list(
        Outcome.objects.filter(reference=reference)
        .only("category", "month", "reference")
        .order_by("month", "pk")
    )
    return crime, outcomes


def _crimes_by_reference(references: set[str]) -> dict[str, Incident]:
    """The crimes with these references, by reference; where a reference was imported
    twice (in two forces' files), the one of the latest month."""
    if not references:
        return {}
    crimes = (
        Incident.objects.filter(reference__in=references)
        .select_related("point")
        .only(*_CRIME_FIELDS, *_POINT_FIELDS)
        .order_by("month", "pk")
    )
    return {crime.reference: crime for crime in crimes}


# --- areas ----------------------------------------------------------------------------------


def _points_of(
    model: type[_Row], area: Area, month: datetime.date, filters: dict[str, str]
) -> list[int]:
    """The area's street points with ``model`` rows in ``month``; TooManyCrimes when those
    rows are more than one answer may hold."""
    if isinstance(area, AtPoint):
        # One point's month is never near the limit: no need to count it.
        return [area.point_id]
    west, south, east, north = area.box()
    counted = list(
        model.objects.filter(
            month=month,
            point__latitude__range=(south, north),
            point__longitude__range=(west, east),
            **filters,
        )
        .values_list("point_id", "point__latitude", "point__longitude")
        .annotate(rows=Count("pk"))
        .order_by()
    )
    if not counted:
        return []
    ids, latitudes, longitudes, rows = (np.array(column) for column in zip(*counted, strict=True))
    inside = area.holds(latitudes, longitudes)
    if int(rows[inside].sum()) > MAX_CRIMES:
        raise _too_many(field="poly" if isinstance(area, Inside) else None)
    return [int(point) for point in ids[inside]]


def _too_many(*, field: str | None) -> TooManyCrimes:
    if field == "category":
        message = _("More than %(max)d crimes match: choose one category.")
    else:
        message = _("More than %(max)d crimes match: choose a smaller area.")
    return TooManyCrimes(message % {"max": MAX_CRIMES}, field=field)

"""Incidents within drawn areas over a run of months, from the street-point counts.

What a problem-solving assessment counts: the response area, a comparison area and
a displacement buffer, each a shapely geometry in lon/lat. A street point is in an
area when it lies inside it or on its edge.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import shapely
from django.db.models import QuerySet, Sum
from django.utils import timezone

from beatbridge.crimedata.models import Incident, PointMonthlyCount, StreetPoint
from beatbridge.places.models import Force


def incidents_in_areas(
    *,
    force: Force,
    areas: Mapping[str, shapely.Geometry],
    category: str | None,
    first_month: datetime.date,
    last_month: datetime.date,
) -> dict[str, int]:
    """Incidents of ``force`` at street points in each area over the months, by area name."""
    if not areas:
        return {}
    counts = _points_in(
        force,
        shapely.box(*shapely.total_bounds(list(areas.values()))),
        category,
        first_month,
        last_month,
    )
    rows = list(
        counts.values_list("point__latitude", "point__longitude")
        .annotate(total=Sum("incidents"))
        .order_by()
    )
    if not rows:
        return dict.fromkeys(areas, 0)
    latitudes, longitudes, totals = (
        np.array(column, dtype=np.float64) for column in zip(*rows, strict=True)
    )
    found = {}
    for name, area in areas.items():
        shapely.prepare(area)
        inside = shapely.intersects_xy(area, longitudes, latitudes)
        found[name] = int(totals[inside].sum())
    return found


def street_points_in(neighbourhood_ids: Iterable[int]) -> QuerySet[StreetPoint]:
    """The street points located in these neighbourhoods."""
    return StreetPoint.objects.filter(neighbourhood_id__in=list(neighbourhood_ids))


def _points_in(
    force: Force,
    area: shapely.Geometry,
    category: str | None,
    first_month: datetime.date,
    last_month: datetime.date,
) -> QuerySet[PointMonthlyCount]:
    west, south, east, north = area.bounds
    counts = PointMonthlyCount.objects.filter(
        force=force,
        month__gte=first_month,
        month__lte=last_month,
        point__latitude__range=(south, north),
        point__longitude__range=(west, east),
    )
    return counts.filter(category=category) if category else counts


def monthly_counts_in_area(
    *,
    force: Force,
    area: shapely.Geometry,
    category: str | None,
    first_month: datetime.date,
    last_month: datetime.date,
) -> list[tuple[datetime.date, str, int]]:
    """(month, category, incidents) at the street points inside ``area``."""
    rows = _points_in(force, area, category, first_month, last_month).values_list(
        "month", "category", "incidents", "point__latitude", "point__longitude"
    )
    shapely.prepare(area)
    totals: dict[tuple[datetime.date, str], int] = {}
    for month, row_category, incidents, latitude, longitude in rows:
        if shapely.intersects_xy(area, longitude, latitude):
            totals[(month, row_category)] = totals.get((month, row_category), 0) + incidents
    return sorted((month, name, count) for (month, name), count in totals.items())


@dataclass(frozen=True)
class Timing:
    """Incidents by hour of the day (0-23) and weekday (0 = Monday), local time."""

    by_hour: list[int]
    by_weekday: list[int]
    incidents: int


def timing_in_area(
    *,
    force: Force,
    area: shapely.Geometry,
    category: str | None,
    first_month: datetime.date,
    last_month: datetime.date,
) -> Timing | None:
    """When in the day and week incidents in ``area`` happened; None when the source
    gave no times (police.uk does not; city data does)."""
    west, south, east, north = area.bounds
    incidents = Incident.objects.filter(
        force=force,
        month__gte=first_month,
        month__lte=last_month,
        occurred_at__isnull=False,
        point__latitude__range=(south, north),
        point__longitude__range=(west, east),
    )
    if category:
        incidents = incidents.filter(category=category)
    shapely.prepare(area)
    by_hour, by_weekday, total = [0] * 24, [0] * 7, 0
    for occurred_at, latitude, longitude in incidents.values_list(
        "occurred_at", "point__latitude", "point__longitude"
    ).iterator(chunk_size=5000):
        if shapely.intersects_xy(area, longitude, latitude):
            local = timezone.localtime(occurred_at)
            by_hour[local.hour] += 1
            by_weekday[local.weekday()] += 1
            total += 1
    return Timing(by_hour, by_weekday, total) if total else None

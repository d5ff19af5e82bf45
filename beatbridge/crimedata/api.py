"""Beatbridge's own API for crime data (/api/v1/): categories, incidents and their counts.

Open data: anyone may read, signed in or not, and nothing here writes. Counts come
from the rollups (``selectors.counts``), never from a scan of the incidents. Each
handler parses its input and calls the selectors; the rules live there.
"""

# No ``from __future__ import annotations``: ninja reads the parameters of a @paginate'd
# handler through the decorator's wrapper, whose module cannot resolve names given as text.

import datetime
import re
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.pagination import paginate

from beatbridge.crimedata.categories import CrimeCategory
from beatbridge.crimedata.schemas import (
    CountsQuery,
    CrimeCategoryOut,
    CrimeOut,
    CrimesQuery,
    ForceCrimeCountsOut,
    HotspotQuery,
    NeighbourhoodCrimeCountsOut,
)
from beatbridge.crimedata.selectors import counts, hotspots
from beatbridge.errors import DomainError
from beatbridge.places import selectors as places
from beatbridge.places.api import FORCE_ID, GEOJSON, NEIGHBOURHOOD_ID, ErrorOut, Pages

router = Router(tags=["crime data"])

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def _month(text: str | None, field: str) -> datetime.date | None:
    """A YYYY-MM month as the first day of the month; a 400 on ``field`` for anything else."""
    if text is None:
        return None
    match = _MONTH.fullmatch(text)
    if match:
        try:
            return datetime.date(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    raise DomainError(_("Write the month as YYYY-MM, for example 2024-03."), field=field)


def _category(category: CrimeCategory | None) -> str | None:
    return None if category is None else str(category.value)


@router.get(
    "/crime-categories",
    response={200: list[CrimeCategoryOut]},
    url_name="v1-crime-categories",
    summary="Crime categories",
)
def list_crime_categories(request: HttpRequest) -> Any:
    """Every police.uk crime category: its id and its name in the request's language."""
    return [{"id": category.value, "name": str(category.label)} for category in CrimeCategory]


@router.get(
    "/crimes",
    response={200: list[CrimeOut], 400: ErrorOut, 404: ErrorOut},
    url_name="v1-crimes",
    summary="A force's crimes, month by month",
)
@paginate(Pages)
def list_crimes(request: HttpRequest, filters: Query[CrimesQuery]) -> Any:
    """A force's incidents, or one neighbourhood's, by month then id: anonymous street
    points, never an address. Without months, the force's latest month with data."""
    force = places.get_force(filters.force)
    neighbourhood = (
        places.get_neighbourhood(force, filters.neighbourhood) if filters.neighbourhood else None
    )
    return counts.incidents_between(
        force=force,
        neighbourhood=neighbourhood,
        first_month=_month(filters.month_from, "month_from"),
        last_month=_month(filters.month_to, "month_to"),
        category=_category(filters.category),
    )


@router.get(
    "/forces/{force}/neighbourhoods/{code}/crime-counts",
    response={200: NeighbourhoodCrimeCountsOut, 400: ErrorOut, 404: ErrorOut},
    url_name="v1-neighbourhood-crime-counts",
    summary="A neighbourhood's crime counts by month and category",
)
def neighbourhood_crime_counts(
    request: HttpRequest,
    filters: Query[CountsQuery],
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """Incidents in the neighbourhood by month and category, with totals; by default over
    the last 12 months the force has data for."""
    neighbourhood = places.get_neighbourhood(force, code)
    return counts.crime_counts(
        force=neighbourhood.force,
        neighbourhood=neighbourhood,
        first_month=_month(filters.month_from, "month_from"),
        last_month=_month(filters.month_to, "month_to"),
        category=_category(filters.category),
    )


@router.get(
    "/forces/{force}/crime-counts",
    response={200: ForceCrimeCountsOut, 400: ErrorOut, 404: ErrorOut},
    url_name="v1-force-crime-counts",
    summary="A force's crime counts by month and category",
)
def force_crime_counts(
    request: HttpRequest,
    filters: Query[CountsQuery],
    force: str = Path(..., pattern=FORCE_ID),
) -> Any:
    """Every incident of the force by month and category, with how many lie outside every
    neighbourhood or have no location; by default over the last 12 months with data."""
    return counts.crime_counts(
        force=places.get_force(force),
        first_month=_month(filters.month_from, "month_from"),
        last_month=_month(filters.month_to, "month_to"),
        category=_category(filters.category),
    )


@router.get(
    "/forces/{force}/hotspots",
    response={200: dict[str, Any], 400: ErrorOut, 404: ErrorOut},
    url_name="v1-force-hotspots",
    summary="Hotspots: Getis-Ord Gi* over a grid",
)
def force_hotspots(
    request: HttpRequest,
    filters: Query[HotspotQuery],
    force: str = Path(..., pattern=FORCE_ID),
) -> Any:
    """A GeoJSON FeatureCollection of grid cells that hold incidents or are significant,
    each with its incidents, Gi* z-score, p-value and confidence (+99/+95/+90 hot,
    negative cold, 0 neither); ``metadata`` says what was computed and
    ``repeat_locations`` lists the street points with the most incidents. By default
    the last 12 months with data, every category, the whole force."""
    found = places.get_force(force)
    neighbourhood = (
        places.get_neighbourhood(found, filters.neighbourhood) if filters.neighbourhood else None
    )
    window = counts.month_window(
        found,
        first_month=_month(filters.month_from, "month_from"),
        last_month=_month(filters.month_to, "month_to"),
    )
    if window is None:
        return JsonResponse(
            {"type": "FeatureCollection", "features": [], "metadata": None}, content_type=GEOJSON
        )
    result = hotspots.hotspot_map(
        force=found,
        neighbourhoods=[neighbourhood] if neighbourhood else [],
        category=_category(filters.category),
        first_month=window[0],
        last_month=window[1],
        cell_metres=filters.cell,
        radius=filters.radius,
    )
    return JsonResponse(hotspots.as_geojson(result), content_type=GEOJSON)

"""The data.police.uk API shapes, directly under /api/, over Beatbridge's selectors.

A program written for police.uk works unchanged when its base URL is this
server's /api/. Force ids are case-insensitive, as on police.uk. Paths with a
fixed first segment (forces, locate-neighbourhood, crimes-street,
crime-categories) are declared before ``{force}/{neighbourhood}`` so they win.
Events and priorities are the community voice's meetings, events and adopted
priorities; crimes come with a later module, until then those paths check their input
and answer with an empty list.
"""

from __future__ import annotations

import math
import re
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Form, Path, Query, Router, Schema

from beatbridge.accounts import selectors as accounts_selectors
from beatbridge.errors import DomainError, NotFound
from beatbridge.places import selectors
from beatbridge.places.api import FORCE_ID, NEIGHBOURHOOD_ID, ErrorOut
from beatbridge.policeuk.schemas import (
    PoliceUkEventOut,
    PoliceUkForceOut,
    PoliceUkForceSummaryOut,
    PoliceUkLocatedOut,
    PoliceUkNeighbourhoodOut,
    PoliceUkNeighbourhoodSummaryOut,
    PoliceUkPersonOut,
    PoliceUkPointOut,
    PoliceUkPriorityOut,
    boundary_points,
)
from beatbridge.voice.selectors import calendar as voice_selectors
from beatbridge.voice.selectors.priorities import adopted_for_policeuk

router = Router(tags=["data.police.uk"])

_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
_NUMBER = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$")


def parse_point(text: str, *, field: str) -> tuple[float, float]:
    """A "lat,lng" pair in range, or a DomainError on ``field`` saying what is wrong."""
    parts = text.split(",")
    if len(parts) != 2 or not all(_NUMBER.match(part) for part in parts):
        raise DomainError(
            _("Give a latitude and a longitude as two numbers separated by a comma."),
            field=field,
        )
    latitude, longitude = (float(part) for part in parts)
    return check_latitude(latitude, field=field), check_longitude(longitude, field=field)


def check_latitude(value: float, *, field: str) -> float:
    if not (math.isfinite(value) and -90 <= value <= 90):
        raise DomainError(_("The latitude must be between -90 and 90."), field=field)
    return value


def check_longitude(value: float, *, field: str) -> float:
    if not (math.isfinite(value) and -180 <= value <= 180):
        raise DomainError(_("The longitude must be between -180 and 180."), field=field)
    return value


class StreetCrimesIn(Schema):
    lat: float | None = None
    lng: float | None = None
    poly: str | None = None
    date: str | None = Field(None, pattern=_MONTH)


class CrimeCategoriesIn(Schema):
    date: str | None = Field(None, pattern=_MONTH)


def _check_crime_area(area: StreetCrimesIn) -> None:
    """police.uk wants a point (lat and lng) or a polygon (poly="lat,lng:lat,lng:...")."""
    if area.poly:
        corners = area.poly.split(":")
        if len(corners) < 3:
            raise DomainError(_("A polygon needs at least three lat,lng points."), field="poly")
        for corner in corners:
            parse_point(corner, field="poly")
        return
    if area.lat is None or area.lng is None:
        raise DomainError(
            _("Give lat and lng, or poly."), field="lat" if area.lat is None else "lng"
        )
    check_latitude(area.lat, field="lat")
    check_longitude(area.lng, field="lng")


@router.get("/forces", response=list[PoliceUkForceSummaryOut])
def list_forces(request: HttpRequest) -> Any:
    return selectors.list_forces()


@router.get("/forces/{force}", response={200: PoliceUkForceOut, 400: ErrorOut, 404: ErrorOut})
def get_force(request: HttpRequest, force: str = Path(..., pattern=FORCE_ID)) -> Any:
    return selectors.get_force(force)


@router.get(
    "/forces/{force}/people", response={200: list[PoliceUkPersonOut], 400: ErrorOut, 404: ErrorOut}
)
def list_senior_officers(request: HttpRequest, force: str = Path(..., pattern=FORCE_ID)) -> Any:
    return accounts_selectors.senior_officers_of(selectors.get_force(force).pk)


@router.get(
    "/locate-neighbourhood",
    response={200: PoliceUkLocatedOut, 400: ErrorOut, 404: ErrorOut},
)
def locate_neighbourhood(request: HttpRequest, q: str) -> Any:
    """The force and neighbourhood containing the point q="lat,lng"; 404 outside them all."""
    latitude, longitude = parse_point(q, field="q")
    found = selectors.locate_neighbourhood_ref(latitude, longitude)
    if found is None:
        raise NotFound(_("No neighbourhood contains this point."), field="q")
    return {"force": found.force_slug, "neighbourhood": found.code}


@router.get("/crime-categories", response={200: list[dict[str, str]], 400: ErrorOut})
def list_crime_categories(request: HttpRequest, filters: Query[CrimeCategoriesIn]) -> Any:
    return []


@router.get("/crimes-street/{category}", response={200: list[dict[str, Any]], 400: ErrorOut})
def list_street_crimes(request: HttpRequest, category: str, area: Query[StreetCrimesIn]) -> Any:
    _check_crime_area(area)
    return []


@router.post("/crimes-street/{category}", response={200: list[dict[str, Any]], 400: ErrorOut})
def search_street_crimes(request: HttpRequest, category: str, area: Form[StreetCrimesIn]) -> Any:
    """police.uk accepts POST for polygons too long for a URL."""
    _check_crime_area(area)
    return []


@router.get(
    "/{force}/neighbourhoods",
    response={200: list[PoliceUkNeighbourhoodSummaryOut], 400: ErrorOut, 404: ErrorOut},
)
def list_neighbourhoods(request: HttpRequest, force: str = Path(..., pattern=FORCE_ID)) -> Any:
    # Two columns instead of whole rows: a force may have hundreds of neighbourhoods.
    return selectors.neighbourhoods_of(selectors.get_force(force)).values("code", "name")


@router.get(
    "/{force}/{neighbourhood}",
    response={200: PoliceUkNeighbourhoodOut, 400: ErrorOut, 404: ErrorOut},
)
def get_neighbourhood(
    request: HttpRequest,
    force: str = Path(..., pattern=FORCE_ID),
    neighbourhood: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    return selectors.get_neighbourhood(force, neighbourhood)


@router.get(
    "/{force}/{neighbourhood}/boundary",
    response={200: list[PoliceUkPointOut], 400: ErrorOut, 404: ErrorOut},
)
def get_boundary(
    request: HttpRequest,
    force: str = Path(..., pattern=FORCE_ID),
    neighbourhood: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    return boundary_points(selectors.get_neighbourhood(force, neighbourhood).boundary)


@router.get(
    "/{force}/{neighbourhood}/people",
    response={200: list[PoliceUkPersonOut], 400: ErrorOut, 404: ErrorOut},
)
def list_team(
    request: HttpRequest,
    force: str = Path(..., pattern=FORCE_ID),
    neighbourhood: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    found = selectors.get_neighbourhood(force, neighbourhood)
    team = accounts_selectors.current_team_for(found.pk)
    # police.uk lists people, not their roles: someone in two roles appears once.
    return list(dict.fromkeys(assignment.officer for assignment in team))


@router.get(
    "/{force}/{neighbourhood}/events",
    response={200: list[PoliceUkEventOut], 400: ErrorOut, 404: ErrorOut},
)
def list_events(
    request: HttpRequest,
    force: str = Path(..., pattern=FORCE_ID),
    neighbourhood: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """The neighbourhood's meetings and events, upcoming and of the last 90 days, not
    cancelled ones, by start."""
    found = selectors.get_neighbourhood(force, neighbourhood)
    return voice_selectors.gatherings_of(found, now=timezone.now(), include_cancelled=False)


@router.get(
    "/{force}/{neighbourhood}/priorities",
    response={200: list[PoliceUkPriorityOut], 400: ErrorOut, 404: ErrorOut},
    by_alias=True,
)
def list_priorities(
    request: HttpRequest,
    force: str = Path(..., pattern=FORCE_ID),
    neighbourhood: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """Priorities the team adopted, in every cycle, newest first ("you said, we did")."""
    found = selectors.get_neighbourhood(force, neighbourhood)
    return adopted_for_policeuk(found)

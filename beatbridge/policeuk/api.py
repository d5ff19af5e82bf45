"""The data.police.uk API shapes, directly under /api/, over Beatbridge's selectors.

A program written for police.uk works unchanged when its base URL is this
server's /api/. Force ids are case-insensitive, as on police.uk. Paths with a
fixed first segment (forces, locate-neighbourhood, crimes-street,
outcomes-for-crime, crime-categories) are declared before ``{force}/{neighbourhood}``
so they win. Events and priorities are the community voice's meetings, events and adopted
priorities. Crimes and outcomes are the imported open data (crimedata's street
selectors), public to everyone as on police.uk: a month defaults to the latest with
data, a month without data is an empty list, and an answer of more than 10,000
crimes is refused with 503, as police.uk refuses too large an area.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Form, Path, Query, Router, Schema

from beatbridge.accounts import selectors as accounts_selectors
from beatbridge.crimedata.selectors import streets
from beatbridge.crimedata.selectors.counts import latest_month
from beatbridge.errors import DomainError, NotFound
from beatbridge.places import selectors
from beatbridge.places.api import FORCE_ID, NEIGHBOURHOOD_ID, ErrorOut
from beatbridge.policeuk.schemas import (
    PoliceUkCrimeCategoryOut,
    PoliceUkCrimeDateOut,
    PoliceUkCrimeOutcomesOut,
    PoliceUkEventOut,
    PoliceUkForceOut,
    PoliceUkForceSummaryOut,
    PoliceUkLastUpdatedOut,
    PoliceUkLocatedOut,
    PoliceUkLocatedOutcomeOut,
    PoliceUkNeighbourhoodOut,
    PoliceUkNeighbourhoodSummaryOut,
    PoliceUkPersonOut,
    PoliceUkPointOut,
    PoliceUkPriorityOut,
    PoliceUkStreetCrimeOut,
    boundary_points,
    crime_categories,
    crime_shape,
    crime_shapes,
    outcome_shape,
    police_uk_month,
)
from beatbridge.voice.selectors import calendar as voice_selectors
from beatbridge.voice.selectors.priorities import adopted_for_policeuk

router = Router(tags=["data.police.uk"])

_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
# police.uk's are 64 hex digits; other sources' references are kept as they come.
_PERSISTENT_ID = r"^[-A-Za-z0-9_.]{1,64}$"
_MAX_ID = 2**63 - 1
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


class CrimesAtLocationIn(Schema):
    location_id: int | None = Field(None, ge=1, le=_MAX_ID)
    lat: float | None = None
    lng: float | None = None
    date: str | None = Field(None, pattern=_MONTH)


class OutcomesAtLocationIn(StreetCrimesIn):
    location_id: int | None = Field(None, ge=1, le=_MAX_ID)


class CrimesNoLocationIn(Schema):
    category: str
    force: str = Field(..., pattern=FORCE_ID)
    date: str | None = Field(None, pattern=_MONTH)


def _check_crime_area(area: StreetCrimesIn) -> streets.Area:
    """police.uk wants a point (lat and lng) or a polygon (poly="lat,lng:lat,lng:...")."""
    if area.poly:
        corners = area.poly.split(":")
        if len(corners) < 3:
            raise DomainError(_("A polygon needs at least three lat,lng points."), field="poly")
        return streets.polygon_area([parse_point(corner, field="poly") for corner in corners])
    if area.lat is None or area.lng is None:
        raise DomainError(
            _("Give lat and lng, or poly."), field="lat" if area.lat is None else "lng"
        )
    return streets.Around(
        check_latitude(area.lat, field="lat"), check_longitude(area.lng, field="lng")
    )


def _check_location(place: CrimesAtLocationIn) -> streets.AtPoint | None:
    """police.uk's location_id, else lat and lng: the street point nearest them (None when
    none is within a mile)."""
    if place.location_id is not None:
        return streets.AtPoint(place.location_id)
    if place.lat is None or place.lng is None:
        missing = "location_id" if place.lat is None and place.lng is None else None
        raise DomainError(
            _("Give location_id, or lat and lng."),
            field=missing or ("lat" if place.lat is None else "lng"),
        )
    return streets.nearest_point(
        check_latitude(place.lat, field="lat"), check_longitude(place.lng, field="lng")
    )


def _month(text: str | None, *, outcomes: bool = False) -> datetime.date | None:
    """The month a request names ("YYYY-MM", checked by its schema), else the latest
    with data; None when there is no data at all."""
    if text:
        return datetime.date(int(text[:4]), int(text[5:]), 1)
    return streets.latest_outcome_month() if outcomes else latest_month()


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


@router.get("/crime-categories", response={200: list[PoliceUkCrimeCategoryOut], 400: ErrorOut})
def list_crime_categories(request: HttpRequest, filters: Query[CrimeCategoriesIn]) -> Any:
    """The categories police.uk published for the month (the latest with data by default),
    "all-crime" first, named in English."""
    month = _month(filters.date) or timezone.localdate().replace(day=1)
    return crime_categories(month)


@router.get("/crimes-street-dates", response=list[PoliceUkCrimeDateOut], by_alias=True)
def list_crime_dates(request: HttpRequest) -> Any:
    """The months with street-level crimes, newest first."""
    return [
        {"date": police_uk_month(month), "stop_and_search": []}
        for month in streets.months_with_crimes()
    ]


@router.get("/crime-last-updated", response={200: PoliceUkLastUpdatedOut, 404: ErrorOut})
def get_crime_last_updated(request: HttpRequest) -> Any:
    """The latest month with crimes, as police.uk writes it ("YYYY-MM-01")."""
    month = latest_month()
    if month is None:
        raise NotFound(_("No crime data has been imported yet."), field=None)
    return {"date": month.isoformat()}


_STREET_CRIMES = {200: list[PoliceUkStreetCrimeOut], 400: ErrorOut, 404: ErrorOut, 503: ErrorOut}


@router.get("/crimes-street/{category}", response=_STREET_CRIMES)
def list_street_crimes(request: HttpRequest, area: Query[StreetCrimesIn], category: str) -> Any:
    """Crimes of the month within a mile of lat,lng or inside poly; 503 over 10,000."""
    return _street_crimes(category, area)


@router.post("/crimes-street/{category}", response=_STREET_CRIMES)
def search_street_crimes(request: HttpRequest, area: Form[StreetCrimesIn], category: str) -> Any:
    """police.uk accepts POST for polygons too long for a URL."""
    return _street_crimes(category, area)


def _street_crimes(category: str, area: StreetCrimesIn) -> list[dict[str, Any]]:
    wanted = streets.category_filter(category)
    place = _check_crime_area(area)
    month = _month(area.date)
    if month is None:
        return []
    return crime_shapes(streets.street_crimes(area=place, month=month, category=wanted))


@router.get(
    "/crimes-at-location",
    response={200: list[PoliceUkStreetCrimeOut], 400: ErrorOut},
)
def list_crimes_at_location(request: HttpRequest, place: Query[CrimesAtLocationIn]) -> Any:
    """Crimes of the month at one street point: location_id, or the point nearest lat,lng
    (none within a mile: an empty list)."""
    point = _check_location(place)
    month = _month(place.date)
    if point is None or month is None:
        return []
    return crime_shapes(streets.street_crimes(area=point, month=month, category=None))


@router.get(
    "/crimes-no-location",
    response={200: list[PoliceUkStreetCrimeOut], 400: ErrorOut, 404: ErrorOut, 503: ErrorOut},
)
def list_crimes_without_location(request: HttpRequest, filters: Query[CrimesNoLocationIn]) -> Any:
    """The force's crimes of the month that have no location (location and location_type
    null)."""
    wanted = streets.category_filter(filters.category)
    force = selectors.get_force(filters.force)
    month = _month(filters.date)
    if month is None:
        return []
    return crime_shapes(streets.crimes_without_location(force=force, month=month, category=wanted))


@router.get(
    "/outcomes-at-location",
    response={200: list[PoliceUkLocatedOutcomeOut], 400: ErrorOut, 503: ErrorOut},
)
def list_outcomes_at_location(request: HttpRequest, place: Query[OutcomesAtLocationIn]) -> Any:
    """Outcomes recorded in the month at location_id, within a mile of lat,lng or inside
    poly, each with its crime. Outcomes of crimes never imported are left out: police.uk's
    shape has no place for an outcome without its crime."""
    area = (
        streets.AtPoint(place.location_id)
        if place.location_id is not None
        else _check_crime_area(place)
    )
    month = _month(place.date, outcomes=True)
    if month is None:
        return []
    found = streets.outcomes_in(area=area, month=month)
    crimes = crime_shapes((crime for _outcome, crime in found), with_outcome=False)
    return [
        {**outcome_shape(outcome), "crime": crime}
        for (outcome, _crime), crime in zip(found, crimes, strict=True)
    ]


@router.get(
    "/outcomes-for-crime/{persistent_id}",
    response={200: PoliceUkCrimeOutcomesOut, 400: ErrorOut, 404: ErrorOut},
)
def get_crime_outcomes(
    request: HttpRequest, persistent_id: str = Path(..., pattern=_PERSISTENT_ID)
) -> Any:
    """A crime and every outcome recorded for it, oldest first."""
    crime, outcomes = streets.crime_with_outcomes(persistent_id)
    return {
        "crime": crime_shape(crime, with_outcome=False),
        "outcomes": [outcome_shape(outcome) for outcome in outcomes],
    }


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

"""Beatbridge's own API for places (/api/v1/): forces, neighbourhoods, boundaries, locate.

Every read is public: this is the data a resident sees on the neighbourhood page.
Handlers call one selector each and shape its answer; rules live in the selectors.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from beatbridge.errors import NotFound
from beatbridge.places import selectors
from beatbridge.places.models import Force, Neighbourhood, neighbourhood_code_validator

router = Router(tags=["places"])

GEOJSON = "application/geo+json"

# Ids no force or neighbourhood can have (a NUL byte, a space) are refused with a 400
# before they reach the database, which would fail on some of them.
FORCE_ID = r"^[-A-Za-z0-9_]{1,64}$"
NEIGHBOURHOOD_ID = neighbourhood_code_validator.regex.pattern
SEARCH_TEXT = r"^[^\x00]{0,200}$"


class Pages(LimitOffsetPagination):
    """ninja's limit/offset pagination, with an offset every database can hold."""

    class Input(LimitOffsetPagination.Input):
        offset: int = Field(0, ge=0, le=2**31 - 1)


class EngagementMethodOut(Schema):
    type: str | None = None
    title: str | None = None
    description: str | None = None
    url: str | None = None


class ForceOut(Schema):
    id: str = Field(alias="slug")
    name: str
    description: str
    telephone: str
    url: str
    engagement_methods: list[EngagementMethodOut]


class NeighbourhoodSummaryOut(Schema):
    id: str = Field(alias="code")
    name: str


class CentreOut(Schema):
    latitude: float
    longitude: float


class SectorOut(Schema):
    id: str = Field(alias="slug")
    name: str


class ContactsOut(Schema):
    """The team's contact details; never an officer's own."""

    email: str | None
    telephone: str | None
    address: str | None
    web: str | None


class NeighbourhoodOut(Schema):
    id: str
    force: str
    name: str
    description: str
    population: int | None
    centre: CentreOut
    sector: SectorOut | None
    contacts: ContactsOut
    languages: list[str]
    neighbours: list[NeighbourhoodSummaryOut]


class BoundaryPropertiesOut(Schema):
    force: str
    id: str
    name: str


class BoundaryFeatureOut(Schema):
    type: Literal["Feature"]
    geometry: dict[str, Any]
    properties: BoundaryPropertiesOut


class BoundaryCollectionOut(Schema):
    type: Literal["FeatureCollection"]
    features: list[BoundaryFeatureOut]


class LocatedNeighbourhoodOut(Schema):
    id: str
    name: str
    url: str


class LocateOut(Schema):
    force: str
    neighbourhood: LocatedNeighbourhoodOut


class PointIn(Schema):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class ProblemOut(Schema):
    field: str | None
    detail: str


class ErrorOut(Schema):
    """Every error: what is wrong, the field at fault (or null) and a stable code."""

    detail: str
    field: str | None
    code: str
    errors: list[ProblemOut] | None = Field(
        None, description="Each problem, when a request fails validation."
    )


def _geojson_response(body: dict[str, Any]) -> JsonResponse:
    return JsonResponse(body, content_type=GEOJSON)


def _boundary_feature(force: Force, neighbourhood: Neighbourhood) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": neighbourhood.boundary,
        "properties": {"force": force.slug, "id": neighbourhood.code, "name": neighbourhood.name},
    }


def _geojson_openapi(schema: type[Schema]) -> dict[str, Any]:
    """Document the geo+json media type, which ninja's response= cannot express."""
    reference = {"$ref": f"#/components/schemas/{schema.__name__}"}
    return {"responses": {200: {"content": {GEOJSON: {"schema": reference}}}}}


@router.get("/forces", response={200: list[ForceOut], 400: ErrorOut}, url_name="v1-forces")
@paginate(Pages)
def list_forces(request: HttpRequest) -> Any:
    return selectors.list_forces()


@router.get(
    "/forces/{force}", response={200: ForceOut, 400: ErrorOut, 404: ErrorOut}, url_name="v1-force"
)
def get_force(request: HttpRequest, force: str = Path(..., pattern=FORCE_ID)) -> Any:
    return selectors.get_force(force)


@router.get(
    "/forces/{force}/neighbourhoods",
    response={200: list[NeighbourhoodSummaryOut], 400: ErrorOut, 404: ErrorOut},
    url_name="v1-neighbourhoods",
)
@paginate(Pages)
def list_neighbourhoods(
    request: HttpRequest,
    force: str = Path(..., pattern=FORCE_ID),
    q: str | None = Query(None, pattern=SEARCH_TEXT),
) -> Any:
    """A force's neighbourhoods by name; with `q`, those whose name matches (accents ignored)."""
    found = selectors.get_force(force)
    matches = (
        selectors.search_neighbourhoods(q, force=found) if q else selectors.neighbourhoods_of(found)
    )
    # Two columns instead of whole rows: a force may have hundreds of neighbourhoods.
    return matches.values("code", "name")


@router.get(
    "/forces/{force}/boundaries",
    response={200: BoundaryCollectionOut, 400: ErrorOut, 404: ErrorOut},
    url_name="v1-boundaries",
    openapi_extra=_geojson_openapi(BoundaryCollectionOut),
)
def list_boundaries(request: HttpRequest, force: str = Path(..., pattern=FORCE_ID)) -> Any:
    """Every boundary of a force as one GeoJSON FeatureCollection, for drawing a map."""
    found = selectors.get_force(force)
    features = [
        _boundary_feature(found, neighbourhood) for neighbourhood in selectors.boundaries_of(found)
    ]
    return _geojson_response({"type": "FeatureCollection", "features": features})


@router.get(
    "/forces/{force}/neighbourhoods/{code}",
    response={200: NeighbourhoodOut, 400: ErrorOut, 404: ErrorOut},
    url_name="v1-neighbourhood",
)
def get_neighbourhood(
    request: HttpRequest,
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    neighbourhood = selectors.get_neighbourhood(force, code)
    return {
        "id": neighbourhood.code,
        "force": neighbourhood.force.slug,
        "name": neighbourhood.name,
        "description": neighbourhood.description,
        "population": neighbourhood.population,
        "centre": {
            "latitude": neighbourhood.centre_latitude,
            "longitude": neighbourhood.centre_longitude,
        },
        "sector": neighbourhood.sector,
        "contacts": {
            "email": neighbourhood.email or None,
            "telephone": neighbourhood.telephone or None,
            "address": neighbourhood.address or None,
            "web": neighbourhood.web_url or None,
        },
        "languages": neighbourhood.languages,
        "neighbours": selectors.neighbours_of(neighbourhood),
    }


@router.get(
    "/forces/{force}/neighbourhoods/{code}/boundary",
    response={200: BoundaryFeatureOut, 400: ErrorOut, 404: ErrorOut},
    url_name="v1-neighbourhood-boundary",
    openapi_extra=_geojson_openapi(BoundaryFeatureOut),
)
def get_boundary(
    request: HttpRequest,
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """A neighbourhood's boundary as a GeoJSON Feature (Polygon or MultiPolygon, lon/lat)."""
    neighbourhood = selectors.get_neighbourhood(force, code)
    return _geojson_response(_boundary_feature(neighbourhood.force, neighbourhood))


@router.get(
    "/locate",
    response={200: LocateOut, 400: ErrorOut, 404: ErrorOut},
    url_name="v1-locate",
)
def locate(request: HttpRequest, point: Query[PointIn]) -> Any:
    """The neighbourhood containing a point; 404 when it lies outside every neighbourhood."""
    found = selectors.locate_neighbourhood_ref(point.latitude, point.longitude)
    if found is None:
        raise NotFound(_("No neighbourhood contains this point."))
    return {
        "force": found.force_slug,
        "neighbourhood": {
            "id": found.code,
            "name": found.name,
            "url": request.build_absolute_uri(
                reverse(
                    "api:v1-neighbourhood", kwargs={"force": found.force_slug, "code": found.code}
                )
            ),
        },
    }

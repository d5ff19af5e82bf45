"""data.police.uk's response shapes, field for field, built from Beatbridge's models.

police.uk writes coordinates as strings ("52.6389"); so do we. One decided
deviation: ``population`` is an integer or null, where police.uk sends a string.
Crimes are built as plain dicts by ``crime_shapes`` (an answer may hold ten thousand);
their schemas below document them and check them on the way out. They are plain
pydantic models, not ninja Schemas: ninja's attribute resolver, run on every nested
object, made an answer of ten thousand crimes several times slower.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone, translation
from django.utils.html import linebreaks
from ninja import Field, Schema
from pydantic import BaseModel

from beatbridge.accounts.models import OfficerProfile
from beatbridge.crimedata.categories import (
    ALL_CRIME,
    ALL_CRIME_LABEL,
    CrimeCategory,
    OutcomeCategory,
    categories_in_use,
    english_name,
)
from beatbridge.crimedata.models import Incident, LocationType, Outcome
from beatbridge.places.api import EngagementMethodOut
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.voice.models import Event, Meeting, Priority


def coordinate(value: float) -> str:
    """A latitude or longitude as police.uk writes it: a decimal string, never an exponent."""
    return f"{value:.7f}".rstrip("0").rstrip(".")


class PoliceUkForceSummaryOut(Schema):
    id: str
    name: str

    @staticmethod
    def resolve_id(force: Force) -> str:
        return force.slug


class PoliceUkForceOut(Schema):
    id: str
    name: str
    description: str | None
    url: str | None
    telephone: str | None
    engagement_methods: list[EngagementMethodOut]

    @staticmethod
    def resolve_id(force: Force) -> str:
        return force.slug

    @staticmethod
    def resolve_description(force: Force) -> str | None:
        return force.description or None

    @staticmethod
    def resolve_url(force: Force) -> str | None:
        return force.url or None

    @staticmethod
    def resolve_telephone(force: Force) -> str | None:
        return force.telephone or None


class PoliceUkNeighbourhoodSummaryOut(Schema):
    id: str = Field(alias="code")
    name: str


class PoliceUkPointOut(Schema):
    latitude: str
    longitude: str


class PoliceUkNeighbourhoodOut(Schema):
    """police.uk's "specific neighbourhood"; links, locations and engagement stay empty for now."""

    id: str
    name: str
    description: str | None
    population: int | None
    url_force: str | None
    contact_details: dict[str, str]
    centre: PoliceUkPointOut
    links: list[dict[str, Any]]
    locations: list[dict[str, Any]]
    engagement_methods: list[EngagementMethodOut]

    @staticmethod
    def resolve_id(neighbourhood: Neighbourhood) -> str:
        return neighbourhood.code

    @staticmethod
    def resolve_description(neighbourhood: Neighbourhood) -> str | None:
        return neighbourhood.description or None

    @staticmethod
    def resolve_url_force(neighbourhood: Neighbourhood) -> str | None:
        return neighbourhood.web_url or None

    @staticmethod
    def resolve_contact_details(neighbourhood: Neighbourhood) -> dict[str, str]:
        # police.uk leaves out the kinds of contact a team does not have.
        details = {
            "email": neighbourhood.email,
            "telephone": neighbourhood.telephone,
            "web": neighbourhood.web_url,
            "address": neighbourhood.address,
        }
        return {kind: value for kind, value in details.items() if value}

    @staticmethod
    def resolve_centre(neighbourhood: Neighbourhood) -> dict[str, str]:
        return {
            "latitude": coordinate(neighbourhood.centre_latitude),
            "longitude": coordinate(neighbourhood.centre_longitude),
        }

    @staticmethod
    def resolve_links(neighbourhood: Neighbourhood) -> list[dict[str, Any]]:
        return []

    @staticmethod
    def resolve_locations(neighbourhood: Neighbourhood) -> list[dict[str, Any]]:
        return []

    @staticmethod
    def resolve_engagement_methods(neighbourhood: Neighbourhood) -> list[dict[str, Any]]:
        return []


class PoliceUkPersonOut(Schema):
    """An officer as police.uk lists them. contact_details is always empty: people are
    reached through their team's contact details, never their own."""

    name: str
    rank: str | None
    bio: str | None
    contact_details: dict[str, str]

    @staticmethod
    def resolve_name(officer: OfficerProfile) -> str:
        return officer.display_name

    @staticmethod
    def resolve_rank(officer: OfficerProfile) -> str | None:
        return officer.rank or None

    @staticmethod
    def resolve_bio(officer: OfficerProfile) -> str | None:
        return officer.bio or None

    @staticmethod
    def resolve_contact_details(officer: OfficerProfile) -> dict[str, str]:
        return {}


class PoliceUkLocatedOut(Schema):
    force: str
    neighbourhood: str


def boundary_points(geometry: dict[str, Any]) -> list[dict[str, str]]:
    """A GeoJSON Polygon or MultiPolygon as police.uk's flat list of points.

    police.uk has one ring per neighbourhood; for a MultiPolygon the exterior
    rings of its parts follow one another in order. Holes are left out.
    """
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    return [
        {"latitude": coordinate(latitude), "longitude": coordinate(longitude)}
        for polygon in polygons
        for longitude, latitude, *_altitude in polygon[0]
    ]


def police_uk_time(moment: datetime.datetime) -> str:
    """A moment as police.uk writes it: local wall-clock time, "YYYY-MM-DDTHH:MM:SS"."""
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M:%S}"


def police_uk_html(*paragraphs: str) -> str | None:
    """Text as police.uk's HTML fragments: escaped, in <p> paragraphs; None when empty."""
    html = "".join(linebreaks(text.strip(), autoescape=True) for text in paragraphs if text.strip())
    return html or None


class PoliceUkPriorityOut(Schema):
    """An adopted priority: ``issue`` and ``issue-date`` from adoption; ``action`` (what
    was done) and ``action-date`` once it is closed, null until then. Both always present."""

    issue: str | None
    issue_date: str = Field(..., serialization_alias="issue-date")
    action: str | None
    action_date: str | None = Field(..., serialization_alias="action-date")

    @staticmethod
    def resolve_issue(priority: Priority) -> str | None:
        return police_uk_html(priority.title, priority.description)

    @staticmethod
    def resolve_issue_date(priority: Priority) -> str:
        return police_uk_time(priority.adopted_at or priority.created_at)

    @staticmethod
    def resolve_action(priority: Priority) -> str | None:
        return police_uk_html(priority.outcome) if priority.closed_at else None

    @staticmethod
    def resolve_action_date(priority: Priority) -> str | None:
        return police_uk_time(priority.closed_at) if priority.closed_at else None


class PoliceUkEventOut(Schema):
    """A meeting (``type`` "meeting") or a community event (``type`` "event")."""

    contact_details: dict[str, str]
    description: str | None
    title: str
    address: str | None
    type: str
    start_date: str
    end_date: str

    @staticmethod
    def resolve_contact_details(gathering: Meeting | Event) -> dict[str, str]:
        # police.uk's kinds of contact; the free-text details go in the description.
        return {"web": gathering.online_url} if gathering.online_url else {}

    @staticmethod
    def resolve_description(gathering: Meeting | Event) -> str | None:
        return police_uk_html(
            gathering.description, gathering.accessibility, gathering.contact_details
        )

    @staticmethod
    def resolve_address(gathering: Meeting | Event) -> str | None:
        return ", ".join(part for part in (gathering.venue_name, gathering.address) if part) or None

    @staticmethod
    def resolve_type(gathering: Meeting | Event) -> str:
        return "meeting" if isinstance(gathering, Meeting) else "event"

    @staticmethod
    def resolve_start_date(gathering: Meeting | Event) -> str:
        return police_uk_time(gathering.starts_at)

    @staticmethod
    def resolve_end_date(gathering: Meeting | Event) -> str:
        return police_uk_time(gathering.ends_at)


# --- crimes ---------------------------------------------------------------------------------


# A located crime's type when its source does not say (police.uk's files always do).
_FORCE = str(LocationType.FORCE.value)


def police_uk_month(month: datetime.date) -> str:
    """A month as police.uk writes it: "YYYY-MM"."""
    return f"{month:%Y-%m}"


class PoliceUkCrimeCategoryOut(Schema):
    url: str
    name: str


def crime_categories(month: datetime.date) -> list[dict[str, str]]:
    """The categories police.uk published for ``month`` after "all-crime", named in
    English whatever the request's language, as police.uk names them."""
    with translation.override(None):
        every = {"url": ALL_CRIME, "name": str(ALL_CRIME_LABEL)}
    return [every] + [
        {"url": str(category.value), "name": _english_names(CrimeCategory)[category.value]}
        for category in categories_in_use(month)
    ]


class PoliceUkCrimeDateOut(Schema):
    """A month with street-level crimes; stop and search is not published here."""

    date: str
    stop_and_search: list[str] = Field(..., serialization_alias="stop-and-search")


class PoliceUkLastUpdatedOut(Schema):
    date: str


class PoliceUkStreetOut(BaseModel):
    id: int
    name: str


class PoliceUkCrimeLocationOut(BaseModel):
    latitude: str
    street: PoliceUkStreetOut
    longitude: str


class PoliceUkOutcomeStatusOut(BaseModel):
    """A crime's latest outcome: its English name, and the month it was recorded in
    (null when only a street-level file, which does not say, has been imported)."""

    category: str
    date: str | None


class PoliceUkCrimeOut(BaseModel):
    """A crime as police.uk's outcome answers hold it, without its outcome_status.

    ``location`` and ``location_type`` are null for a crime without a location;
    ``persistent_id`` is empty for anti-social behaviour, which has none."""

    category: str
    location_type: str | None
    location: PoliceUkCrimeLocationOut | None
    context: str
    persistent_id: str
    id: int
    location_subtype: str
    month: str


class PoliceUkStreetCrimeOut(PoliceUkCrimeOut):
    """A crime as police.uk's street-level answers give it; outcome_status is null for
    anti-social behaviour and any crime without an outcome."""

    outcome_status: PoliceUkOutcomeStatusOut | None


class PoliceUkOutcomeCategoryOut(BaseModel):
    code: str
    name: str


class PoliceUkOutcomeOut(BaseModel):
    """One outcome of a crime; police.uk never publishes who it concerns (person_id)."""

    category: PoliceUkOutcomeCategoryOut
    date: str
    person_id: int | None


class PoliceUkLocatedOutcomeOut(PoliceUkOutcomeOut):
    crime: PoliceUkCrimeOut


class PoliceUkCrimeOutcomesOut(BaseModel):
    crime: PoliceUkCrimeOut
    outcomes: list[PoliceUkOutcomeOut]


def crime_shapes(
    incidents: Iterable[Incident], *, with_outcome: bool = True
) -> list[dict[str, Any]]:
    """Incidents (read with their points) in police.uk's crime shape; ``with_outcome=False``
    leaves out outcome_status, as police.uk's outcome answers do."""
    # Many crimes share a street point: each point's location is written once.
    locations: dict[int, dict[str, Any]] = {}
    shapes = []
    for incident in incidents:
        point = incident.point
        if point is not None and point.pk not in locations:
            locations[point.pk] = {
                "latitude": coordinate(point.latitude),
                "street": {"id": point.pk, "name": point.street_name},
                "longitude": coordinate(point.longitude),
            }
        shape: dict[str, Any] = {
            "category": incident.category,
            "location_type": None if point is None else incident.location_type or _FORCE,
            "location": None if point is None else locations[point.pk],
            "context": incident.context,
            "persistent_id": incident.reference,
            "id": incident.public_id,
            "location_subtype": "",
            "month": police_uk_month(incident.month),
        }
        if with_outcome:
            shape["outcome_status"] = _outcome_status(incident)
        shapes.append(shape)
    return shapes


def crime_shape(incident: Incident, *, with_outcome: bool = True) -> dict[str, Any]:
    """One incident in police.uk's crime shape; see ``crime_shapes``."""
    return crime_shapes([incident], with_outcome=with_outcome)[0]


def _outcome_status(incident: Incident) -> dict[str, str | None] | None:
    if not incident.outcome:
        return None
    return {
        "category": _english_names(OutcomeCategory)[incident.outcome],
        "date": police_uk_month(incident.outcome_month) if incident.outcome_month else None,
    }


def outcome_shape(outcome: Outcome) -> dict[str, Any]:
    """One outcome in police.uk's shape, without its crime."""
    return {
        "category": {
            "code": outcome.category,
            "name": _english_names(OutcomeCategory)[outcome.category],
        },
        "date": police_uk_month(outcome.month),
        "person_id": None,
    }


@functools.cache
def _english_names(choices: type[models.TextChoices]) -> dict[str, str]:
    # English never changes while the server runs: name each choice once, not per crime.
    return {str(choice.value): english_name(choice) for choice in choices}

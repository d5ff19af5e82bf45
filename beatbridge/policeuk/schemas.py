"""data.police.uk's response shapes, field for field, built from Beatbridge's models.

police.uk writes coordinates as strings ("52.6389"); so do we. One decided
deviation: ``population`` is an integer or null, where police.uk sends a string.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.html import linebreaks
from ninja import Field, Schema

from beatbridge.accounts.models import OfficerProfile
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

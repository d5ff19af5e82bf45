"""Beatbridge's own API for people (/api/v1/): a neighbourhood's team, an officer's profile.

Both are public by design. Only what the public officer profile holds is shown:
never an e-mail address or a telephone number of an officer.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Path, Router, Schema
from ninja.pagination import paginate

from beatbridge.accounts import selectors
from beatbridge.accounts.models import OfficerProfile, TeamAssignment
from beatbridge.places import selectors as places_selectors
from beatbridge.places.api import FORCE_ID, NEIGHBOURHOOD_ID, ErrorOut, Pages

router = Router(tags=["people"])


class TeamMemberOut(Schema):
    id: int
    name: str
    rank: str
    role: str
    role_name: str
    bio: str
    languages: list[str]
    photo: str | None
    since: datetime.date


class ServiceOut(Schema):
    force: str
    neighbourhood: str
    neighbourhood_name: str
    role: str
    role_name: str
    since: datetime.date
    until: datetime.date | None


class OfficerOut(Schema):
    id: int
    force: str
    name: str
    rank: str
    bio: str
    languages: list[str]
    photo: str | None
    serving: list[ServiceOut]
    served: list[ServiceOut]


def _photo_url(request: HttpRequest, officer: OfficerProfile) -> str | None:
    return request.build_absolute_uri(officer.photo.url) if officer.photo else None


def _team_member(request: HttpRequest, assignment: TeamAssignment) -> dict[str, Any]:
    officer = assignment.officer
    return {
        "id": officer.pk,
        "name": officer.display_name,
        "rank": officer.rank,
        "role": assignment.role,
        "role_name": assignment.get_role_display(),
        "bio": officer.bio,
        "languages": officer.languages,
        "photo": _photo_url(request, officer),
        "since": assignment.starts_on,
    }


def _service(assignment: TeamAssignment) -> dict[str, Any]:
    neighbourhood = assignment.neighbourhood
    return {
        "force": neighbourhood.force.slug,
        "neighbourhood": neighbourhood.code,
        "neighbourhood_name": neighbourhood.name,
        "role": assignment.role,
        "role_name": assignment.get_role_display(),
        "since": assignment.starts_on,
        "until": assignment.ends_on,
    }


@router.get(
    "/forces/{force}/neighbourhoods/{code}/team",
    response={200: list[TeamMemberOut], 400: ErrorOut, 404: ErrorOut},
    url_name="v1-team",
)
@paginate(Pages)
def get_team(
    request: HttpRequest,
    force: str = Path(..., pattern=FORCE_ID),
    code: str = Path(..., pattern=NEIGHBOURHOOD_ID),
) -> Any:
    """The team serving a neighbourhood today, lead roles first."""
    neighbourhood = places_selectors.get_neighbourhood(force, code)
    return [
        _team_member(request, assignment)
        for assignment in selectors.current_team_for(neighbourhood.pk)
    ]


@router.get(
    "/officers/{officer_id}",
    response={200: OfficerOut, 400: ErrorOut, 404: ErrorOut},
    url_name="v1-officer",
)
def get_officer(request: HttpRequest, officer_id: int) -> Any:
    """An officer's public profile: where they serve now and where they served before."""
    officer = selectors.get_public_officer(officer_id)
    record = selectors.service_record_of(officer)
    return {
        "id": officer.pk,
        "force": officer.force.slug,
        "name": officer.display_name,
        "rank": officer.rank,
        "bio": officer.bio,
        "languages": officer.languages,
        "photo": _photo_url(request, officer),
        "serving": [_service(assignment) for assignment in record.current],
        "served": [_service(assignment) for assignment in record.past],
    }

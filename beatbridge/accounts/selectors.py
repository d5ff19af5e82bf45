"""Reads for people: teams as they stand, officers' public profiles."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from beatbridge.accounts.models import OfficerProfile, TeamAssignment, TeamRole
from beatbridge.errors import NotFound
from beatbridge.places.models import Neighbourhood

# The order a team is shown in: who to ask first comes first.
_TEAM_ROLE_ORDER = [choice.value for choice in TeamRole]


def current_team_for(
    neighbourhood_id: int, *, on: datetime.date | None = None
) -> list[TeamAssignment]:
    """The assignments in force for a neighbourhood, lead roles first, then by name."""
    assignments = (
        TeamAssignment.objects.current(on)
        .filter(neighbourhood_id=neighbourhood_id, officer__user__is_active=True)
        .select_related("officer")
    )
    return sorted(
        assignments,
        key=lambda a: (_TEAM_ROLE_ORDER.index(a.role), a.officer.display_name),
    )


def senior_officers_of(force_id: int) -> QuerySet[OfficerProfile]:
    """The force's senior officers, as police.uk's forces/{force}/people lists them."""
    return OfficerProfile.objects.filter(
        force_id=force_id, is_senior=True, user__is_active=True
    ).order_by("display_name")


def get_public_officer(officer_id: int) -> OfficerProfile:
    """An officer's public profile; NotFound if there is none."""
    # A deactivated account's profile is no longer public.
    officer = (
        OfficerProfile.objects.select_related("force")
        .filter(pk=officer_id, user__is_active=True)
        .first()
    )
    if officer is None:
        raise NotFound(f"No officer with the id {officer_id}.", field="officer")
    return officer


def assignments_of(officer: OfficerProfile) -> QuerySet[TeamAssignment]:
    """Every assignment an officer has held, newest first: the public record of service."""
    return officer.assignments.select_related("neighbourhood__force").order_by("-starts_on")


@dataclass(frozen=True)
class ServiceRecord:
    """An officer's public record: where they serve now, and where they served before."""

    current: list[TeamAssignment]
    past: list[TeamAssignment]


def service_record_of(officer: OfficerProfile, *, on: datetime.date | None = None) -> ServiceRecord:
    """The officer's current assignments (by neighbourhood) and ended ones (newest first).

    Assignments that have not started yet are not public.
    """
    day = on or timezone.localdate()
    assignments = list(assignments_of(officer).filter(starts_on__lte=day))
    return ServiceRecord(
        current=sorted(
            (a for a in assignments if a.ends_on is None or a.ends_on >= day),
            key=lambda a: (a.neighbourhood.name, _TEAM_ROLE_ORDER.index(a.role)),
        ),
        past=[a for a in assignments if a.ends_on is not None and a.ends_on < day],
    )


def neighbourhood_choices() -> QuerySet[Neighbourhood]:
    """Neighbourhoods a person may pick as home, by name, without their boundaries."""
    return Neighbourhood.objects.defer("boundary").order_by("name", "pk")

"""Reads for people: teams as they stand, officers' public profiles."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from beatbridge.accounts.models import (
    POLICE_ROLES,
    OfficerProfile,
    TeamAssignment,
    TeamRole,
    User,
)
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


def police_of_force(force_id: int) -> QuerySet[User]:
    """The force's active police accounts, by their public name."""
    return (
        User.objects.filter(
            is_active=True, role__in=POLICE_ROLES, officer_profile__force_id=force_id
        )
        .select_related("officer_profile")
        .order_by("officer_profile__display_name", "pk")
    )


def account_by_id(user_id: int) -> User | None:
    """An account named by id in a request (what it may do is for the caller to check)."""
    return User.objects.select_related("officer_profile").filter(pk=user_id).first()


def active_account_by_email(email: str) -> User | None:
    """The active account with this e-mail address, in any case."""
    return User.objects.filter(email__iexact=email, is_active=True).first()

"""Who may do what with accounts and teams, for pages, the admin and the API alike."""

from __future__ import annotations

from typing import Any

from beatbridge.accounts.models import Role
from beatbridge.places.models import Neighbourhood


def is_administrator(user: Any) -> bool:
    """An active administrator (or superuser): the only people who grant roles."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.role == Role.ADMINISTRATOR or user.is_superuser)
    )


def can_grant_roles(user: Any) -> bool:
    return is_administrator(user)


def can_manage_team(user: Any, neighbourhood: Neighbourhood) -> bool:
    """Administrators anywhere; supervisors for the neighbourhoods of their own force."""
    if is_administrator(user):
        return True
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    if user.role != Role.SUPERVISOR:
        return False
    profile = getattr(user, "officer_profile", None)
    return profile is not None and profile.force_id == neighbourhood.force_id

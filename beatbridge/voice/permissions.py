"""Who may do what in community voice: one place, for pages and the API alike."""

from __future__ import annotations

from typing import Any

from beatbridge.places.models import Neighbourhood
from beatbridge.reports.permissions import can_triage_neighbourhood


def can_manage(user: Any, neighbourhood: Neighbourhood) -> bool:
    """The neighbourhood's team, the force's supervisors and administrators run its cycles,
    meetings and events: the same people who handle its reports."""
    return can_triage_neighbourhood(user, neighbourhood)


def can_manage_any(user: Any, neighbourhoods: list[Neighbourhood]) -> bool:
    """For a meeting or event of several neighbourhoods: any of their teams."""
    return any(can_manage(user, neighbourhood) for neighbourhood in neighbourhoods)


def is_signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)

"""Who may see and handle which report: one place, for pages and the APIs alike."""

from __future__ import annotations

from typing import Any

from beatbridge.accounts.models import Role, TeamAssignment
from beatbridge.accounts.permissions import is_administrator
from beatbridge.places.models import Neighbourhood
from beatbridge.reports.models import Report


def _is_active_police(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_police)


def _force_of(user: Any) -> int | None:
    profile = getattr(user, "officer_profile", None)
    return profile.force_id if profile is not None else None


def can_use_triage_pages(user: Any) -> bool:
    """Police (any role) and administrators; what each may open is for the functions below."""
    return is_administrator(user) or _is_active_police(user)


def is_supervisor_of_force(user: Any, force_id: int) -> bool:
    """A supervisor sees every neighbourhood of their own force (the sector inbox included)."""
    return _is_active_police(user) and user.role == Role.SUPERVISOR and _force_of(user) == force_id


def can_triage(user: Any, *, force_id: int, neighbourhood_id: int | None) -> bool:
    """Administrators; the force's supervisors; officers now serving the neighbourhood.

    A report outside every neighbourhood (``neighbourhood_id`` None) is the supervisors'.
    """
    if is_administrator(user):
        return True
    if is_supervisor_of_force(user, force_id):
        return True
    if not _is_active_police(user) or neighbourhood_id is None:
        return False
    return (
        TeamAssignment.objects.current()
        .filter(officer__user=user, neighbourhood_id=neighbourhood_id)
        .exists()
    )


def can_triage_report(user: Any, report: Report) -> bool:
    return can_triage(user, force_id=report.force_id, neighbourhood_id=report.neighbourhood_id)


def can_triage_neighbourhood(user: Any, neighbourhood: Neighbourhood) -> bool:
    return can_triage(user, force_id=neighbourhood.force_id, neighbourhood_id=neighbourhood.pk)


def is_reporter(user: Any, report: Report) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and report.reporter_id is not None
        and report.reporter_id == user.pk
    )


def can_see_report(user: Any, report: Report) -> bool:
    """The reporter, the staff who may triage it, or anyone when the report is public."""
    return report.is_public or is_reporter(user, report) or can_triage_report(user, report)


def can_assign_to(officer: Any, report: Report) -> bool:
    """A report goes only to someone who may triage it: nobody is handed what they cannot open."""
    return _is_active_police(officer) and can_triage_report(officer, report)

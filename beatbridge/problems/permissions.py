"""Who may see and work on problem-solving projects: one place, for pages and API.

A project is the team's: administrators, the force's supervisors and the officers now
serving one of its neighbourhoods work on it. Contacts of a partner organisation the
project invited see it and update their organisation's own actions. Until the team
publishes a summary nobody else sees anything; then everyone sees the summary only.
"""

from __future__ import annotations

from typing import Any

from beatbridge.accounts.permissions import is_administrator
from beatbridge.partners.permissions import contact_organisation_ids
from beatbridge.places.models import Neighbourhood
from beatbridge.problems.models import Action, Project
from beatbridge.reports.permissions import can_triage


def can_use_project_pages(user: Any) -> bool:
    """Police and administrators; which projects each may open is for the functions below."""
    return is_administrator(user) or bool(
        user is not None and user.is_authenticated and user.is_active and user.is_police
    )


def can_start_project(user: Any, neighbourhood: Neighbourhood) -> bool:
    return can_triage(user, force_id=neighbourhood.force_id, neighbourhood_id=neighbourhood.pk)


def can_work_on(user: Any, project: Project) -> bool:
    """The team: administrators, the force's supervisors, officers serving a neighbourhood of it."""
    neighbourhood_ids = [n.pk for n in project.neighbourhoods.all()]
    if not neighbourhood_ids:
        return can_triage(user, force_id=project.force_id, neighbourhood_id=None)
    return any(
        can_triage(user, force_id=project.force_id, neighbourhood_id=neighbourhood_id)
        for neighbourhood_id in neighbourhood_ids
    )


def partner_organisations_in(user: Any, project: Project) -> set[int]:
    """The invited organisations this person acts for."""
    acting_for = contact_organisation_ids(user)
    if not acting_for:
        return set()
    invited = {organisation.pk for organisation in project.invited_organisations.all()}
    return acting_for & invited


def can_see(user: Any, project: Project) -> bool:
    """The whole project: the team, and contacts of the partners it invited."""
    return can_work_on(user, project) or bool(partner_organisations_in(user, project))


def can_update_action(user: Any, action: Action) -> bool:
    """The team any action; an invited partner's contacts their organisation's actions."""
    if can_work_on(user, action.project):
        return True
    return (
        action.owner_organisation_id is not None
        and action.owner_organisation_id in partner_organisations_in(user, action.project)
    )

"""Who may do what in neighbourhood watch: one place, for pages and the API alike.

Three kinds of people act on a scheme: its neighbourhood's team (the officers serving it,
the force's supervisors, administrators) approve and steer schemes; its coordinators and
deputies run it (members, rota); its approved members see the members' page. Functions
that need the person's membership take it, so a page reads it once.
"""

from __future__ import annotations

from typing import Any

from beatbridge.places.models import Neighbourhood
from beatbridge.reports.permissions import can_triage_neighbourhood
from beatbridge.watch.models import (
    RUNNING_ROLES,
    MemberRole,
    Membership,
    MembershipStatus,
    Scheme,
    SchemeStatus,
)

# Schemes anyone may see; a proposal, a declined or a closed scheme only its people and team.
PUBLIC_STATUSES = frozenset({SchemeStatus.ACTIVE, SchemeStatus.DORMANT})
# Schemes that take members, rota slots and sign-ups.
RUNNING_STATUSES = PUBLIC_STATUSES


def is_signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_team(user: Any, neighbourhood: Neighbourhood) -> bool:
    """The neighbourhood's team, the force's supervisors and administrators."""
    return can_triage_neighbourhood(user, neighbourhood)


def is_member(membership: Membership | None) -> bool:
    return membership is not None and membership.status == MembershipStatus.APPROVED


def runs(membership: Membership | None) -> bool:
    """An approved coordinator or deputy: approves members and keeps the rota."""
    return is_member(membership) and membership is not None and membership.role in RUNNING_ROLES


def is_coordinator(membership: Membership | None) -> bool:
    """An approved coordinator: also gives and takes roles."""
    return (
        is_member(membership)
        and membership is not None
        and membership.role == MemberRole.COORDINATOR
    )


def can_see_scheme(user: Any, scheme: Scheme, membership: Membership | None) -> bool:
    """A running scheme is public; otherwise its proposer, its people and the team."""
    if scheme.status in PUBLIC_STATUSES:
        return True
    # Members and those asking to join, not people who left or were declined.
    belongs = membership is not None and membership.status in (
        MembershipStatus.REQUESTED,
        MembershipStatus.APPROVED,
    )
    if is_signed_in(user) and (scheme.proposed_by_id == user.pk or belongs):
        return True
    return is_team(user, scheme.neighbourhood)


def can_see_members(user: Any, scheme: Scheme, membership: Membership | None) -> bool:
    """The members' page (names, messages, rota): approved members and the team."""
    return (is_signed_in(user) and is_member(membership)) or is_team(user, scheme.neighbourhood)


def can_manage_roles(user: Any, scheme: Scheme, membership: Membership | None) -> bool:
    """Coordinators, and the team (to step in when a coordinator has gone)."""
    return (is_signed_in(user) and is_coordinator(membership)) or is_team(
        user, scheme.neighbourhood
    )


def can_run(user: Any, scheme: Scheme, membership: Membership | None) -> bool:
    """Approve members, keep the rota: coordinators and deputies."""
    return is_signed_in(user) and runs(membership)

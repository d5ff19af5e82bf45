"""Who may see and do what with partners and the liaison log: one place, for pages and API.

The police of a force (officers, liaison officers, supervisors) and administrators manage
the force's organisations, contacts and engagements; supervisors and administrators see
every follow-up of the force. A contact (an active ``Contact`` of an active organisation)
acts for their organisation and sees only what is shared with it. Residents see none of it.
"""

from __future__ import annotations

from typing import Any

from beatbridge.accounts.models import Role
from beatbridge.accounts.permissions import is_administrator
from beatbridge.partners.models import Contact, Organisation


def _is_active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def force_of(user: Any) -> int | None:
    """The force a police account serves, from its officer profile; None without one."""
    profile = getattr(user, "officer_profile", None)
    return profile.force_id if profile is not None else None


def is_police(user: Any) -> bool:
    return _is_active(user) and user.is_police


def can_use_partner_pages(user: Any) -> bool:
    """Police with a force, and administrators: what each may open is for the functions below."""
    return is_administrator(user) or (is_police(user) and force_of(user) is not None)


def can_manage_partners_of(user: Any, force_id: int) -> bool:
    """Administrators anywhere; the police of the force (liaison officers first of all)."""
    if is_administrator(user):
        return True
    return is_police(user) and force_of(user) == force_id


def can_manage_organisation(user: Any, organisation: Organisation) -> bool:
    return can_manage_partners_of(user, organisation.force_id)


def can_see_force_follow_ups(user: Any, force_id: int) -> bool:
    """Every follow-up of a force: its supervisors and administrators."""
    if is_administrator(user):
        return True
    return is_police(user) and user.role == Role.SUPERVISOR and force_of(user) == force_id


def can_own_follow_ups(user: Any, force_id: int) -> bool:
    """A follow-up is owed by someone of the force who can open it: police of the force."""
    return is_police(user) and force_of(user) == force_id


def contact_organisation_ids(user: Any) -> set[int]:
    """The organisations this person now acts for (active contact, active organisation)."""
    if not _is_active(user):
        return set()
    return set(
        Contact.objects.filter(user=user, is_active=True, organisation__is_active=True).values_list(
            "organisation_id", flat=True
        )
    )


def is_contact(user: Any) -> bool:
    return bool(contact_organisation_ids(user))


def acts_for(user: Any, organisation: Organisation) -> bool:
    """Whether this person acts for ``organisation`` now."""
    return organisation.pk in contact_organisation_ids(user)

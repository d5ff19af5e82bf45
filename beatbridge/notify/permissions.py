"""Who may alert whom: the neighbourhood's team alerts its followers, a scheme's
coordinators message its members, and nobody else sends alerts."""

from __future__ import annotations

from typing import Any

from beatbridge.accounts.permissions import is_administrator
from beatbridge.notify.models import Alert, Audience
from beatbridge.places.models import Neighbourhood, Sector
from beatbridge.reports.permissions import (
    can_triage_neighbourhood,
    can_use_triage_pages,
    is_supervisor_of_force,
)


def can_alert_neighbourhood(user: Any, neighbourhood: Neighbourhood) -> bool:
    """The officers serving it, the force's supervisors and administrators."""
    return can_triage_neighbourhood(user, neighbourhood)


def can_alert_sector(user: Any, sector: Sector) -> bool:
    """A whole sector is for the force's supervisors and administrators."""
    return is_administrator(user) or is_supervisor_of_force(user, sector.force_id)


def can_message_scheme(user: Any, scheme: Any) -> bool:
    """The scheme's coordinators and deputies, and its neighbourhood's team."""
    from beatbridge.watch.selectors import runs_scheme

    return runs_scheme(user, scheme) or can_alert_neighbourhood(user, scheme.neighbourhood)


def can_send_urgent(user: Any) -> bool:
    """Urgent alerts break through quiet hours: police and administrators only."""
    return can_use_triage_pages(user)


def can_see_alert_figures(user: Any, alert: Alert) -> bool:
    """The author, and whoever could have sent the same alert."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    if alert.author_id == user.pk or is_administrator(user):
        return True
    if alert.audience == Audience.SCHEME:
        return can_message_scheme(user, alert.scheme)
    if alert.audience == Audience.SECTOR:
        return can_alert_sector(user, alert.sector)
    return any(can_alert_neighbourhood(user, n) for n in alert.neighbourhoods.all())

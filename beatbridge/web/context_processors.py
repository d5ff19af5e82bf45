from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from beatbridge.notify.selectors import unread_count


def site(request: HttpRequest) -> dict[str, object]:
    """Values every page needs: the emergency number shown in the header, and how many
    alerts the signed-in person has not read (counted only if the page shows it)."""
    return {
        "EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER,
        "ALERTS_UNREAD": SimpleLazyObject(lambda: unread_count(getattr(request, "user", None))),
    }

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """Values every page needs: the emergency number shown in the header."""
    return {"EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER}

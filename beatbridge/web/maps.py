"""What every page's map script needs to know, in one place (see places/_map.html)."""

from __future__ import annotations

from django.conf import settings


def map_settings(**extra: str) -> dict[str, str]:
    """The optional tile server and its attribution, with any page-specific ``extra``
    (a boundaries URL, a link pattern for features)."""
    return {
        "tiles_url": settings.MAP_TILES_URL,
        "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        **extra,
    }

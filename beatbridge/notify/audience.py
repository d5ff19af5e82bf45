"""Who receives an alert: everyone who follows its places, or the members of its scheme.

A person who follows a neighbourhood hears of alerts for that neighbourhood and of area
alerts whose circle reaches into it. A person who follows a circle around a point (their
street, say) hears of alerts for any neighbourhood the circle reaches into and of area
alerts whose circle meets theirs. Each person is counted once, however many of their
followed places an alert touches.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Max
from shapely.geometry import shape

from beatbridge.notify.models import Alert, Audience, Follow
from beatbridge.places.geo import Bounds, distances_metres, distances_to_boundary, grown_by
from beatbridge.places.models import Neighbourhood
from beatbridge.places.selectors import neighbourhoods_meeting_circle


def recipient_ids(alert: Alert) -> list[int]:
    """The ids of the active people an alert goes to, in ascending order."""
    if alert.audience == Audience.SCHEME:
        from beatbridge.watch.selectors import message_recipient_ids

        found = set(message_recipient_ids(alert.scheme))
    elif alert.audience == Audience.AREA:
        found = _followers_near(alert.latitude, alert.longitude, alert.radius_metres)
    else:
        found = _followers_of(_alert_neighbourhoods(alert))
    return _active(sorted(found))


def _active(user_ids: list[int], chunk: int = 5000) -> list[int]:
    """Those of ``user_ids`` whose accounts are active, asked in chunks (SQLite caps the
    number of values one query may carry)."""
    users = get_user_model().objects
    active: list[int] = []
    for start in range(0, len(user_ids), chunk):
        ids = user_ids[start : start + chunk]
        active += sorted(users.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    return active


def _alert_neighbourhoods(alert: Alert) -> list[Neighbourhood]:
    if alert.audience == Audience.SECTOR:
        return list(Neighbourhood.objects.filter(sector=alert.sector_id))
    return list(alert.neighbourhoods.all())


def _area_follows_in(bounds: Bounds) -> list[tuple]:
    """Area follows whose centre lies in a lon/lat box: (user, latitude, longitude, radius)."""
    west, south, east, north = bounds
    return list(
        Follow.objects.filter(
            neighbourhood__isnull=True,
            latitude__range=(south, north),
            longitude__range=(west, east),
        ).values_list("user_id", "latitude", "longitude", "radius_metres")
    )


def _largest_follow_radius() -> int:
    return Follow.objects.aggregate(largest=Max("radius_metres"))["largest"] or 0


def _followers_of(neighbourhoods: Iterable[Neighbourhood]) -> set[int]:
    neighbourhoods = list(neighbourhoods)
    found = set(
        Follow.objects.filter(neighbourhood__in=neighbourhoods).values_list("user_id", flat=True)
    )
    largest = _largest_follow_radius()
    for neighbourhood in neighbourhoods:
        found |= _area_followers_reaching(neighbourhood, largest)
    return found


def _area_followers_reaching(neighbourhood: Neighbourhood, largest: int) -> set[int]:
    # Every circle that reaches the boundary has its centre within the boundary's box
    # grown by the largest radius anyone follows.
    rows = _area_follows_in(grown_by(shape(neighbourhood.boundary).bounds, largest))
    if not rows:
        return set()
    users, latitudes, longitudes, radii = zip(*rows, strict=True)
    distances = distances_to_boundary(neighbourhood.boundary, latitudes, longitudes)
    return {
        user
        for user, distance, radius in zip(users, distances, radii, strict=True)
        if distance <= radius
    }


def _followers_near(latitude: float, longitude: float, radius: int) -> set[int]:
    found = set(
        Follow.objects.filter(
            neighbourhood__in=neighbourhoods_meeting_circle(latitude, longitude, radius)
        ).values_list("user_id", flat=True)
    )
    point = (longitude, latitude, longitude, latitude)
    rows = _area_follows_in(grown_by(point, radius + _largest_follow_radius()))
    if rows:
        users, latitudes, longitudes, radii = zip(*rows, strict=True)
        distances = distances_metres(latitude, longitude, latitudes, longitudes)
        found |= {
            user
            for user, distance, own_radius in zip(users, distances, radii, strict=True)
            if distance <= radius + own_radius
        }
    return found

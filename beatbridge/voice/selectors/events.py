"""Reads for community events: a neighbourhood's upcoming and past events, one event."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from beatbridge.errors import NotFound, PermissionDenied
from beatbridge.places.models import Neighbourhood
from beatbridge.voice.models import Event, EventPhoto
from beatbridge.voice.permissions import can_manage_any


def _of(neighbourhood: Neighbourhood) -> QuerySet[Event]:
    return Event.objects.filter(neighbourhoods=neighbourhood)


def upcoming_events(neighbourhood: Neighbourhood) -> QuerySet[Event]:
    """Events not yet over, soonest first; cancelled ones too, so nobody turns up to nothing."""
    return _of(neighbourhood).filter(ends_at__gte=timezone.now()).order_by("starts_at", "id")


def past_events(neighbourhood: Neighbourhood) -> QuerySet[Event]:
    """Events that took place, latest first, with their photos."""
    return (
        _of(neighbourhood)
        .filter(ends_at__lt=timezone.now(), is_cancelled=False)
        .prefetch_related("photos")
        .order_by("-starts_at", "-id")
    )


def _event_with_details() -> QuerySet[Event]:
    return Event.objects.prefetch_related(
        "neighbourhoods__force", Prefetch("photos", queryset=EventPhoto.objects.order_by("id"))
    )


def get_event(pk: int) -> Event:
    """An event, for anyone: events are public. NotFound if there is none."""
    event = _event_with_details().filter(pk=pk).first()
    if event is None:
        raise NotFound(_("There is no such event."), field="event")
    return event


def get_event_for_manager(user: Any, pk: int) -> Event:
    """An event its neighbourhoods' teams (and supervisors, administrators) may change.

    NotFound if there is none, PermissionDenied for anyone else.
    """
    event = get_event(pk)
    if not can_manage_any(user, list(event.neighbourhoods.all())):
        raise PermissionDenied(_("Only the neighbourhood's team may change this event."))
    return event


def photo_of_event(event_id: int, photo_id: int) -> EventPhoto:
    """One photo of an event; NotFound for a photo of another event or none."""
    photo = EventPhoto.objects.filter(pk=photo_id, event_id=event_id).first()
    if photo is None:
        raise NotFound(_("There is no such photo."), field="photo")
    return photo


def photo_content_type(photo: EventPhoto) -> str:
    """Photos are stored re-encoded as JPEG, or PNG when part of them is see-through."""
    return "image/png" if photo.image.name.endswith(".png") else "image/jpeg"


def events_co_organised_by(organisations: Any) -> QuerySet[Event]:
    """Events any of these partner organisations co-organise, latest first."""
    return Event.objects.filter(co_organisers__in=organisations).distinct().order_by("-starts_at")

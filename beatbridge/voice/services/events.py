"""Writes for community events: create, change, move, cancel, and photos afterwards.

Each staff action checks who may do it, runs in one transaction with its audit entry,
and tells registrants of a move or a cancellation once (see ``registrations``).
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beatbridge.accounts.models import User
from beatbridge.audit.services import record as audit
from beatbridge.errors import DomainError, PermissionDenied
from beatbridge.places.models import Neighbourhood
from beatbridge.reports.photos import clean_photo
from beatbridge.voice.models import Event, EventKind, EventPhoto, RegistrantMessage
from beatbridge.voice.permissions import can_manage, can_manage_any
from beatbridge.voice.services.registrations import (
    check_capacity,
    check_capacity_change,
    fill_free_places,
    notify_registrants,
)
from beatbridge.web.validation import clean_text

MAX_PHOTOS_PER_EVENT = 30
_TEXT_MAX = 5000


@dataclass
class EventDetails:
    """What the team says about an event; the same for creating and for changing it."""

    title: str
    kind: str
    organiser: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    description: str = ""
    venue_name: str = ""
    address: str = ""
    accessibility: str = ""
    online_url: str = ""
    capacity: int | None = None
    contact_details: str = ""
    # Partner organisations that run it with the team; None leaves them as they are.
    co_organisers: Sequence[Any] | None = None


# What is stored on the event row itself (co-organisers are a relation).
_ROW_FIELDS = tuple(name for name in EventDetails.__dataclass_fields__ if name != "co_organisers")
_PLACE_FIELDS = ("venue_name", "address", "online_url")
_TIME_FIELDS = ("starts_at", "ends_at")


def _clean_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if starts_at is None or timezone.is_naive(starts_at):
        raise DomainError(_("Enter when the event starts."), field="starts_at", code="required")
    if ends_at is None or timezone.is_naive(ends_at):
        raise DomainError(_("Enter when the event ends."), field="ends_at", code="required")
    if starts_at <= timezone.now():
        raise DomainError(
            _("The start must be in the future."), field="starts_at", code="in_the_past"
        )
    if ends_at <= starts_at:
        raise DomainError(_("The end must be after the start."), field="ends_at")


def _check_co_organisers(co_organisers: Sequence[Any] | None, force_id: int) -> None:
    """Co-organisers are active partner organisations of the event's force."""
    for organisation in co_organisers or ():
        if not organisation.is_active or organisation.force_id != force_id:
            raise DomainError(
                _("Choose active partner organisations of the force."), field="co_organisers"
            )


def _set_co_organisers(event: Event, co_organisers: Sequence[Any] | None) -> bool:
    """Store the co-organisers when given; whether they changed."""
    if co_organisers is None:
        return False
    wanted = {organisation.pk for organisation in co_organisers}
    if wanted == set(event.co_organisers.values_list("pk", flat=True)):
        return False
    event.co_organisers.set(list(co_organisers))
    return True


def _clean_details(details: EventDetails, *, check_times: bool) -> EventDetails:
    if details.kind not in EventKind.values:
        raise DomainError(_("Choose what kind of event it is."), field="kind", code="required")
    if check_times:
        _clean_times(details.starts_at, details.ends_at)
    online_url = (details.online_url or "").strip()
    if online_url:
        try:
            URLValidator(schemes=["https", "http"])(online_url)
        except ValidationError:
            raise DomainError(
                _("Enter the online link as a full address, starting https://."),
                field="online_url",
            ) from None
    cleaned = EventDetails(
        title=clean_text(
            details.title, field="title", label=_("a title"), max_length=200, required=True
        ),
        kind=details.kind,
        organiser=clean_text(
            details.organiser,
            field="organiser",
            label=_("who organises it"),
            max_length=200,
            required=True,
        ),
        starts_at=details.starts_at,
        ends_at=details.ends_at,
        description=clean_text(
            details.description,
            field="description",
            label=_("the description"),
            max_length=_TEXT_MAX,
        ),
        venue_name=clean_text(
            details.venue_name, field="venue_name", label=_("the venue"), max_length=200
        ),
        address=clean_text(
            details.address, field="address", label=_("the address"), max_length=300
        ),
        accessibility=clean_text(
            details.accessibility,
            field="accessibility",
            label=_("the accessibility information"),
            max_length=_TEXT_MAX,
        ),
        online_url=online_url,
        capacity=details.capacity,
        contact_details=clean_text(
            details.contact_details,
            field="contact_details",
            label=_("the contact details"),
            max_length=300,
        ),
        co_organisers=details.co_organisers,
    )
    if not (cleaned.venue_name or cleaned.address or cleaned.online_url):
        raise DomainError(
            _("Say where the event is: a venue, an address or an online link."),
            field="venue_name",
            code="required",
        )
    check_capacity(cleaned.capacity)
    return cleaned


def _lock(event: Event, by: User) -> Event:
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if not can_manage_any(by, list(locked.neighbourhoods.all())):
        raise PermissionDenied(_("Only the neighbourhood's team may change this event."))
    return locked


def _refuse_if_over(event: Event) -> None:
    if event.is_cancelled:
        raise DomainError(_("This event has been cancelled."), field=None, code="cancelled")
    if event.is_past:
        raise DomainError(_("This event has already taken place."), field=None, code="past")


def _moved_about(event: Event) -> str:
    """What identifies the new time and place, so each move is announced exactly once."""
    where = "\n".join(getattr(event, name) for name in _PLACE_FIELDS)
    digest = hashlib.sha256(where.encode()).hexdigest()[:12]
    return f"{event.starts_at:%Y%m%dT%H%M%z}-{event.ends_at:%Y%m%dT%H%M}-{digest}"


def create_event(
    *,
    by: User,
    neighbourhoods: Sequence[Neighbourhood],
    details: EventDetails,
    language: str = "",
) -> Event:
    """Put an event on the pages of one or more neighbourhoods.

    Only someone who may manage every one of them: their team, supervisors, administrators.
    The event must start in the future and end after it starts, and say where it is.
    ``language`` is the language the text is written in.
    """
    if not neighbourhoods:
        raise DomainError(
            _("Choose the neighbourhood the event is for."), field="neighbourhoods", code="required"
        )
    if not all(can_manage(by, neighbourhood) for neighbourhood in neighbourhoods):
        raise PermissionDenied(_("Only the neighbourhood's team may add its events."))
    details = _clean_details(details, check_times=True)
    _check_co_organisers(details.co_organisers, neighbourhoods[0].force_id)
    with transaction.atomic():
        event = Event.objects.create(
            **{name: getattr(details, name) for name in _ROW_FIELDS},
            created_by=by,
            original_language=(language or "")[:16],
        )
        event.neighbourhoods.set(neighbourhoods)
        _set_co_organisers(event, details.co_organisers)
        audit(actor=by, action="event.created", target=event)
    return event


def update_event(*, event: Event, by: User, details: EventDetails) -> Event:
    """Change what an event says. A new time or place is a move: registrants are told.

    A capacity below the places already taken is refused; a higher one gives places
    to the waiting list.
    """
    with transaction.atomic():
        event = _lock(event, by)
        _refuse_if_over(event)
        times_changed = any(getattr(details, f) != getattr(event, f) for f in _TIME_FIELDS)
        details = _clean_details(details, check_times=times_changed)
        check_capacity_change(event, details.capacity)
        force_id = event.neighbourhoods.values_list("force_id", flat=True).first()
        _check_co_organisers(details.co_organisers, force_id)
        changed = [name for name in _ROW_FIELDS if getattr(event, name) != getattr(details, name)]
        if _set_co_organisers(event, details.co_organisers):
            audit(actor=by, action="event.co_organisers_changed", target=event)
        if not changed:
            return event
        for name in changed:
            setattr(event, name, getattr(details, name))
        event.save(update_fields=[*changed, "updated_at"])
        audit(actor=by, action="event.updated", target=event, detail={"fields": changed})
        if set(changed) & {*_TIME_FIELDS, *_PLACE_FIELDS}:
            notify_registrants(
                gathering=event, message=RegistrantMessage.MOVED, about=_moved_about(event)
            )
        if "capacity" in changed:
            fill_free_places(gathering=event)
    return event


def move_event(
    *,
    event: Event,
    by: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    venue_name: str | None = None,
    address: str | None = None,
) -> Event:
    """Move an event to another time (and place, when given); registrants are told once."""
    details = EventDetails(**{name: getattr(event, name) for name in _ROW_FIELDS})
    details.starts_at, details.ends_at = starts_at, ends_at
    if venue_name is not None:
        details.venue_name = venue_name
    if address is not None:
        details.address = address
    return update_event(event=event, by=by, details=details)


def cancel_event(*, event: Event, by: User, reason: str) -> Event:
    """Call an event off with a reason everyone registered is sent, once."""
    reason = clean_text(
        reason, field="reason", label=_("a reason"), max_length=_TEXT_MAX, required=True
    )
    with transaction.atomic():
        event = _lock(event, by)
        _refuse_if_over(event)
        event.is_cancelled = True
        event.cancellation_reason = reason
        event.save(update_fields=["is_cancelled", "cancellation_reason", "updated_at"])
        audit(actor=by, action="event.cancelled", target=event)
        notify_registrants(gathering=event, message=RegistrantMessage.CANCELLED)
    return event


def add_event_photo(*, event: Event, by: User, upload: Any, caption: str = "") -> EventPhoto:
    """Add a photo once the event is over; it is public, so it is stored without metadata.

    The photo is checked by its content and re-encoded (``reports.photos.clean_photo``).
    """
    caption = clean_text(caption, field="caption", label=_("the caption"), max_length=300)
    photo = clean_photo(upload, field="photo")
    with transaction.atomic():
        event = _lock(event, by)
        if event.is_cancelled:
            raise DomainError(_("This event was cancelled."), field="photo", code="cancelled")
        if not event.is_past:
            raise DomainError(
                _("Photos can be added once the event is over."), field="photo", code="not_over"
            )
        if event.photos.count() >= MAX_PHOTOS_PER_EVENT:
            raise DomainError(
                _("An event can have at most %(count)d photos.") % {"count": MAX_PHOTOS_PER_EVENT},
                field="photo",
                code="too_many_photos",
            )
        stored = EventPhoto(event=event, caption=caption, width=photo.width, height=photo.height)
        stored.image.save(
            f"{uuid.uuid4().hex}.{photo.extension}", ContentFile(photo.content), save=False
        )
        try:
            stored.save()
            audit(actor=by, action="event.photo_added", target=event, detail={"photo": stored.pk})
        except Exception:
            # The row was not written: leave no file behind it.
            stored.image.delete(save=False)
            raise
    return stored

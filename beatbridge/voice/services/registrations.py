"""Writes for registrations to meetings and events: RSVP, cancel, waiting list, messages.

Every change locks the gathering's row first, so two people taking the last place never
both get it and a waiting list is promoted in order. Each message to a registrant is a
``RegistrantNotification`` row written in the same transaction as the change it
announces, unique per registration, message and ``about``, and sent after commit by
``beatbridge.notify.delivery``: nobody hears twice about one thing, nothing is lost.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beatbridge import limits
from beatbridge.accounts.models import User
from beatbridge.errors import DomainError, NotFound
from beatbridge.notify import delivery
from beatbridge.voice.models import (
    Event,
    Meeting,
    RegistrantMessage,
    RegistrantNotification,
    Registration,
    RegistrationStatus,
)
from beatbridge.voice.permissions import is_signed_in

Gathering = Meeting | Event

ACTIVE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)
# Registrations by e-mail (no account) one client may make in an hour: enough for a family
# or a community centre's front desk, too few to fill an event with invented addresses.
REGISTRATIONS_PER_CLIENT_PER_HOUR = 20


MAX_CAPACITY = 100_000


def check_capacity_change(gathering: Any, capacity: int | None) -> None:
    """A new capacity may not leave out people who already have a place."""
    from beatbridge.voice.selectors.registrations import availability_of

    check_capacity(capacity)
    confirmed = availability_of(gathering).confirmed
    if capacity is not None and capacity < confirmed:
        raise DomainError(
            _("%(count)d people already have a place: the capacity cannot be lower.")
            % {"count": confirmed},
            field="capacity",
        )


def check_capacity(capacity: int | None) -> None:
    """A gathering's capacity: blank for no limit, else between 1 and ``MAX_CAPACITY``."""
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        raise DomainError(
            _("The capacity is between 1 and %(max)d; leave it blank for no limit.")
            % {"max": MAX_CAPACITY},
            field="capacity",
        )


def _gathering_field(gathering: Gathering) -> str:
    """The registration's foreign key that points at this kind of gathering."""
    return "meeting" if isinstance(gathering, Meeting) else "event"


def _lock(gathering: Gathering) -> Gathering:
    """The gathering's row, locked until the transaction ends, as it is now."""
    return type(gathering)._default_manager.select_for_update().get(pk=gathering.pk)


def _clean_language(language: str) -> str:
    code = (language or "").split("-")[0].lower()
    return code if code in {known for known, _name in settings.LANGUAGES} else ""


def _clean_email(email: str) -> str:
    address = (email or "").strip().lower()
    if not address:
        raise DomainError(
            _("Enter your e-mail address, so we can confirm your place."),
            field="email",
            code="required",
        )
    try:
        validate_email(address)
    except ValidationError:
        raise DomainError(
            _("Enter an e-mail address in the form name@example.org."), field="email"
        ) from None
    if len(address) > Registration._meta.get_field("email").max_length:
        raise DomainError(_("This e-mail address is too long."), field="email", code="too_long")
    return address


def _clean_name(name: str) -> str:
    text = (name or "").strip()
    if len(text) > Registration._meta.get_field("name").max_length:
        raise DomainError(
            _("The name is too long: at most %(max)d characters.") % {"max": 150},
            field="name",
            code="too_long",
        )
    return text


def _refuse_if_closed(gathering: Gathering) -> None:
    if gathering.is_cancelled:
        raise DomainError(
            _("This has been cancelled: registration is closed."), field=None, code="cancelled"
        )
    if gathering.is_past:
        raise DomainError(
            _("This has already taken place: registration is closed."), field=None, code="past"
        )


def _queue(registration: Registration, message: str, about: str = "") -> bool:
    """Write one message to a registrant unless it was written before; True if it was new."""
    from beatbridge.voice import notifications

    notification, created = RegistrantNotification.objects.get_or_create(
        registration=registration, message=message, about=about
    )
    if created:
        delivery.queue(notifications.channel(), notification)
    return created


def _confirmed_count(gathering: Gathering) -> int:
    return gathering.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def _has_room(gathering: Gathering) -> bool:
    return gathering.capacity is None or _confirmed_count(gathering) < gathering.capacity


def _fill_free_places(gathering: Gathering) -> list[Registration]:
    """Confirm people from the waiting list, first come first served, while places are free.

    The caller holds the gathering's lock.
    """
    if gathering.is_cancelled or gathering.is_past:
        return []
    waiting = gathering.registrations.filter(status=RegistrationStatus.WAITING).order_by(
        "created_at", "id"
    )
    if gathering.capacity is not None:
        free = gathering.capacity - _confirmed_count(gathering)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    now = timezone.now()
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status"])
        # A person may be promoted again after cancelling and queueing once more.
        _queue(registration, RegistrantMessage.PROMOTED, about=now.isoformat())
    return promoted


def register(
    *,
    gathering: Gathering,
    user: User | None = None,
    email: str = "",
    name: str = "",
    language: str = "",
    client_address: str | None = None,
) -> Registration:
    """Register someone for a meeting or an event: a signed-in account, or an e-mail address.

    Refused for a cancelled gathering or one that has ended. Once every place is taken,
    people join the waiting list in the order they came. A second call for the same
    person (account or address) returns their registration; one they had cancelled is
    made active again, at the end of the waiting list if the places are gone. Sends a
    "confirmed" message, which says whether they have a place or are waiting.
    ``client_address`` limits registrations by e-mail from one client (pages and API
    pass it; a test or the demo need not).
    """
    account = user if is_signed_in(user) else None
    address = "" if account is not None else _clean_email(email)
    name = _clean_name(name)
    language = _clean_language(language)
    field = _gathering_field(gathering)
    identity = {"user": account} if account is not None else {"user": None, "email": address}
    attempts = (
        [
            limits.counter(
                "registration",
                "client",
                REGISTRATIONS_PER_CLIENT_PER_HOUR,
                limits.client_of(client_address),
                window_seconds=3600,
            )
        ]
        if account is None and client_address is not None
        else []
    )
    with transaction.atomic():
        gathering = _lock(gathering)
        existing = Registration.objects.filter(**{field: gathering}, **identity).first()
        if existing is not None and existing.status in ACTIVE_STATUSES:
            return existing
        _refuse_if_closed(gathering)
        limits.refuse_over_limit(
            attempts,
            message=_("Too many registrations were made from here in the last hour. Try later."),
            field=None,
        )
        # Nobody jumps the queue: while anyone is waiting, newcomers wait behind them.
        has_queue = gathering.registrations.filter(status=RegistrationStatus.WAITING).exists()
        status = (
            RegistrationStatus.CONFIRMED
            if _has_room(gathering) and not has_queue
            else RegistrationStatus.WAITING
        )
        now = timezone.now()
        if existing is None:
            registration = Registration.objects.create(
                **{field: gathering},
                **identity,
                name=name,
                language=language or (account.preferred_language if account else ""),
                status=status,
                created_at=now,
            )
            about = ""
        else:
            # Back at the end of the queue, as anyone registering now would be.
            registration = existing
            registration.status = status
            registration.created_at = now
            registration.cancelled_at = None
            registration.reminded_at = None
            registration.name = name or registration.name
            registration.language = language or registration.language
            registration.save(
                update_fields=[
                    "status",
                    "created_at",
                    "cancelled_at",
                    "reminded_at",
                    "name",
                    "language",
                ]
            )
            about = now.isoformat()
        # One "registration received" message: it says whether they have a place or are
        # waiting, as things stand when it is sent.
        _queue(registration, RegistrantMessage.CONFIRMED, about=about)
    if account is None:
        limits.count_attempt(attempts)
    return registration


def cancel_registration(*, registration: Registration) -> Registration:
    """Give up a place (or a place on the waiting list); the first person waiting gets it.

    Cancelling twice changes nothing. A gathering that has ended keeps its record.
    """
    with transaction.atomic():
        gathering = _lock(registration.gathering)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        if gathering.is_past:
            raise DomainError(
                _("This has already taken place: the registration can no longer be cancelled."),
                field=None,
                code="past",
            )
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        _fill_free_places(gathering)
    return registration


def fill_free_places(*, gathering: Gathering) -> list[Registration]:
    """Confirm people waiting for places that came free (after the capacity was raised, say)."""
    with transaction.atomic():
        return _fill_free_places(_lock(gathering))


def notify_registrants(*, gathering: Gathering, message: str, about: str = "") -> int:
    """Write ``message`` to everyone registered (coming or waiting); returns how many.

    Once per registration, message and ``about`` (say, the new start time of a move):
    calling again sends nothing twice. After a move, registrants are reminded again
    nearer the new time.
    """
    if message not in RegistrantMessage.values:
        raise ValueError(f"Unknown registrant message {message!r}.")
    with transaction.atomic():
        gathering = _lock(gathering)
        active = gathering.registrations.filter(status__in=ACTIVE_STATUSES)
        if message == RegistrantMessage.MOVED:
            active.update(reminded_at=None)
        return sum(_queue(registration, message, about) for registration in active)


def registration_by_token(token: str) -> Registration:
    """The registration a link stands for; NotFound for any other token."""
    found = (
        Registration.objects.select_related("meeting", "event").filter(token=token).first()
        if token and len(token) <= 64
        else None
    )
    if found is None:
        raise NotFound(
            _("This link is not valid. Use the latest e-mail we sent you."), field="token"
        )
    return found


def _due_for_reminder(now: datetime.datetime, ahead: datetime.timedelta) -> Iterable[int]:
    due = Registration.objects.filter(status=RegistrationStatus.CONFIRMED, reminded_at=None)
    window = {"starts_at__gt": now, "starts_at__lte": now + ahead, "is_cancelled": False}
    meetings = due.filter(**{f"meeting__{key}": value for key, value in window.items()})
    events = due.filter(**{f"event__{key}": value for key, value in window.items()})
    return list(meetings.values_list("pk", flat=True)) + list(events.values_list("pk", flat=True))


def send_due_reminders(
    *,
    now: datetime.datetime | None = None,
    ahead: datetime.timedelta = datetime.timedelta(hours=24),
) -> int:
    """Remind everyone coming to a meeting or event that starts within ``ahead``; returns how many.

    Once per registration (``reminded_at``), even when two runs overlap; the messages go
    out through the task queue.
    """
    now = now or timezone.now()
    sent = 0
    for registration_id in _due_for_reminder(now, ahead):
        with transaction.atomic():
            # The conditional update is the claim: of two overlapping runs, one wins.
            if not Registration.objects.filter(pk=registration_id, reminded_at=None).update(
                reminded_at=now
            ):
                continue
            registration = Registration.objects.select_related("meeting", "event").get(
                pk=registration_id
            )
            sent += _queue(
                registration,
                RegistrantMessage.REMINDER,
                about=registration.gathering.starts_at.isoformat(),
            )
    return sent

"""Reads for registrations: who is coming to a gathering, how many places are left, mine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from beatbridge.voice.models import Event, Meeting, Registration, RegistrationStatus
from beatbridge.voice.permissions import is_signed_in


@dataclass(frozen=True)
class Availability:
    capacity: int | None
    confirmed: int
    waiting: int

    @property
    def places_left(self) -> int | None:
        """None when there is no limit."""
        return None if self.capacity is None else max(self.capacity - self.confirmed, 0)

    @property
    def is_full(self) -> bool:
        """New registrations join the waiting list."""
        return self.waiting > 0 or self.places_left == 0


def availability_of(gathering: Meeting | Event) -> Availability:
    """How many are coming and waiting, in one query."""
    counts = gathering.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
    )
    return Availability(gathering.capacity, counts["confirmed"], counts["waiting"])


def registrations_of(gathering: Meeting | Event) -> QuerySet[Registration]:
    """Everyone who registered, for the team: coming, then waiting in order, then cancelled."""
    order = {
        RegistrationStatus.CONFIRMED: 0,
        RegistrationStatus.WAITING: 1,
        RegistrationStatus.CANCELLED: 2,
    }

    return (
        gathering.registrations.select_related("user")
        .annotate(
            rank=Case(
                *(When(status=status, then=Value(rank)) for status, rank in order.items()),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "created_at", "id")
    )


def registration_of(gathering: Meeting | Event, user: Any) -> Registration | None:
    """A signed-in person's registration for a gathering, if any (cancelled ones too)."""
    if not is_signed_in(user):
        return None
    return gathering.registrations.filter(user=user).first()


def registrations_of_person(user: Any) -> QuerySet[Registration]:
    """What a signed-in person registered for and has not cancelled, in time order."""
    if not is_signed_in(user):
        return Registration.objects.none()
    return (
        Registration.objects.filter(user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("meeting", "event")
        .annotate(starts_at=Coalesce("meeting__starts_at", "event__starts_at"))
        .order_by("starts_at", "id")
    )

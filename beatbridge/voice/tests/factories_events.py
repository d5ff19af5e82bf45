"""Factories for events and registrations (meetings have their own)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from beatbridge.voice.models import Event, EventKind, Registration


class EventFactory(factory.django.DjangoModelFactory):
    """An event a week from now; pass ``neighbourhoods=[...]`` to place it."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Block party {n}")
    description = "Food, music and the team."
    kind = EventKind.BLOCK_PARTY
    organiser = "Fremont team"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + datetime.timedelta(hours=3))
    venue_name = "Troll Park"
    address = "N 36th St"
    accessibility = "Step-free access."
    original_language = "en"

    @factory.post_generation
    def neighbourhoods(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.neighbourhoods.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    email = factory.Sequence(lambda n: f"guest{n}@example.org")

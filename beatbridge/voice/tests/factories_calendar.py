"""Factories for the calendar, police.uk and export tests."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.places.tests.factories import NeighbourhoodFactory
from beatbridge.voice.models import (
    ActionItem,
    Attendance,
    CalendarFeed,
    Cycle,
    Event,
    EventKind,
    Meeting,
    MeetingKind,
    NamedAttendee,
    Priority,
    PrioritySource,
    Registration,
    Vote,
    VoteMethod,
)


def _in_days(days: int, hour: int = 19) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class _GatheringFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Gathering {n}")
    description = "Come and talk to your team."
    starts_at = factory.LazyFunction(lambda: _in_days(7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=90))
    venue_name = "Fremont Library"
    address = "731 N 35th St"

    @factory.post_generation
    def neighbourhoods(self, create, extracted, **kwargs):
        if create and extracted:
            self.neighbourhoods.set(extracted)


class MeetingFactory(_GatheringFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    kind = MeetingKind.BEAT


class EventFactory(_GatheringFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    kind = EventKind.CLEAN_UP
    organiser = "Fremont team"


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    title = factory.Sequence(lambda n: f"Cycle {n}")
    starts_on = datetime.date(2025, 1, 1)
    voting_opens_on = datetime.date(2025, 1, 15)
    voting_closes_on = datetime.date(2025, 1, 31)
    ends_on = datetime.date(2025, 3, 31)


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    cycle = factory.SubFactory(CycleFactory)
    title = factory.Sequence(lambda n: f"Problem {n}")
    source = PrioritySource.RESIDENT


class OnlineVoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    priority = factory.SubFactory(PriorityFactory)
    method = VoteMethod.ONLINE
    voter = factory.SubFactory(UserFactory)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    user = factory.SubFactory(UserFactory)


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarFeed

    user = factory.SubFactory(UserFactory)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    count = 10


class NamedAttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NamedAttendee

    name = factory.Sequence(lambda n: f"Named Person {n}")


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    text = factory.Sequence(lambda n: f"Action {n}")
    owner = "Sgt Ruiz"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))

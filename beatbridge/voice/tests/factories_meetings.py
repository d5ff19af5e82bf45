"""Factories for meetings and what is recorded at them."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from beatbridge.voice.models import ActionItem, Meeting, MeetingKind, Question, RaisedConcern


def in_days(days: float, hour: int = 19) -> datetime.datetime:
    """A moment ``days`` from now at ``hour`` local time (past when negative)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class MeetingFactory(factory.django.DjangoModelFactory):
    """A beat meeting a week from now; pass ``neighbourhoods=[...]`` to place it."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Beat meeting {n}")
    kind = MeetingKind.BEAT
    starts_at = factory.LazyFunction(lambda: in_days(7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=90))
    venue_name = "Fremont Library"
    address = "731 N 35th St"
    original_language = "en"

    @factory.post_generation
    def neighbourhoods(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.neighbourhoods.set(extracted)


class PastMeetingFactory(MeetingFactory):
    starts_at = factory.LazyFunction(lambda: in_days(-7))


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Question {n}: what about the speeding?")


class RaisedConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RaisedConcern

    meeting = factory.SubFactory(PastMeetingFactory)
    text = "Cars speed on N 36th St by the school at 8am."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(PastMeetingFactory)
    text = factory.Sequence(lambda n: f"Action {n}")
    owner = "Sgt Ruiz"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    original_language = "en"

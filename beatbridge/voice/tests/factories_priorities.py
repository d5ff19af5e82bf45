"""Factories for priority cycles, candidates, votes and residencies."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from beatbridge.accounts.tests.factories import (
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.places.tests.factories import NeighbourhoodFactory
from beatbridge.voice.models import (
    Cycle,
    Meeting,
    MeetingKind,
    Priority,
    PrioritySource,
    Residency,
    Vote,
    VoteMethod,
)


def _today() -> datetime.date:
    return timezone.localdate()


class CycleFactory(factory.django.DjangoModelFactory):
    """A cycle taking proposals today; ``phase`` picks another phase around today."""

    class Meta:
        model = Cycle

    class Params:
        phase = "proposing"

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    title = factory.Sequence(lambda n: f"Cycle {n}")
    starts_on = factory.LazyAttribute(
        lambda o: (
            _today()
            + datetime.timedelta(
                days={
                    "upcoming": 5,
                    "proposing": -5,
                    "voting": -20,
                    "deciding": -40,
                    "closed": -90,
                }[o.phase]
            )
        )
    )
    voting_opens_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=14))
    voting_closes_on = factory.LazyAttribute(
        lambda o: o.voting_opens_on + datetime.timedelta(days=14)
    )
    ends_on = factory.LazyAttribute(lambda o: o.voting_closes_on + datetime.timedelta(days=30))


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    cycle = factory.SubFactory(CycleFactory)
    title = factory.Sequence(lambda n: f"Speeding on street {n} by the school")
    source = PrioritySource.RESIDENT
    proposed_by = factory.SubFactory(UserFactory)
    original_language = "en"


class ResidencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Residency

    user = factory.SubFactory(UserFactory)
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)


class OnlineVoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    priority = factory.SubFactory(PriorityFactory)
    method = VoteMethod.ONLINE
    voter = factory.SubFactory(UserFactory)


def resident_of(neighbourhood: Any, *, verified: bool = False, **user: Any) -> Any:
    """A resident account with a declared (and, if asked, verified) residency."""
    person = UserFactory(**user)
    ResidencyFactory(
        user=person,
        neighbourhood=neighbourhood,
        verified_at=timezone.now() if verified else None,
    )
    return person


def officer_of(neighbourhood: Any) -> Any:
    """A user now serving on the neighbourhood's team."""
    return TeamAssignmentFactory(
        neighbourhood=neighbourhood, officer__force=neighbourhood.force
    ).officer.user


def supervisor_of(force: Any) -> Any:
    return OfficerProfileFactory(force=force, supervisor=True).user


def meeting_of(neighbourhood: Any, day: datetime.date, **fields: Any) -> Meeting:
    """A beat meeting of the neighbourhood at 7pm local time on ``day``."""
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(19)))
    meeting = Meeting.objects.create(
        title=fields.pop("title", "Beat meeting"),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1, minutes=30),
        kind=MeetingKind.BEAT,
        **fields,
    )
    meeting.neighbourhoods.add(neighbourhood)
    return meeting

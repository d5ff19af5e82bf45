"""Factories for watch. They write rows directly; tests of the rules go through services."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.places.tests.factories import NeighbourhoodFactory
from beatbridge.watch.models import (
    MemberRole,
    Membership,
    MembershipStatus,
    RotaSlot,
    Scheme,
    SchemeStatus,
)


class SchemeFactory(factory.django.DjangoModelFactory):
    """An active scheme covering one street."""

    class Meta:
        model = Scheme

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    name = factory.Sequence(lambda n: f"Street watch {n}")
    description = "Neighbours looking out for each other."
    streets = factory.LazyFunction(lambda: ["Elm Road"])
    status = SchemeStatus.ACTIVE
    proposed_by = factory.SubFactory(UserFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    """An approved plain member; pass role=MemberRole.COORDINATOR for a coordinator."""

    class Meta:
        model = Membership

    scheme = factory.SubFactory(SchemeFactory)
    user = factory.SubFactory(UserFactory)
    role = MemberRole.MEMBER
    status = MembershipStatus.APPROVED


class RotaSlotFactory(factory.django.DjangoModelFactory):
    """A two-hour slot tomorrow for two people."""

    class Meta:
        model = RotaSlot

    scheme = factory.SubFactory(SchemeFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    places = 2
    created_by = factory.SubFactory(UserFactory)

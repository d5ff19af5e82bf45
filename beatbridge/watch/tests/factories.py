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
        skip_postgeneration_save = True

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    name = factory.Sequence(lambda n: f"Street watch {n}")
    description = "Neighbours looking out for each other."
    streets = factory.LazyFunction(lambda: ["Elm Road"])
    status = SchemeStatus.ACTIVE
    proposed_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def proposer_waits(self, create: bool, extracted: object, **kwargs: object) -> None:
        """A proposal has its proposer's request to coordinate it, as propose_scheme makes."""
        if create and self.status == SchemeStatus.PROPOSED:
            Membership.objects.get_or_create(
                scheme=self,
                user=self.proposed_by,
                defaults={"role": MemberRole.COORDINATOR, "status": MembershipStatus.REQUESTED},
            )


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

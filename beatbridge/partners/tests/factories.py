"""Factories for partners: rows written directly; the rules are tested through services."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.partners.models import (
    Contact,
    Engagement,
    EngagementKind,
    FollowUp,
    Organisation,
    OrganisationKind,
    RaisedConcern,
)
from beatbridge.places.tests.factories import ForceFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"partner-{n}")
    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = OrganisationKind.SCHOOL
    force = factory.SubFactory(ForceFactory)
    languages = factory.LazyFunction(lambda: ["en"])


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory, role="partner")


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    organisation = factory.SubFactory(OrganisationFactory)
    officer = factory.SubFactory(UserFactory, role="liaison_officer")
    kind = EngagementKind.MEETING
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    summary = "Talked about the school gate."
    internal_note = "Head teacher seemed worried about the new caretaker."


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RaisedConcern

    engagement = factory.SubFactory(EngagementFactory)
    description = "Cars parked on the zig-zags at pick-up time."


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    engagement = factory.SubFactory(EngagementFactory)
    description = "Send a PCSO at pick-up time"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=3))
    owner = factory.SelfAttribute("engagement.officer")

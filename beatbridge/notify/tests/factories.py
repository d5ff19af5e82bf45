"""Factories for notify. ``AlertFactory`` writes an alert row directly (no permission check,
no fan-out); tests of the rules that guard sending go through ``services.send_alert``."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.notify.models import (
    Alert,
    AlertCategory,
    AlertDelivery,
    Audience,
    Channel,
    Follow,
    Preferences,
    Severity,
)
from beatbridge.places.tests.factories import NeighbourhoodFactory


class AlertFactory(factory.django.DjangoModelFactory):
    """A warning to the followers of one neighbourhood; pass ``neighbourhoods=[...]``."""

    class Meta:
        model = Alert
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)
    severity = Severity.WARNING
    category = AlertCategory.CRIME
    title = "Break-ins on Elm Road"
    message = "Lock your doors and sheds tonight."
    audience = Audience.NEIGHBOURHOODS
    original_language = "en"
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))

    @factory.post_generation
    def neighbourhoods(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.neighbourhoods.set(extracted)


class FollowFactory(factory.django.DjangoModelFactory):
    """A neighbourhood follow; ``FollowFactory(area=True, latitude=..., longitude=...)`` for
    a circle around a point."""

    class Meta:
        model = Follow

    user = factory.SubFactory(UserFactory)
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)

    class Params:
        area = factory.Trait(
            neighbourhood=None, latitude=47.655, longitude=-122.345, radius_metres=300
        )


class PreferencesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Preferences
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)

    class Params:
        sms = factory.Trait(sms_enabled=True, phone_number="+447700900123")


class AlertDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlertDelivery

    alert = factory.SubFactory(AlertFactory)
    recipient = factory.SubFactory(UserFactory)
    channel = Channel.EMAIL
    language = "en"

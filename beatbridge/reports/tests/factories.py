"""Factories for reports. ``ReportFactory`` writes rows directly; tests of the rules that
guard a submission go through ``services.submit_report`` instead."""

from __future__ import annotations

import factory

from beatbridge.places.tests.factories import ForceFactory
from beatbridge.reports.models import (
    Category,
    CategoryKind,
    CategoryQuestion,
    QuestionType,
    Report,
    ReportKind,
    ReportUpdate,
    Source,
    UpdateKind,
)
from beatbridge.reports.services import public_point


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("force", "code")

    force = factory.SubFactory(ForceFactory)
    code = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")
    description = "Something in the street that needs the team's attention."
    group = "Streets"
    kind = CategoryKind.CONCERN

    class Params:
        suspicious = factory.Trait(kind=CategoryKind.SUSPICIOUS_ACTIVITY, group="Crime")
        sensitive = factory.Trait(is_sensitive=True)


class CategoryQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryQuestion

    category = factory.SubFactory(CategoryFactory)
    code = factory.Sequence(lambda n: f"question-{n}")
    prompt = factory.Sequence(lambda n: f"Question {n}?")
    datatype = QuestionType.STRING


class ReportFactory(factory.django.DjangoModelFactory):
    """A concern at a point; pass ``neighbourhood`` and a point inside it for located reports."""

    class Meta:
        model = Report

    reference = factory.Sequence(lambda n: f"T{n:07d}")
    kind = ReportKind.CONCERN
    category = factory.SubFactory(CategoryFactory)
    force = factory.SelfAttribute("category.force")
    description = "Broken street light by the bus stop; the corner is dark at night."
    latitude = 47.655
    longitude = -122.345
    public_latitude = factory.LazyAttribute(
        lambda o: public_point(o.latitude, o.longitude)[0] if o.latitude is not None else None
    )
    public_longitude = factory.LazyAttribute(
        lambda o: public_point(o.latitude, o.longitude)[1] if o.latitude is not None else None
    )
    source = Source.WEB


class ReportUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportUpdate

    report = factory.SubFactory(ReportFactory)
    kind = UpdateKind.PUBLIC
    text = "We have asked the city to fix the light."
    is_public = True

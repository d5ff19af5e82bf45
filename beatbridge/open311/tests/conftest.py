"""Fixtures for the Open311 tests: a client's key, public and hidden reports, schemas."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
from django.utils import timezone
from referencing import Registry
from referencing.jsonschema import DRAFT7

from beatbridge.open311 import services
from beatbridge.reports.models import ReportKind, Status
from beatbridge.reports.tests.factories import (
    CategoryFactory,
    CategoryQuestionFactory,
    ReportFactory,
    ReportUpdateFactory,
)

SCHEMAS = Path(__file__).parent / "schemas"
BASE = "/open311/v2/"


def _registry() -> Registry:
    resources = [
        (path.name, DRAFT7.create_resource(json.loads(path.read_text())))
        for path in SCHEMAS.glob("*.json")
    ]
    return Registry().with_resources(resources)


def assert_matches_schema(data: object, schema_name: str) -> None:
    """Valid against the Open311 schema, and every datetime carries its zone."""
    schema = json.loads((SCHEMAS / schema_name).read_text())
    validator = jsonschema.Draft7Validator(
        schema, registry=_registry(), format_checker=jsonschema.FormatChecker()
    )
    validator.validate(data)
    for item in data if isinstance(data, list) else [data]:
        for name in ("requested_datetime", "updated_datetime"):
            if item.get(name) is not None:
                assert datetime.datetime.fromisoformat(item[name]).tzinfo is not None


def xml_of(response) -> ElementTree.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    # Our own server's answer in a test: no entity tricks to defend against.
    return ElementTree.fromstring(response.content)  # noqa: S314


@pytest.fixture
def api_key(db) -> str:
    return services.issue_api_key(name="Seattle 311 app").key


@pytest.fixture
def direction(street_light):
    """A choice question and a multiple-choice one on the street-light service."""
    CategoryQuestionFactory(
        category=street_light,
        code="side",
        prompt="Which side of the street?",
        help_text="Facing north",
        datatype="singlevaluelist",
        choices=[{"key": "east", "name": "East side"}, {"key": "west", "name": "West side"}],
        position=1,
    )
    CategoryQuestionFactory(
        category=street_light,
        code="problems",
        prompt="What is wrong?",
        datatype="multivaluelist",
        required=True,
        choices=[{"key": "dark", "name": "Dark"}, {"key": "flicker", "name": "Flickers"}],
        position=2,
    )
    return street_light


@pytest.fixture
def reports(force, fremont, street_light):
    """A public open and closed report, and one of each kind the public must never see."""
    now = timezone.now()
    graffiti = CategoryFactory(force=force, code="graffiti", name="Graffiti")
    sensitive = CategoryFactory(force=force, code="drugs", name="Drug dealing", sensitive=True)
    suspicious = CategoryFactory(force=force, code="suspicious", suspicious=True)
    found = {
        "open": ReportFactory(
            reference="OPEN0001",
            category=street_light,
            neighbourhood=fremont,
            address="1 Troll Avenue N",
            contact_name="Dana Reporter",
            contact_email="dana@example.org",
            created_at=now - datetime.timedelta(days=2),
        ),
        "closed": ReportFactory(
            reference="SHUT0001",
            category=graffiti,
            neighbourhood=fremont,
            status=Status.RESOLVED,
            created_at=now - datetime.timedelta(days=5),
            resolved_at=now - datetime.timedelta(days=1),
        ),
        "old": ReportFactory(
            reference="OLD00001",
            category=graffiti,
            neighbourhood=fremont,
            created_at=now - datetime.timedelta(days=120),
        ),
        "sensitive": ReportFactory(reference="SENS0001", category=sensitive, neighbourhood=fremont),
        "private": ReportFactory(
            reference="PRIV0001", category=street_light, neighbourhood=fremont, is_private=True
        ),
        "tip": ReportFactory(
            reference="TIPS0001", category=street_light, neighbourhood=fremont, kind=ReportKind.TIP
        ),
        "suspicious": ReportFactory(
            reference="SUSP0001",
            category=suspicious,
            neighbourhood=fremont,
            kind=ReportKind.SUSPICIOUS_ACTIVITY,
        ),
    }
    ReportUpdateFactory(report=found["open"], text="We have asked the city to fix the light.")
    ReportUpdateFactory(
        report=found["open"], kind="note", is_public=False, text="Internal: caller sounded upset."
    )
    return found

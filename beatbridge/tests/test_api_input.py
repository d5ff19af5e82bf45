"""Every API refuses a NUL character with a 400 naming the field (PostgreSQL would fail)."""

from __future__ import annotations

import pytest
from django.test import Client

from beatbridge.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/registrations/cancel", {"token": "\x00"}, "token"),
        ("/api/v1/follow-up", {"code": "AB\x00CD"}, "code"),
        (
            "/api/v1/reports",
            {"force": "seattle", "category": "street-light", "description": "a\x00b"},
            "description",
        ),
        (
            "/api/v1/reports",
            {"force": "seattle", "category": "street-light", "answers": {"pole\x00": "1"}},
            "answers.pole",
        ),
    ],
)
def test_a_nul_character_in_a_json_body_is_a_400_naming_the_field(
    fremont, street_light, path, body, field
):
    response = Client().post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_a_nul_character_in_a_query_is_a_400(fremont, street_light):
    ReportFactory(category=street_light, neighbourhood=fremont)
    response = Client().get(
        "/api/v1/forces/seattle/neighbourhoods/N-FRE/reports", {"category": "street\x00light"}
    )
    assert response.status_code == 400
    assert response.json()["field"] == "category"

"""Administrators manage categories and their questions; reports are only read in the admin."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from beatbridge.accounts.tests.factories import AdministratorFactory, UserFactory
from beatbridge.reports.models import Category, CategoryQuestion
from beatbridge.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(AdministratorFactory(is_superuser=True))
    return client


def category_form(force, **changes: object) -> dict:
    data = {
        "force": force.pk,
        "code": "abandoned-vehicle",
        "name": "Abandoned vehicle",
        "description": "A vehicle left in the street for a long time.",
        "group": "Streets",
        "translations": json.dumps({"es": {"name": "Vehículo abandonado"}}),
        "kind": "concern",
        "handled_by": "",
        "keywords": "car, vehicle",
        "position": "0",
        "is_active": "on",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-code": "colour",
        "questions-0-prompt": "What colour is it?",
        "questions-0-help_text": "",
        "questions-0-datatype": "singlevaluelist",
        "questions-0-required": "on",
        "questions-0-choices": json.dumps(
            [{"key": "red", "name": "Red"}, {"key": "blue", "name": "Blue"}]
        ),
        "questions-0-translations": "{}",
        "questions-0-position": "0",
    }
    data.update(changes)
    return data


def test_an_administrator_adds_a_category_with_a_question(admin_client, force):
    response = admin_client.post(reverse("admin:reports_category_add"), category_form(force))
    assert response.status_code == 302, response.content.decode()[:2000]
    category = Category.objects.get(code="abandoned-vehicle")
    assert category.translated("name", "es") == "Vehículo abandonado"
    question = CategoryQuestion.objects.get(category=category)
    assert question.choice_pairs("en") == [("red", "Red"), ("blue", "Blue")]


@pytest.mark.parametrize(
    "changes",
    [
        {"translations": json.dumps({"klingon!": {"name": "x"}})},
        {"translations": json.dumps(["es"])},
        {"questions-0-choices": "[]"},
        {"questions-0-choices": json.dumps([{"key": "red"}])},
        {"questions-0-datatype": "string"},
    ],
)
def test_bad_categories_are_refused_with_nothing_saved(admin_client, force, changes):
    response = admin_client.post(
        reverse("admin:reports_category_add"), category_form(force, **changes)
    )
    assert response.status_code == 200
    assert response.context["errors"] or any(
        form.errors
        for formset in response.context["inline_admin_formsets"]
        for form in formset.formset
    )
    assert not Category.objects.exists()
    assert not CategoryQuestion.objects.exists()


def test_reports_are_read_only_in_the_admin(admin_client, street_light):
    report = ReportFactory(category=street_light, contact_email="reporter@example.org")
    change = reverse("admin:reports_report_change", args=[report.pk])
    page = admin_client.get(change)
    assert page.status_code == 200
    # Contact details are seen only in the triage pages, where each view is audited.
    assert "reporter@example.org" not in page.content.decode()
    assert admin_client.get(reverse("admin:reports_report_add")).status_code == 403
    delete = reverse("admin:reports_report_delete", args=[report.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403


def test_a_category_with_reports_cannot_be_deleted(admin_client, street_light):
    ReportFactory(category=street_light)
    delete = reverse("admin:reports_category_delete", args=[street_light.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Category.objects.filter(pk=street_light.pk).exists()


def test_residents_cannot_open_the_reports_admin(client, street_light):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:reports_category_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]

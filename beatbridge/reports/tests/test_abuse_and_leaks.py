"""Abuse and leaks found in review: a way round the guardrail, costly or impossible input,
what a merge or an internal step could give away, retries and the notification pace."""

from __future__ import annotations

import datetime
import json
import uuid
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from beatbridge.accounts.tests.factories import (
    OfficerProfileFactory,
    TeamAssignmentFactory,
)
from beatbridge.places.services import mark_boundaries_changed
from beatbridge.places.tests.factories import NeighbourhoodFactory, square
from beatbridge.reports import notifications, services
from beatbridge.reports.models import (
    DeliveryStatus,
    Report,
    ReporterNotification,
    ReportKind,
    Source,
)
from beatbridge.reports.tests.factories import (
    CategoryFactory,
    CategoryQuestionFactory,
    ReportFactory,
)

pytestmark = pytest.mark.django_db

APPEARANCE_ONLY = "A young black guy in a hoodie, looked suspicious, did not belong here."
LAT, LNG = "47.6551234", "-122.3451234"


@pytest.fixture
def prowler(force):
    return CategoryFactory(force=force, code="prowler", name="Suspicious person", suspicious=True)


# --- 1. guardrail bypass through the tip form ----------------------------------------------


def test_suspicious_form_refuses_appearance_only(fremont, prowler):
    response = Client().post(
        reverse("reports:suspicious"),
        {
            "submission_key": str(uuid.uuid4()),
            "category": "prowler",
            "force": "seattle",
            "neighbourhood": "N-FRE",
            "behaviour": APPEARANCE_ONLY,
            "description": "",
            "latitude": LAT,
            "longitude": LNG,
        },
    )
    assert response.status_code == 400
    assert not Report.staff_objects.exists()


def test_tip_form_in_suspicious_category_also_refuses_appearance_only(fremont, prowler):
    response = Client().post(
        reverse("reports:tip"),
        {
            "submission_key": str(uuid.uuid4()),
            "category": "prowler",
            "force": "seattle",
            "neighbourhood": "N-FRE",
            "description": APPEARANCE_ONLY,
            "latitude": LAT,
            "longitude": LNG,
        },
    )
    assert not Report.staff_objects.filter(kind="tip").exists(), response.status_code


def test_api_tip_in_suspicious_category_refuses_appearance_only(fremont, prowler):
    response = Client().post(
        "/api/v1/reports",
        json.dumps(
            {
                "kind": "tip",
                "force": "seattle",
                "category": "prowler",
                "description": APPEARANCE_ONLY,
                "latitude": float(LAT),
                "longitude": float(LNG),
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content


# --- 4. bad input that gives a 500 -------------------------------------------------------------


@pytest.fixture
def when_question(street_light):
    return CategoryQuestionFactory(
        category=street_light, code="when", prompt="When did it go out?", datatype="datetime"
    )


@pytest.fixture
def count_question(street_light):
    return CategoryQuestionFactory(
        category=street_light, code="how-many", prompt="How many lights?", datatype="number"
    )


def _concern(**extra):
    return {
        "submission_key": str(uuid.uuid4()),
        "category": "street-light",
        "force": "seattle",
        "neighbourhood": "N-FRE",
        "description": "The light on the corner has been out for a week.",
        "latitude": LAT,
        "longitude": LNG,
        **extra,
    }


@pytest.mark.parametrize("value", ["2026-02-30 10:00", "2026-01-01T25:00"])
def test_web_impossible_datetime_answer_is_a_400(fremont, when_question, value):
    client = Client(raise_request_exception=False)
    response = client.post(reverse("reports:concern"), _concern(**{"attribute[when]": value}))
    assert response.status_code == 400


def test_api_impossible_datetime_answer_is_a_400(fremont, when_question):
    client = Client(raise_request_exception=False)
    response = client.post(
        "/api/v1/reports",
        json.dumps(
            {
                "force": "seattle",
                "category": "street-light",
                "description": "Out for a week.",
                "latitude": float(LAT),
                "longitude": float(LNG),
                "answers": {"when": "2026-02-30T10:00"},
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400


def test_open311_impossible_datetime_answer_is_a_400(fremont, when_question):
    from beatbridge.open311 import services as o311

    key = o311.issue_api_key(name="probe").key
    client = Client(raise_request_exception=False)
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "street-light",
            "description": "Out for a week.",
            "lat": LAT,
            "long": LNG,
            "attribute[when]": "2026-02-30T10:00",
        },
    )
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["1e5000", "1e400"])
def test_web_huge_number_answer_is_a_400(fremont, count_question, value):
    client = Client(raise_request_exception=False)
    response = client.post(reverse("reports:concern"), _concern(**{"attribute[how-many]": value}))
    assert response.status_code in (200, 400)
    # if it was accepted, the stored answer must be sane
    for report in Report.staff_objects.all():
        json.dumps(report.answers)


def test_public_detail_with_nul_reference_is_404():
    client = Client(raise_request_exception=False)
    response = client.get("/reports/AB%00CD/")
    assert response.status_code == 404


# --- 2. privacy / least privilege --------------------------------------------------------------


def test_public_page_of_a_concern_merged_into_a_tip_does_not_reveal_the_tip(
    fremont, fremont_officer, street_light
):
    public = ReportFactory(category=street_light, neighbourhood=fremont)
    tip = ReportFactory(category=street_light, neighbourhood=fremont, kind=ReportKind.TIP)
    services.merge_duplicate(report=public, by=fremont_officer, into=tip)
    page = Client().get(reverse("reports:public_detail", args=[public.reference]))
    assert tip.reference not in page.content.decode()


def test_merge_suggestions_only_offer_reports_the_officer_may_handle(
    force, fremont, fremont_officer, street_light
):
    # A neighbouring area right next to Fremont, served by somebody else.
    wallingford = NeighbourhoodFactory(
        force=force, code="N-WAL", name="Wallingford", boundary=square(-122.34, 47.65)
    )
    other = OfficerProfileFactory(force=force, display_name="Other")
    TeamAssignmentFactory(officer=other, neighbourhood=wallingford)
    mark_boundaries_changed()
    mine = ReportFactory(
        category=street_light, neighbourhood=fremont, latitude=47.655, longitude=-122.3401
    )
    theirs = ReportFactory(
        category=street_light,
        neighbourhood=wallingford,
        kind=ReportKind.TIP,
        latitude=47.655,
        longitude=-122.3399,
    )
    client = Client()
    client.force_login(fremont_officer)
    page = client.get(reverse("reports:triage_detail", args=[mine.reference]))
    assert page.status_code == 200
    assert theirs.reference not in page.content.decode()


def test_officer_of_other_neighbourhood_cannot_read_tip_via_api(force, fremont, street_light):
    wallingford = NeighbourhoodFactory(
        force=force, code="N-WAL", name="Wallingford", boundary=square(-122.34, 47.65)
    )
    other = OfficerProfileFactory(force=force, display_name="Other")
    TeamAssignmentFactory(officer=other, neighbourhood=wallingford)
    tip = ReportFactory(category=street_light, neighbourhood=fremont, kind=ReportKind.TIP)
    client = Client()
    client.force_login(other.user)
    assert client.get(f"/api/v1/reports/{tip.reference}").status_code == 404
    assert client.get(reverse("reports:triage_detail", args=[tip.reference])).status_code == 404


def test_idempotent_retry_after_category_deactivated_returns_first_report(fremont, street_light):
    key = str(uuid.uuid4())
    args = {
        "kind": ReportKind.CONCERN,
        "category": street_light,
        "description": "Light out",
        "place": services.Place(latitude=float(LAT), longitude=float(LNG)),
        "source": Source.API,
        "submission_key": key,
        "submitter_scope": "api",
    }
    first = services.submit_report(**args)
    street_light.is_active = False
    street_light.save()
    again = services.submit_report(**args)
    assert again.report.pk == first.report.pk


def _post(body):
    return Client(raise_request_exception=False).post(
        "/api/v1/reports", body, content_type="application/json"
    )


def test_api_huge_integer_literal_is_400(fremont, street_light):
    CategoryQuestionFactory(category=street_light, code="n", prompt="n?", datatype="number")
    body = (
        '{"force":"seattle","category":"street-light","description":"x y z",'
        '"latitude":47.6551,"longitude":-122.3451,"answers":{"n":1' + "0" * 5000 + "}}"
    )
    assert _post(body).status_code == 400


def test_api_number_answer_string_exponent_is_400(fremont, street_light):
    CategoryQuestionFactory(category=street_light, code="n", prompt="n?", datatype="number")
    body = json.dumps(
        {
            "force": "seattle",
            "category": "street-light",
            "description": "x y z",
            "latitude": 47.6551,
            "longitude": -122.3451,
            "answers": {"n": "1e5000"},
        }
    )
    assert _post(body).status_code == 400


def test_requeue_does_not_burn_attempts_before_backoff(
    settings, fremont, fremont_officer, street_light
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    report = ReportFactory(
        category=street_light, neighbourhood=fremont, contact_email="r@example.org"
    )
    services.acknowledge(report=report, by=fremont_officer)
    note = ReporterNotification.objects.get()
    ReporterNotification.objects.filter(pk=note.pk).update(
        created_at=note.created_at - datetime.timedelta(hours=1)
    )
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("smtp down")):
        # What cron + the worker do during a 20-minute outage: requeue every 5 min, run each.
        for _ in range(5):
            notifications.requeue_stale()
            notifications.deliver(note.pk)
    note.refresh_from_db()
    assert note.status == DeliveryStatus.QUEUED, (note.status, note.attempts)


def test_public_api_updated_at_does_not_move_on_internal_note(
    fremont, fremont_officer, street_light
):
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    before = Client().get(f"/api/v1/reports/{report.reference}").json()["updated_at"]
    services.add_note(report=report, by=fremont_officer, text="Informant says the dealer is X")
    after = Client().get(f"/api/v1/reports/{report.reference}").json()["updated_at"]
    assert before == after


def test_a_client_may_send_only_so_many_reports_an_hour(fremont, street_light, settings):
    settings.REPORT_SUBMISSIONS_PER_HOUR = 2

    def send(address: str, description: str = "The light is out again tonight."):
        return Client().post(
            reverse("reports:concern"),
            {
                "submission_key": str(uuid.uuid4()),
                "category": "street-light",
                "force": "seattle",
                "neighbourhood": "N-FRE",
                "description": description,
                "latitude": LAT,
                "longitude": LNG,
            },
            REMOTE_ADDR=address,
        )

    assert send("198.51.100.7").status_code == 200
    assert send("198.51.100.7").status_code == 200
    refused = send("198.51.100.7")
    assert refused.status_code == 429
    assert "Too many reports" in refused.content.decode()
    assert send("203.0.113.9").status_code == 200
    assert Report.staff_objects.count() == 3


def test_the_api_counts_new_reports_not_retries(fremont, street_light, settings):
    settings.REPORT_SUBMISSIONS_PER_HOUR = 1
    body = {
        "force": "seattle",
        "category": "street-light",
        "description": "Dark corner by the bus stop.",
        "latitude": float(LAT),
        "longitude": float(LNG),
    }
    client = Client()
    first = client.post(
        "/api/v1/reports", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    retry = client.post(
        "/api/v1/reports", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    another = client.post(
        "/api/v1/reports", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k2"
    )
    assert (first.status_code, retry.status_code, another.status_code) == (201, 200, 429)
    assert another.json()["code"] == "too_many_requests"

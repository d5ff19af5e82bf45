"""The alerts API, both ways: a person's inbox, follows and preferences; the team's alerts,
figures and replies."""

from __future__ import annotations

import pytest
from django.utils import timezone

from beatbridge.accounts.tests.factories import (
    AdministratorFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.audit.models import AuditEntry
from beatbridge.notify.models import (
    Alert,
    AlertDelivery,
    AlertReply,
    Channel,
    DeliveryStatus,
    Follow,
    Preferences,
)
from beatbridge.notify.tests.factories import AlertDeliveryFactory, AlertFactory, FollowFactory
from beatbridge.places.tests.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/alerts"


@pytest.fixture
def resident():
    return UserFactory(full_name="Rosa Resident")


@pytest.fixture
def other_officer(force):
    ballard = NeighbourhoodFactory(force=force, code="N-BAL", name="Ballard")
    return TeamAssignmentFactory(neighbourhood=ballard).officer.user


@pytest.fixture
def alert(fremont, fremont_officer, resident):
    made = AlertFactory(
        author=fremont_officer,
        neighbourhoods=[fremont],
        translations={"es": {"title": "Robos", "message": "Cierre."}},
        recipient_count=1,
        fanned_out_at=timezone.now(),
    )
    AlertDeliveryFactory(
        alert=made, recipient=resident, channel=Channel.INBOX, status=DeliveryStatus.DELIVERED
    )
    return made


def people(resident, fremont_officer, other_officer):
    return {
        "anonymous": None,
        "resident": resident,
        "stranger": UserFactory(),
        "team": fremont_officer,
        "other_officer": other_officer,
        "admin": AdministratorFactory(),
    }


@pytest.mark.parametrize(
    ("method", "path", "who", "expected"),
    [
        ("get", "", "anonymous", 403),
        ("get", "", "resident", 403),
        ("get", "", "team", 200),
        ("get", "/{id}", "anonymous", 403),
        ("get", "/{id}", "resident", 200),
        ("get", "/{id}", "stranger", 404),
        ("get", "/{id}", "other_officer", 404),
        ("get", "/{id}", "team", 200),
        ("get", "/{id}", "admin", 200),
        ("get", "/{id}/figures", "resident", 403),
        ("get", "/{id}/figures", "stranger", 404),
        ("get", "/{id}/figures", "other_officer", 404),
        ("get", "/{id}/figures", "team", 200),
        ("get", "/{id}/figures", "admin", 200),
        ("get", "/{id}/replies", "resident", 403),
        ("get", "/{id}/replies", "stranger", 404),
        ("get", "/{id}/replies", "team", 200),
        ("post", "/{id}/read", "resident", 200),
        ("post", "/{id}/read", "stranger", 404),
        ("get", "/inbox", "anonymous", 403),
        ("get", "/inbox", "resident", 200),
        ("get", "/follows", "anonymous", 403),
        ("get", "/preferences", "anonymous", 403),
        ("get", "/preferences", "resident", 200),
    ],
)
def test_permission_matrix(
    client, alert, resident, fremont_officer, other_officer, method, path, who, expected
):
    person = people(resident, fremont_officer, other_officer)[who]
    if person is not None:
        client.force_login(person)
    url = BASE + path.replace("{id}", str(alert.public_id))
    response = getattr(client, method)(url, content_type="application/json")
    assert response.status_code == expected, response.content


def test_the_inbox_lists_only_ones_own_alerts_in_ones_language(client, alert, resident):
    AlertDeliveryFactory(alert=AlertFactory(title="Not Rosa's"), channel=Channel.INBOX)
    client.force_login(resident)
    response = client.get(f"{BASE}/inbox", headers={"accept-language": "es"})
    items = response.json()["items"]
    assert [item["alert"]["title"] for item in items] == ["Robos"]
    assert items[0]["alert"]["in_original_language"] is False
    assert items[0]["read_at"] is None
    assert client.get(f"{BASE}/inbox/unread").json() == {"unread": 1}


def test_marking_read_lowers_the_unread_count(client, alert, resident):
    client.force_login(resident)
    response = client.post(f"{BASE}/{alert.public_id}/read")
    assert response.json() == {"unread": 0}
    assert AlertDelivery.objects.get(recipient=resident).status == DeliveryStatus.READ


def test_a_recipient_replies_and_the_team_reads_it_audited(
    client, alert, resident, fremont_officer
):
    client.force_login(resident)
    response = client.post(
        f"{BASE}/{alert.public_id}/replies", {"body": "A van"}, content_type="application/json"
    )
    assert response.status_code == 201
    client.force_login(UserFactory())
    response = client.post(
        f"{BASE}/{alert.public_id}/replies", {"body": "Me"}, content_type="application/json"
    )
    assert response.status_code == 404
    client.force_login(fremont_officer)
    replies = client.get(f"{BASE}/{alert.public_id}/replies").json()["items"]
    assert [(r["body"], r["author"]) for r in replies] == [("A van", "Rosa Resident")]
    assert AlertReply.objects.get().read_at is not None
    assert AuditEntry.objects.filter(action="alert.replies_viewed").count() == 1


def test_an_empty_reply_names_its_field(client, alert, resident):
    client.force_login(resident)
    response = client.post(
        f"{BASE}/{alert.public_id}/replies", {"body": " "}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "body"


def test_figures_count_channels_and_statuses(client, alert, fremont_officer):
    AlertDeliveryFactory(
        alert=alert, channel=Channel.EMAIL, status=DeliveryStatus.FAILED, last_error="SMTPError"
    )
    client.force_login(fremont_officer)
    body = client.get(f"{BASE}/{alert.public_id}/figures").json()
    assert body["counts"]["inbox"]["delivered"] == 1
    assert body["counts"]["email"]["failed"] == 1
    assert body["counts"]["sms"]["sent"] == 0
    assert body["failures"] == [
        {"channel": "email", "status": "failed", "reason": "SMTPError", "count": 1}
    ]
    assert body["total"] == 2


def test_the_team_sends_an_alert(client, fremont, fremont_officer):
    client.force_login(fremont_officer)
    response = client.post(
        BASE,
        {
            "severity": "warning",
            "category": "crime",
            "title": "Break-ins",
            "message": "Lock up.",
            "audience": "neighbourhoods",
            "neighbourhoods": [{"force": fremont.force.slug, "neighbourhood": fremont.code}],
            "translations": {"es": {"title": "Robos"}},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    alert = Alert.objects.get()
    assert response.json()["id"] == str(alert.public_id)
    assert alert.translations == {"es": {"title": "Robos"}}
    listed = client.get(BASE).json()["items"]
    assert [item["id"] for item in listed] == [str(alert.public_id)]


@pytest.mark.parametrize(
    ("who", "changes", "status", "field"),
    [
        ("resident", {}, 403, "neighbourhoods"),
        ("other_officer", {}, 403, "neighbourhoods"),
        (
            "team",
            {"neighbourhoods": [{"force": "seattle", "neighbourhood": "NOPE"}]},
            400,
            "neighbourhoods.0",
        ),
        ("team", {"severity": "apocalyptic"}, 400, "severity"),
        ("team", {"title": ""}, 400, "title"),
        ("team", {"audience": "sector", "sector": "north", "force": "seattle"}, 403, "sector"),
        ("team", {"audience": "sector", "sector": "nowhere", "force": "seattle"}, 400, "sector"),
        ("team", {"audience": "scheme", "scheme": 999}, 400, "scheme"),
    ],
)
def test_sending_is_refused_on_the_field_at_fault(
    client, fremont, resident, fremont_officer, other_officer, who, changes, status, field
):
    client.force_login(people(resident, fremont_officer, other_officer)[who])
    body = {
        "severity": "warning",
        "category": "crime",
        "title": "Break-ins",
        "message": "Lock up.",
        "audience": "neighbourhoods",
        "neighbourhoods": [{"force": "seattle", "neighbourhood": fremont.code}],
        **changes,
    }
    response = client.post(BASE, body, content_type="application/json")
    assert response.status_code == status, response.content
    assert response.json()["field"] == field
    assert not Alert.objects.exists()


def test_follow_a_neighbourhood_and_an_area_then_stop(client, fremont, resident):
    client.force_login(resident)
    response = client.post(
        f"{BASE}/follows",
        {"force": "seattle", "neighbourhood": fremont.code},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["neighbourhood"]["name"] == "Fremont"
    response = client.post(
        f"{BASE}/follows",
        {"latitude": 47.65, "longitude": -122.34, "radius_metres": 300, "label": "Home"},
        content_type="application/json",
    )
    assert response.status_code == 201
    area_id = response.json()["id"]
    listed = client.get(f"{BASE}/follows").json()["items"]
    assert [item["kind"] for item in listed] == ["neighbourhood", "area"]
    assert client.delete(f"{BASE}/follows/{area_id}").json() == {"id": area_id, "deleted": True}
    assert Follow.objects.filter(user=resident).count() == 1


def test_following_refuses_bad_input_on_its_field(client, force, resident):
    client.force_login(resident)
    response = client.post(
        f"{BASE}/follows",
        {"force": "seattle", "neighbourhood": "NOPE"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["field"]) == (400, "neighbourhood")
    response = client.post(
        f"{BASE}/follows",
        {"latitude": 47.65, "longitude": -122.34, "radius_metres": 20},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["field"]) == (400, "radius_metres")
    assert not Follow.objects.exists()


def test_nobody_deletes_someone_elses_follow(client, fremont, resident):
    theirs = FollowFactory(neighbourhood=fremont)
    client.force_login(resident)
    assert client.delete(f"{BASE}/follows/{theirs.pk}").status_code == 404
    assert Follow.objects.filter(pk=theirs.pk).exists()


def test_preferences_patch_changes_only_what_is_given(client, resident):
    client.force_login(resident)
    response = client.patch(
        f"{BASE}/preferences",
        {"minimum_severity": "warning", "daily_digest": True},
        content_type="application/json",
    )
    assert response.status_code == 200
    saved = Preferences.objects.get(user=resident)
    assert (saved.minimum_severity, saved.daily_digest, saved.email_enabled) == (
        "warning",
        True,
        True,
    )


def test_preferences_patch_names_the_bad_field_and_saves_nothing(client, resident):
    client.force_login(resident)
    response = client.patch(
        f"{BASE}/preferences",
        {"daily_digest": True, "sms_enabled": True},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["field"]) == (400, "phone_number")
    assert not Preferences.objects.filter(user=resident, daily_digest=True).exists()


def test_a_signed_in_write_without_the_csrf_token_is_refused(resident, fremont):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(resident)
    response = browser.post(
        f"{BASE}/follows",
        {"force": "seattle", "neighbourhood": fremont.code},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Follow.objects.exists()

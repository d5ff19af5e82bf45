"""The community voice API for the team's work on events (/api/v1/): changing an event, photos
after it, who registered (audited); translations of voice content; and the OpenAPI document
of the team's paths."""

# ruff: noqa: F811  (imported fixtures are parameters of the tests)
from __future__ import annotations

import datetime
import io
import json

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from beatbridge.audit.models import AuditEntry
from beatbridge.voice.models import EventPhoto, RegistrantNotification
from beatbridge.voice.services import registrations as registration_services
from beatbridge.voice.tests.factories_events import EventFactory
from beatbridge.voice.tests.factories_meetings import ActionItemFactory, MeetingFactory
from beatbridge.voice.tests.factories_priorities import PriorityFactory
from beatbridge.voice.tests.test_api_priorities import (  # noqa: F401
    ROLES,
    TEAM,
    client_for,
    people,
    post_json,
    wallingford,
)

pytestmark = pytest.mark.django_db


def later(days: float, hours: float = 0) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days, hours=hours)


@pytest.fixture
def event(fremont):
    return EventFactory(neighbourhoods=[fremont], title="Troll block party", capacity=2)


@pytest.fixture
def past_event(fremont):
    return EventFactory(neighbourhoods=[fremont], starts_at=later(-3), ends_at=later(-3, 2))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _put_json(client: Client, path: str, body: object):
    return client.put(path, json.dumps(body), content_type="application/json")


def details_of(event, **overrides) -> dict:
    return {
        "title": event.title,
        "kind": event.kind,
        "organiser": event.organiser,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "description": event.description,
        "venue_name": event.venue_name,
        "address": event.address,
        "accessibility": event.accessibility,
        "capacity": event.capacity,
        **overrides,
    }


def _jpeg(name: str = "party.jpg") -> io.BytesIO:
    image = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(image, format="JPEG")
    image.seek(0)
    image.name = name
    return image


# --- changing an event --------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_changes_an_event(people, event, role):
    response = _put_json(
        client_for(people[role]),
        f"/api/v1/events/{event.pk}/details",
        details_of(event, title="Troll summer party"),
    )

    event.refresh_from_db()
    allowed = role in TEAM
    assert response.status_code == (200 if allowed else 403)
    assert event.title == ("Troll summer party" if allowed else "Troll block party")
    if allowed:
        assert response.json()["title"] == "Troll summer party"


def test_a_new_time_tells_registrants_and_a_new_title_does_not(people, event):
    registration_services.register(gathering=event, email="rita@example.org")
    client = client_for(people["officer"])
    path = f"/api/v1/events/{event.pk}/details"

    _put_json(client, path, details_of(event, title="Troll summer party"))
    _put_json(
        client,
        path,
        details_of(event, starts_at=later(9).isoformat(), ends_at=later(9, 3).isoformat()),
    )

    messages = sorted(RegistrantNotification.objects.values_list("message", flat=True))
    assert messages == ["confirmed", "moved"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"kind": "rave"}, "kind"),
        ({"starts_at": "2030-05-01T10:00:00"}, "starts_at"),
        ({"capacity": 0}, "capacity"),
    ],
)
def test_bad_event_changes_are_400_naming_the_field(people, event, overrides, field):
    response = _put_json(
        client_for(people["officer"]),
        f"/api/v1/events/{event.pk}/details",
        details_of(event, **overrides),
    )

    assert (response.status_code, response.json()["field"]) == (400, field)
    event.refresh_from_db()
    assert (event.title, event.capacity) == ("Troll block party", 2)


def test_a_capacity_below_those_coming_is_refused(people, event):
    registration_services.register(gathering=event, email="a@example.org")
    registration_services.register(gathering=event, email="b@example.org")

    response = _put_json(
        client_for(people["officer"]),
        f"/api/v1/events/{event.pk}/details",
        details_of(event, capacity=1),
    )

    assert (response.status_code, response.json()["field"]) == (400, "capacity")


# --- photos -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_adds_a_photo_after_the_event(people, past_event, role):
    response = client_for(people[role]).post(
        f"/api/v1/events/{past_event.pk}/photos", {"photo": _jpeg(), "caption": "Fun"}
    )

    allowed = role in TEAM
    assert response.status_code == (201 if allowed else 403)
    assert EventPhoto.objects.count() == (1 if allowed else 0)
    if allowed:
        photo = EventPhoto.objects.get()
        assert response.json()["caption"] == "Fun"
        assert (response.json()["width"], response.json()["height"]) == (20, 10)
        assert Client().get(response.json()["url"])["Content-Type"] == "image/jpeg"
        assert AuditEntry.objects.filter(
            action="event.photo_added", detail={"photo": photo.pk}
        ).exists()


def test_bad_photos_are_refused_on_the_field(people, event, past_event):
    client = client_for(people["officer"])

    early = client.post(f"/api/v1/events/{event.pk}/photos", {"photo": _jpeg()})
    not_an_image = client.post(
        f"/api/v1/events/{past_event.pk}/photos",
        {"photo": io.BytesIO(b"<html></html>"), "caption": "x"},
    )
    missing = client.post(f"/api/v1/events/{past_event.pk}/photos", {"caption": "x"})
    long_caption = client.post(
        f"/api/v1/events/{past_event.pk}/photos", {"photo": _jpeg(), "caption": "x" * 301}
    )

    assert (early.status_code, early.json()["field"]) == (400, "photo")
    assert (not_an_image.status_code, not_an_image.json()["field"]) == (400, "photo")
    assert (missing.status_code, missing.json()["field"]) == (400, "photo")
    assert (long_caption.status_code, long_caption.json()["field"]) == (400, "caption")
    assert EventPhoto.objects.count() == 0


def test_a_photo_for_an_unknown_event_is_404(people):
    response = client_for(people["officer"]).post(
        "/api/v1/events/999999/photos", {"photo": _jpeg()}
    )

    assert response.status_code == 404


# --- who registered -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_sees_who_registered_for_an_event_and_it_is_audited(people, event, role):
    registration_services.register(gathering=event, email="rita@example.org", name="Rita")
    registration_services.register(gathering=event, user=people["resident"])
    registration_services.register(gathering=event, email="late@example.org")

    response = client_for(people[role]).get(f"/api/v1/events/{event.pk}/registrants")

    allowed = role in TEAM
    assert response.status_code == (200 if allowed else 403)
    viewed = AuditEntry.objects.filter(action="event.registrations_viewed")
    if allowed:
        rows = [(r["email"], r["status"]) for r in response.json()["items"]]
        assert rows == [
            ("rita@example.org", "confirmed"),
            (people["resident"].email, "confirmed"),
            ("late@example.org", "waiting"),
        ]
        assert [(e.actor_id, e.target_id) for e in viewed] == [(people[role].pk, str(event.pk))]
    else:
        assert "rita@example.org" not in response.text
        assert not viewed.exists()


def test_registrants_list_takes_a_fixed_number_of_queries(
    people, fremont, django_assert_num_queries
):
    event = EventFactory(neighbourhoods=[fremont])
    for number in range(4):
        registration_services.register(gathering=event, email=f"guest{number}@example.org")
    registration_services.register(gathering=event, user=people["resident"])
    client = client_for(people["officer"])
    client.get(f"/api/v1/events/{event.pk}/registrants")

    # Session, user, event and its neighbourhoods, team check, audit, count, page.
    with django_assert_num_queries(12, exact=False):
        response = client.get(f"/api/v1/events/{event.pk}/registrants")

    assert response.json()["count"] == 5


# --- translations -------------------------------------------------------------------------


def _translatables(fremont, author):
    meeting = MeetingFactory(neighbourhoods=[fremont])
    priority = PriorityFactory(cycle__neighbourhood=fremont)
    return {
        "priority": priority,
        "update": priority.updates.create(
            text="Speed checks began.", author=author, original_language="en"
        ),
        "meeting": meeting,
        "action-item": ActionItemFactory(meeting=meeting),
        "event": EventFactory(neighbourhoods=[fremont]),
    }


FIELD_OF = {
    "priority": "title",
    "update": "text",
    "meeting": "title",
    "action-item": "text",
    "event": "title",
}


@pytest.mark.parametrize("kind", list(FIELD_OF))
@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_translates_voice_content(people, fremont, kind, role):
    item = _translatables(fremont, people["officer"])[kind]
    field = FIELD_OF[kind]

    response = post_json(
        client_for(people[role]),
        f"/api/v1/translations/{kind}/{item.pk}",
        {"language": "es", "texts": {field: "Texto en español"}},
    )

    item.refresh_from_db()
    allowed = role in TEAM
    assert response.status_code == (200 if allowed else 403)
    assert item.translation_in("es") == ({field: "Texto en español"} if allowed else {})
    if allowed:
        assert response.json() == {
            "kind": kind,
            "id": item.pk,
            "language": "es",
            "texts": {field: "Texto en español"},
        }


def test_a_translation_is_what_readers_of_that_language_get(people, fremont):
    event = EventFactory(neighbourhoods=[fremont], title="Block party")

    post_json(
        client_for(people["officer"]),
        f"/api/v1/translations/event/{event.pk}",
        {"language": "es", "texts": {"title": "Fiesta del barrio"}},
    )
    read = Client().get(f"/api/v1/events/{event.pk}", HTTP_ACCEPT_LANGUAGE="es")

    assert (read.json()["title"], read.json()["in_original_language"]) == (
        "Fiesta del barrio",
        False,
    )
    assert AuditEntry.objects.filter(action="event.translated").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"language": "en", "texts": {"title": "Same"}}, "language"),
        ({"language": "tlh", "texts": {"title": "Qapla'"}}, "language"),
        ({"language": "es", "texts": {"organiser": "Nosotros"}}, "organiser"),
        ({"language": "es", "texts": {"title": "x" * 500}}, "title"),
        ({"language": "es", "texts": {"title": 7}}, "texts.title"),
        ({"texts": {"title": "Fiesta"}}, "language"),
    ],
)
def test_bad_translations_are_400_naming_the_field(people, fremont, body, field):
    event = EventFactory(neighbourhoods=[fremont])

    response = post_json(
        client_for(people["officer"]), f"/api/v1/translations/event/{event.pk}", body
    )

    event.refresh_from_db()
    assert (response.status_code, response.json()["field"]) == (400, field)
    assert event.translations in ({}, None)


def test_translating_an_unknown_item_or_kind_is_404(people):
    client = client_for(people["officer"])
    body = {"language": "es", "texts": {"title": "Hola"}}

    unknown_item = post_json(client, "/api/v1/translations/event/999999", body)
    unknown_kind = post_json(client, "/api/v1/translations/report/1", body)

    assert unknown_item.status_code == 404
    assert (unknown_kind.status_code, unknown_kind.json()["field"]) == (400, "kind")


# --- the OpenAPI document -----------------------------------------------------------------

TEAM_OPERATIONS = {
    ("get", "/api/v1/priority-cycles/{cycle_id}/residencies"),
    ("post", "/api/v1/priority-cycles/{cycle_id}/residencies/verify"),
    ("post", "/api/v1/forces/{force}/neighbourhoods/{code}/meeting-series"),
    ("put", "/api/v1/meetings/{meeting_id}/details"),
    ("post", "/api/v1/meetings/{meeting_id}/agenda-items"),
    ("delete", "/api/v1/meetings/{meeting_id}/agenda-items/{item_id}"),
    ("post", "/api/v1/meetings/{meeting_id}/questions/{question_id}/answer"),
    ("post", "/api/v1/meetings/{meeting_id}/questions/{question_id}/hide"),
    ("post", "/api/v1/meetings/{meeting_id}/questions/{question_id}/unhide"),
    ("post", "/api/v1/meetings/{meeting_id}/attendees"),
    ("delete", "/api/v1/meetings/{meeting_id}/attendees/{attendee_id}"),
    ("post", "/api/v1/meetings/{meeting_id}/concerns"),
    ("post", "/api/v1/meetings/{meeting_id}/concerns/{concern_id}/priority"),
    ("post", "/api/v1/meetings/{meeting_id}/concerns/{concern_id}/report"),
    ("get", "/api/v1/meetings/{meeting_id}/registrants"),
    ("put", "/api/v1/events/{event_id}/details"),
    ("post", "/api/v1/events/{event_id}/photos"),
    ("get", "/api/v1/events/{event_id}/registrants"),
    ("post", "/api/v1/translations/{kind}/{item_id}"),
}


def test_openapi_documents_every_team_operation():
    response = Client().get("/api/openapi.json")

    schema = response.json()
    assert response.status_code == 200
    operations = {
        (method, path): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert set(operations) >= TEAM_OPERATIONS
    for key in TEAM_OPERATIONS:
        operation = operations[key]
        assert operation.get("summary") and operation.get("description"), key
        assert operation["tags"] == ["community voice"], key
    photo_body = operations[("post", "/api/v1/events/{event_id}/photos")]["requestBody"]
    assert "multipart/form-data" in photo_body["content"]
    # Every operation of the whole API carries a summary.
    assert all(operation.get("summary") for operation in operations.values())

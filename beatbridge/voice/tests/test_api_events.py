"""The community voice API for events and registrations (/api/v1/): reading events, registering
and cancelling by token, one's own registrations, the team's events; and the OpenAPI
document of every community voice path."""

# ruff: noqa: F811  (imported fixtures are parameters of the tests)
from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from beatbridge.voice.models import Event, RegistrantNotification, Registration, RegistrationStatus
from beatbridge.voice.services import registrations as registration_services
from beatbridge.voice.tests.factories_events import EventFactory, RegistrationFactory
from beatbridge.voice.tests.factories_meetings import MeetingFactory
from beatbridge.voice.tests.test_api_priorities import (  # noqa: F401
    FREMONT,
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


# --- reading ------------------------------------------------------------------------------


def test_upcoming_and_past_events_of_a_neighbourhood(fremont, wallingford, event):
    EventFactory(neighbourhoods=[wallingford])
    past = EventFactory(neighbourhoods=[fremont], starts_at=later(-3), ends_at=later(-3, 2))

    upcoming = Client().get(f"{FREMONT}/events")
    held = Client().get(f"{FREMONT}/events?when=past")

    assert [e["id"] for e in upcoming.json()["items"]] == [event.pk]
    assert upcoming.json()["items"][0]["kind"] == "block_party"
    assert [e["id"] for e in held.json()["items"]] == [past.pk]


def test_event_list_takes_a_fixed_number_of_queries(fremont, django_assert_num_queries):
    for day in range(1, 6):
        EventFactory(neighbourhoods=[fremont], starts_at=later(day), ends_at=later(day, 2))

    # neighbourhood, count, page
    with django_assert_num_queries(3):
        response = Client().get(f"{FREMONT}/events")

    assert response.json()["count"] == 5


def test_event_shows_places_left_and_my_registration(people, event):
    registration_services.register(gathering=event, user=people["resident"])

    mine = client_for(people["resident"]).get(f"/api/v1/events/{event.pk}")
    anyone = Client().get(f"/api/v1/events/{event.pk}")

    assert mine.json()["availability"] == {
        "capacity": 2,
        "confirmed": 1,
        "waiting": 0,
        "places_left": 1,
        "is_full": False,
    }
    assert mine.json()["my_registration"]["status"] == "confirmed"
    assert anyone.json()["my_registration"] is None
    assert anyone.json()["neighbourhoods"] == [
        {"force": "seattle", "id": "N-FRE", "name": "Fremont"}
    ]


def test_unknown_event_is_404():
    response = Client().get("/api/v1/events/999999")

    assert (response.status_code, response.json()["field"]) == (404, "event")


# --- registering and cancelling -----------------------------------------------------------


def test_event_registration_fills_places_then_the_waiting_list(people, event):
    path = f"/api/v1/events/{event.pk}/registrations"

    anonymous = post_json(Client(), path, {"email": "one@example.org"})
    resident = post_json(client_for(people["resident"]), path)
    waiting = post_json(client_for(people["officer"]), path)

    assert anonymous.json()["status"] is None
    assert anonymous.json()["token"] is None
    assert resident.json()["status"] == "confirmed"
    assert waiting.json()["status"] == "waiting"
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 2


def test_cancelling_by_token_gives_the_place_to_the_first_waiting(people, event):
    first = registration_services.register(gathering=event, email="one@example.org")
    registration_services.register(gathering=event, email="two@example.org")
    waiting = registration_services.register(gathering=event, user=people["resident"])

    response = post_json(Client(), "/api/v1/registrations/cancel", {"token": first.token})
    again = post_json(Client(), "/api/v1/registrations/cancel", {"token": first.token})

    waiting.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["gathering"]["id"] == event.pk
    assert again.json()["status"] == "cancelled"
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert "one@example.org" not in response.content.decode()


def test_cancel_with_a_wrong_token_is_404_and_the_token_never_goes_in_the_url(event):
    registration = RegistrationFactory(event=event)

    wrong = post_json(Client(), "/api/v1/registrations/cancel", {"token": "nope"})
    missing = post_json(Client(), "/api/v1/registrations/cancel", {})
    in_url = Client().get(f"/api/v1/registrations/cancel?token={registration.token}")

    assert (wrong.status_code, wrong.json()["field"]) == (404, "token")
    assert (missing.status_code, missing.json()["field"]) == (400, "token")
    assert in_url.status_code == 405
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_a_registration_for_something_over_cannot_be_cancelled(fremont):
    past = EventFactory(neighbourhoods=[fremont], starts_at=later(-3), ends_at=later(-3, 2))
    registration = RegistrationFactory(event=past)

    response = post_json(Client(), "/api/v1/registrations/cancel", {"token": registration.token})

    assert (response.status_code, response.json()["code"]) == (400, "past")


def test_my_registrations_lists_my_own_with_their_tokens(people, event, fremont):
    meeting = MeetingFactory(neighbourhoods=[fremont])
    mine = registration_services.register(gathering=meeting, user=people["resident"])
    registration_services.register(gathering=event, user=people["officer"])
    cancelled = registration_services.register(gathering=event, user=people["resident"])
    registration_services.cancel_registration(registration=cancelled)

    response = client_for(people["resident"]).get("/api/v1/me/registrations")
    anonymous = Client().get("/api/v1/me/registrations")

    items = response.json()["items"]
    assert [(i["gathering"]["kind"], i["gathering"]["id"]) for i in items] == [
        ("meeting", meeting.pk)
    ]
    assert items[0]["token"] == mine.token
    assert (anonymous.status_code, anonymous.json()["code"]) == (403, "sign_in_required")


def test_my_registrations_take_a_fixed_number_of_queries(
    people, fremont, django_assert_num_queries
):
    client = client_for(people["resident"])
    for day in range(1, 4):
        registration_services.register(
            gathering=EventFactory(starts_at=later(day), ends_at=later(day, 2)),
            user=people["resident"],
        )
        registration_services.register(
            gathering=MeetingFactory(neighbourhoods=[fremont]), user=people["resident"]
        )
    client.get("/api/v1/me/registrations")  # warm the session

    # session, user, count, page (meetings and events joined)
    with django_assert_num_queries(4):
        response = client.get("/api/v1/me/registrations")

    assert response.json()["count"] == 6


# --- the team -----------------------------------------------------------------------------


def event_body(**overrides) -> dict:
    return {
        "title": "Clean-up day",
        "kind": "clean_up",
        "organiser": "Fremont Chamber",
        "starts_at": later(5).isoformat(),
        "ends_at": later(5, 3).isoformat(),
        "venue_name": "Troll Park",
        "capacity": 30,
        **overrides,
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_may_add_an_event(people, fremont, role):
    response = post_json(client_for(people[role]), f"{FREMONT}/events", event_body())

    allowed = role in TEAM
    assert response.status_code == (201 if allowed else 403)
    assert Event.objects.count() == (1 if allowed else 0)
    if allowed:
        assert response.json()["availability"]["places_left"] == 30


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "rave"}, "kind"),
        ({"title": " "}, "title"),
        ({"organiser": ""}, "organiser"),
        ({"starts_at": later(-1).isoformat()}, "starts_at"),
        ({"starts_at": "2030-05-01T10:00:00"}, "starts_at"),
        ({"ends_at": later(4).isoformat()}, "ends_at"),
        ({"venue_name": ""}, "venue_name"),
        ({"capacity": 0}, "capacity"),
        ({"online_url": "ftp://x"}, "online_url"),
    ],
)
def test_bad_event_is_400_naming_the_field(people, fremont, overrides, field):
    response = post_json(
        client_for(people["officer"]), f"{FREMONT}/events", event_body(**overrides)
    )

    assert (response.status_code, response.json()["field"]) == (400, field)
    assert Event.objects.count() == 0


EVENT_ACTIONS = [
    ("move", lambda: {"starts_at": later(9).isoformat(), "ends_at": later(9, 3).isoformat()}),
    ("cancel", lambda: {"reason": "Storm warning."}),
]


@pytest.mark.parametrize(("action", "body"), EVENT_ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_moves_or_cancels_an_event(people, event, role, action, body):
    response = post_json(client_for(people[role]), f"/api/v1/events/{event.pk}/{action}", body())

    assert response.status_code == (200 if role in TEAM else 403)


def test_moving_and_cancelling_an_event_tell_registrants(people, event):
    registration_services.register(gathering=event, email="rita@example.org")
    client = client_for(people["officer"])

    moved = post_json(
        client,
        f"/api/v1/events/{event.pk}/move",
        {**EVENT_ACTIONS[0][1](), "venue_name": "Gas Works Park"},
    )
    cancelled = post_json(client, f"/api/v1/events/{event.pk}/cancel", {"reason": "Storm."})
    again = post_json(client, f"/api/v1/events/{event.pk}/cancel", {"reason": "Storm."})
    into_the_past = post_json(
        client,
        f"/api/v1/events/{EventFactory(neighbourhoods=event.neighbourhoods.all()).pk}/move",
        {"starts_at": later(-1).isoformat(), "ends_at": later(-1, 2).isoformat()},
    )

    assert moved.json()["venue_name"] == "Gas Works Park"
    assert cancelled.json()["is_cancelled"] is True
    assert (again.status_code, again.json()["code"]) == (400, "cancelled")
    assert (into_the_past.status_code, into_the_past.json()["field"]) == (400, "starts_at")
    assert set(RegistrantNotification.objects.values_list("message", flat=True)) == {
        "confirmed",
        "moved",
        "cancelled",
    }


def test_team_actions_on_an_unknown_event_are_404(people):
    response = post_json(
        client_for(people["officer"]), "/api/v1/events/999999/cancel", {"reason": "No."}
    )

    assert response.status_code == 404


# --- the OpenAPI document -----------------------------------------------------------------

VOICE_PATHS = {
    "/api/v1/forces/{force}/neighbourhoods/{code}/priority-cycles",
    "/api/v1/forces/{force}/neighbourhoods/{code}/priority-cycles/{cycle_id}",
    "/api/v1/forces/{force}/neighbourhoods/{code}/priority-cycles/{cycle_id}/my-votes",
    "/api/v1/forces/{force}/neighbourhoods/{code}/priority-cycles/{cycle_id}/proposals",
    "/api/v1/forces/{force}/neighbourhoods/{code}/residency",
    "/api/v1/forces/{force}/neighbourhoods/{code}/you-said-we-did",
    "/api/v1/forces/{force}/neighbourhoods/{code}/meetings",
    "/api/v1/forces/{force}/neighbourhoods/{code}/events",
    "/api/v1/priorities/{priority_id}",
    "/api/v1/priorities/{priority_id}/vote",
    "/api/v1/priorities/{priority_id}/adopt",
    "/api/v1/priorities/{priority_id}/decline",
    "/api/v1/priorities/{priority_id}/updates",
    "/api/v1/priorities/{priority_id}/close",
    "/api/v1/priority-cycles/{cycle_id}/candidates",
    "/api/v1/priority-cycles/{cycle_id}/meeting-votes",
    "/api/v1/meetings/{meeting_id}",
    "/api/v1/meetings/{meeting_id}/questions",
    "/api/v1/meetings/{meeting_id}/questions/{question_id}/upvote",
    "/api/v1/meetings/{meeting_id}/registrations",
    "/api/v1/meetings/{meeting_id}/move",
    "/api/v1/meetings/{meeting_id}/cancel",
    "/api/v1/meetings/{meeting_id}/attendance",
    "/api/v1/meetings/{meeting_id}/minutes",
    "/api/v1/meetings/{meeting_id}/action-items",
    "/api/v1/meetings/{meeting_id}/action-items/{item_id}/close",
    "/api/v1/events/{event_id}",
    "/api/v1/events/{event_id}/registrations",
    "/api/v1/events/{event_id}/move",
    "/api/v1/events/{event_id}/cancel",
    "/api/v1/me/registrations",
    "/api/v1/registrations/cancel",
}


def test_openapi_lists_the_community_voice_paths_each_documented():
    response = Client().get("/api/openapi.json")

    schema = response.json()
    assert response.status_code == 200
    assert set(schema["paths"]) >= VOICE_PATHS
    operations = [
        operation
        for path, methods in schema["paths"].items()
        if path in VOICE_PATHS
        for operation in methods.values()
    ]
    assert len(operations) == 37
    assert all(op.get("summary") and op.get("description") for op in operations)
    assert all(op["tags"] == ["community voice"] for op in operations)

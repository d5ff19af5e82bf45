"""The community voice API for meetings (/api/v1/): reading a neighbourhood's meetings and one
meeting's agenda, questions and minutes; asking and supporting questions; registering; the
team's scheduling and records. Who may do what, bad input, query counts."""

# ruff: noqa: F811  (imported fixtures are parameters of the tests)
from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from beatbridge.voice.models import (
    ActionItem,
    Attendance,
    Meeting,
    Question,
    QuestionVote,
    RegistrantNotification,
    Registration,
    RegistrationStatus,
)
from beatbridge.voice.services import priorities as priority_services
from beatbridge.voice.services import registrations as registration_services
from beatbridge.voice.tests.factories_meetings import (
    ActionItemFactory,
    MeetingFactory,
    PastMeetingFactory,
    QuestionFactory,
    in_days,
)
from beatbridge.voice.tests.factories_priorities import CycleFactory, PriorityFactory
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


@pytest.fixture
def meeting(fremont):
    return MeetingFactory(neighbourhoods=[fremont], title="Fremont beat meeting")


@pytest.fixture
def past_meeting(fremont):
    return PastMeetingFactory(neighbourhoods=[fremont], title="Last month's meeting")


# --- reading ------------------------------------------------------------------------------


def test_upcoming_and_past_meetings_of_a_neighbourhood(fremont, wallingford, meeting, past_meeting):
    MeetingFactory(neighbourhoods=[wallingford])
    cancelled = MeetingFactory(neighbourhoods=[fremont], starts_at=in_days(14), is_cancelled=True)

    upcoming = Client().get(f"{FREMONT}/meetings")
    past = Client().get(f"{FREMONT}/meetings?when=past")
    bad = Client().get(f"{FREMONT}/meetings?when=tomorrow")

    assert [m["id"] for m in upcoming.json()["items"]] == [meeting.pk, cancelled.pk]
    assert upcoming.json()["items"][1]["is_cancelled"] is True
    assert upcoming.json()["items"][0]["neighbourhoods"] == [
        {"force": "seattle", "id": "N-FRE", "name": "Fremont"}
    ]
    assert [m["id"] for m in past.json()["items"]] == [past_meeting.pk]
    assert (bad.status_code, bad.json()["field"]) == (400, "when")


def test_meeting_list_takes_a_fixed_number_of_queries(
    fremont, wallingford, django_assert_num_queries
):
    for day in range(1, 6):
        MeetingFactory(neighbourhoods=[fremont, wallingford], starts_at=in_days(day))

    # neighbourhood, count, page, their neighbourhoods (with forces)
    with django_assert_num_queries(4):
        response = Client().get(f"{FREMONT}/meetings")

    assert response.json()["count"] == 5


def test_meeting_shows_its_computed_agenda_questions_and_actions(people, fremont, meeting):
    cycle = CycleFactory(neighbourhood=fremont, phase="deciding")
    priority = priority_services.adopt(
        actor=people["officer"],
        priority=PriorityFactory(cycle=cycle, title="Speeding by the school"),
        action_plan="Speed checks.",
        action_owner="Sgt Ruiz",
        action_due_on=cycle.ends_on,
    )
    earlier_action = ActionItemFactory(
        meeting=PastMeetingFactory(neighbourhoods=[fremont]), text="Fix the light"
    )
    popular = QuestionFactory(meeting=meeting, text="What about parking?")
    QuestionVote.objects.create(question=popular, voter=people["resident"])
    QuestionFactory(meeting=meeting, text="Rude words", is_hidden=True)

    response = client_for(people["resident"]).get(f"/api/v1/meetings/{meeting.pk}")

    body = response.json()
    assert response.status_code == 200
    assert [p["id"] for p in body["agenda"]["priorities"]] == [priority.pk]
    assert [a["id"] for a in body["agenda"]["action_items"]] == [earlier_action.pk]
    assert [q["text"] for q in body["questions"]] == ["What about parking?"]
    assert body["questions"][0]["upvote_count"] == 1
    assert body["questions"][0]["upvoted"] is True
    assert body["minutes"] is None
    assert body["availability"]["places_left"] is None
    assert body["calendar_url"] == f"/meetings/{meeting.pk}.ics"


def test_past_meeting_shows_published_minutes_attendance_counts_and_no_names(people, past_meeting):
    past_meeting.minutes_raised = "Speeding."
    past_meeting.minutes_published_at = timezone.now()
    past_meeting.save()
    Attendance.objects.create(meeting=past_meeting, method="in_person", count=23)
    past_meeting.named_attendees.create(name="Rita Resident")
    ActionItemFactory(meeting=past_meeting, text="Ask the city")

    response = Client().get(f"/api/v1/meetings/{past_meeting.pk}")

    body = response.json()
    assert body["minutes"]["raised"] == "Speeding."
    assert body["attendance"] == [{"method": "in_person", "method_name": "In person", "count": 23}]
    assert [a["text"] for a in body["action_items"]] == ["Ask the city"]
    assert "Rita Resident" not in response.content.decode()


def test_unknown_meeting_is_404():
    response = Client().get("/api/v1/meetings/999999")

    assert (response.status_code, response.json()["field"]) == (404, "meeting")


# --- questions ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_anyone_signed_in_may_ask_a_question(people, meeting, role):
    response = post_json(
        client_for(people[role]), f"/api/v1/meetings/{meeting.pk}/questions", {"text": "Why?"}
    )

    allowed = role != "anonymous"
    assert response.status_code == (201 if allowed else 403)
    assert Question.objects.count() == (1 if allowed else 0)
    if allowed:
        assert response.json()["upvote_count"] == 0


@pytest.mark.parametrize(
    ("body", "field"), [({}, "text"), ({"text": "  "}, "text"), ({"text": "x" * 1001}, "text")]
)
def test_bad_question_is_400_naming_the_field(people, meeting, body, field):
    response = post_json(
        client_for(people["resident"]), f"/api/v1/meetings/{meeting.pk}/questions", body
    )

    assert (response.status_code, response.json()["field"]) == (400, field)
    assert Question.objects.count() == 0


def test_questions_close_when_the_meeting_starts(people, past_meeting):
    response = post_json(
        client_for(people["resident"]),
        f"/api/v1/meetings/{past_meeting.pk}/questions",
        {"text": "Why?"},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "closed"


def test_support_and_withdraw_support_for_a_question(people, meeting):
    question = QuestionFactory(meeting=meeting)
    client = client_for(people["resident"])
    path = f"/api/v1/meetings/{meeting.pk}/questions/{question.pk}/upvote"

    supported = client.post(path)
    again = client.post(path)
    withdrawn = client.delete(path)
    anonymous = Client().post(path)

    assert supported.json() == {"question": question.pk, "upvote_count": 1, "upvoted": True}
    assert again.json()["upvote_count"] == 1
    assert withdrawn.json() == {"question": question.pk, "upvote_count": 0, "upvoted": False}
    assert anonymous.status_code == 403
    assert QuestionVote.objects.count() == 0


def test_hidden_question_or_one_of_another_meeting_cannot_be_supported(people, meeting):
    hidden = QuestionFactory(meeting=meeting, is_hidden=True)
    other = QuestionFactory(meeting=MeetingFactory())
    client = client_for(people["resident"])

    for question in (hidden, other):
        response = client.post(f"/api/v1/meetings/{meeting.pk}/questions/{question.pk}/upvote")
        assert (response.status_code, response.json()["field"]) == (404, "question")
    assert QuestionVote.objects.count() == 0


# --- registration -------------------------------------------------------------------------


def test_signed_in_registration_answers_the_status_and_own_token(people, meeting):
    response = post_json(
        client_for(people["resident"]), f"/api/v1/meetings/{meeting.pk}/registrations"
    )

    registration = Registration.objects.get()
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    assert response.json()["token"] == registration.token
    assert registration.user == people["resident"]


def test_registration_by_email_never_answers_the_token_or_status(meeting):
    client = Client()
    path = f"/api/v1/meetings/{meeting.pk}/registrations"

    first = post_json(client, path, {"email": "rita@example.org", "name": "Rita"})
    # Someone else typing the same address learns no more than the first time.
    second = post_json(client, path, {"email": "RITA@example.org"})

    registration = Registration.objects.get()
    for response in (first, second):
        assert response.status_code == 200
        assert response.json()["token"] is None
        assert response.json()["status"] is None
        assert registration.token not in response.content.decode()
    assert RegistrantNotification.objects.filter(registration=registration).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "email"), ({"email": "not an address"}, "email"), ({"email": 5}, "email")],
)
def test_bad_registration_by_email_is_400_naming_the_field(meeting, body, field):
    response = post_json(Client(), f"/api/v1/meetings/{meeting.pk}/registrations", body)

    assert (response.status_code, response.json()["field"]) == (400, field)
    assert Registration.objects.count() == 0


def test_registration_past_capacity_joins_the_waiting_list(people, fremont):
    meeting = MeetingFactory(neighbourhoods=[fremont], capacity=1)
    path = f"/api/v1/meetings/{meeting.pk}/registrations"

    post_json(Client(), path, {"email": "first@example.org"})
    response = post_json(client_for(people["resident"]), path)

    assert response.json()["status"] == "waiting"
    assert Registration.objects.filter(status=RegistrationStatus.WAITING).count() == 1


def test_registration_for_a_cancelled_or_past_meeting_is_refused(people, fremont, past_meeting):
    cancelled = MeetingFactory(neighbourhoods=[fremont], is_cancelled=True)
    client = client_for(people["resident"])

    for meeting, code in ((cancelled, "cancelled"), (past_meeting, "past")):
        response = post_json(client, f"/api/v1/meetings/{meeting.pk}/registrations")
        assert (response.status_code, response.json()["code"]) == (400, code)
    assert Registration.objects.count() == 0


# --- the team: scheduling -----------------------------------------------------------------


def meeting_body(**overrides) -> dict:
    starts_at = in_days(10)
    return {
        "kind": "beat",
        "title": "March beat meeting",
        "venue_name": "Fremont Library",
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + datetime.timedelta(hours=2)).isoformat(),
        "languages": ["en", "es"],
        **overrides,
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_may_schedule_a_meeting(people, fremont, role):
    response = post_json(client_for(people[role]), f"{FREMONT}/meetings", meeting_body())

    allowed = role in TEAM
    assert response.status_code == (201 if allowed else 403)
    assert Meeting.objects.count() == (1 if allowed else 0)
    if allowed:
        assert response.json()["languages"] == ["en", "es"]
        assert response.json()["agenda"]["items"] == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"title": ""}, "title"),
        ({"starts_at": in_days(-1).isoformat()}, "starts_at"),
        ({"starts_at": "2030-01-01T19:00:00"}, "starts_at"),
        ({"ends_at": in_days(9).isoformat()}, "ends_at"),
        ({"venue_name": "", "address": ""}, "venue_name"),
        ({"kind": "online", "online_url": "not a link"}, "online_url"),
        ({"capacity": 0}, "capacity"),
        ({"languages": ["klingon!"]}, "languages"),
        ({"also_for": ["N-NOPE"]}, "also_for"),
    ],
)
def test_bad_meeting_is_400_naming_the_field(people, fremont, wallingford, overrides, field):
    response = post_json(
        client_for(people["officer"]), f"{FREMONT}/meetings", meeting_body(**overrides)
    )

    assert (response.status_code, response.json()["field"]) == (400, field)
    assert Meeting.objects.count() == 0


def test_a_joint_meeting_needs_someone_serving_every_neighbourhood(people, fremont, wallingford):
    body = meeting_body(also_for=["N-WAL"])

    by_officer = post_json(client_for(people["officer"]), f"{FREMONT}/meetings", body)
    by_supervisor = post_json(client_for(people["supervisor"]), f"{FREMONT}/meetings", body)

    assert by_officer.status_code == 403
    assert by_supervisor.status_code == 201
    assert {n["id"] for n in by_supervisor.json()["neighbourhoods"]} == {"N-FRE", "N-WAL"}


TEAM_ACTIONS_BEFORE = [
    ("move", lambda: {"starts_at": in_days(8).isoformat(), "ends_at": in_days(8, 21).isoformat()}),
    ("cancel", lambda: {"reason": "The library is closed."}),
]
TEAM_ACTIONS_AFTER = [
    ("attendance", lambda: {"in_person": 20, "online": 4}, 200),
    ("minutes", lambda: {"raised": "Speeding.", "decided": "Speed checks."}, 200),
    (
        "action-items",
        lambda: {
            "text": "Ask the city for a crossing",
            "owner": "Sgt Ruiz",
            "due_on": "2099-01-01",
        },
        201,
    ),
]


@pytest.mark.parametrize(("action", "body"), TEAM_ACTIONS_BEFORE)
@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_moves_or_cancels_a_meeting(people, meeting, role, action, body):
    response = post_json(
        client_for(people[role]), f"/api/v1/meetings/{meeting.pk}/{action}", body()
    )

    assert response.status_code == (200 if role in TEAM else 403)


@pytest.mark.parametrize(("action", "body", "ok"), TEAM_ACTIONS_AFTER)
@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_records_what_happened(people, past_meeting, role, action, body, ok):
    response = post_json(
        client_for(people[role]), f"/api/v1/meetings/{past_meeting.pk}/{action}", body()
    )

    assert response.status_code == (ok if role in TEAM else 403)


def test_moving_tells_registrants_once_and_cancelling_twice_is_409(people, meeting):
    registration_services.register(gathering=meeting, email="rita@example.org")
    client = client_for(people["officer"])
    move = TEAM_ACTIONS_BEFORE[0][1]()

    moved = post_json(client, f"/api/v1/meetings/{meeting.pk}/move", move)
    cancelled = post_json(client, f"/api/v1/meetings/{meeting.pk}/cancel", {"reason": "Flood."})
    again = post_json(client, f"/api/v1/meetings/{meeting.pk}/cancel", {"reason": "Flood."})

    messages = set(RegistrantNotification.objects.values_list("message", flat=True))
    assert datetime.datetime.fromisoformat(moved.json()["starts_at"]) == in_days(8)
    assert cancelled.json()["is_cancelled"] is True
    assert cancelled.json()["cancellation_reason"] == "Flood."
    assert again.status_code == 409
    assert messages == {"confirmed", "moved", "cancelled"}


def test_move_into_the_past_or_without_a_reason_to_cancel_is_400(people, meeting):
    client = client_for(people["officer"])

    past = post_json(
        client,
        f"/api/v1/meetings/{meeting.pk}/move",
        {"starts_at": in_days(-2).isoformat(), "ends_at": in_days(-2, 21).isoformat()},
    )
    no_reason = post_json(client, f"/api/v1/meetings/{meeting.pk}/cancel", {"reason": ""})

    assert (past.status_code, past.json()["field"]) == (400, "starts_at")
    assert (no_reason.status_code, no_reason.json()["field"]) == (400, "reason")
    meeting.refresh_from_db()
    assert not meeting.is_cancelled


def test_team_actions_on_an_unknown_meeting_are_404(people):
    response = post_json(
        client_for(people["officer"]), "/api/v1/meetings/999999/cancel", {"reason": "No."}
    )

    assert response.status_code == 404


# --- the team: records --------------------------------------------------------------------


def test_attendance_replaces_the_counts_and_refuses_bad_ones(people, meeting, past_meeting):
    client = client_for(people["officer"])
    path = f"/api/v1/meetings/{past_meeting.pk}/attendance"

    post_json(client, path, {"in_person": 20, "online": 4})
    recorded = post_json(client, path, {"in_person": 18})
    negative = post_json(client, path, {"phone": -1})
    too_early = post_json(client, f"/api/v1/meetings/{meeting.pk}/attendance", {"in_person": 3})

    assert recorded.json()["attendance"] == [
        {"method": "in_person", "method_name": "In person", "count": 18}
    ]
    assert (negative.status_code, negative.json()["field"]) == (400, "phone")
    assert (too_early.status_code, too_early.json()["code"]) == (400, "not_started")
    assert list(Attendance.objects.values_list("count", flat=True)) == [18]


def test_minutes_are_published_and_need_some_text(people, past_meeting):
    client = client_for(people["officer"])
    path = f"/api/v1/meetings/{past_meeting.pk}/minutes"

    empty = post_json(client, path, {})
    published = post_json(client, path, {"answered": "The city will fix it."})

    assert (empty.status_code, empty.json()["field"]) == (400, "raised")
    assert published.json()["minutes"]["answered"] == "The city will fix it."
    assert published.json()["minutes"]["published_at"] is not None


def test_action_items_are_added_then_closed_once(people, past_meeting, meeting):
    client = client_for(people["officer"])

    early = post_json(
        client,
        f"/api/v1/meetings/{past_meeting.pk}/action-items",
        {"text": "Crossing", "owner": "Sgt Ruiz", "due_on": "2000-01-01"},
    )
    added = post_json(
        client,
        f"/api/v1/meetings/{past_meeting.pk}/action-items",
        {"text": "Crossing", "owner": "Sgt Ruiz", "due_on": "2099-01-01"},
    )
    item_id = added.json()["id"]
    close_path = f"/api/v1/meetings/{past_meeting.pk}/action-items/{item_id}/close"
    blank = post_json(client, close_path, {"outcome": ""})
    closed = post_json(client, close_path, {"outcome": "The city painted it."})
    again = post_json(client, close_path, {"outcome": "Again."})
    wrong_meeting = post_json(
        client, f"/api/v1/meetings/{meeting.pk}/action-items/{item_id}/close", {"outcome": "X"}
    )

    assert (early.status_code, early.json()["field"]) == (400, "due_on")
    assert added.status_code == 201
    assert (blank.status_code, blank.json()["field"]) == (400, "outcome")
    assert closed.json()["done_at"] is not None
    assert again.status_code == 409
    assert wrong_meeting.status_code == 404
    assert ActionItem.objects.get().outcome == "The city painted it."


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_closes_an_action_item(people, past_meeting, role):
    item = ActionItemFactory(meeting=past_meeting)

    response = post_json(
        client_for(people[role]),
        f"/api/v1/meetings/{past_meeting.pk}/action-items/{item.pk}/close",
        {"outcome": "Done."},
    )

    item.refresh_from_db()
    assert response.status_code == (200 if role in TEAM else 403)
    assert (item.done_at is not None) is (role in TEAM)


def test_a_meeting_reads_in_the_language_asked_for(fremont):
    from beatbridge.voice.tests.factories_meetings import MeetingFactory

    meeting = MeetingFactory(
        neighbourhoods=[fremont],
        description="Everyone is welcome.",
        accessibility="Ramp at the side.",
        translations={"es": {"description": "Todos son bienvenidos.", "accessibility": "Rampa."}},
    )
    body = Client().get(f"/api/v1/meetings/{meeting.pk}", HTTP_ACCEPT_LANGUAGE="es").json()
    assert (body["description"], body["accessibility"]) == ("Todos son bienvenidos.", "Rampa.")

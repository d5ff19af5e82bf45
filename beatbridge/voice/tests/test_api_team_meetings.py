"""The community voice API for the team's work on meetings (/api/v1/): the agenda's own items,
answering and hiding questions, named attendees with consent, concerns raised and what they
become, monthly series, a meeting's details and who registered. Who may, bad input, audit."""

# ruff: noqa: F811  (imported fixtures are parameters of the tests)
from __future__ import annotations

import datetime
import json
import zoneinfo

import pytest
from django.conf import settings

from beatbridge.audit.models import AuditEntry
from beatbridge.reports.models import Report
from beatbridge.reports.tests.factories import CategoryFactory
from beatbridge.voice.models import (
    AgendaItem,
    Meeting,
    MeetingSeries,
    NamedAttendee,
    Priority,
    PrioritySource,
    RaisedConcern,
)
from beatbridge.voice.services import registrations as registration_services
from beatbridge.voice.tests.factories_meetings import (
    MeetingFactory,
    PastMeetingFactory,
    QuestionFactory,
    RaisedConcernFactory,
)
from beatbridge.voice.tests.factories_priorities import CycleFactory
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


def _url(meeting: Meeting, rest: str) -> str:
    return f"/api/v1/meetings/{meeting.pk}/{rest}"


def _put_json(client, path: str, body: object):
    return client.put(path, json.dumps(body), content_type="application/json")


# --- the agenda's own items ---------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_adds_and_removes_agenda_items(people, meeting, role):
    client = client_for(people[role])
    item = AgendaItem.objects.create(meeting=meeting, title="Graffiti on the bridge", position=0)

    added = post_json(client, _url(meeting, "agenda-items"), {"title": "Parking by the school"})
    removed = client.delete(_url(meeting, f"agenda-items/{item.pk}"))

    allowed = role in TEAM
    assert (added.status_code, removed.status_code) == ((201, 200) if allowed else (403, 403))
    titles = list(meeting.agenda_items.values_list("title", flat=True))
    assert titles == (["Parking by the school"] if allowed else ["Graffiti on the bridge"])


def test_an_added_item_shows_on_the_agenda_and_its_adding_is_audited(people, meeting):
    added = post_json(
        client_for(people["officer"]), _url(meeting, "agenda-items"), {"title": "Parking"}
    )

    agenda = client_for(None).get(f"/api/v1/meetings/{meeting.pk}").json()["agenda"]
    assert agenda["items"] == [{"id": added.json()["id"], "title": "Parking"}]
    assert AuditEntry.objects.filter(action="meeting.agenda_item_added").count() == 1


def test_bad_agenda_items_are_refused_naming_the_field(people, meeting, fremont):
    client = client_for(people["officer"])
    other = AgendaItem.objects.create(
        meeting=MeetingFactory(neighbourhoods=[fremont]), title="Elsewhere", position=0
    )

    empty = post_json(client, _url(meeting, "agenda-items"), {"title": "  "})
    too_long = post_json(client, _url(meeting, "agenda-items"), {"title": "x" * 301})
    not_this_meetings = client.delete(_url(meeting, f"agenda-items/{other.pk}"))

    assert (empty.status_code, empty.json()["field"]) == (400, "title")
    assert (too_long.status_code, too_long.json()["field"]) == (400, "title")
    assert not_this_meetings.status_code == 404
    assert AgendaItem.objects.count() == 1


# --- questions ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_answers_hides_and_unhides_a_question(people, meeting, role):
    question = QuestionFactory(meeting=meeting)
    client = client_for(people[role])

    answered = post_json(
        client, _url(meeting, f"questions/{question.pk}/answer"), {"answer": "Yes."}
    )
    hidden = post_json(client, _url(meeting, f"questions/{question.pk}/hide"))

    question.refresh_from_db()
    allowed = role in TEAM
    assert (answered.status_code, hidden.status_code) == ((200, 200) if allowed else (403, 403))
    assert (question.answer, question.is_hidden) == (("Yes.", True) if allowed else ("", False))
    if allowed:
        assert hidden.json()["is_hidden"] is True
        assert hidden.json()["answer"] == "Yes."


def test_a_hidden_question_leaves_the_public_list_and_comes_back_when_unhidden(people, meeting):
    question = QuestionFactory(meeting=meeting)
    client = client_for(people["officer"])

    post_json(client, _url(meeting, f"questions/{question.pk}/hide"))
    while_hidden = client_for(None).get(f"/api/v1/meetings/{meeting.pk}").json()["questions"]
    unhidden = post_json(client, _url(meeting, f"questions/{question.pk}/unhide"))
    after = client_for(None).get(f"/api/v1/meetings/{meeting.pk}").json()["questions"]

    assert while_hidden == []
    assert unhidden.json()["is_hidden"] is False
    assert [q["id"] for q in after] == [question.pk]
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["question.hidden", "question.shown"]


def test_bad_answers_are_refused_naming_the_field(people, meeting, fremont):
    question = QuestionFactory(meeting=meeting)
    of_another_meeting = QuestionFactory(meeting=MeetingFactory(neighbourhoods=[fremont]))
    client = client_for(people["officer"])

    empty = post_json(client, _url(meeting, f"questions/{question.pk}/answer"), {"answer": ""})
    missing = post_json(client, _url(meeting, f"questions/{question.pk}/answer"), {})
    elsewhere = post_json(
        client, _url(meeting, f"questions/{of_another_meeting.pk}/answer"), {"answer": "No."}
    )

    assert (empty.status_code, empty.json()["field"]) == (400, "answer")
    assert (missing.status_code, missing.json()["field"]) == (400, "answer")
    assert elsewhere.status_code == 404
    of_another_meeting.refresh_from_db()
    assert of_another_meeting.answer == ""


# --- named attendees ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_adds_and_removes_a_named_attendee(people, past_meeting, role):
    client = client_for(people[role])
    earlier = NamedAttendee.objects.create(meeting=past_meeting, name="Ana Diaz")

    added = post_json(
        client, _url(past_meeting, "attendees"), {"name": "Rita Ortiz", "consented": True}
    )
    removed = client.delete(_url(past_meeting, f"attendees/{earlier.pk}"))

    allowed = role in TEAM
    assert (added.status_code, removed.status_code) == ((201, 200) if allowed else (403, 403))
    names = list(past_meeting.named_attendees.values_list("name", flat=True))
    assert names == (["Rita Ortiz"] if allowed else ["Ana Diaz"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Rita Ortiz", "consented": False}, "consented"),
        ({"name": "Rita Ortiz"}, "consented"),
        ({"name": "", "consented": True}, "name"),
    ],
)
def test_a_name_without_consent_or_without_a_name_is_refused(people, past_meeting, body, field):
    response = post_json(client_for(people["officer"]), _url(past_meeting, "attendees"), body)

    assert (response.status_code, response.json()["field"]) == (400, field)
    assert NamedAttendee.objects.count() == 0


def test_names_are_taken_only_once_the_meeting_started_and_never_published(people, meeting):
    client = client_for(people["officer"])

    early = post_json(client, _url(meeting, "attendees"), {"name": "Rita", "consented": True})
    NamedAttendee.objects.create(meeting=meeting, name="Ana Diaz")
    public = client_for(None).get(f"/api/v1/meetings/{meeting.pk}")

    assert (early.status_code, early.json()["field"]) == (400, "name")
    assert "Ana Diaz" not in public.text


# --- concerns raised ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_notes_a_concern(people, past_meeting, role):
    response = post_json(
        client_for(people[role]), _url(past_meeting, "concerns"), {"text": "Speeding at 8am."}
    )

    allowed = role in TEAM
    assert response.status_code == (201 if allowed else 403)
    assert RaisedConcern.objects.count() == (1 if allowed else 0)
    if allowed:
        assert response.json()["priority"] is None
        assert response.json()["report_reference"] == ""


def test_an_empty_concern_is_400_on_the_text(people, past_meeting):
    response = post_json(
        client_for(people["officer"]), _url(past_meeting, "concerns"), {"text": " "}
    )

    assert (response.status_code, response.json()["field"]) == (400, "text")
    assert RaisedConcern.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_makes_a_concern_a_candidate_priority(people, fremont, past_meeting, role):
    cycle = CycleFactory(neighbourhood=fremont)
    concern = RaisedConcernFactory(meeting=past_meeting)

    response = post_json(
        client_for(people[role]),
        _url(past_meeting, f"concerns/{concern.pk}/priority"),
        {"title": "Speeding by the school"},
    )

    allowed = role in TEAM
    assert response.status_code == (201 if allowed else 403)
    assert Priority.objects.count() == (1 if allowed else 0)
    if allowed:
        priority = Priority.objects.get()
        assert (priority.cycle, priority.source) == (cycle, PrioritySource.MEETING)
        assert response.json()["priority"] == priority.pk


def test_a_concern_becomes_one_thing_once_and_needs_an_open_cycle(people, fremont, past_meeting):
    concern = RaisedConcernFactory(meeting=past_meeting)
    client = client_for(people["officer"])
    to_priority = _url(past_meeting, f"concerns/{concern.pk}/priority")

    without_cycle = post_json(client, to_priority, {})
    CycleFactory(neighbourhood=fremont)
    made = post_json(client, to_priority, {})
    again = post_json(client, to_priority, {})

    assert without_cycle.status_code == 400
    assert made.status_code == 201
    assert (again.status_code, again.json()["code"]) == (409, "already_converted")
    assert Priority.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_files_a_concern_as_a_report(people, force, past_meeting, role):
    CategoryFactory(force=force, code="speeding")
    concern = RaisedConcernFactory(meeting=past_meeting)

    response = post_json(
        client_for(people[role]),
        _url(past_meeting, f"concerns/{concern.pk}/report"),
        {"category": "speeding"},
    )

    allowed = role in TEAM
    assert response.status_code == (201 if allowed else 403)
    assert Report.staff_objects.count() == (1 if allowed else 0)
    if allowed:
        report = Report.staff_objects.get()
        assert response.json()["report_reference"] == report.reference
        assert report.category.code == "speeding"
        assert AuditEntry.objects.filter(action="meeting.concern_to_report").exists()


def test_a_report_needs_a_concern_category_of_the_force(people, force, past_meeting):
    CategoryFactory(force=force, code="burglary", suspicious=True)
    concern = RaisedConcernFactory(meeting=past_meeting)
    client = client_for(people["officer"])
    to_report = _url(past_meeting, f"concerns/{concern.pk}/report")

    unknown = post_json(client, to_report, {"category": "nope"})
    not_a_concern = post_json(client, to_report, {"category": "burglary"})
    missing = post_json(client, to_report, {})
    no_such_concern = post_json(
        client, _url(past_meeting, "concerns/999999/report"), {"category": "nope"}
    )

    for response in (unknown, not_a_concern, missing):
        assert (response.status_code, response.json()["field"]) == (400, "category")
    assert no_such_concern.status_code == 404
    assert Report.staff_objects.count() == 0


# --- series and details -------------------------------------------------------------------


def series_body(**overrides) -> dict:
    return {
        "kind": "beat",
        "title": "Fremont monthly beat meeting",
        "venue_name": "Fremont Library",
        "week_of_month": 2,
        "weekday": 2,
        "start_time": "19:00",
        "duration_minutes": 90,
        **overrides,
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_schedules_a_monthly_series(people, fremont, role):
    response = post_json(client_for(people[role]), f"{FREMONT}/meeting-series", series_body())

    allowed = role in TEAM
    assert response.status_code == (201 if allowed else 403)
    assert MeetingSeries.objects.count() == (1 if allowed else 0)
    if allowed:
        body = response.json()
        meetings = Meeting.objects.filter(series_id=body["series"]["id"]).order_by("starts_at")
        assert [m["id"] for m in body["meetings"]] == [m.pk for m in meetings]
        assert 11 <= len(body["meetings"]) <= 13
        assert body["series"]["time_zone"] == settings.TIME_ZONE
        first = datetime.datetime.fromisoformat(body["meetings"][0]["starts_at"])
        local = first.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        assert (local.hour, local.minute, local.isoweekday()) == (19, 0, 2)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"weekday": 8}, "weekday"),
        ({"week_of_month": 5}, "week_of_month"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"start_time": "19:00:00-07:00"}, "start_time"),
        ({"start_time": "seven"}, "start_time"),
        ({"until": "2001-01-01"}, "until"),
        ({"kind": "party"}, "kind"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_series_is_400_naming_the_field(people, fremont, overrides, field):
    response = post_json(
        client_for(people["officer"]), f"{FREMONT}/meeting-series", series_body(**overrides)
    )

    assert (response.status_code, response.json()["field"]) == (400, field)
    assert (MeetingSeries.objects.count(), Meeting.objects.count()) == (0, 0)


def details_body(**overrides) -> dict:
    return {
        "kind": "forum",
        "title": "Fremont community forum",
        "venue_name": "Fremont Library",
        "languages": ["en", "es"],
        "capacity": 40,
        **overrides,
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_changes_a_meetings_details_and_not_its_time(people, meeting, role):
    starts_at = meeting.starts_at

    response = _put_json(client_for(people[role]), _url(meeting, "details"), details_body())

    meeting.refresh_from_db()
    allowed = role in TEAM
    assert response.status_code == (200 if allowed else 403)
    assert meeting.title == ("Fremont community forum" if allowed else "Fremont beat meeting")
    assert meeting.starts_at == starts_at
    if allowed:
        assert (response.json()["kind"], response.json()["capacity"]) == ("forum", 40)


def test_details_refuse_bad_input_and_a_capacity_below_those_coming(people, meeting):
    registration_services.register(gathering=meeting, email="a@example.org")
    registration_services.register(gathering=meeting, email="b@example.org")
    client = client_for(people["officer"])

    too_small = _put_json(client, _url(meeting, "details"), details_body(capacity=1))
    no_title = _put_json(client, _url(meeting, "details"), details_body(title=""))
    no_place = _put_json(client, _url(meeting, "details"), details_body(venue_name=""))

    assert (too_small.status_code, too_small.json()["field"]) == (400, "capacity")
    assert (no_title.status_code, no_title.json()["field"]) == (400, "title")
    assert (no_place.status_code, no_place.json()["field"]) == (400, "venue_name")
    meeting.refresh_from_db()
    assert (meeting.title, meeting.capacity) == ("Fremont beat meeting", None)


# --- who registered -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_sees_who_registered_and_each_read_is_audited(people, meeting, role):
    registration_services.register(gathering=meeting, email="rita@example.org", name="Rita")

    response = client_for(people[role]).get(_url(meeting, "registrants"))

    allowed = role in TEAM
    assert response.status_code == (200 if allowed else 403)
    viewed = AuditEntry.objects.filter(action="meeting.registrations_viewed")
    if allowed:
        assert [(r["name"], r["email"], r["status"]) for r in response.json()["items"]] == [
            ("Rita", "rita@example.org", "confirmed")
        ]
        assert [(e.actor_id, e.target_id) for e in viewed] == [(people[role].pk, str(meeting.pk))]
    else:
        assert "rita@example.org" not in response.text
        assert not viewed.exists()


def test_registrants_of_an_unknown_meeting_are_404(people):
    response = client_for(people["officer"]).get("/api/v1/meetings/999999/registrants")

    assert response.status_code == 404

"""The team's CSV exports: who may, what is in them, what never is, and the audit trail."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beatbridge.accounts.tests.factories import (
    AdministratorFactory,
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.audit.models import AuditEntry
from beatbridge.places.tests.factories import NeighbourhoodFactory
from beatbridge.voice.models import AttendanceMethod, PriorityStatus, Vote, VoteMethod
from beatbridge.voice.tests.factories_calendar import (
    ActionItemFactory,
    AttendanceFactory,
    CycleFactory,
    MeetingFactory,
    NamedAttendeeFactory,
    OnlineVoteFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db


def _rows(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def _urls(fremont) -> dict[str, str]:
    cycle = CycleFactory(neighbourhood=fremont)
    where = {"force": "seattle", "code": fremont.code}
    return {
        "votes": reverse("voice:export_votes", kwargs={"pk": cycle.pk}),
        "attendance": reverse("voice:export_attendance", kwargs=where),
        "action_items": reverse("voice:export_action_items", kwargs=where),
    }


@pytest.fixture
def people(fremont, fremont_officer):
    ballard = NeighbourhoodFactory(force=fremont.force, code="N-BAL")
    other_officer = TeamAssignmentFactory(
        officer=OfficerProfileFactory(force=fremont.force), neighbourhood=ballard
    ).officer.user
    return {
        "resident": UserFactory(),
        "officer of another neighbourhood": other_officer,
        "team": fremont_officer,
        "supervisor": OfficerProfileFactory(force=fremont.force, supervisor=True).user,
        "administrator": AdministratorFactory(),
    }


@pytest.mark.parametrize("export", ["votes", "attendance", "action_items"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("resident", 403),
        ("officer of another neighbourhood", 403),
        ("team", 200),
        ("supervisor", 200),
        ("administrator", 200),
    ],
)
def test_only_the_team_its_supervisors_and_administrators_export(
    client: Client, fremont, people, export, who, status
):
    client.force_login(people[who])

    response = client.get(_urls(fremont)[export])

    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Cache-Control"] == "private, no-store"
    else:
        assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("export", ["votes", "attendance", "action_items"])
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, fremont, export):
    response = client.get(_urls(fremont)[export])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_unknown_cycle_or_neighbourhood_is_404(client: Client, fremont_officer):
    client.force_login(fremont_officer)

    assert client.get(reverse("voice:export_votes", kwargs={"pk": 999})).status_code == 404
    missing = {"force": "seattle", "code": "N-NOPE"}
    assert client.get(reverse("voice:export_attendance", kwargs=missing)).status_code == 404


def test_votes_are_counts_per_candidate_by_method_never_voters(
    client: Client, fremont, fremont_officer
):
    cycle = CycleFactory(neighbourhood=fremont)
    speeding = PriorityFactory(cycle=cycle, title="Speeding by the school")
    dumping = PriorityFactory(cycle=cycle, title="Dumping in the alley")
    voter = UserFactory(email="secret.voter@example.org", full_name="Secret Voter")
    OnlineVoteFactory(priority=speeding, voter=voter)
    OnlineVoteFactory(priority=speeding)
    meeting = MeetingFactory()
    Vote.objects.create(priority=speeding, method=VoteMethod.MEETING, meeting=meeting, count=7)
    OnlineVoteFactory(priority=dumping)
    client.force_login(fremont_officer)

    response = client.get(reverse("voice:export_votes", kwargs={"pk": cycle.pk}))

    body = b"".join(response.streaming_content).decode()
    assert "Secret Voter" not in body and "secret.voter" not in body
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [
        (r["title"], r["online_votes"], r["meeting_votes"], r["total_votes"]) for r in rows
    ] == [("Speeding by the school", "2", "7", "9"), ("Dumping in the alley", "1", "0", "1")]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target_id, entry.actor) == (
        "cycle.votes_exported",
        str(cycle.pk),
        fremont_officer,
    )


def test_cells_a_spreadsheet_would_run_are_made_inert(client: Client, fremont, fremont_officer):
    cycle = CycleFactory(neighbourhood=fremont)
    PriorityFactory(cycle=cycle, title='=HYPERLINK("https://evil.example","Click")')
    meeting = MeetingFactory(neighbourhoods=[fremont])
    ActionItemFactory(meeting=meeting, text="+1 more patrol", owner="@team")
    client.force_login(fremont_officer)

    [vote_row] = _rows(client.get(reverse("voice:export_votes", kwargs={"pk": cycle.pk})))
    [item_row] = _rows(
        client.get(
            reverse("voice:export_action_items", kwargs={"force": "seattle", "code": "N-FRE"})
        )
    )

    assert vote_row["title"] == '\'=HYPERLINK("https://evil.example","Click")'
    assert (item_row["action"], item_row["owner"]) == ("'+1 more patrol", "'@team")


def test_attendance_is_counts_by_method_and_names_only_when_asked(
    client: Client, fremont, fremont_officer
):
    meeting = MeetingFactory(title="January", neighbourhoods=[fremont])
    AttendanceFactory(meeting=meeting, method=AttendanceMethod.IN_PERSON, count=23)
    AttendanceFactory(meeting=meeting, method=AttendanceMethod.ONLINE, count=9)
    NamedAttendeeFactory(meeting=meeting, name="Rosa Flores")
    NamedAttendeeFactory(meeting=meeting, name="Kenji Sato")
    MeetingFactory(title="Ballard's", neighbourhoods=[NeighbourhoodFactory(force=fremont.force)])
    client.force_login(fremont_officer)
    url = reverse("voice:export_attendance", kwargs={"force": "seattle", "code": "N-FRE"})

    plain = client.get(url)
    plain_body = b"".join(plain.streaming_content).decode()
    [row] = list(csv.DictReader(io.StringIO(plain_body)))
    named = _rows(client.get(url, {"names": "1"}))

    assert (row["title"], row["in_person_count"], row["online_count"], row["phone_count"]) == (
        "January",
        "23",
        "9",
        "0",
    )
    assert (row["total"], row["named_attendees_count"]) == ("32", "2")
    assert "Rosa Flores" not in plain_body and "named_attendees" in plain_body
    assert named[0]["named_attendees"] == "Rosa Flores; Kenji Sato"
    assert list(AuditEntry.objects.order_by("id").values_list("action", "detail")) == [
        ("meeting.attendance_exported", {"names": False}),
        ("meeting.attendance_exported", {"names": True}),
    ]


def test_action_items_show_open_and_done_with_owner_due_date_and_outcome(
    client: Client, fremont, fremont_officer
):
    meeting = MeetingFactory(neighbourhoods=[fremont])
    ActionItemFactory(
        meeting=meeting,
        text="Ask City Light about the lamps",
        owner="Sgt Ruiz",
        due_on=datetime.date(2031, 2, 1),
    )
    ActionItemFactory(
        meeting=meeting,
        text="Speed check on 35th",
        due_on=datetime.date(2031, 1, 15),
        done_at=timezone.now(),
        outcome="Ran three mornings; 41 tickets.",
    )
    ActionItemFactory(meeting=MeetingFactory(neighbourhoods=[NeighbourhoodFactory()]))
    client.force_login(fremont_officer)

    rows = _rows(
        client.get(
            reverse("voice:export_action_items", kwargs={"force": "seattle", "code": "N-FRE"})
        )
    )

    assert [(r["action"], r["owner"], r["due_on"], r["state"], r["outcome"]) for r in rows] == [
        (
            "Speed check on 35th",
            "Sgt Ruiz",
            "2031-01-15",
            "done",
            "Ran three mornings; 41 tickets.",
        ),
        ("Ask City Light about the lamps", "Sgt Ruiz", "2031-02-01", "open", ""),
    ]
    assert rows[0]["done_at"] and not rows[1]["done_at"]
    assert AuditEntry.objects.get().action == "meeting.action_items_exported"


def test_adopted_and_closed_candidates_keep_their_status_in_the_vote_export(
    client: Client, fremont, fremont_officer
):
    cycle = CycleFactory(neighbourhood=fremont)
    PriorityFactory(cycle=cycle, status=PriorityStatus.NOT_ADOPTED, decision_reason="Out of scope")
    client.force_login(fremont_officer)

    [row] = _rows(client.get(reverse("voice:export_votes", kwargs={"pk": cycle.pk})))

    assert (row["status"], row["total_votes"]) == ("not_adopted", "0")

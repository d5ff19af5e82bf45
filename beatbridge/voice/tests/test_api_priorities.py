"""The community voice API for priorities (/api/v1/): cycles, proposals, votes, "you said, we
did" and the team's decisions; who may do what, bad input, query counts.

The people and helpers here are shared with the meetings and events API tests.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from beatbridge.accounts.tests.factories import AdministratorFactory
from beatbridge.places import services as places_services
from beatbridge.places.tests.factories import NeighbourhoodFactory, square
from beatbridge.voice.models import Cycle, Priority, PriorityStatus, PriorityUpdate, Vote
from beatbridge.voice.services import priorities as services
from beatbridge.voice.tests.factories_priorities import (
    CycleFactory,
    OnlineVoteFactory,
    PriorityFactory,
    meeting_of,
    officer_of,
    resident_of,
    supervisor_of,
)

pytestmark = pytest.mark.django_db

FREMONT = "/api/v1/forces/seattle/neighbourhoods/N-FRE"
ROLES = [
    "anonymous",
    "resident",
    "resident_elsewhere",
    "officer",
    "officer_elsewhere",
    "supervisor",
    "admin",
]
TEAM = {"officer", "supervisor", "admin"}


# --- people and helpers (shared) ----------------------------------------------------------


@pytest.fixture
def wallingford(force, fremont):
    """Another neighbourhood of the same force and sector, with its own team and resident."""
    neighbourhood = NeighbourhoodFactory(
        force=force,
        code="N-WAL",
        name="Wallingford",
        boundary=square(-122.34, 47.65),
        sector=fremont.sector,
    )
    places_services.mark_boundaries_changed()
    return neighbourhood


@pytest.fixture
def people(force, fremont, fremont_officer, wallingford):
    return {
        "anonymous": None,
        "resident": resident_of(fremont),
        "resident_elsewhere": resident_of(wallingford),
        "officer": fremont_officer,
        "officer_elsewhere": officer_of(wallingford),
        "supervisor": supervisor_of(force),
        "admin": AdministratorFactory(),
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def post_json(client: Client, path: str, body: object = None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def days(count: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=count)).isoformat()


# --- reading ------------------------------------------------------------------------------


def test_cycles_of_a_neighbourhood_are_listed_latest_first_for_anyone(fremont, wallingford):
    old = CycleFactory(neighbourhood=fremont, phase="closed", title="Winter")
    current = CycleFactory(neighbourhood=fremont, phase="voting", title="Spring")
    CycleFactory(neighbourhood=wallingford)

    response = Client().get(f"{FREMONT}/priority-cycles")

    items = response.json()["items"]
    assert response.status_code == 200
    assert [item["id"] for item in items] == [current.pk, old.pk]
    assert items[0]["phase"] == "voting"


def test_cycles_of_an_unknown_neighbourhood_are_404_naming_it(force):
    response = Client().get("/api/v1/forces/seattle/neighbourhoods/N-NOPE/priority-cycles")

    assert response.status_code == 404
    assert response.json()["field"] == "neighbourhood"


@pytest.mark.parametrize(
    ("role", "sees_totals"),
    [
        ("anonymous", False),
        ("resident", False),
        ("officer_elsewhere", False),
        ("officer", True),
        ("supervisor", True),
        ("admin", True),
    ],
)
def test_vote_totals_are_hidden_while_voting_except_from_the_team(
    people, fremont, role, sees_totals
):
    cycle = CycleFactory(neighbourhood=fremont, phase="voting")
    priority = PriorityFactory(cycle=cycle)
    OnlineVoteFactory(priority=priority)

    client = client_for(people[role])
    response = client.get(f"{FREMONT}/priority-cycles/{cycle.pk}")
    detail = client.get(f"/api/v1/priorities/{priority.pk}")

    body = response.json()
    assert body["totals_shown"] is sees_totals
    expected = {"online": 1, "meeting": 0, "total": 1} if sees_totals else None
    assert body["candidates"][0]["votes"] == expected
    assert detail.json()["votes"] == expected


def test_totals_are_public_once_voting_closes_most_voted_first(fremont):
    cycle = CycleFactory(neighbourhood=fremont, phase="deciding")
    fewer = PriorityFactory(cycle=cycle)
    more = PriorityFactory(cycle=cycle)
    OnlineVoteFactory(priority=more)
    OnlineVoteFactory(priority=more)
    OnlineVoteFactory(priority=fewer)

    response = Client().get(f"{FREMONT}/priority-cycles/{cycle.pk}")

    candidates = response.json()["candidates"]
    assert [c["id"] for c in candidates] == [more.pk, fewer.pk]
    assert candidates[0]["votes"]["total"] == 2


def test_a_cycle_of_another_neighbourhood_is_404(wallingford):
    cycle = CycleFactory(neighbourhood=wallingford)

    response = Client().get(f"{FREMONT}/priority-cycles/{cycle.pk}")

    assert response.status_code == 404
    assert response.json()["field"] == "cycle"


def test_candidates_never_name_who_proposed_them(fremont):
    cycle = CycleFactory(neighbourhood=fremont)
    priority = PriorityFactory(cycle=cycle, proposed_by__email="rita@example.org")

    listing = Client().get(f"{FREMONT}/priority-cycles/{cycle.pk}")
    detail = Client().get(f"/api/v1/priorities/{priority.pk}")

    assert "rita@example.org" not in listing.content.decode() + detail.content.decode()
    assert "proposed_by" not in detail.json()


def test_priority_is_shown_in_the_language_asked_for_or_says_it_is_the_original(fremont):
    cycle = CycleFactory(neighbourhood=fremont)
    translated = PriorityFactory(
        cycle=cycle, title="Speeding", translations={"es": {"title": "Exceso de velocidad"}}
    )
    untranslated = PriorityFactory(cycle=cycle, title="Litter")

    first = Client().get(f"/api/v1/priorities/{translated.pk}", headers={"accept-language": "es"})
    second = Client().get(
        f"/api/v1/priorities/{untranslated.pk}", headers={"accept-language": "es"}
    )

    assert first.json()["title"] == "Exceso de velocidad"
    assert first.json()["in_original_language"] is False
    assert second.json()["title"] == "Litter"
    assert second.json()["in_original_language"] is True


def test_you_said_we_did_shows_what_was_done_and_why_others_were_not_taken_on(people, fremont):
    cycle = CycleFactory(neighbourhood=fremont, phase="deciding")
    adopted = PriorityFactory(cycle=cycle, title="Speeding")
    declined = PriorityFactory(cycle=cycle, title="Graffiti")
    officer = people["officer"]
    services.adopt(
        actor=officer,
        priority=adopted,
        action_plan="Speed checks at 8am.",
        action_owner="Sgt Ruiz",
        action_due_on=cycle.ends_on,
    )
    services.post_update(actor=officer, priority=adopted, text="Six checks so far.")
    services.decline(actor=officer, priority=declined, reason="The city handles graffiti.")

    response = Client().get(f"{FREMONT}/you-said-we-did")

    body = response.json()
    assert [p["title"] for p in body["taken_on"]] == ["Speeding"]
    assert body["taken_on"][0]["action_plan"] == "Speed checks at 8am."
    assert [u["text"] for u in body["taken_on"][0]["updates"]] == ["Six checks so far."]
    assert body["not_taken_on"][0]["decision_reason"] == "The city handles graffiti."


def test_you_said_we_did_takes_a_fixed_number_of_queries(fremont, django_assert_num_queries):
    cycle = CycleFactory(neighbourhood=fremont, phase="deciding")
    for _ in range(4):
        priority = PriorityFactory(cycle=cycle, status=PriorityStatus.ADOPTED)
        PriorityUpdate.objects.create(
            priority=priority, text="Progress.", author=priority.proposed_by
        )
        PriorityFactory(cycle=cycle, status=PriorityStatus.NOT_ADOPTED, decision_reason="No.")

    # neighbourhood, taken on, their updates, not taken on
    with django_assert_num_queries(4):
        response = Client().get(f"{FREMONT}/you-said-we-did")

    assert len(response.json()["taken_on"]) == 4


def test_cycle_list_and_detail_take_a_fixed_number_of_queries(fremont, django_assert_num_queries):
    cycle = CycleFactory(neighbourhood=fremont, phase="deciding")
    for _ in range(5):
        OnlineVoteFactory(priority=PriorityFactory(cycle=cycle))
    for phase in ("closed", "upcoming"):
        CycleFactory(neighbourhood=fremont, phase=phase)

    # neighbourhood, count, page
    with django_assert_num_queries(3):
        listing = Client().get(f"{FREMONT}/priority-cycles")
    # neighbourhood, cycle, candidates with their totals
    with django_assert_num_queries(3):
        detail = Client().get(f"{FREMONT}/priority-cycles/{cycle.pk}")

    assert listing.json()["count"] == 3
    assert len(detail.json()["candidates"]) == 5


# --- residents: residency, proposals, votes -----------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_a_resident_of_the_neighbourhood_may_propose(people, fremont, role):
    cycle = CycleFactory(neighbourhood=fremont, phase="proposing")

    response = post_json(
        client_for(people[role]),
        f"{FREMONT}/priority-cycles/{cycle.pk}/proposals",
        {"title": "Speeding on N 36th St at 8am", "place": "By the school"},
    )

    allowed = role == "resident"
    assert response.status_code == (201 if allowed else 403)
    assert Priority.objects.count() == (1 if allowed else 0)
    if allowed:
        assert response.json()["source"] == "resident"
        assert Priority.objects.get().proposed_by == people["resident"]


def test_declaring_residency_lets_a_person_propose(people, fremont):
    client = client_for(people["resident_elsewhere"])
    cycle = CycleFactory(neighbourhood=fremont, phase="proposing")

    declared = post_json(client, f"{FREMONT}/residency")
    proposed = post_json(
        client, f"{FREMONT}/priority-cycles/{cycle.pk}/proposals", {"title": "Noise at night"}
    )

    assert declared.status_code == 200
    assert declared.json()["neighbourhood"]["id"] == "N-FRE"
    assert declared.json()["verified"] is False
    assert proposed.status_code == 201


def test_declaring_residency_needs_a_session(fremont):
    response = post_json(Client(), f"{FREMONT}/residency")

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({}, "title", 400),
        ({"title": "   "}, "title", 400),
        ({"title": "x" * 201}, "title", 400),
        ({"title": "Noise", "place": "x" * 201}, "place", 400),
        ({"title": ["not", "text"]}, "title", 400),
    ],
)
def test_bad_proposal_is_400_naming_the_field(people, fremont, body, field, status):
    cycle = CycleFactory(neighbourhood=fremont, phase="proposing")

    response = post_json(
        client_for(people["resident"]), f"{FREMONT}/priority-cycles/{cycle.pk}/proposals", body
    )

    assert response.status_code == status
    assert response.json()["field"] == field
    assert Priority.objects.count() == 0


def test_proposal_repeating_a_candidate_is_409_and_outside_proposing_is_400(people, fremont):
    client = client_for(people["resident"])
    proposing = CycleFactory(neighbourhood=fremont, phase="proposing")
    PriorityFactory(cycle=proposing, title="Speeding on N 36th St")
    voting = CycleFactory(neighbourhood=fremont, phase="closed")

    repeated = post_json(
        client,
        f"{FREMONT}/priority-cycles/{proposing.pk}/proposals",
        {"title": "speeding on  N 36th st"},
    )
    late = post_json(client, f"{FREMONT}/priority-cycles/{voting.pk}/proposals", {"title": "Noise"})

    assert repeated.status_code == 409
    assert repeated.json()["field"] == "title"
    assert late.status_code == 400
    assert late.json()["code"] == "not_proposing"


def test_a_signed_in_write_without_the_csrf_token_is_refused(people, fremont):
    cycle = CycleFactory(neighbourhood=fremont, phase="proposing")
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["resident"])

    response = post_json(
        client, f"{FREMONT}/priority-cycles/{cycle.pk}/proposals", {"title": "Noise"}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert Priority.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_only_a_resident_may_vote(people, fremont, role):
    priority = PriorityFactory(cycle=CycleFactory(neighbourhood=fremont, phase="voting"))

    response = client_for(people[role]).post(f"/api/v1/priorities/{priority.pk}/vote")

    allowed = role == "resident"
    assert response.status_code == (201 if allowed else 403)
    assert Vote.objects.count() == (1 if allowed else 0)


def test_vote_then_withdraw_answers_the_ballot(people, fremont):
    cycle = CycleFactory(neighbourhood=fremont, phase="voting", votes_per_person=2)
    priority = PriorityFactory(cycle=cycle)
    client = client_for(people["resident"])
    path = f"/api/v1/priorities/{priority.pk}/vote"

    voted = client.post(path)
    again = client.post(path)
    mine = client.get(f"{FREMONT}/priority-cycles/{cycle.pk}/my-votes")
    withdrawn = client.delete(path)
    withdrawn_again = client.delete(path)

    assert voted.status_code == 201
    assert voted.json()["voted_for"] == [priority.pk]
    assert voted.json()["votes_left"] == 1
    assert again.status_code == 409
    assert mine.json()["voted_for"] == [priority.pk]
    assert mine.json()["counts_as_resident"] is True
    assert withdrawn.status_code == 200
    assert withdrawn.json()["votes_left"] == 2
    assert withdrawn_again.status_code == 400
    assert withdrawn_again.json()["code"] == "not_voted"
    assert Vote.objects.count() == 0


def test_votes_outside_voting_and_beyond_the_allowance_are_refused(people, fremont):
    client = client_for(people["resident"])
    proposing = PriorityFactory(cycle=CycleFactory(neighbourhood=fremont, phase="proposing"))
    voting = CycleFactory(neighbourhood=fremont, phase="closed", votes_per_person=1)
    Cycle.objects.filter(pk=voting.pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=400),
        voting_opens_on=timezone.localdate() - datetime.timedelta(days=390),
    )

    early = client.post(f"/api/v1/priorities/{proposing.pk}/vote")
    missing = client.post("/api/v1/priorities/999999/vote")

    assert early.status_code == 400
    assert early.json()["code"] == "outside_voting"
    assert missing.status_code == 404
    assert Vote.objects.count() == 0


def test_my_votes_needs_a_session(fremont):
    cycle = CycleFactory(neighbourhood=fremont, phase="voting")

    response = Client().get(f"{FREMONT}/priority-cycles/{cycle.pk}/my-votes")

    assert response.status_code == 403
    assert response.json()["code"] == "sign_in_required"


# --- the team -----------------------------------------------------------------------------


def cycle_body(**overrides) -> dict:
    return {
        "title": "Summer",
        "starts_on": days(1),
        "voting_opens_on": days(10),
        "voting_closes_on": days(20),
        "ends_on": days(80),
        **overrides,
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_may_open_a_cycle(people, fremont, role):
    response = post_json(client_for(people[role]), f"{FREMONT}/priority-cycles", cycle_body())

    allowed = role in TEAM
    assert response.status_code == (201 if allowed else 403)
    assert Cycle.objects.count() == (1 if allowed else 0)
    if allowed:
        assert response.json()["phase"] == "upcoming"


@pytest.mark.parametrize(
    ("overrides", "field", "status"),
    [
        ({"title": ""}, "title", 400),
        ({"voting_opens_on": days(0)}, "voting_opens_on", 400),
        ({"ends_on": days(15)}, "ends_on", 400),
        ({"votes_per_person": 0}, "votes_per_person", 400),
        ({"votes_per_person": 10**9}, "votes_per_person", 400),
        ({"starts_on": "next week"}, "starts_on", 400),
        ({"starts_on": days(-5), "voting_opens_on": days(5)}, "starts_on", 409),
    ],
)
def test_bad_cycle_is_refused_naming_the_field(people, fremont, overrides, field, status):
    CycleFactory(neighbourhood=fremont, phase="proposing")

    response = post_json(
        client_for(people["officer"]), f"{FREMONT}/priority-cycles", cycle_body(**overrides)
    )

    assert response.status_code == status
    assert response.json()["field"] == field
    assert Cycle.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_may_add_a_candidate(people, fremont, role):
    cycle = CycleFactory(neighbourhood=fremont, phase="proposing")

    response = post_json(
        client_for(people[role]),
        f"/api/v1/priority-cycles/{cycle.pk}/candidates",
        {"title": "Burglaries on Aurora", "source": "crime_data", "source_reference": "2026-01"},
    )

    allowed = role in TEAM
    assert response.status_code == (201 if allowed else 403)
    assert Priority.objects.count() == (1 if allowed else 0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "Noise", "source": "resident"}, "source"),
        ({"title": "Noise", "source": "meeting", "source_reference": "999999"}, "source_reference"),
        ({"title": "Noise", "source": "report"}, "source_reference"),
        ({"source": "team"}, "title"),
    ],
)
def test_bad_candidate_is_400_naming_the_field(people, fremont, body, field):
    cycle = CycleFactory(neighbourhood=fremont, phase="proposing")

    response = post_json(
        client_for(people["officer"]), f"/api/v1/priority-cycles/{cycle.pk}/candidates", body
    )

    assert response.status_code == 400
    assert response.json()["field"] == field
    assert Priority.objects.count() == 0


def test_candidate_for_an_unknown_cycle_is_404(people):
    response = post_json(
        client_for(people["officer"]),
        "/api/v1/priority-cycles/999999/candidates",
        {"title": "Noise", "source": "team"},
    )

    assert response.status_code == 404


def test_team_records_a_show_of_hands_once_per_meeting(people, fremont):
    cycle = CycleFactory(neighbourhood=fremont, phase="voting")
    priority = PriorityFactory(cycle=cycle)
    meeting = meeting_of(fremont, cycle.voting_opens_on)
    client = client_for(people["officer"])
    path = f"/api/v1/priority-cycles/{cycle.pk}/meeting-votes"

    recorded = post_json(client, path, {"priority": priority.pk, "meeting": meeting.pk, "count": 7})
    again = post_json(client, path, {"priority": priority.pk, "meeting": meeting.pk, "count": 3})
    unknown_priority = post_json(
        client, path, {"priority": 999999, "meeting": meeting.pk, "count": 3}
    )
    unknown_meeting = post_json(
        client, path, {"priority": priority.pk, "meeting": 999999, "count": 3}
    )
    no_hands = post_json(client, path, {"priority": priority.pk, "meeting": meeting.pk, "count": 0})
    elsewhere = post_json(
        client_for(people["officer_elsewhere"]),
        path,
        {"priority": priority.pk, "meeting": meeting.pk, "count": 3},
    )

    assert recorded.status_code == 201
    assert recorded.json()["candidates"][0]["votes"] == {"online": 0, "meeting": 7, "total": 7}
    assert again.status_code == 409
    assert (unknown_priority.status_code, unknown_priority.json()["field"]) == (400, "priority")
    assert (unknown_meeting.status_code, unknown_meeting.json()["field"]) == (400, "meeting")
    assert (no_hands.status_code, no_hands.json()["field"]) == (400, "count")
    assert elsewhere.status_code == 403
    assert Vote.objects.count() == 1


DECISIONS = [
    (
        "adopt",
        {"action_plan": "Speed checks.", "action_owner": "Sgt Ruiz", "action_due_on": days(30)},
    ),
    ("decline", {"reason": "The city handles this."}),
]


@pytest.mark.parametrize(("action", "body"), DECISIONS)
@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_decides_a_candidate(people, fremont, role, action, body):
    priority = PriorityFactory(cycle=CycleFactory(neighbourhood=fremont, phase="deciding"))

    response = post_json(
        client_for(people[role]), f"/api/v1/priorities/{priority.pk}/{action}", body
    )

    allowed = role in TEAM
    priority.refresh_from_db()
    assert response.status_code == (200 if allowed else 403)
    assert priority.status == (
        {"adopt": "adopted", "decline": "not_adopted"}[action] if allowed else "proposed"
    )


def test_decisions_wait_for_voting_to_close_and_respect_the_maximum(people, fremont):
    client = client_for(people["officer"])
    voting = PriorityFactory(cycle=CycleFactory(neighbourhood=fremont, phase="voting"))
    cycle = CycleFactory(neighbourhood=fremont, phase="closed", max_adopted=1)
    first, second = PriorityFactory(cycle=cycle), PriorityFactory(cycle=cycle)
    plan = dict(DECISIONS)["adopt"]

    early = post_json(client, f"/api/v1/priorities/{voting.pk}/adopt", plan)
    adopted = post_json(client, f"/api/v1/priorities/{first.pk}/adopt", plan)
    over = post_json(client, f"/api/v1/priorities/{second.pk}/adopt", plan)
    twice = post_json(client, f"/api/v1/priorities/{first.pk}/decline", {"reason": "No."})
    blank = post_json(client, f"/api/v1/priorities/{second.pk}/decline", {"reason": " "})
    no_plan = post_json(client, f"/api/v1/priorities/{second.pk}/adopt", {"action_owner": "Me"})

    assert early.status_code == 400
    assert early.json()["code"] == "voting_not_closed"
    assert adopted.status_code == 200
    assert adopted.json()["adopted_at"] is not None
    assert over.status_code == 409
    assert over.json()["code"] == "max_adopted"
    assert twice.status_code == 409
    assert (blank.status_code, blank.json()["field"]) == (400, "reason")
    assert (no_plan.status_code, no_plan.json()["field"]) == (400, "action_plan")


@pytest.fixture
def adopted(people, fremont):
    priority = PriorityFactory(cycle=CycleFactory(neighbourhood=fremont, phase="deciding"))
    return services.adopt(
        actor=people["officer"],
        priority=priority,
        action_plan="Speed checks.",
        action_owner="Sgt Ruiz",
        action_due_on=priority.cycle.ends_on,
    )


@pytest.mark.parametrize(
    ("action", "body", "ok"),
    [
        ("updates", {"text": "Six checks so far."}, 201),
        ("close", {"status": "delivered", "outcome": "Speeds fell by a third."}, 200),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_updates_and_closes_an_adopted_priority(
    people, adopted, role, action, body, ok
):
    response = post_json(
        client_for(people[role]), f"/api/v1/priorities/{adopted.pk}/{action}", body
    )

    assert response.status_code == (ok if role in TEAM else 403)


def test_closing_sets_the_action_date_and_refuses_a_second_close(people, adopted):
    client = client_for(people["officer"])
    path = f"/api/v1/priorities/{adopted.pk}/close"

    bad_status = post_json(client, path, {"status": "adopted", "outcome": "Done."})
    no_outcome = post_json(client, path, {"status": "delivered", "outcome": ""})
    closed = post_json(client, path, {"status": "not_delivered", "outcome": "No officers."})
    again = post_json(client, path, {"status": "delivered", "outcome": "Done."})
    update = post_json(client, f"/api/v1/priorities/{adopted.pk}/updates", {"text": "Late."})

    assert (bad_status.status_code, bad_status.json()["field"]) == (400, "status")
    assert (no_outcome.status_code, no_outcome.json()["field"]) == (400, "outcome")
    assert closed.status_code == 200
    assert closed.json()["status"] == "not_delivered"
    assert closed.json()["closed_at"] is not None
    assert again.status_code == 409
    assert update.status_code == 409
    assert PriorityUpdate.objects.count() == 0


def test_deciding_an_unknown_priority_is_404(people):
    response = post_json(
        client_for(people["officer"]), "/api/v1/priorities/999999/decline", {"reason": "No."}
    )

    assert response.status_code == 404


def test_an_id_too_large_for_the_database_is_400(fremont):
    response = Client().get(f"/api/v1/priorities/{2**40}")

    assert response.status_code == 400
    assert response.json()["field"] == "priority_id"

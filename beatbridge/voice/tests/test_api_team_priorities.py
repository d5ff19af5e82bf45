"""The community voice API for the team's residency checks (/api/v1/): the residencies waiting
to be confirmed (names for the team only, each read audited) and confirming one."""

# ruff: noqa: F811  (imported fixtures are parameters of the tests)
from __future__ import annotations

import pytest

from beatbridge.audit.models import AuditEntry
from beatbridge.voice.models import Residency
from beatbridge.voice.tests.factories_priorities import CycleFactory, ResidencyFactory
from beatbridge.voice.tests.test_api_priorities import (  # noqa: F401
    ROLES,
    TEAM,
    client_for,
    people,
    post_json,
    wallingford,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(fremont):
    return CycleFactory(neighbourhood=fremont, requires_verified_residency=True)


@pytest.fixture
def waiting(fremont):
    return ResidencyFactory(
        neighbourhood=fremont, user__full_name="Rita Ortiz", user__email="rita@example.org"
    )


def _residencies(cycle) -> str:
    return f"/api/v1/priority-cycles/{cycle.pk}/residencies"


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_sees_who_waits_to_be_confirmed(people, cycle, waiting, role):
    response = client_for(people[role]).get(_residencies(cycle))

    allowed = role in TEAM
    assert response.status_code == (200 if allowed else 403)
    if allowed:
        rita = next(item for item in response.json()["items"] if item["id"] == waiting.pk)
        assert (rita["name"], rita["email"], rita["verified_at"]) == (
            "Rita Ortiz",
            "rita@example.org",
            None,
        )
    else:
        assert "rita@example.org" not in response.text


def test_residencies_to_confirm_leave_out_the_confirmed_and_other_neighbourhoods(
    people, cycle, waiting, fremont, wallingford
):
    ResidencyFactory(neighbourhood=wallingford)
    client = client_for(people["officer"])

    response = client.get(_residencies(cycle))

    # people["resident"] of Fremont declared too, and waits as well.
    waiting_ids = set(
        Residency.objects.filter(neighbourhood=fremont, verified_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    assert {item["id"] for item in response.json()["items"]} == waiting_ids
    assert waiting.pk in waiting_ids


def test_reading_names_is_audited_and_an_empty_list_is_not(people, fremont, wallingford):
    officer = people["officer"]
    Residency.objects.filter(neighbourhood=fremont).update(verified_at="2026-01-01T00:00:00Z")
    cycle = CycleFactory(neighbourhood=fremont)

    empty = client_for(officer).get(_residencies(cycle))
    ResidencyFactory(neighbourhood=fremont)
    listed = client_for(officer).get(_residencies(cycle))

    assert empty.json()["count"] == 0
    assert listed.json()["count"] == 1
    entries = AuditEntry.objects.filter(action="cycle.residencies_viewed")
    assert [(e.actor_id, e.target_id) for e in entries] == [(officer.pk, str(cycle.pk))]


def test_residencies_of_an_unknown_cycle_are_404(people):
    response = client_for(people["officer"]).get("/api/v1/priority-cycles/999999/residencies")

    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_the_team_confirms_a_residency(people, cycle, waiting, role):
    response = post_json(
        client_for(people[role]),
        f"{_residencies(cycle)}/verify",
        {"residency": waiting.pk},
    )

    waiting.refresh_from_db()
    allowed = role in TEAM
    assert response.status_code == (200 if allowed else 403)
    assert (waiting.verified_at is not None) is allowed
    if allowed:
        assert response.json()["verified_at"] is not None
        assert waiting.verified_by == people[role]
        assert AuditEntry.objects.filter(
            action="residency.verified", target_id=str(waiting.pk)
        ).exists()


def test_a_confirmed_resident_may_then_propose(people, cycle, waiting):
    proposals = f"/api/v1/forces/seattle/neighbourhoods/N-FRE/priority-cycles/{cycle.pk}/proposals"
    body = {"title": "Speeding on N 36th St by the school"}

    before = post_json(client_for(waiting.user), proposals, body)
    post_json(
        client_for(people["officer"]), f"{_residencies(cycle)}/verify", {"residency": waiting.pk}
    )
    after = post_json(client_for(waiting.user), proposals, body)

    assert (before.status_code, before.json()["code"]) == (403, "unverified")
    assert after.status_code == 201


def test_a_residency_not_waiting_here_is_400_on_the_field(people, cycle, waiting, wallingford):
    elsewhere = ResidencyFactory(neighbourhood=wallingford)
    client = client_for(people["officer"])
    verify = f"{_residencies(cycle)}/verify"

    other = post_json(client, verify, {"residency": elsewhere.pk})
    unknown = post_json(client, verify, {"residency": 999999})
    missing = post_json(client, verify, {})
    post_json(client, verify, {"residency": waiting.pk})
    again = post_json(client, verify, {"residency": waiting.pk})

    for response in (other, unknown, missing, again):
        assert (response.status_code, response.json()["field"]) == (400, "residency")
    elsewhere.refresh_from_db()
    assert elsewhere.verified_at is None


def test_confirming_in_a_cycle_of_another_neighbourhood_is_refused(people, wallingford, waiting):
    other_cycle = CycleFactory(neighbourhood=wallingford)

    by_fremont_team = post_json(
        client_for(people["officer"]),
        f"{_residencies(other_cycle)}/verify",
        {"residency": waiting.pk},
    )
    by_wallingford_team = post_json(
        client_for(people["officer_elsewhere"]),
        f"{_residencies(other_cycle)}/verify",
        {"residency": waiting.pk},
    )

    assert by_fremont_team.status_code == 403
    assert (by_wallingford_team.status_code, by_wallingford_team.json()["field"]) == (
        400,
        "residency",
    )
    waiting.refresh_from_db()
    assert waiting.verified_at is None

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from beatbridge.accounts.models import Role, TeamRole
from beatbridge.accounts.tests.factories import (
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.places.tests.factories import ForceFactory, NeighbourhoodFactory

pytestmark = pytest.mark.django_db

TEAM_URL = "/api/v1/forces/seattle/neighbourhoods/N-FRE/team"


@pytest.fixture
def fremont():
    return NeighbourhoodFactory(force=ForceFactory(slug="seattle"), code="N-FRE", name="Fremont")


def _officer(force, **fields):
    return OfficerProfileFactory(force=force, **fields)


def test_team_lists_current_members_lead_roles_first(client: Client, fremont):
    sergeant = _officer(
        fremont.force, display_name="Ana Ruiz", rank="Sergeant", languages=["en", "es"]
    )
    constable = _officer(fremont.force, display_name="Bo Chen", rank="Officer", bio="")
    TeamAssignmentFactory(
        officer=sergeant,
        neighbourhood=fremont,
        role=TeamRole.SUPERVISOR,
        starts_on=datetime.date(2023, 5, 1),
    )
    TeamAssignmentFactory(
        officer=constable, neighbourhood=fremont, role=TeamRole.NEIGHBOURHOOD_OFFICER
    )

    body = client.get(TEAM_URL).json()

    assert body["count"] == 2
    assert body["items"] == [
        {
            "id": constable.pk,
            "name": "Bo Chen",
            "rank": "Officer",
            "role": "neighbourhood_officer",
            "role_name": "Neighbourhood officer",
            "bio": "",
            "languages": ["en"],
            "photo": None,
            "since": "2024-01-01",
        },
        {
            "id": sergeant.pk,
            "name": "Ana Ruiz",
            "rank": "Sergeant",
            "role": "supervisor",
            "role_name": "Supervisor",
            "bio": "Walks the beat.",
            "languages": ["en", "es"],
            "photo": None,
            "since": "2023-05-01",
        },
    ]


def test_team_leaves_out_ended_assignments(client: Client, fremont):
    TeamAssignmentFactory(
        officer=_officer(fremont.force),
        neighbourhood=fremont,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2021, 1, 1),
    )

    assert client.get(TEAM_URL).json() == {"items": [], "count": 0}


def test_team_never_shows_an_officers_own_email(client: Client, fremont):
    officer = _officer(fremont.force)
    TeamAssignmentFactory(officer=officer, neighbourhood=fremont)

    response = client.get(TEAM_URL)

    assert officer.user.email not in response.content.decode()


def test_team_takes_two_queries_however_large(client: Client, fremont, django_assert_num_queries):
    for _ in range(6):
        TeamAssignmentFactory(officer=_officer(fremont.force), neighbourhood=fremont)

    with django_assert_num_queries(2):  # the neighbourhood with its force, the team with officers
        response = client.get(TEAM_URL)

    assert response.json()["count"] == 6


def test_team_of_an_unknown_neighbourhood_is_404(client: Client, fremont):
    response = client.get("/api/v1/forces/seattle/neighbourhoods/NOPE/team")

    assert response.status_code == 404
    assert response.json()["field"] == "neighbourhood"


def test_officer_profile_shows_where_they_serve_and_served(client: Client, fremont):
    officer = _officer(fremont.force, display_name="Ana Ruiz", rank="Sergeant")
    earlier = NeighbourhoodFactory(force=fremont.force, code="N-BAL", name="Ballard")
    TeamAssignmentFactory(officer=officer, neighbourhood=fremont, role=TeamRole.SUPERVISOR)
    TeamAssignmentFactory(
        officer=officer,
        neighbourhood=earlier,
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2023, 12, 31),
    )

    body = client.get(f"/api/v1/officers/{officer.pk}").json()

    assert body["name"] == "Ana Ruiz"
    assert body["force"] == "seattle"
    assert [(s["neighbourhood"], s["role"]) for s in body["serving"]] == [("N-FRE", "supervisor")]
    assert [(s["neighbourhood"], s["until"]) for s in body["served"]] == [("N-BAL", "2023-12-31")]
    assert "email" not in body


def test_unknown_officer_is_404_naming_the_officer(client: Client):
    response = client.get("/api/v1/officers/999999")

    assert response.status_code == 404
    assert response.json()["field"] == "officer"


def test_officer_id_that_is_not_a_number_is_400(client: Client):
    response = client.get("/api/v1/officers/abc")

    assert response.status_code == 400
    assert response.json()["field"] == "officer_id"


PEOPLE = {
    "anonymous": lambda: None,
    "resident": lambda: UserFactory(role=Role.RESIDENT),
    "officer": lambda: OfficerProfileFactory().user,
    "admin": lambda: UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize(
    ("method", "expected"), [("get", 200), ("post", 405), ("put", 405), ("delete", 405)]
)
@pytest.mark.parametrize("url", [TEAM_URL, "/api/v1/officers/{officer}"])
def test_permission_matrix_reads_are_public_and_writes_are_not_allowed(
    client: Client, fremont, url, method, expected, who
):
    officer = _officer(fremont.force)
    TeamAssignmentFactory(officer=officer, neighbourhood=fremont)
    if (person := PEOPLE[who]()) is not None:
        client.force_login(person)

    response = getattr(client, method)(url.format(officer=officer.pk))

    assert response.status_code == expected

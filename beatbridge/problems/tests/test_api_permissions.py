"""Who may call each endpoint of the problem-solving API: the permission matrix of
method, URL and person, over people and projects built once for the module."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from beatbridge.accounts.tests.factories import (
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.partners.tests.factories import ContactFactory, OrganisationFactory
from beatbridge.places.services import mark_boundaries_changed
from beatbridge.places.tests.factories import ForceFactory, NeighbourhoodFactory, square
from beatbridge.problems.models import Action, HistoryEntry, Project
from beatbridge.problems.tests.test_api import ASSESSMENT, BASE, PUBLIC, build_world, call_api

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker):
    """Fremont's officer and supervisor, an officer serving no neighbourhood, one of
    another force, a resident, the invited school's contact and another partner's, with
    the projects of ``build_world``: written once, in a transaction rolled back after the
    module. Each test runs in a savepoint of it, so what one test writes is gone for the
    next."""
    with django_db_blocker.unblock(), transaction.atomic():
        force = ForceFactory(slug="seattle")
        fremont = NeighbourhoodFactory(force=force, code="N-FRE", boundary=square(-122.35, 47.65))
        officer = OfficerProfileFactory(force=force)
        TeamAssignmentFactory(officer=officer, neighbourhood=fremont)
        mark_boundaries_changed()
        school = OrganisationFactory(force=force, name="Fremont Primary", slug="fremont-primary")
        school.neighbourhoods.set([fremont])
        people = {
            "fremont_officer": officer.user,
            "supervisor": OfficerProfileFactory(force=force, supervisor=True).user,
            "unassigned_officer": OfficerProfileFactory(force=force).user,
            "other_force_officer": OfficerProfileFactory(force=ForceFactory(slug="portland")).user,
            "resident": UserFactory(),
            "school_contact": ContactFactory(organisation=school).user,
            "other_contact": ContactFactory(organisation=OrganisationFactory(force=force)).user,
        }
        yield people, build_world(officer.user, fremont, school)
        transaction.set_rollback(True)


PEOPLE = (
    "fremont_officer",
    "supervisor",
    "unassigned_officer",
    "other_force_officer",
    "resident",
    "anonymous",
    "school_contact",
    "other_contact",
)
TEAM = {"fremont_officer", "supervisor"}
MAY_LIST = {*TEAM, "unassigned_officer", "other_force_officer", "school_contact", "other_contact"}


def _expected(kind: str, who: str, succeeds: int) -> int:
    """The status ``who`` gets: the team works on it, the invited school reads it and
    updates its own action, anyone else does not learn it exists."""
    if kind == "public":
        return 200
    if kind == "list":
        return 200 if who in MAY_LIST else 403
    if kind == "start":
        return succeeds if who in TEAM else 403
    if who in TEAM:
        return succeeds
    if who == "school_contact":
        return {"read": 200, "their_action": 200, "write": 403}.get(kind, 404)
    return 404


# (method, url, body, kind, status on success)
MATRIX = [
    ("get", BASE, None, "list", 200),
    (
        "post",
        BASE,
        {"force": "seattle", "neighbourhoods": ["N-FRE"], "title": "Graffiti"},
        "start",
        201,
    ),
    ("get", BASE + "/{project}", None, "read", 200),
    ("patch", BASE + "/{project}", {"handler": "Their parents."}, "write", 200),
    ("post", BASE + "/{project}/advance", None, "write", 200),
    ("post", BASE + "/{project}/questions", {"question": "Who?"}, "write", 201),
    ("post", BASE + "/{project}/questions/{question}/finding", {"finding": "3pm."}, "write", 200),
    ("post", BASE + "/{project}/snapshot", None, "write", 200),
    ("post", BASE + "/{project}/partners", {"organisation": "fremont-primary"}, "write", 200),
    (
        "post",
        BASE + "/{project}/actions",
        {"description": "Talk to the head.", "owner": {"organisation": "fremont-primary"}},
        "write",
        201,
    ),
    ("patch", BASE + "/actions/{theirs}", {"status": "done", "note": "Done."}, "their_action", 200),
    ("patch", BASE + "/actions/{ours}", {"status": "done"}, "our_action", 200),
    ("post", BASE + "/{project}/assessments", ASSESSMENT, "write", 201),
    (
        "post",
        BASE + "/{assessed}/decision",
        {"decision": "continue", "note": "More."},
        "write",
        200,
    ),
    ("post", BASE + "/{project}/publish", {"public_summary": "We walked them home."}, "write", 200),
    ("delete", BASE + "/{project}/publish", None, "write", 200),
    ("get", PUBLIC, None, "public", 200),
]


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize(("method", "url", "body", "kind", "succeeds"), MATRIX)
def test_permission_matrix(shared, who, method, url, body, kind, succeeds):
    people, world = shared
    history, projects = HistoryEntry.objects.count(), Project.objects.count()
    statuses = dict(Action.objects.values_list("pk", "status"))
    client = Client()
    if who != "anonymous":
        client.force_login(people[who])

    response = call_api(client, method, url.format(**world), body)

    expected = _expected(kind, who, succeeds)
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["code"] in ("forbidden", "not_found")
        assert (HistoryEntry.objects.count(), Project.objects.count()) == (history, projects)
        assert dict(Action.objects.values_list("pk", "status")) == statuses
    elif kind == "list":
        shown = {item["id"] for item in response.json()["items"]}
        sees_both = who in TEAM or who == "school_contact"
        assert shown == ({world["project"], world["assessed"]} if sees_both else set())
    elif kind == "read":
        assert response.json()["id"] == world["project"]
    elif kind != "public":
        assert HistoryEntry.objects.count() > history

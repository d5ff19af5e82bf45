from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from beatbridge.accounts.models import Role
from beatbridge.accounts.permissions import can_grant_roles, can_manage_team
from beatbridge.accounts.tests.factories import (
    AdministratorFactory,
    OfficerProfileFactory,
    SuperuserFactory,
    UserFactory,
)
from beatbridge.places.tests.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("make_user", "expected"),
    [
        (AdministratorFactory, True),
        (lambda: SuperuserFactory(role=Role.RESIDENT), True),
        (lambda: AdministratorFactory(is_active=False), False),
        (lambda: UserFactory(role=Role.SUPERVISOR), False),
        (lambda: UserFactory(role=Role.RESIDENT), False),
        (AnonymousUser, False),
    ],
)
def test_only_an_active_administrator_grants_roles(make_user, expected):
    assert can_grant_roles(make_user()) is expected


def test_a_supervisor_manages_the_teams_of_their_own_force_only():
    supervisor = OfficerProfileFactory(supervisor=True)
    own = NeighbourhoodFactory(force=supervisor.force)
    elsewhere = NeighbourhoodFactory()

    assert can_manage_team(supervisor.user, own)
    assert not can_manage_team(supervisor.user, elsewhere)


def test_an_administrator_manages_every_team():
    assert can_manage_team(AdministratorFactory(), NeighbourhoodFactory())


@pytest.mark.parametrize("role", [Role.OFFICER, Role.LIAISON_OFFICER, Role.RESIDENT, Role.PARTNER])
def test_nobody_else_manages_a_team(role):
    officer = OfficerProfileFactory(user__role=role)

    assert not can_manage_team(officer.user, NeighbourhoodFactory(force=officer.force))


def test_an_anonymous_visitor_manages_no_team():
    assert not can_manage_team(AnonymousUser(), NeighbourhoodFactory())


def test_a_supervisor_without_an_officer_profile_manages_no_team():
    assert not can_manage_team(UserFactory(role=Role.SUPERVISOR), NeighbourhoodFactory())

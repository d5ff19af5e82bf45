"""The people every watch test meets: a scheme in Fremont with a coordinator and a
member, a resident who is neither, Fremont's officer and an officer of elsewhere."""

import pytest

from beatbridge.accounts.tests.factories import (
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.watch.models import MemberRole
from beatbridge.watch.tests.factories import MembershipFactory, SchemeFactory


@pytest.fixture
def scheme(fremont):
    return SchemeFactory(neighbourhood=fremont, name="Elm Road watch", streets=["Elm Road"])


@pytest.fixture
def coordinator(scheme):
    return MembershipFactory(
        scheme=scheme, user=UserFactory(full_name="Cora Coordinator"), role=MemberRole.COORDINATOR
    ).user


@pytest.fixture
def member(scheme, coordinator):
    return MembershipFactory(scheme=scheme, user=UserFactory(full_name="Mo Member")).user


@pytest.fixture
def resident(db):
    return UserFactory(full_name="Rae Resident")


@pytest.fixture
def other_officer(force):
    """An officer serving another neighbourhood of the same force."""
    return TeamAssignmentFactory(officer=OfficerProfileFactory(force=force)).officer.user

"""People and places for the problem-solving tests: Fremont's team, a supervisor, an
officer of another force, a resident, an invited partner's contact and one not invited."""

from __future__ import annotations

import pytest

from beatbridge.accounts.tests.factories import OfficerProfileFactory, UserFactory
from beatbridge.partners.tests.factories import ContactFactory, OrganisationFactory
from beatbridge.places.tests.factories import ForceFactory, NeighbourhoodFactory, square


@pytest.fixture
def ballard(force):
    """Fremont's neighbour to the west, with no team: the comparison area's home."""
    return NeighbourhoodFactory(
        force=force, code="N-BAL", name="Ballard", boundary=square(-122.37, 47.65, 0.02)
    )


@pytest.fixture
def supervisor(force):
    return OfficerProfileFactory(force=force, supervisor=True).user


@pytest.fixture
def other_force_officer():
    return OfficerProfileFactory(force=ForceFactory(slug="portland")).user


@pytest.fixture
def unassigned_officer(force):
    """An officer of the force who serves no neighbourhood."""
    return OfficerProfileFactory(force=force).user


@pytest.fixture
def resident():
    return UserFactory()


@pytest.fixture
def school(force, fremont):
    organisation = OrganisationFactory(force=force, name="Fremont Primary", slug="fremont-primary")
    organisation.neighbourhoods.set([fremont])
    return organisation


@pytest.fixture
def school_contact(school):
    return ContactFactory(organisation=school).user


@pytest.fixture
def other_contact(force):
    return ContactFactory(organisation=OrganisationFactory(force=force)).user

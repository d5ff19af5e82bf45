"""Fixed people for the partners tests: police of Seattle (liaison, supervisor, the
Fremont officer), an officer of another force, a resident, a contact, an administrator."""

from __future__ import annotations

import pytest

from beatbridge.accounts.models import Role
from beatbridge.accounts.tests.factories import (
    AdministratorFactory,
    OfficerProfileFactory,
    UserFactory,
)
from beatbridge.partners.tests.factories import ContactFactory, OrganisationFactory
from beatbridge.places.tests.factories import ForceFactory


@pytest.fixture
def school(force, fremont):
    organisation = OrganisationFactory(force=force, name="Fremont Primary", slug="fremont-primary")
    organisation.neighbourhoods.set([fremont])
    return organisation


@pytest.fixture
def liaison(force):
    return OfficerProfileFactory(
        force=force, user=UserFactory(role=Role.LIAISON_OFFICER), display_name="Liaison Lee"
    ).user


@pytest.fixture
def supervisor(force):
    return OfficerProfileFactory(force=force, supervisor=True).user


@pytest.fixture
def other_force_officer():
    return OfficerProfileFactory(force=ForceFactory(slug="portland")).user


@pytest.fixture
def resident():
    return UserFactory()


@pytest.fixture
def administrator():
    return AdministratorFactory()


@pytest.fixture
def contact(school):
    return ContactFactory(organisation=school).user

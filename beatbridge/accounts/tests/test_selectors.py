"""Reads for people that other apps rely on."""

from __future__ import annotations

import pytest

from beatbridge.accounts.selectors import police_of_force
from beatbridge.accounts.tests.factories import OfficerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_police_of_a_force_are_its_active_officers_only():
    ours = OfficerProfileFactory()
    OfficerProfileFactory()  # another force's
    gone = OfficerProfileFactory(force=ours.force)
    gone.user.is_active = False
    gone.user.save()
    UserFactory()  # a resident
    assert list(police_of_force(ours.force_id)) == [ours.user]

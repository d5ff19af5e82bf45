from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.audit import selectors, services
from beatbridge.audit.tests.factories import AuditEntryFactory
from beatbridge.places.tests.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


def test_entries_for_a_record_are_its_own_newest_first(django_assert_num_queries):
    neighbourhood, other = NeighbourhoodFactory(), NeighbourhoodFactory()
    now = timezone.now()
    older = AuditEntryFactory(target_id=str(neighbourhood.pk), at=now - datetime.timedelta(days=1))
    newer = AuditEntryFactory(target_id=str(neighbourhood.pk), at=now)
    same_moment = AuditEntryFactory(target_id=str(neighbourhood.pk), at=now)
    AuditEntryFactory(target_id=str(other.pk), at=now)
    # Same id, another kind of record.
    AuditEntryFactory(target_type="accounts.user", target_id=str(neighbourhood.pk), at=now)

    with django_assert_num_queries(1):
        entries = list(selectors.entries_for(neighbourhood))

    assert entries == [same_moment, newer, older]


def test_entries_by_a_person_are_theirs_newest_first():
    officer, colleague = UserFactory(), UserFactory()
    neighbourhood = NeighbourhoodFactory()
    first = services.record(actor=officer, action="neighbourhood.viewed", target=neighbourhood)
    services.record(actor=colleague, action="neighbourhood.viewed", target=neighbourhood)
    second = services.record(actor=officer, action="neighbourhood.changed", target=neighbourhood)

    assert list(selectors.entries_by(officer)) == [second, first]

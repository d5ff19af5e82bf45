from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from beatbridge.accounts.models import Role
from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.audit import services
from beatbridge.audit.models import AuditEntry
from beatbridge.places.tests.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


def test_record_names_the_actor_by_number_and_role_only(django_assert_num_queries):
    officer = UserFactory(role=Role.OFFICER, full_name="Ana Ruiz", email="ana@example.org")
    neighbourhood = NeighbourhoodFactory()

    with django_assert_num_queries(1):
        entry = services.record(
            actor=officer,
            action="neighbourhood.viewed",
            target=neighbourhood,
            detail={"fields": ["email", "telephone"]},
        )

    stored = AuditEntry.objects.get()
    assert stored == entry
    assert (stored.actor, stored.actor_label) == (officer, f"user #{officer.pk} (officer)")
    assert (stored.action, stored.target_type, stored.target_id) == (
        "neighbourhood.viewed",
        "places.neighbourhood",
        str(neighbourhood.pk),
    )
    assert stored.detail == {"fields": ["email", "telephone"]}
    assert "Ana" not in str(stored) and "ana@" not in stored.actor_label


def test_the_label_outlives_the_account():
    resident = UserFactory()
    entry = services.record(actor=resident, action="account.exported", target=resident)
    label = entry.actor_label

    resident.delete()

    entry.refresh_from_db()
    assert (entry.actor, entry.actor_label) == (None, label)


@pytest.mark.parametrize(
    ("actor", "label"), [(None, "system"), (AnonymousUser(), "anonymous visitor")]
)
def test_record_without_an_account(actor, label):
    entry = services.record(actor=actor, action="boundaries.imported")

    assert (entry.actor, entry.actor_label, entry.target_type, entry.target_id) == (
        None,
        label,
        "",
        "",
    )
    assert entry.detail == {}


@pytest.mark.parametrize(
    "action",
    [
        "viewed",
        "Report.viewed",
        "report viewed",
        "report.",
        ".viewed",
        "report..viewed",
        "",
        "a." + "b" * 63,
    ],
)
def test_record_refuses_a_malformed_action(action):
    with pytest.raises(ValueError, match="dotted lower-case"):
        services.record(actor=None, action=action)

    assert not AuditEntry.objects.exists()


def test_record_refuses_an_unsaved_target():
    with pytest.raises(ValueError, match="saved first"):
        services.record(
            actor=None, action="neighbourhood.viewed", target=NeighbourhoodFactory.build()
        )


def test_an_entry_is_lost_with_the_transaction_it_describes():
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record(actor=None, action="neighbourhood.changed", target=NeighbourhoodFactory())
        raise RuntimeError("the change failed")

    assert not AuditEntry.objects.exists()


def test_a_saved_entry_cannot_be_changed():
    entry = services.record(
        actor=None, action="neighbourhood.viewed", target=NeighbourhoodFactory()
    )
    entry.action = "neighbourhood.deleted"

    with pytest.raises(ValueError, match="append-only"):
        entry.save()

    entry.refresh_from_db()
    assert entry.action == "neighbourhood.viewed"

from __future__ import annotations

import pytest
from django.urls import reverse

from beatbridge.accounts.models import Role
from beatbridge.accounts.tests.factories import AdministratorFactory, SuperuserFactory, UserFactory
from beatbridge.audit.models import AuditEntry
from beatbridge.audit.tests.factories import AuditEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return AuditEntryFactory(action="report.acknowledged", target_id="42", detail={"status": "new"})


@pytest.mark.parametrize("factory", [AdministratorFactory, SuperuserFactory])
def test_administrators_read_the_trail(client, entry, factory):
    client.force_login(factory())

    listing = client.get(
        reverse("admin:audit_auditentry_changelist") + "?q=42&action=report.acknowledged"
    )
    detail = client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))

    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [entry]
    assert detail.status_code == 200
    assert detail.context["has_change_permission"] is False


def test_the_trail_lists_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    client.force_login(SuperuserFactory())
    AuditEntryFactory.create_batch(30)

    with django_assert_max_num_queries(7):
        response = client.get(reverse("admin:audit_auditentry_changelist"))

    assert len(response.context["cl"].result_list) == 30


def test_nobody_adds_changes_or_deletes_an_entry(client, entry):
    client.force_login(SuperuserFactory())

    add = client.post(reverse("admin:audit_auditentry_add"), {"action": "report.viewed"})
    change = client.post(
        reverse("admin:audit_auditentry_change", args=[entry.pk]), {"action": "report.viewed"}
    )
    delete = client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    bulk_delete = client.post(
        reverse("admin:audit_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert bulk_delete.status_code == 200
    entry.refresh_from_db()
    assert (AuditEntry.objects.count(), entry.action) == (1, "report.acknowledged")


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.OFFICER, Role.SUPERVISOR])
def test_people_without_admin_access_are_sent_to_the_admin_sign_in(client, entry, role):
    client.force_login(UserFactory(role=role))

    response = client.get(reverse("admin:audit_auditentry_changelist"))

    assert response.status_code == 302


def test_a_staff_member_who_is_not_an_administrator_cannot_read_the_trail(client, entry):
    client.force_login(UserFactory(role=Role.SUPERVISOR, is_staff=True))

    listing = client.get(reverse("admin:audit_auditentry_changelist"))
    index = client.get(reverse("admin:index"))

    assert listing.status_code == 403
    assert "audit" not in index.content.decode().lower()

"""API keys: issued once, stored as a hash, checked, deactivated; the command and the admin."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from beatbridge.accounts.tests.factories import AdministratorFactory, SuperuserFactory, UserFactory
from beatbridge.audit.models import AuditEntry
from beatbridge.errors import DomainError, PermissionDenied
from beatbridge.open311 import services
from beatbridge.open311.models import ApiClient

pytestmark = pytest.mark.django_db


def test_an_issued_key_is_stored_only_as_its_hash():
    issued = services.issue_api_key(name="311 app", contact_email="Dev@Example.org")

    client = ApiClient.objects.get()
    assert issued.key.startswith("bb311_") and len(issued.key) > 40
    assert client.key_hash == hashlib.sha256(issued.key.encode()).hexdigest()
    assert issued.key.startswith(client.key_prefix) and len(client.key_prefix) == 12
    assert issued.key not in {str(value) for value in vars(client).values()}
    assert client.contact_email == "dev@example.org"


def test_issuing_a_key_is_audited():
    admin = AdministratorFactory()

    issued = services.issue_api_key(name="311 app", created_by=admin)

    entry = AuditEntry.objects.get(action="open311.api_key_issued")
    assert (entry.actor, entry.target_id) == (admin, str(issued.client.pk))
    assert issued.key not in str(entry.detail)


def test_two_active_clients_may_not_share_a_name():
    services.issue_api_key(name="311 app")

    with pytest.raises(DomainError) as refused:
        services.issue_api_key(name=" 311 app ")

    assert refused.value.field == "name"
    assert ApiClient.objects.count() == 1


def test_a_deactivated_clients_name_may_be_used_again():
    first = services.issue_api_key(name="311 app").client
    services.deactivate_api_client(client=first, by=None)

    services.issue_api_key(name="311 app")

    assert ApiClient.objects.filter(is_active=True).count() == 1


def test_a_key_authenticates_its_client():
    issued = services.issue_api_key(name="311 app")

    assert services.authenticate_api_key(f" {issued.key} ") == issued.client
    assert ApiClient.objects.get().last_used_at is not None


@pytest.mark.parametrize("key", [None, "", "bb311_guess", "x" * 5000])
def test_a_missing_or_wrong_key_is_refused(key):
    services.issue_api_key(name="311 app")

    with pytest.raises(PermissionDenied):
        services.authenticate_api_key(key)


def test_a_deactivated_key_is_refused_and_the_deactivation_audited():
    issued = services.issue_api_key(name="311 app")
    admin = AdministratorFactory()

    services.deactivate_api_client(client=issued.client, by=admin)

    with pytest.raises(PermissionDenied, match="deactivated"):
        services.authenticate_api_key(issued.key)
    assert AuditEntry.objects.filter(action="open311.api_client_deactivated", actor=admin).exists()


# --- the command --------------------------------------------------------------------------


def test_the_command_prints_a_working_key():
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "create_api_key", "SeeClickFix", "--email", "ops@example.org", stdout=out, stderr=err
    )

    key = out.getvalue().strip()
    assert services.authenticate_api_key(key).name == "SeeClickFix"
    assert "will not be shown again" in err.getvalue()


def test_the_command_refuses_a_duplicate_active_name():
    services.issue_api_key(name="SeeClickFix")

    with pytest.raises(CommandError, match="already called “SeeClickFix”"):
        call_command("create_api_key", "SeeClickFix", stdout=io.StringIO())

    assert ApiClient.objects.count() == 1


# --- the admin ----------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(SuperuserFactory())
    return client


def test_the_admin_shows_a_new_key_once(admin_client):
    response = admin_client.post(
        reverse("admin:open311_apiclient_add"),
        {"name": "Open311 app", "contact_email": "dev@example.org"},
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["key"]
    assert key.encode() in response.content
    client_row = ApiClient.objects.get()
    assert services.authenticate_api_key(key) == client_row
    assert client_row.created_by is not None
    for url in (
        reverse("admin:open311_apiclient_change", args=[client_row.pk]),
        reverse("admin:open311_apiclient_changelist"),
    ):
        page = admin_client.get(url)
        assert page.status_code == 200
        assert key.encode() not in page.content
        assert client_row.key_prefix.encode() in page.content


def test_the_admin_refuses_a_duplicate_active_name(admin_client):
    services.issue_api_key(name="Open311 app")

    response = admin_client.post(reverse("admin:open311_apiclient_add"), {"name": "Open311 app"})

    assert response.status_code == 200
    assert "already called" in response.content.decode()
    assert ApiClient.objects.count() == 1


def test_the_admin_deactivates_keys(admin_client):
    issued = services.issue_api_key(name="Open311 app")

    admin_client.post(
        reverse("admin:open311_apiclient_changelist"),
        {"action": "deactivate", "_selected_action": [issued.client.pk]},
    )

    with pytest.raises(PermissionDenied):
        services.authenticate_api_key(issued.key)


def test_the_admin_edits_a_name_but_never_the_key_or_its_state(admin_client):
    issued = services.issue_api_key(name="Open311 app")
    url = reverse("admin:open311_apiclient_change", args=[issued.client.pk])

    admin_client.post(url, {"name": "Renamed app", "contact_email": "", "is_active": ""})

    client_row = ApiClient.objects.get()
    assert (client_row.name, client_row.is_active) == ("Renamed app", True)
    assert client_row.key_hash == issued.client.key_hash


def test_api_clients_are_never_deleted(admin_client):
    issued = services.issue_api_key(name="Open311 app")

    response = admin_client.get(reverse("admin:open311_apiclient_delete", args=[issued.client.pk]))

    assert response.status_code == 403


@pytest.mark.parametrize("make_user", [lambda: UserFactory(), lambda: None])
def test_only_administrators_reach_the_api_client_admin(client, make_user):
    user = make_user()
    if user is not None:
        client.force_login(user)

    response = client.get(reverse("admin:open311_apiclient_add"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))

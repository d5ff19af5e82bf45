"""The admin shows alerts, deliveries, follows and preferences to administrators, read-only."""

from __future__ import annotations

import pytest

from beatbridge.accounts.tests.factories import AdministratorFactory
from beatbridge.notify.models import Alert, Preferences
from beatbridge.notify.tests.factories import AlertDeliveryFactory, AlertFactory

pytestmark = pytest.mark.django_db


def test_administrators_look_but_change_and_delete_nothing(client, fremont):
    alert = AlertFactory(neighbourhoods=[fremont])
    AlertDeliveryFactory(alert=alert)
    preferences = Preferences.objects.create(
        user=AlertDeliveryFactory(alert=alert).recipient,
        sms_enabled=True,
        phone_number="+447700900123",
        webhook_enabled=True,
        webhook_url="https://hooks.example.org/mine",
    )
    client.force_login(AdministratorFactory())
    for name in ("alert", "alertdelivery", "follow", "preferences", "alertreply"):
        assert client.get(f"/admin/notify/{name}/").status_code == 200
    assert client.get("/admin/notify/alertdelivery/?status__exact=queued").status_code == 200
    assert "+447700900123" not in client.get("/admin/notify/preferences/").text
    # Not on a person's own page either: which channels are on, not where they lead.
    page = client.get(f"/admin/notify/preferences/{preferences.pk}/change/").text
    assert "Text message" in page or "text message" in page
    for private in ("+447700900123", "hooks.example.org", preferences.webhook_secret):
        assert private not in page
    assert client.get(f"/admin/notify/alert/{alert.pk}/delete/").status_code == 403
    assert client.get("/admin/notify/alert/add/").status_code == 403
    client.post(f"/admin/notify/alert/{alert.pk}/change/", {"title": "Changed"})
    assert Alert.objects.get().title == alert.title

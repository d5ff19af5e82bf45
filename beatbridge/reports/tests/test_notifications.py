"""A notification whose task was lost is queued again, and still sent only once."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from beatbridge.reports.models import DeliveryStatus, ReporterNotification, ReportUpdate
from beatbridge.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def lost_notification(street_light, *, minutes_ago: int) -> ReporterNotification:
    report = ReportFactory(category=street_light, contact_email="reporter@example.org")
    update = ReportUpdate.objects.create(
        report=report, kind="public", text="On it.", is_public=True
    )
    return ReporterNotification.objects.create(
        report=report,
        update=update,
        event="public_update",
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


def test_stale_notifications_are_sent_and_fresh_ones_left_to_their_task(street_light, capsys):
    stale = lost_notification(street_light, minutes_ago=30)
    fresh = lost_notification(street_light, minutes_ago=1)

    call_command("requeue_notifications", "--minutes", "15")

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == DeliveryStatus.SENT
    assert fresh.status == DeliveryStatus.QUEUED
    assert len(mail.outbox) == 1
    assert "On it." in mail.outbox[0].body
    assert "1" in capsys.readouterr().out

    call_command("requeue_notifications", "--minutes", "15")
    assert len(mail.outbox) == 1


def test_minutes_must_be_positive():
    with pytest.raises(CommandError):
        call_command("requeue_notifications", "--minutes", "0")

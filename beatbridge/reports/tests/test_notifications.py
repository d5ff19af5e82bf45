"""Notifications whose task was lost are queued again, keep their pace, and go out once."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from beatbridge.reports import notifications
from beatbridge.reports.models import DeliveryStatus, ReporterNotification, ReportUpdate
from beatbridge.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def waiting_notification(
    street_light, *, due_minutes_ago: int, status: str = DeliveryStatus.QUEUED
) -> ReporterNotification:
    report = ReportFactory(category=street_light, contact_email="reporter@example.org")
    update = ReportUpdate.objects.create(
        report=report, kind="public", text="On it.", is_public=True
    )
    return ReporterNotification.objects.create(
        report=report,
        update=update,
        event="public_update",
        status=status,
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=due_minutes_ago),
    )


def test_a_lost_notification_is_sent_and_one_still_in_its_pause_is_left(street_light, capsys):
    lost = waiting_notification(street_light, due_minutes_ago=30)
    pausing = waiting_notification(street_light, due_minutes_ago=-60)

    call_command("requeue_notifications", "--minutes", "15")

    lost.refresh_from_db()
    pausing.refresh_from_db()
    assert lost.status == DeliveryStatus.SENT
    assert (pausing.status, pausing.attempts) == (DeliveryStatus.QUEUED, 0)
    assert len(mail.outbox) == 1
    assert "On it." in mail.outbox[0].body
    assert "Queued 1 notification(s) and 0 alert fan-out(s) again." in capsys.readouterr().out

    call_command("requeue_notifications", "--minutes", "15")
    assert len(mail.outbox) == 1


def test_a_notification_whose_worker_died_mid_send_is_taken_again(street_light):
    abandoned = waiting_notification(
        street_light, due_minutes_ago=20, status=DeliveryStatus.SENDING
    )
    being_sent = waiting_notification(
        street_light, due_minutes_ago=1, status=DeliveryStatus.SENDING
    )

    assert notifications.requeue_stale() == 1
    abandoned.refresh_from_db()
    assert abandoned.status == DeliveryStatus.SENT
    # Another worker has it now: a second task leaves it alone.
    assert notifications.deliver(being_sent.pk) == DeliveryStatus.SENDING
    assert len(mail.outbox) == 1


def test_a_failure_waits_for_its_pause(street_light, monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    def refuse(self, *args, **kwargs):
        raise TimeoutError

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    notification = waiting_notification(street_light, due_minutes_ago=0)

    assert notifications.deliver(notification.pk) == DeliveryStatus.QUEUED
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert notification.last_error == "TimeoutError"
    assert notification.next_attempt_at > timezone.now()
    # A cron sweep meanwhile does not spend the next attempt early.
    assert notifications.requeue_stale() == 0


def test_minutes_must_be_positive():
    with pytest.raises(CommandError):
        call_command("requeue_notifications", "--minutes", "0")

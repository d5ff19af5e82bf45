"""The notify management commands: requeue_notifications, send_digests and worker."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from freezegun import freeze_time

from beatbridge.notify import delivery
from beatbridge.notify.management.commands import worker
from beatbridge.notify.models import AlertDelivery, DeliveryStatus
from beatbridge.notify.tests.factories import (
    AlertDeliveryFactory,
    AlertFactory,
    FollowFactory,
    PreferencesFactory,
)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_requeue_notifications_sends_lost_and_abandoned_rows_and_fans_out_cut_short_alerts(
    fremont,
):
    long_ago = timezone.now() - datetime.timedelta(minutes=30)
    lost = AlertDeliveryFactory(next_attempt_at=long_ago)
    abandoned = AlertDeliveryFactory(
        status=DeliveryStatus.SENDING, next_attempt_at=long_ago - delivery.LEASE
    )
    waiting = AlertDeliveryFactory(next_attempt_at=timezone.now())
    FollowFactory(neighbourhood=fremont)
    cut_short = AlertFactory(neighbourhoods=[fremont], created_at=long_ago)

    out = run("requeue_notifications")

    assert "2 notification(s)" in out
    assert "1 alert fan-out(s)" in out
    statuses = dict(AlertDelivery.objects.values_list("pk", "status"))
    assert statuses[lost.pk] == statuses[abandoned.pk] == DeliveryStatus.SENT
    assert statuses[waiting.pk] == DeliveryStatus.QUEUED
    cut_short.refresh_from_db()
    assert cut_short.fanned_out_at is not None
    assert len(mail.outbox) == 3
    # Run again from cron: nothing is sent twice.
    assert "0 notification(s)" in run("requeue_notifications")
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_requeue_notifications_minutes_set_how_old_is_lost():
    AlertDeliveryFactory(next_attempt_at=timezone.now() - datetime.timedelta(minutes=3))
    assert "0 notification(s)" in run("requeue_notifications", "--minutes", "5")
    assert "1 notification(s)" in run("requeue_notifications", "--minutes", "2")


def test_requeue_notifications_refuses_minutes_below_one():
    with pytest.raises(CommandError):
        call_command("requeue_notifications", "--minutes", "0")


@pytest.mark.django_db
def test_send_digests_sends_what_is_due_once(fremont, settings):
    settings.NOTIFY_DIGEST_HOUR = 7
    settings.TIME_ZONE = "America/Los_Angeles"
    row = AlertDeliveryFactory(
        status=DeliveryStatus.HELD,
        digest=True,
        alert=AlertFactory(severity="information"),
        created_at=datetime.datetime(2026, 6, 11, 3, 0, tzinfo=datetime.UTC),
        next_attempt_at=datetime.datetime(2026, 6, 11, 3, 0, tzinfo=datetime.UTC),
    )
    PreferencesFactory(user=row.recipient, daily_digest=True)
    with freeze_time("2026-06-11 13:30:00"):  # 06:30 in Seattle
        assert "Sent 0 digest(s)" in run("send_digests")
    with freeze_time("2026-06-11 14:30:00"):  # 07:30
        assert "Sent 1 digest(s)" in run("send_digests")
        assert "Sent 0 digest(s)" in run("send_digests")
    assert [m.to for m in mail.outbox] == [[row.recipient.email]]


@pytest.fixture
def ran(monkeypatch):
    calls: list[tuple] = []
    monkeypatch.setattr(worker, "call_command", lambda *args: calls.append(args))
    return calls


def test_worker_runs_the_database_worker_by_default(settings, ran):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("worker")
    call_command("worker", "--burst")
    assert ran == [
        ("db_worker", "--no-startup-delay"),
        ("db_worker", "--no-startup-delay", "--batch"),
    ]


def test_worker_runs_an_rq_worker_with_its_scheduler_when_redis_is_configured(settings, ran):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    call_command("worker", "--burst")
    [(command, *arguments)] = ran
    assert command == "rqworker"
    assert arguments[0] == "default"
    assert "--with-scheduler" in arguments
    assert arguments[arguments.index("--job-class") + 1] == "django_tasks_rq.Job"
    assert "--burst" in arguments

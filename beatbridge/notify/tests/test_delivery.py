"""Sending alert deliveries: once, retried with backoff, nothing lost, nothing personal logged."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import task_backends
from freezegun import freeze_time

from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.notify import alerts, delivery, sms
from beatbridge.notify.models import Alert, AlertDelivery, Channel, DeliveryStatus
from beatbridge.notify.tests.factories import (
    AlertDeliveryFactory,
    AlertFactory,
    FollowFactory,
    PreferencesFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _outboxes(settings):
    # Quiet hours and digests are reckoned in the site's time zone; the cases below are Seattle's.
    settings.TIME_ZONE = "America/Los_Angeles"
    settings.SMS_BACKEND = "beatbridge.notify.sms.LocmemBackend"
    settings.SITE_URL = "https://beatbridge.example"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def dummy_tasks(settings):
    """A task backend that records what was enqueued (and can defer) without running it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    backend.clear()
    return backend


def queued_row(*, channel=Channel.EMAIL, **fields) -> AlertDelivery:
    return AlertDeliveryFactory(channel=channel, **fields)


def refuse_mail(monkeypatch, error: Exception) -> None:
    def refuse(self, fail_silently=False):
        raise error

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)


# --- once ---------------------------------------------------------------------------------


def test_the_same_ids_delivered_twice_send_one_message():
    row = queued_row()
    assert alerts.deliver_many([row.pk]) == {row.pk: DeliveryStatus.SENT}
    assert alerts.deliver_many([row.pk]) == {row.pk: DeliveryStatus.SENT}
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.attempts == 1
    assert row.sent_at is not None


def test_overlapping_batches_send_each_row_once():
    rows = [queued_row() for _ in range(4)]
    ids = [row.pk for row in rows]
    alerts.deliver_many(ids[:3])
    alerts.deliver_many(ids[1:])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(row.recipient.email for row in rows)


def test_a_row_another_worker_is_sending_is_left_alone_until_its_lease_ends():
    row = queued_row(status=DeliveryStatus.SENDING, next_attempt_at=timezone.now())
    assert alerts.deliver_many([row.pk]) == {row.pk: DeliveryStatus.SENDING}
    assert mail.outbox == []

    with freeze_time(timezone.now() + delivery.LEASE + datetime.timedelta(seconds=1)):
        assert alerts.deliver_many([row.pk]) == {row.pk: DeliveryStatus.SENT}
    assert len(mail.outbox) == 1


def test_a_row_stuck_sending_past_the_lease_is_queued_again_by_requeue_stale():
    stuck = queued_row(
        status=DeliveryStatus.SENDING,
        next_attempt_at=timezone.now() - delivery.LEASE - datetime.timedelta(minutes=1),
    )
    busy = queued_row(status=DeliveryStatus.SENDING, next_attempt_at=timezone.now())
    assert alerts.requeue_stale() == 1
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert stuck.status == DeliveryStatus.SENT
    assert busy.status == DeliveryStatus.SENDING
    assert [m.to for m in mail.outbox] == [[stuck.recipient.email]]


def test_a_queued_row_whose_task_was_lost_is_sent_by_requeue_stale():
    lost = queued_row(next_attempt_at=timezone.now() - datetime.timedelta(minutes=20))
    fresh = queued_row()
    assert alerts.requeue_stale() == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert (lost.status, fresh.status) == (DeliveryStatus.SENT, DeliveryStatus.QUEUED)


def test_digest_rows_are_not_sent_one_by_one():
    row = queued_row(status=DeliveryStatus.HELD, digest=True)
    held_queued = queued_row(
        digest=True, next_attempt_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert alerts.deliver_many([row.pk, held_queued.pk]) == {}
    assert alerts.requeue_stale() == 0
    assert mail.outbox == []


def test_a_slow_batch_is_not_sent_again_by_a_second_worker(monkeypatch):
    """A batch whose sending outlasts the lease (500 webhooks to a server that times out
    take 500 times NOTIFY_HTTP_TIMEOUT) must not be taken again row by row while the first
    worker is still going through it: its later rows would be sent twice."""
    first, second = queued_row(), queued_row()
    sent: list[str] = []
    real_email = alerts._email

    def slow_email(row, address, texts):
        sent.append(address)
        if len(sent) == 1:
            # The first message takes longer than the lease; meanwhile cron's
            # requeue_stale (or a duplicate task) hands the batch to another worker.
            later = timezone.now() + delivery.LEASE + datetime.timedelta(minutes=1)
            with freeze_time(later):
                alerts.requeue_stale()
        return real_email(row, address, texts)

    monkeypatch.setattr(alerts, "_email", slow_email)
    alerts.deliver_many([first.pk, second.pk])

    assert sent.count(second.recipient.email) == 1


# --- retries ------------------------------------------------------------------------------


def test_a_failure_is_retried_after_a_pause_and_scheduled_on_a_deferring_backend(
    monkeypatch, dummy_tasks
):
    row = queued_row()
    refuse_mail(monkeypatch, smtplib.SMTPServerDisconnected("connection lost"))
    before = timezone.now()

    assert alerts.deliver_many([row.pk]) == {row.pk: DeliveryStatus.QUEUED}

    row.refresh_from_db()
    assert row.attempts == 1
    assert row.last_error == "SMTPServerDisconnected"
    assert row.next_attempt_at >= before + delivery.BACKOFF[0]
    [retry] = dummy_tasks.results
    assert retry.kwargs == {"delivery_ids": [row.pk]}
    assert retry.task.run_after == row.next_attempt_at
    # Sent early by a duplicate task or a sweep, it waits for its pause.
    assert alerts.deliver_many([row.pk]) == {row.pk: DeliveryStatus.QUEUED}
    assert alerts.requeue_stale() == 0


def test_the_pauses_grow_and_the_last_attempt_fails_for_good(monkeypatch, settings):
    settings.NOTIFY_ATTEMPTS = 3
    row = queued_row()
    refuse_mail(monkeypatch, smtplib.SMTPDataError(451, b"try later"))
    pauses = []
    for _attempt in range(3):
        started = timezone.now()
        with freeze_time(started):
            alerts.deliver_many([row.pk])
        row.refresh_from_db()
        pauses.append(row.next_attempt_at - started)
        AlertDelivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    row.refresh_from_db()
    assert pauses[:2] == delivery.BACKOFF[:2]
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, 3)
    assert row.last_error == "SMTPDataError 451"
    assert alerts.requeue_stale() == 0


def test_an_expired_alert_is_skipped_not_sent():
    row = queued_row(alert=AlertFactory(expires_at=timezone.now() - datetime.timedelta(minutes=1)))
    assert alerts.deliver_many([row.pk]) == {row.pk: DeliveryStatus.SKIPPED}
    row.refresh_from_db()
    assert row.last_error == "expired"
    assert mail.outbox == []


def test_a_channel_switched_off_after_fan_out_is_skipped():
    row = queued_row(channel=Channel.SMS)
    PreferencesFactory(user=row.recipient, sms_enabled=False)
    inactive = queued_row(recipient=UserFactory(is_active=False))
    result = alerts.deliver_many([row.pk, inactive.pk])
    assert result == {row.pk: DeliveryStatus.SKIPPED, inactive.pk: DeliveryStatus.SKIPPED}
    assert sms.outbox == []
    assert mail.outbox == []


def test_a_changed_number_is_used_at_sending_time():
    row = queued_row(channel=Channel.SMS)
    preferences = PreferencesFactory(user=row.recipient, sms=True)
    preferences.phone_number = "+15035550199"
    preferences.save()
    alerts.deliver_many([row.pk])
    assert [to for _ref, to, _body in sms.outbox] == ["+15035550199"]


# --- fan-out and the queue ----------------------------------------------------------------


def test_fan_out_queues_batches_of_the_configured_size(fremont, settings, dummy_tasks):
    settings.NOTIFY_BATCH_SIZE = 2
    for _ in range(5):
        FollowFactory(neighbourhood=fremont)
    alert = AlertFactory(neighbourhoods=[fremont])

    assert alerts.fan_out(alert.pk) == 5

    batches = [r.kwargs["delivery_ids"] for r in dummy_tasks.results]
    assert [len(ids) for ids in batches] == [2, 2, 1]
    queued = AlertDelivery.objects.filter(alert=alert, channel=Channel.EMAIL)
    assert sorted(pk for ids in batches for pk in ids) == sorted(
        queued.values_list("pk", flat=True)
    )


@freeze_time("2026-06-11 06:00:00")  # 23:00 in Seattle
def test_rows_held_by_quiet_hours_are_scheduled_for_when_they_end(fremont, dummy_tasks):
    quiet = FollowFactory(neighbourhood=fremont).user
    PreferencesFactory(
        user=quiet, quiet_hours_start=datetime.time(22), quiet_hours_end=datetime.time(7)
    )
    awake = FollowFactory(neighbourhood=fremont).user
    alert = AlertFactory(neighbourhoods=[fremont])

    alerts.fan_out(alert.pk)

    runs = {r.task.run_after: r.kwargs["delivery_ids"] for r in dummy_tasks.results}
    ends = datetime.datetime(2026, 6, 11, 14, 0, tzinfo=datetime.UTC)
    email = AlertDelivery.objects.filter(alert=alert, channel=Channel.EMAIL)
    assert runs == {
        None: [email.get(recipient=awake).pk],
        ends: [email.get(recipient=quiet).pk],
    }


def test_requeue_unfinished_fans_out_alerts_cut_short(fremont):
    FollowFactory(neighbourhood=fremont)
    old = AlertFactory(
        neighbourhoods=[fremont], created_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    recent = AlertFactory(neighbourhoods=[fremont])
    assert alerts.requeue_unfinished() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.fanned_out_at is not None
    assert recent.fanned_out_at is None
    assert len(mail.outbox) == 1
    assert alerts.requeue_unfinished() == 0


# --- personal data ------------------------------------------------------------------------


def test_failures_log_no_address_number_or_message(monkeypatch, caplog, settings):
    settings.NOTIFY_WEBHOOK_ALLOW_HTTP = True
    settings.NOTIFY_WEBHOOK_ALLOW_PRIVATE = True
    email = queued_row()
    texted = queued_row(channel=Channel.SMS)
    PreferencesFactory(user=texted.recipient, sms=True)
    hooked = queued_row(channel=Channel.WEBHOOK)
    PreferencesFactory(
        user=hooked.recipient, webhook_enabled=True, webhook_url="http://127.0.0.1:9/hook"
    )
    refuse_mail(monkeypatch, smtplib.SMTPRecipientsRefused({email.recipient.email: (550, b"no")}))

    class Broken:
        def send(self, to, body):
            raise RuntimeError(f"gateway refused {to}: {body}")

    monkeypatch.setattr(sms, "backend", Broken)
    with caplog.at_level("DEBUG"):
        alerts.deliver_many([email.pk, texted.pk, hooked.pk])

    assert caplog.records, "the failures should be logged"
    logged = caplog.text
    for secret in (
        email.recipient.email,
        "+447700900123",
        "127.0.0.1:9",
        email.alert.message,
        email.alert.title,
    ):
        assert secret not in logged
    rows = AlertDelivery.objects.filter(pk__in=[email.pk, texted.pk, hooked.pk])
    for last_error in rows.values_list("last_error", flat=True):
        assert "@" not in last_error
        assert "+44" not in last_error
        assert "127.0.0.1" not in last_error


def test_an_alert_deleted_with_its_rows_leaves_no_task_failing():
    row = queued_row()
    Alert.objects.filter(pk=row.alert_id).delete()
    assert alerts.deliver_many([row.pk]) == {}

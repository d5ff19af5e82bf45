"""Sending a ``Delivery`` row by e-mail: once, with retries, and nothing lost.

A worker takes the row (a short transaction marks it "sending"), sends outside any
transaction so a slow mail server holds no database lock (``EMAIL_TIMEOUT`` bounds it),
and records what happened. A failure is tried again after a growing pause
(``next_attempt_at``) until ``REPORT_NOTIFICATION_ATTEMPTS`` tries, then marked failed.
``requeue_stale`` finds rows whose task was lost (a crash between commit and enqueue,
or a worker that died mid-send) and leaves alone those waiting for their pause.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from beatbridge.notify.models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)

# Pauses before the 2nd, 3rd, ... attempt: one minute, then five, thirty, two hours, eight.
BACKOFF = [datetime.timedelta(minutes=m) for m in (1, 5, 30, 120, 480)]
# A worker that took a message this long ago and never said what happened has died.
LEASE = datetime.timedelta(minutes=15)


@dataclass(frozen=True)
class Channel:
    """How one kind of message is sent: its rows, what to read with them, where and what."""

    model: type[Delivery]
    related: Sequence[str]
    # The address to write to now (read when sending, never stored); "" skips the message.
    address_of: Callable[[Any], str]
    message_for: Callable[[Any, str], EmailMessage]
    # The task that sends one row: ``task.enqueue(delivery_id=...)``.
    task: Any


def deliver(channel: Channel, delivery_id: int) -> str:
    """Send one message unless it is sent, taken or not yet due; returns its status."""
    delivery, status = _take(channel, delivery_id)
    if delivery is None:
        return status
    address = channel.address_of(delivery)
    if not address:
        _finish(delivery, DeliveryStatus.SKIPPED)
        return DeliveryStatus.SKIPPED
    try:
        channel.message_for(delivery, address).send()
    except Exception as error:
        return _failed(channel, delivery, error)
    _finish(delivery, DeliveryStatus.SENT)
    return DeliveryStatus.SENT


def _take(channel: Channel, delivery_id: int) -> tuple[Any, str]:
    with transaction.atomic():
        delivery = (
            channel.model.objects.select_for_update(of=("self",))
            .select_related(*channel.related)
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None, "missing"
        now = timezone.now()
        due = delivery.status == DeliveryStatus.QUEUED and delivery.next_attempt_at <= now
        abandoned = (
            delivery.status == DeliveryStatus.SENDING and delivery.next_attempt_at <= now - LEASE
        )
        if not (due or abandoned):
            # Sent, failed, taken by another worker, or still in its pause: a duplicate or
            # early task does nothing.
            return None, delivery.status
        delivery.status = DeliveryStatus.SENDING
        delivery.next_attempt_at = now
        delivery.save(update_fields=["status", "next_attempt_at"])
        return delivery, delivery.status


def _finish(
    delivery: Delivery,
    status: str,
    error: str = "",
    *,
    next_attempt_at: datetime.datetime | None = None,
) -> None:
    delivery.attempts += 1
    delivery.status = status
    delivery.last_error = error[:300]
    if status == DeliveryStatus.SENT:
        delivery.sent_at = timezone.now()
    if next_attempt_at is not None:
        delivery.next_attempt_at = next_attempt_at
    delivery.save(update_fields=["attempts", "status", "last_error", "sent_at", "next_attempt_at"])


def _failed(channel: Channel, delivery: Delivery, error: Exception) -> str:
    # The exception's class and its SMTP code if any: never the address or the message.
    reason = type(error).__name__
    if code := getattr(error, "smtp_code", None):
        reason = f"{reason} {code}"
    attempts_left = settings.REPORT_NOTIFICATION_ATTEMPTS - (delivery.attempts + 1)
    status = DeliveryStatus.QUEUED if attempts_left > 0 else DeliveryStatus.FAILED
    pause = BACKOFF[min(delivery.attempts, len(BACKOFF) - 1)]
    _finish(delivery, status, reason, next_attempt_at=timezone.now() + pause)
    logger.warning(
        "%s %s attempt %s failed: %s",
        channel.model.__name__,
        delivery.pk,
        delivery.attempts,
        reason,
    )
    # A backend that cannot defer (the immediate one, in tests) leaves the retry to
    # requeue_stale, which finds it once it is due.
    if status == DeliveryStatus.QUEUED and channel.task.get_backend().supports_defer:
        channel.task.using(run_after=delivery.next_attempt_at).enqueue(delivery_id=delivery.pk)
    return status


def queue(channel: Channel, delivery: Delivery) -> None:
    """Send a saved row after the transaction that wrote it commits."""
    delivery_id = delivery.pk
    transaction.on_commit(lambda: channel.task.enqueue(delivery_id=delivery_id))


def requeue_stale(channel: Channel, *, older_than: datetime.timedelta = LEASE) -> int:
    """Enqueue again what a lost task left behind; returns how many.

    A queued message whose try was due more than ``older_than`` ago (its own task should
    have run by then), and one taken by a worker longer than ``LEASE`` ago that never
    said what happened. One waiting for its pause is left alone, so retries keep their
    pace through a long outage.
    """
    now = timezone.now()
    stale = list(
        channel.model.objects.filter(
            Q(status=DeliveryStatus.QUEUED, next_attempt_at__lte=now - older_than)
            | Q(status=DeliveryStatus.SENDING, next_attempt_at__lte=now - LEASE)
        ).values_list("pk", flat=True)
    )
    for delivery_id in stale:
        channel.task.enqueue(delivery_id=delivery_id)
    return len(stale)

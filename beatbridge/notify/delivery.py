"""Sending ``Delivery`` rows: once, with retries, and nothing lost.

A worker takes a batch of rows (a short transaction marks them "sending"), sends outside
any transaction so a slow server holds no database lock (``EMAIL_TIMEOUT`` and
``NOTIFY_HTTP_TIMEOUT`` bound it), and records what happened to each. A failure is tried
again after a growing pause (``next_attempt_at``) until ``NOTIFY_ATTEMPTS`` tries, then
marked failed. ``requeue_stale`` finds rows whose task was lost (a crash between commit
and enqueue, or a worker that died mid-send) and leaves alone those waiting for their pause.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from beatbridge.errors import DomainError
from beatbridge.notify.models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)

# Pauses before the 2nd, 3rd, ... attempt: one minute, then five, thirty, two hours, eight.
BACKOFF = [datetime.timedelta(minutes=m) for m in (1, 5, 30, 120, 480)]
# A worker that took a message this long ago and never said what happened has died.
LEASE = datetime.timedelta(minutes=15)


@dataclass(frozen=True)
class Sent:
    """What became of one message that went: sent, or delivered (the far end acknowledged
    it; the row's model then has a ``delivered_at``), with any fields to record.
    ``recorded`` says the sender has written the row's outcome itself already."""

    status: str = DeliveryStatus.SENT
    fields: dict[str, Any] = field(default_factory=dict)
    recorded: bool = False


# For each (row, address) handed to a channel: Sent, or the exception that stopped it.
Outcome = Sent | Exception
# A sender goes through the rows as it is handed them (one at a time: each is checked to
# be still this worker's just before it goes) and says what became of each, in order.
Sender = Callable[[Iterable[tuple[Any, str]]], list[Outcome]]


def send_emails(message_for: Callable[[Any, str], EmailMessage]) -> Sender:
    """A sender for e-mail channels: one connection to the mail server for the whole batch."""

    def send(rows: Iterable[tuple[Any, str]]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        with get_connection() as connection:
            for row, address in rows:
                try:
                    message = message_for(row, address)
                    message.connection = connection
                    message.send()
                except Exception as error:
                    outcomes.append(error)
                else:
                    outcomes.append(Sent())
        return outcomes

    return send


def _never_skip(row: Any) -> str:
    return ""


@dataclass(frozen=True)
class Channel:
    """How one kind of message is sent: its rows, what to read with them, where and how."""

    model: type[Delivery]
    related: Sequence[str]
    # The address to write to now (read when sending, never stored); "" skips the message.
    address_of: Callable[[Any], str]
    send: Sender
    # The task that sends rows: ``task.enqueue(delivery_ids=[...])``.
    task: Any
    # Why a row is no longer worth sending ("expired"), or "" to send it.
    skip_reason: Callable[[Any], str] = _never_skip
    # The rows of ``model`` this channel sends, when others are sent another way.
    scope: Q = field(default_factory=Q)


def deliver(channel: Channel, delivery_id: int) -> str:
    """Send one message unless it is sent, taken or not yet due; returns its status."""
    return deliver_many(channel, [delivery_id]).get(delivery_id, "missing")


def deliver_many(channel: Channel, delivery_ids: Sequence[int]) -> dict[int, str]:
    """Send every row of ``delivery_ids`` that is due; returns each row's status."""
    taken, statuses = _take(channel, delivery_ids)
    to_send: list[tuple[Any, str]] = []
    skipped: dict[str, list[Any]] = defaultdict(list)
    for row in taken:
        reason = channel.skip_reason(row)
        address = "" if reason else channel.address_of(row)
        if address:
            to_send.append((row, address))
        else:
            skipped[reason or "no address"].append(row)
    for reason, rows in skipped.items():
        _finish(channel, rows, Sent(DeliveryStatus.SKIPPED), error=reason)
        statuses.update(dict.fromkeys((row.pk for row in rows), DeliveryStatus.SKIPPED))
    handed: list[tuple[Any, str]] = []
    outcomes = channel.send(_still_ours(channel, to_send, handed)) if to_send else []
    passed_over = {row.pk for row, _address in to_send} - {row.pk for row, _address in handed}
    # Another worker holds these now; what becomes of them is its to say.
    statuses.update(dict.fromkeys(passed_over, DeliveryStatus.SENDING))
    went: dict[str, list[Any]] = defaultdict(list)
    for (row, _address), outcome in zip(handed, outcomes, strict=True):
        if isinstance(outcome, Exception):
            statuses[row.pk] = _failed(channel, row, outcome)
        elif outcome.recorded:
            statuses[row.pk] = outcome.status
        elif outcome.fields:
            _finish(channel, [row], outcome)
            statuses[row.pk] = outcome.status
        else:
            went[outcome.status].append(row)
            statuses[row.pk] = outcome.status
    for status, rows in went.items():
        _finish(channel, rows, Sent(status))
    return statuses


def count_by_status(statuses: dict[int, str]) -> dict[str, int]:
    """How many rows ended in each status: what a sending task reports."""
    counts: dict[str, int] = defaultdict(int)
    for status in statuses.values():
        counts[status] += 1
    return dict(counts)


def _still_ours(
    channel: Channel, rows: Sequence[tuple[Any, str]], handed: list[tuple[Any, str]]
) -> Iterator[tuple[Any, str]]:
    """The rows one by one, each only if no other worker has taken it since this one did.

    A batch can outlast the lease (hundreds of webhooks to a server that times out), and
    then ``requeue_stale`` hands its rows to another worker. Just before each row goes,
    a conditional update renews this worker's hold on it; a row someone else holds now is
    passed over, so nothing is sent twice.
    """
    for row, address in rows:
        now = timezone.now()
        renewed = channel.model.objects.filter(
            pk=row.pk, status=DeliveryStatus.SENDING, next_attempt_at=row.next_attempt_at
        ).update(next_attempt_at=now)
        if renewed:
            row.next_attempt_at = now
            handed.append((row, address))
            yield row, address


def _take(channel: Channel, delivery_ids: Sequence[int]) -> tuple[list[Any], dict[int, str]]:
    """Mark the due rows "sending" in one short transaction; the others are left alone."""
    with transaction.atomic():
        rows = list(
            channel.model.objects.select_for_update(of=("self",))
            .select_related(*channel.related)
            .filter(channel.scope, pk__in=delivery_ids)
            .order_by("pk")
        )
        now = timezone.now()
        taken = [
            row
            for row in rows
            if (row.status == DeliveryStatus.QUEUED and row.next_attempt_at <= now)
            or (row.status == DeliveryStatus.SENDING and row.next_attempt_at <= now - LEASE)
        ]
        # Sent, failed, taken by another worker, or still in its pause: a duplicate or
        # early task does nothing to them.
        statuses = {row.pk: row.status for row in rows}
        if taken:
            channel.model.objects.filter(pk__in=[row.pk for row in taken]).update(
                status=DeliveryStatus.SENDING, next_attempt_at=now
            )
        for row in taken:
            row.status = DeliveryStatus.SENDING
            row.next_attempt_at = now
    return taken, statuses


def _finish(channel: Channel, rows: Sequence[Any], outcome: Sent, *, error: str = "") -> None:
    now = timezone.now()
    values: dict[str, Any] = {
        "status": outcome.status,
        "attempts": F("attempts") + 1,
        "last_error": error[:300],
        **outcome.fields,
    }
    if outcome.status in (DeliveryStatus.SENT, DeliveryStatus.DELIVERED):
        values["sent_at"] = now
    if outcome.status == DeliveryStatus.DELIVERED:
        values["delivered_at"] = now
    channel.model.objects.filter(pk__in=[row.pk for row in rows]).update(**values)


def _failed(channel: Channel, row: Any, error: Exception) -> str:
    # The exception's class and its SMTP or HTTP code if any: never the address or the message.
    reason = type(error).__name__
    if code := getattr(error, "smtp_code", None) or getattr(error, "code", None):
        reason = f"{reason} {code}"
    attempts_left = settings.NOTIFY_ATTEMPTS - (row.attempts + 1)
    # A refusal of our own (an address no longer allowed) will not change by waiting.
    permanent = isinstance(error, DomainError)
    status = DeliveryStatus.QUEUED if attempts_left > 0 and not permanent else DeliveryStatus.FAILED
    next_attempt_at = timezone.now() + BACKOFF[min(row.attempts, len(BACKOFF) - 1)]
    channel.model.objects.filter(pk=row.pk).update(
        status=status,
        attempts=F("attempts") + 1,
        last_error=reason[:300],
        next_attempt_at=next_attempt_at,
    )
    logger.warning(
        "%s %s attempt %s failed: %s", channel.model.__name__, row.pk, row.attempts + 1, reason
    )
    # A backend that cannot defer (the immediate one, in tests) leaves the retry to
    # requeue_stale, which finds it once it is due.
    if status == DeliveryStatus.QUEUED and channel.task.get_backend().supports_defer:
        channel.task.using(run_after=next_attempt_at).enqueue(delivery_ids=[row.pk])
    return status


def queue(channel: Channel, delivery: Delivery) -> None:
    """Send a saved row after the transaction that wrote it commits."""
    delivery_id = delivery.pk
    transaction.on_commit(lambda: channel.task.enqueue(delivery_ids=[delivery_id]))


def requeue_stale(
    channel: Channel, *, older_than: datetime.timedelta = LEASE, batch_size: int = 200
) -> int:
    """Enqueue again what a lost task left behind; returns how many rows.

    A queued message whose try was due more than ``older_than`` ago (its own task should
    have run by then), and one taken by a worker longer than ``LEASE`` ago that never
    said what happened. One waiting for its pause is left alone, so retries keep their
    pace through a long outage.
    """
    now = timezone.now()
    stale = list(
        channel.model.objects.filter(channel.scope)
        .filter(
            Q(status=DeliveryStatus.QUEUED, next_attempt_at__lte=now - older_than)
            | Q(status=DeliveryStatus.SENDING, next_attempt_at__lte=now - LEASE)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(stale), batch_size):
        channel.task.enqueue(delivery_ids=stale[start : start + batch_size])
    return len(stale)

"""Fanning an alert out to its recipients and sending it on every channel they chose.

``fan_out`` writes one ``AlertDelivery`` row per recipient and channel (a unique
constraint makes a second run add only what the first did not), then queues the rows in
batches. Each batch is sent by ``beatbridge.notify.delivery`` like every other message:
taken, sent outside any transaction, retried with backoff, recorded. Quiet hours hold
e-mail and SMS until they end (urgent alerts excepted); information and advice for people
who chose the daily digest wait for ``send_digests``.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from beatbridge.notify import delivery, sms, webhooks
from beatbridge.notify.audience import recipient_ids
from beatbridge.notify.models import (
    Alert,
    AlertDelivery,
    Channel,
    DeliveryStatus,
    Preferences,
    Severity,
    severity_rank,
)

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "beatbridge.notify.unsubscribe"
# Severities a daily digest gathers; warnings and urgent alerts always go at once.
DIGEST_SEVERITIES = frozenset({Severity.INFORMATION, Severity.ADVICE})
# An SMS of at most three parts (153 characters each once split).
SMS_MAX_LENGTH = 459


# --- who hears how ------------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """One person's preferences as fan-out reads them; defaults for those who set none."""

    email: bool = True
    sms: bool = False
    webhook: bool = False
    minimum_severity: str = Severity.INFORMATION
    quiet_start: datetime.time | None = None
    quiet_end: datetime.time | None = None
    digest: bool = False


def choices_of(user_ids: Sequence[int]) -> dict[int, Choices]:
    rows = Preferences.objects.filter(user_id__in=user_ids).values_list(
        "user_id",
        "email_enabled",
        "sms_enabled",
        "webhook_enabled",
        "minimum_severity",
        "quiet_hours_start",
        "quiet_hours_end",
        "daily_digest",
    )
    return {user_id: Choices(*values) for user_id, *values in rows}


def quiet_until(choices: Choices, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """When the person's quiet hours end, if ``now`` falls in them (site time zone)."""
    if choices.quiet_start is None or choices.quiet_end is None:
        return None
    local = timezone.localtime(now or timezone.now())
    start, end, time = choices.quiet_start, choices.quiet_end, local.time()
    inside = start <= time < end if start <= end else (time >= start or time < end)
    if not inside:
        return None
    ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return ends if ends > local else ends + datetime.timedelta(days=1)


def delivery_rows_for(
    alert: Alert, user_id: int, language: str, choices: Choices, now: datetime.datetime
) -> list[AlertDelivery]:
    """The delivery rows one recipient gets: the inbox always, the rest as they chose."""

    def row(channel: str, **fields: Any) -> AlertDelivery:
        return AlertDelivery(
            alert=alert,
            recipient_id=user_id,
            channel=channel,
            language=language,
            created_at=now,
            **{"next_attempt_at": now, **fields},
        )

    rows = [row(Channel.INBOX, status=DeliveryStatus.DELIVERED, delivered_at=now, sent_at=now)]
    if severity_rank(alert.severity) < severity_rank(choices.minimum_severity):
        return rows
    urgent = alert.severity == Severity.URGENT
    held_until = None if urgent else quiet_until(choices, now)
    if choices.email:
        if choices.digest and alert.severity in DIGEST_SEVERITIES:
            rows.append(row(Channel.EMAIL, status=DeliveryStatus.HELD, digest=True))
        else:
            rows.append(row(Channel.EMAIL, next_attempt_at=held_until or now))
    if choices.sms:
        rows.append(row(Channel.SMS, next_attempt_at=held_until or now))
    if choices.webhook:
        # Partner systems have no night: their webhook is called at once.
        rows.append(row(Channel.WEBHOOK))
    return rows


# --- fan-out ------------------------------------------------------------------------------


def fan_out(alert_id: int) -> int:
    """Write every recipient's delivery rows and queue them; returns the recipient count.

    Safe to run again after a crash: existing rows are kept, missing ones added, and a
    queued row sent twice by two batches is taken by one of them only.
    """
    from django.contrib.auth import get_user_model

    alert = Alert.objects.select_related("scheme", "sector").filter(pk=alert_id).first()
    if alert is None or alert.fanned_out_at is not None:
        return 0
    recipients = recipient_ids(alert)
    now = timezone.now()
    size = settings.NOTIFY_BATCH_SIZE
    for start in range(0, len(recipients), size):
        chunk = recipients[start : start + size]
        choices = choices_of(chunk)
        languages = dict(
            get_user_model().objects.filter(pk__in=chunk).values_list("pk", "preferred_language")
        )
        rows = [
            row
            for user_id in chunk
            for row in delivery_rows_for(
                alert,
                user_id,
                languages.get(user_id) or settings.LANGUAGE_CODE,
                choices.get(user_id, Choices()),
                now,
            )
        ]
        AlertDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    Alert.objects.filter(pk=alert.pk).update(fanned_out_at=now, recipient_count=len(recipients))
    queue_due(alert.pk)
    return len(recipients)


def queue_due(alert_id: int) -> int:
    """Enqueue the alert's queued rows in batches, each to run when its rows are due."""
    from beatbridge.notify.tasks import send_alert_deliveries

    rows = AlertDelivery.objects.filter(alert_id=alert_id, status=DeliveryStatus.QUEUED)
    by_time: dict[datetime.datetime, list[int]] = defaultdict(list)
    for pk, due in rows.order_by("pk").values_list("pk", "next_attempt_at"):
        by_time[due].append(pk)
    now = timezone.now()
    defer = send_alert_deliveries.get_backend().supports_defer
    size = settings.NOTIFY_BATCH_SIZE
    for due, ids in by_time.items():
        if due > now and not defer:
            continue  # requeue_stale sends them once they are due
        task = send_alert_deliveries.using(run_after=due) if due > now else send_alert_deliveries
        for start in range(0, len(ids), size):
            task.enqueue(delivery_ids=ids[start : start + size])
    return sum(map(len, by_time.values()))


def requeue_unfinished(*, older_than: datetime.timedelta = delivery.LEASE) -> int:
    """Fan out again alerts whose fan-out was cut short; returns how many."""
    from beatbridge.notify.tasks import fan_out_alert

    cut_short = list(
        Alert.objects.filter(
            fanned_out_at__isnull=True, created_at__lte=timezone.now() - older_than
        ).values_list("pk", flat=True)
    )
    for alert_id in cut_short:
        fan_out_alert.enqueue(alert_id=alert_id)
    return len(cut_short)


# --- the messages -------------------------------------------------------------------------


def unsubscribe_token(user_id: int) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(user_id))


def user_of_unsubscribe_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def _alert_link(alert: Alert) -> str:
    return settings.SITE_URL + reverse("notify:alert", args=[alert.public_id])


def _unsubscribe_headers(user_id: int) -> tuple[str, dict[str, str]]:
    link = settings.SITE_URL + reverse("notify:unsubscribe", args=[unsubscribe_token(user_id)])
    # RFC 8058: a mail client may unsubscribe with one POST to this address, no page.
    return link, {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# Where each reader's own unsubscribe link goes in a text rendered once for many readers.
_UNSUBSCRIBE_HOLE = "\x00unsubscribe\x00"


def _email_texts(alert: Alert, language: str) -> tuple[str, str]:
    """The subject and body of an alert's e-mail in one language, with a hole for the
    reader's unsubscribe link: the same for every reader of that language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "alert": alert,
            "title": alert.translated("title", language),
            "message": alert.translated("message", language),
            "translated": alert.has_translation("message", language),
            "link": _alert_link(alert),
            "preferences": settings.SITE_URL + reverse("notify:preferences"),
            "unsubscribe": _UNSUBSCRIBE_HOLE,
            "emergency_number": settings.EMERGENCY_NUMBER,
        }
        subject = render_to_string("notify/email/alert_subject.txt", context)
        body = render_to_string("notify/email/alert.txt", context)
    return " ".join(subject.split()), body


def _email(
    row: AlertDelivery, address: str, texts: dict[tuple[int, str], tuple[str, str]]
) -> EmailMessage:
    """One reader's e-mail; ``texts`` keeps each alert and language rendered once a batch."""
    key = (row.alert_id, row.language)
    if key not in texts:
        texts[key] = _email_texts(row.alert, row.language)
    subject, body = texts[key]
    unsubscribe, headers = _unsubscribe_headers(row.recipient_id)
    return EmailMessage(
        subject=subject,
        body=body.replace(_UNSUBSCRIBE_HOLE, unsubscribe),
        to=[address],
        headers=headers,
    )


def sms_text(alert: Alert, language: str) -> str:
    """The alert as one text message of at most three parts, ending with its link."""
    with translation.override(language or settings.LANGUAGE_CODE):
        head = f"{alert.get_severity_display()}: {alert.translated('title', language)}"
        link = _alert_link(alert)
    body = f"{head}. {alert.translated('message', language)}"
    room = SMS_MAX_LENGTH - len(link) - 1
    if len(body) > room:
        body = body[: room - 1].rstrip() + "…"
    return f"{body} {link}"


def webhook_payload(row: AlertDelivery) -> dict[str, Any]:
    alert = row.alert
    return {
        "id": str(alert.public_id),
        "delivery": row.pk,
        "severity": alert.severity,
        "category": alert.category,
        "language": row.language,
        "title": alert.translated("title", row.language),
        "message": alert.translated("message", row.language),
        "neighbourhoods": [n.code for n in alert.neighbourhoods.all()],
        "scheme": alert.scheme.name if alert.scheme_id else None,
        "area": (
            {
                "latitude": alert.latitude,
                "longitude": alert.longitude,
                "radius_metres": alert.radius_metres,
            }
            if alert.latitude is not None
            else None
        ),
        "sent_at": alert.created_at.isoformat(),
        "expires_at": alert.expires_at.isoformat(),
        "url": _alert_link(alert),
    }


def _preferences(row: AlertDelivery) -> Preferences | None:
    return getattr(row.recipient, "notification_preferences", None)


def _address(row: AlertDelivery) -> str:
    """Read when sending, so a changed number or a channel switched off is respected."""
    preferences = _preferences(row)
    if row.channel == Channel.EMAIL:
        wanted = preferences is None or preferences.email_enabled
        return row.recipient.email if wanted and row.recipient.is_active else ""
    if preferences is None or not row.recipient.is_active:
        return ""
    if row.channel == Channel.SMS:
        return preferences.phone_number if preferences.sms_enabled else ""
    if row.channel == Channel.WEBHOOK:
        return preferences.webhook_url if preferences.webhook_enabled else ""
    return ""


def _skip_reason(row: AlertDelivery) -> str:
    return "expired" if row.alert.is_expired else ""


def _send(rows: Sequence[tuple[AlertDelivery, str]]) -> list[delivery.Outcome]:
    outcomes: list[delivery.Outcome] = []
    connection = None
    gateway = None
    texts: dict[tuple[int, str], tuple[str, str]] = {}
    try:
        for row, address in rows:
            try:
                if row.channel == Channel.EMAIL:
                    if connection is None:
                        connection = get_connection()
                        connection.open()
                    message = _email(row, address, texts)
                    message.connection = connection
                    message.send()
                    outcomes.append(delivery.Sent())
                elif row.channel == Channel.SMS:
                    gateway = gateway or sms.backend()
                    reference = gateway.send(address, sms_text(row.alert, row.language))
                    # Recorded at once, not with the batch: the gateway's receipt may come
                    # back within seconds and must find its row.
                    _record_sms_sent(row, reference[:100])
                    outcomes.append(delivery.Sent(recorded=True))
                else:
                    secret = _preferences(row).webhook_secret
                    webhooks.post(address, secret, webhook_payload(row), delivery_id=row.pk)
                    outcomes.append(delivery.Sent(DeliveryStatus.DELIVERED))
            except Exception as error:
                outcomes.append(error)
    finally:
        if connection is not None:
            connection.close()
    return outcomes


def _record_sms_sent(row: AlertDelivery, reference: str) -> None:
    AlertDelivery.objects.filter(pk=row.pk).update(
        status=DeliveryStatus.SENT,
        provider_reference=reference,
        attempts=F("attempts") + 1,
        last_error="",
        sent_at=timezone.now(),
    )


def channel() -> delivery.Channel:
    from beatbridge.notify.tasks import send_alert_deliveries

    return delivery.Channel(
        model=AlertDelivery,
        related=("alert", "alert__scheme", "recipient", "recipient__notification_preferences"),
        address_of=_address,
        send=_send,
        task=send_alert_deliveries,
        skip_reason=_skip_reason,
        # Digest rows are sent by send_digests, a whole day's at once.
        scope=Q(digest=False),
    )


def deliver_many(delivery_ids: Sequence[int]) -> dict[int, str]:
    return delivery.deliver_many(channel(), delivery_ids)


def requeue_stale(*, older_than: datetime.timedelta = delivery.LEASE) -> int:
    """Enqueue again alert rows whose task was lost (see ``delivery.requeue_stale``)."""
    return delivery.requeue_stale(channel(), older_than=older_than)


# --- receipts and reading -----------------------------------------------------------------


def record_sms_receipt(reference: str, *, delivered: bool, reason: str = "") -> bool:
    """A gateway's delivery receipt for one text message; False when no row has it (yet:
    the gateway is answered so that it tries again)."""
    if not reference:
        return False
    rows = AlertDelivery.objects.filter(
        channel=Channel.SMS,
        provider_reference=reference,
        status__in=[DeliveryStatus.SENT, DeliveryStatus.DELIVERED],
    )
    if delivered:
        return bool(rows.update(status=DeliveryStatus.DELIVERED, delivered_at=timezone.now()))
    return bool(rows.update(status=DeliveryStatus.FAILED, last_error=reason[:300]))


# --- the daily digest ---------------------------------------------------------------------


def _digest_moment(now: datetime.datetime) -> datetime.datetime:
    """Today's digest time in the site's time zone, or yesterday's if it has not come yet."""
    local = timezone.localtime(now)
    moment = local.replace(hour=settings.NOTIFY_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return moment if moment <= local else moment - datetime.timedelta(days=1)


def send_digests(now: datetime.datetime | None = None) -> int:
    """Send each person whose digest is due one e-mail of what was held; returns how many.

    Held rows are taken (marked sending) before the e-mail goes and marked sent after, so
    a crash in between is found by the lease and the rows held again, never lost.
    """
    now = now or timezone.now()
    moment = _digest_moment(now)
    AlertDelivery.objects.filter(
        digest=True, status=DeliveryStatus.SENDING, next_attempt_at__lte=now - delivery.LEASE
    ).update(status=DeliveryStatus.HELD)
    waiting = (
        AlertDelivery.objects.filter(
            digest=True,
            status=DeliveryStatus.HELD,
            created_at__lte=moment,
            # A digest that failed waits out its pause, as every other message does.
            next_attempt_at__lte=now,
        )
        .exclude(recipient__notification_preferences__last_digest_at__gte=moment)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for recipient_id in list(waiting):
        sent += _send_digest(recipient_id, moment, now)
    return sent


def _send_digest(recipient_id: int, moment: datetime.datetime, now: datetime.datetime) -> int:
    with transaction.atomic():
        rows = list(
            AlertDelivery.objects.select_for_update(of=("self",))
            .select_related("alert", "recipient", "recipient__notification_preferences")
            .filter(
                recipient_id=recipient_id,
                digest=True,
                status=DeliveryStatus.HELD,
                created_at__lte=moment,
            )
            .order_by("alert__created_at")
        )
        if not rows:
            return 0
        AlertDelivery.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=DeliveryStatus.SENDING, next_attempt_at=now
        )
    current = [row for row in rows if not row.alert.is_expired]
    expired = [row for row in rows if row.alert.is_expired]
    if expired:
        AlertDelivery.objects.filter(pk__in=[row.pk for row in expired]).update(
            status=DeliveryStatus.SKIPPED, last_error="expired"
        )
    address = _address(rows[0])
    ids = [row.pk for row in current]
    if not address:
        AlertDelivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.SKIPPED, last_error="no address"
        )
        return 0
    if current:
        try:
            _digest_email(current, address).send()
        except Exception as error:
            logger.warning("Digest for %s failed: %s", recipient_id, type(error).__name__)
            failed = current[0].attempts + 1 >= settings.NOTIFY_ATTEMPTS
            AlertDelivery.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.FAILED if failed else DeliveryStatus.HELD,
                attempts=F("attempts") + 1,
                last_error=type(error).__name__,
                next_attempt_at=now
                + delivery.BACKOFF[min(current[0].attempts, len(delivery.BACKOFF) - 1)],
            )
            return 0
        AlertDelivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.SENT, attempts=F("attempts") + 1, sent_at=timezone.now()
        )
    Preferences.objects.filter(user_id=recipient_id).update(last_digest_at=now)
    return 1 if current else 0


def _digest_email(rows: Sequence[AlertDelivery], address: str) -> EmailMessage:
    recipient = rows[0].recipient
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    unsubscribe, headers = _unsubscribe_headers(recipient.pk)
    with translation.override(language):
        context = {
            "alerts": [
                {
                    "alert": row.alert,
                    "title": row.alert.translated("title", language),
                    "message": row.alert.translated("message", language),
                    "link": _alert_link(row.alert),
                }
                for row in rows
            ],
            "preferences": settings.SITE_URL + reverse("notify:preferences"),
            "unsubscribe": unsubscribe,
            "emergency_number": settings.EMERGENCY_NUMBER,
        }
        subject = render_to_string("notify/email/digest_subject.txt", context)
        body = render_to_string("notify/email/digest.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[address], headers=headers)

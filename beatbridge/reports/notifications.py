"""Telling reporters what happened to their report, by e-mail in their language.

Each message is a ``ReporterNotification`` row written in the same transaction as
the update it announces. Delivery happens in a task: a worker takes the row (a
short transaction marks it "sending"), sends outside any transaction so a slow
mail server holds no database lock, and records what happened. A failure is tried
again after a growing pause (``next_attempt_at``) until
``REPORT_NOTIFICATION_ATTEMPTS`` is reached, when it is marked failed.
``requeue_stale`` finds rows whose task was lost (a crash between commit and
enqueue, or a worker that died mid-send) so that nothing is forgotten.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from beatbridge.reports.models import DeliveryStatus, ReporterNotification

logger = logging.getLogger(__name__)

# Pauses before the 2nd, 3rd, ... attempt: one minute, then five, thirty, two hours.
_BACKOFF = [datetime.timedelta(minutes=m) for m in (1, 5, 30, 120, 480)]


# A worker that took a notification this long ago and never said what happened has died.
LEASE = datetime.timedelta(minutes=15)


def deliver(notification_id: int) -> str:
    """Send one notification unless it is sent or taken; returns the status it ends with."""
    notification, status = _take(notification_id)
    if notification is None:
        return status
    address = notification.report.notification_address()
    if not address:
        _finish(notification, DeliveryStatus.SKIPPED)
        return DeliveryStatus.SKIPPED
    try:
        _message(notification, address).send()
    except Exception as error:
        return _failed(notification, error)
    _finish(notification, DeliveryStatus.SENT)
    return DeliveryStatus.SENT


def _take(notification_id: int) -> tuple[ReporterNotification | None, str]:
    """Mark a queued notification (or one whose worker died) as being sent by this worker."""
    with transaction.atomic():
        notification = (
            ReporterNotification.objects.select_for_update(of=("self",))
            .select_related("report__reporter", "report__category", "update")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            return None, "missing"
        now = timezone.now()
        abandoned = (
            notification.status == DeliveryStatus.SENDING
            and notification.next_attempt_at <= now - LEASE
        )
        due = notification.status == DeliveryStatus.QUEUED and notification.next_attempt_at <= now
        if not (due or abandoned):
            # Sent, failed, taken by another worker, or still in its pause: a duplicate or
            # early task does nothing.
            return None, notification.status
        notification.status = DeliveryStatus.SENDING
        notification.next_attempt_at = now
        notification.save(update_fields=["status", "next_attempt_at"])
        return notification, notification.status


def _finish(
    notification: ReporterNotification,
    status: str,
    error: str = "",
    *,
    next_attempt_at: datetime.datetime | None = None,
) -> None:
    notification.attempts += 1
    notification.status = status
    notification.last_error = error[:300]
    if status == DeliveryStatus.SENT:
        notification.sent_at = timezone.now()
    if next_attempt_at is not None:
        notification.next_attempt_at = next_attempt_at
    notification.save(
        update_fields=["attempts", "status", "last_error", "sent_at", "next_attempt_at"]
    )


def _failed(notification: ReporterNotification, error: Exception) -> str:
    from beatbridge.reports.tasks import send_reporter_notification

    # The exception's class and its SMTP code if any: never the address or the message.
    reason = type(error).__name__
    if code := getattr(error, "smtp_code", None):
        reason = f"{reason} {code}"
    attempts_left = settings.REPORT_NOTIFICATION_ATTEMPTS - (notification.attempts + 1)
    status = DeliveryStatus.QUEUED if attempts_left > 0 else DeliveryStatus.FAILED
    pause = _BACKOFF[min(notification.attempts, len(_BACKOFF) - 1)]
    _finish(notification, status, reason, next_attempt_at=timezone.now() + pause)
    logger.warning(
        "Reporter notification %s attempt %s failed: %s",
        notification.pk,
        notification.attempts,
        reason,
    )
    # A backend that cannot defer (the immediate one, in tests) leaves the retry to
    # requeue_stale, which finds it once it is due.
    if status == DeliveryStatus.QUEUED and send_reporter_notification.get_backend().supports_defer:
        send_reporter_notification.using(run_after=notification.next_attempt_at).enqueue(
            notification_id=notification.pk
        )
    return status


def _message(notification: ReporterNotification, address: str) -> EmailMessage:
    report = notification.report
    language = report.language or (report.reporter.preferred_language if report.reporter else "")
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "report": report,
            "update": notification.update,
            "event": notification.event,
            "emergency_number": settings.EMERGENCY_NUMBER,
            "link": settings.SITE_URL + reverse("reports:mine_detail", args=[report.reference])
            if report.reporter_id
            else settings.SITE_URL + reverse("reports:follow_up"),
        }
        subject = render_to_string("reports/email/notification_subject.txt", context).strip()
        body = render_to_string("reports/email/notification.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[address])


def requeue_stale(*, older_than: datetime.timedelta = LEASE) -> int:
    """Enqueue again what a lost task left behind; returns how many.

    A queued notification whose try was due more than ``older_than`` ago (its own task
    should have run by then), and one taken by a worker longer than ``LEASE`` ago that
    never said what happened. One waiting for its pause is left alone, so retries keep
    their pace through a long outage.
    """
    from beatbridge.reports.tasks import send_reporter_notification

    now = timezone.now()
    stale = list(
        ReporterNotification.objects.filter(
            Q(status=DeliveryStatus.QUEUED, next_attempt_at__lte=now - older_than)
            | Q(status=DeliveryStatus.SENDING, next_attempt_at__lte=now - LEASE)
        ).values_list("pk", flat=True)
    )
    for notification_id in stale:
        send_reporter_notification.enqueue(notification_id=notification_id)
    return len(stale)

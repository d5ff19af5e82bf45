"""Telling reporters what happened to their report, by e-mail in their language.

Each message is a ``ReporterNotification`` row written in the same transaction as
the update it announces. Delivery happens in a task: the row is locked, sent at
most once, and a failure is recorded and tried again later with a growing pause
until ``REPORT_NOTIFICATION_ATTEMPTS`` is reached, when it is marked failed.
``requeue_stale`` finds rows whose task was lost (a crash between commit and
enqueue) so that nothing is forgotten.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from beatbridge.reports.models import DeliveryStatus, ReporterNotification

logger = logging.getLogger(__name__)

# Pauses before the 2nd, 3rd, ... attempt: one minute, then five, thirty, two hours.
_BACKOFF = [datetime.timedelta(minutes=m) for m in (1, 5, 30, 120, 480)]


def deliver(notification_id: int) -> str:
    """Send one notification if it is still queued; returns the status it ends with."""
    with transaction.atomic():
        notification = (
            ReporterNotification.objects.select_for_update(of=("self",))
            .select_related("report__reporter", "report__category", "update")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.status != DeliveryStatus.QUEUED:
            return notification.status if notification else "missing"
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


def _finish(notification: ReporterNotification, status: str, error: str = "") -> None:
    notification.attempts += 1
    notification.status = status
    notification.last_error = error[:300]
    if status == DeliveryStatus.SENT:
        notification.sent_at = timezone.now()
    notification.save(update_fields=["attempts", "status", "last_error", "sent_at"])


def _failed(notification: ReporterNotification, error: Exception) -> str:
    from beatbridge.reports.tasks import send_reporter_notification

    # The exception's class and its SMTP code if any: never the address or the message.
    reason = type(error).__name__
    if code := getattr(error, "smtp_code", None):
        reason = f"{reason} {code}"
    attempts_left = settings.REPORT_NOTIFICATION_ATTEMPTS - (notification.attempts + 1)
    status = DeliveryStatus.QUEUED if attempts_left > 0 else DeliveryStatus.FAILED
    _finish(notification, status, reason)
    logger.warning(
        "Reporter notification %s attempt %s failed: %s",
        notification.pk,
        notification.attempts,
        reason,
    )
    if status == DeliveryStatus.QUEUED:
        pause = _BACKOFF[min(notification.attempts - 1, len(_BACKOFF) - 1)]
        retry = send_reporter_notification
        # A backend that cannot defer (the immediate one, in tests) tries again at once.
        if retry.get_backend().supports_defer:
            retry = retry.using(run_after=timezone.now() + pause)
        notification_id = notification.pk
        transaction.on_commit(lambda: retry.enqueue(notification_id=notification_id))
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


def requeue_stale(*, older_than: datetime.timedelta = datetime.timedelta(minutes=15)) -> int:
    """Enqueue again every notification still queued after ``older_than``; returns how many."""
    from beatbridge.reports.tasks import send_reporter_notification

    cutoff = timezone.now() - older_than
    stale = list(
        ReporterNotification.objects.filter(
            status=DeliveryStatus.QUEUED, created_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for notification_id in stale:
        send_reporter_notification.enqueue(notification_id=notification_id)
    return len(stale)

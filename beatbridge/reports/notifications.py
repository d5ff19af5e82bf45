"""Telling reporters what happened to their report, by e-mail in their language.

Each message is a ``ReporterNotification`` row written in the same transaction as the
update it announces; ``beatbridge.notify.delivery`` sends it once, retries it and never
loses it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from beatbridge.notify import delivery
from beatbridge.reports.models import ReporterNotification


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


def channel() -> delivery.Channel:
    from beatbridge.reports.tasks import send_reporter_notification

    return delivery.Channel(
        model=ReporterNotification,
        related=("report__reporter", "report__category", "update"),
        address_of=lambda notification: notification.report.notification_address(),
        send=delivery.send_emails(_message),
        task=send_reporter_notification,
    )


def deliver(notification_id: int) -> str:
    """Send one notification unless it is sent, taken or not yet due; returns its status."""
    return delivery.deliver(channel(), notification_id)


def deliver_many(notification_ids: list[int]) -> dict[int, str]:
    """Send each of these that is due; returns each one's status."""
    return delivery.deliver_many(channel(), notification_ids)


def requeue_stale(*, older_than: datetime.timedelta = delivery.LEASE) -> int:
    """Enqueue again what a lost task left behind (see ``delivery.requeue_stale``)."""
    return delivery.requeue_stale(channel(), older_than=older_than)

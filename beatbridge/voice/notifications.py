"""Messages to people registered for a meeting or an event, by e-mail in their language.

Each message is a ``RegistrantNotification`` row written by a service in
``beatbridge.voice.services.registrations``; ``beatbridge.notify.delivery`` sends it
once, retries it and never loses it. The message is written when it is sent, from the
gathering as it is then (its current time and place).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from beatbridge.notify import delivery
from beatbridge.voice.models import RegistrantNotification


def _language(notification: RegistrantNotification) -> str:
    registration = notification.registration
    if registration.language:
        return registration.language
    if registration.user_id and registration.user.preferred_language:
        return registration.user.preferred_language
    return settings.LANGUAGE_CODE


def _message(notification: RegistrantNotification, address: str) -> EmailMessage:
    registration = notification.registration
    gathering = registration.gathering
    language = _language(notification)
    with translation.override(language), timezone.override(settings.TIME_ZONE):
        context = {
            "message": notification.message,
            "registration": registration,
            "gathering": gathering,
            "title": gathering.translated("title", language),
            "link": settings.SITE_URL + reverse("voice:registration", args=[registration.token]),
        }
        subject = render_to_string("voice/email/registrant_subject.txt", context).strip()
        body = render_to_string("voice/email/registrant.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[address])


def channel() -> delivery.Channel:
    from beatbridge.voice.tasks import send_registrant_notification

    return delivery.Channel(
        model=RegistrantNotification,
        related=("registration__user", "registration__meeting", "registration__event"),
        address_of=lambda notification: notification.registration.address(),
        send=delivery.send_emails(_message),
        task=send_registrant_notification,
    )


def deliver(notification_id: int) -> str:
    """Send one message unless it is sent, taken or not yet due; returns its status."""
    return delivery.deliver(channel(), notification_id)


def deliver_many(notification_ids: list[int]) -> dict[int, str]:
    """Send each of these that is due; returns each one's status."""
    return delivery.deliver_many(channel(), notification_ids)


def requeue_stale(*, older_than: datetime.timedelta = delivery.LEASE) -> int:
    """Enqueue again what a lost task left behind (see ``delivery.requeue_stale``)."""
    return delivery.requeue_stale(channel(), older_than=older_than)

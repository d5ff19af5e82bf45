"""What every message sent to a person shares: its delivery state. No tables of its own.

An app's notification model (a reporter's e-mail, a meeting reminder) inherits
``Delivery`` and says what the message is about; ``beatbridge.notify.delivery`` takes,
sends, retries and records it the same way for all of them.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped (no address)")


class Delivery(models.Model):
    """One message to one person and what became of it; the address is never copied here."""

    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Queued: when the next try is due. Sending: when the worker took it, so a worker that
    # died mid-send is noticed and its message taken again.
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    # The kind of failure only (an exception's class and the server's code), no address.
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

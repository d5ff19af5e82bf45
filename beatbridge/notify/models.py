"""Everything sent to people: alerts, who follows what, how each person wants to hear,
and one delivery record per message.

``Delivery`` is the state every message shares (an app's notification model, a reporter's
e-mail or a meeting reminder, inherits it); ``beatbridge.notify.delivery`` takes, sends,
retries and records them all the same way. Alerts are this app's own messages: written by
a neighbourhood team or a watch scheme's coordinators, fanned out to each follower on the
channels they chose.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from beatbridge.web.models import TranslatedContent


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    # An information or advice alert waiting for the person's daily digest.
    HELD = "held", _("Held for the daily digest")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    # The receiving end acknowledged it: a webhook's 2xx, an SMS gateway's receipt, the inbox.
    DELIVERED = "delivered", pgettext_lazy("delivery status", "Delivered")
    READ = "read", _("Read")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Delivery(models.Model):
    """One message to one person and what became of it; the address is never copied here."""

    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Queued: when the next try is due. Sending: when the worker took it, so a worker that
    # died mid-send is noticed and its message taken again.
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    # Why it failed or was skipped: an exception's class and the server's code, or a
    # reason such as "expired"; never an address.
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class Severity(models.TextChoices):
    INFORMATION = "information", _("Information")
    ADVICE = "advice", _("Advice")
    WARNING = "warning", _("Warning")
    URGENT = "urgent", _("Urgent")


# Severities in rising order: a person's minimum severity lets through this one and above.
SEVERITY_ORDER = [Severity.INFORMATION, Severity.ADVICE, Severity.WARNING, Severity.URGENT]


def severity_rank(severity: str) -> int:
    return SEVERITY_ORDER.index(Severity(severity))


class AlertCategory(models.TextChoices):
    CRIME = "crime", _("Crime in the area")
    PREVENTION = "prevention", _("Crime prevention advice")
    SCAM = "scam", _("Scam or fraud warning")
    MISSING_PERSON = "missing_person", _("Missing person")
    ROADS = "roads", _("Roads and traffic")
    PUBLIC_SAFETY = "public_safety", _("Public safety incident")
    WEATHER = "weather", _("Weather or environment")
    COMMUNITY = "community", _("Community news")
    SCHEME = "scheme", _("Watch scheme message")


class Audience(models.TextChoices):
    NEIGHBOURHOODS = "neighbourhoods", _("Followers of neighbourhoods")
    SECTOR = "sector", _("Followers of every neighbourhood in a sector")
    AREA = "area", _("Everyone within a radius of a point")
    SCHEME = "scheme", _("Members of a watch scheme")


class Alert(TranslatedContent):
    """A message to everyone who follows a place or belongs to a scheme.

    ``title`` and ``message`` are the original text; ``translations`` holds the others.
    Once written it is never edited: what people received stays what the record shows.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    severity = models.CharField(_("severity"), max_length=12, choices=Severity.choices)
    category = models.CharField(_("category"), max_length=20, choices=AlertCategory.choices)
    title = models.CharField(_("title"), max_length=140)
    message = models.TextField(_("message"), max_length=2000)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    neighbourhoods = models.ManyToManyField(
        "places.Neighbourhood", blank=True, related_name="+", verbose_name=_("neighbourhoods")
    )
    sector = models.ForeignKey(
        "places.Sector",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sector"),
    )
    scheme = models.ForeignKey(
        "watch.Scheme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("watch scheme"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    radius_metres = models.PositiveIntegerField(
        _("radius (metres)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(50_000)],
    )
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    # Set when every recipient's delivery rows exist; a fan-out cut short is run again.
    fanned_out_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__range=(-90, 90), longitude__range=(-180, 180)),
                name="alert_place_is_a_point",
            ),
            models.CheckConstraint(
                condition=~Q(audience="area")
                | Q(latitude__isnull=False, radius_metres__isnull=False),
                name="alert_area_has_a_centre_and_radius",
            ),
            models.CheckConstraint(
                condition=~Q(audience="scheme") | Q(scheme__isnull=False),
                name="alert_scheme_audience_names_a_scheme",
            ),
            models.CheckConstraint(
                condition=~Q(audience="sector") | Q(sector__isnull=False),
                name="alert_sector_audience_names_a_sector",
            ),
        ]
        indexes = [models.Index(fields=["author", "created_at"], name="alert_by_author")]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return self.title

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class Follow(models.Model):
    """A place a person follows: a whole neighbourhood, or a circle around a point."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    label = models.CharField(_("name for this place"), max_length=60, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    radius_metres = models.PositiveIntegerField(
        _("radius (metres)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(100), MaxValueValidator(5_000)],
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    neighbourhood__isnull=False,
                    latitude__isnull=True,
                    longitude__isnull=True,
                    radius_metres__isnull=True,
                )
                | Q(
                    neighbourhood__isnull=True,
                    latitude__range=(-90, 90),
                    longitude__range=(-180, 180),
                    radius_metres__isnull=False,
                ),
                name="follow_is_a_neighbourhood_or_an_area",
            ),
            models.UniqueConstraint(
                fields=["user", "neighbourhood"],
                condition=Q(neighbourhood__isnull=False),
                name="follow_neighbourhood_once",
            ),
        ]
        indexes = [
            models.Index(fields=["neighbourhood"], name="follow_by_neighbourhood"),
            models.Index(fields=["latitude", "longitude"], name="follow_by_point"),
        ]
        verbose_name = _("followed place")
        verbose_name_plural = _("followed places")

    def __str__(self) -> str:
        if self.neighbourhood_id:
            return str(self.neighbourhood)
        return self.label or f"{self.latitude:.4f}, {self.longitude:.4f} ({self.radius_metres} m)"


phone_number_validator = RegexValidator(
    r"^\+[1-9][0-9]{6,14}$",
    _("Write the number in international form, starting with + and the country code."),
)


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class Preferences(models.Model):
    """How one person wants to hear: channels, how serious, when, and how often.

    The in-app inbox always receives what they follow; the other channels are chosen.
    Quiet hours hold e-mail and SMS (never urgent alerts) until they end, in the site's
    time zone; the daily digest gathers information and advice alerts into one e-mail.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    email_enabled = models.BooleanField(_("alerts by e-mail"), default=True)
    sms_enabled = models.BooleanField(_("alerts by text message"), default=False)
    phone_number = models.CharField(
        _("mobile number"), max_length=16, blank=True, validators=[phone_number_validator]
    )
    webhook_enabled = models.BooleanField(_("alerts to a webhook"), default=False)
    webhook_url = models.URLField(_("webhook address"), blank=True)
    webhook_secret = models.CharField(max_length=64, default=new_webhook_secret, editable=False)
    minimum_severity = models.CharField(
        _("least serious alert to send"),
        max_length=12,
        choices=Severity.choices,
        default=Severity.INFORMATION,
    )
    quiet_hours_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_hours_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    daily_digest = models.BooleanField(_("daily digest"), default=False)
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quiet_hours_start__isnull=True, quiet_hours_end__isnull=True)
                | Q(quiet_hours_start__isnull=False, quiet_hours_end__isnull=False),
                name="preferences_quiet_hours_have_both_ends",
            ),
            models.CheckConstraint(
                condition=Q(sms_enabled=False) | ~Q(phone_number=""),
                name="preferences_sms_needs_a_number",
            ),
            models.CheckConstraint(
                condition=Q(webhook_enabled=False) | ~Q(webhook_url=""),
                name="preferences_webhook_needs_an_address",
            ),
        ]
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class Channel(models.TextChoices):
    INBOX = "inbox", _("In-app inbox")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")
    WEBHOOK = "webhook", _("Webhook")


class AlertDelivery(Delivery):
    """One alert to one person on one channel: at most one such row, so never sent twice."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=16, blank=True)
    # Held for the daily digest (information and advice for people who chose one).
    digest = models.BooleanField(default=False)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The SMS gateway's id for the message, which its delivery receipt names.
    provider_reference = models.CharField(max_length=100, blank=True, db_index=True)

    class Meta(Delivery.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "recipient", "channel"], name="alert_delivery_once_per_channel"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="alert_delivery_due"),
            models.Index(fields=["recipient", "channel", "status"], name="alert_delivery_inbox"),
        ]
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")

    def __str__(self) -> str:
        return f"{self.alert} → {self.recipient_id} ({self.channel})"


class AlertReply(models.Model):
    """A recipient's private reply to an alert: read by the sender and their team only."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("reply"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("reply to an alert")
        verbose_name_plural = _("replies to alerts")

    def __str__(self) -> str:
        return f"{self.author_id} on {self.alert_id}"

"""The shapes of alerts, follows and preferences in Beatbridge's own API.

An alert's text is given in the language of Accept-Language where a translation exists,
else as written (``in_original_language`` says so). Nothing names a recipient; a reply's
author is named to the sending team only (reading replies is audited).
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any, Literal

from django.conf import settings
from django.urls import reverse
from ninja import Field, Schema
from pydantic import AwareDatetime, model_validator

from beatbridge.notify.models import Alert, AlertDelivery, AlertReply, Follow, Preferences


class AlertNeighbourhoodOut(Schema):
    force: str
    id: str
    name: str


class AreaOut(Schema):
    latitude: float
    longitude: float
    radius_metres: int


class AlertOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    severity: str
    category: str
    title: str
    message: str
    in_original_language: bool = Field(
        description="No translation into the request's language: this is the original."
    )
    original_language: str
    translations: dict[str, dict[str, str]] = Field(
        description="Every translation, by language: {'es': {'title': ..., 'message': ...}}."
    )
    audience: str
    neighbourhoods: list[AlertNeighbourhoodOut]
    sector: str | None
    scheme: str | None = Field(description="The watch scheme's name, for a scheme's message.")
    area: AreaOut | None
    sent_at: datetime.datetime = Field(alias="created_at")
    expires_at: datetime.datetime
    url: str

    @staticmethod
    def resolve_title(obj: Alert) -> str:
        return obj.translated("title")

    @staticmethod
    def resolve_message(obj: Alert) -> str:
        return obj.translated("message")

    @staticmethod
    def resolve_in_original_language(obj: Alert) -> bool:
        return not obj.has_translation("message")

    @staticmethod
    def resolve_neighbourhoods(obj: Alert) -> list[dict[str, str]]:
        return [
            {"force": n.force.slug, "id": n.code, "name": n.name} for n in obj.neighbourhoods.all()
        ]

    @staticmethod
    def resolve_sector(obj: Alert) -> str | None:
        return obj.sector.name if obj.sector_id else None

    @staticmethod
    def resolve_scheme(obj: Alert) -> str | None:
        return obj.scheme.name if obj.scheme_id else None

    @staticmethod
    def resolve_area(obj: Alert) -> dict[str, Any] | None:
        if obj.latitude is None:
            return None
        return {
            "latitude": obj.latitude,
            "longitude": obj.longitude,
            "radius_metres": obj.radius_metres,
        }

    @staticmethod
    def resolve_url(obj: Alert) -> str:
        return settings.SITE_URL + reverse("notify:alert", args=[obj.public_id])


class SentAlertOut(AlertOut):
    """An alert as its team sees it: how many it reached and how many replies wait."""

    recipients: int | None = Field(
        description="People it reached; null until the fan-out has finished."
    )
    unread_replies: int = 0

    @staticmethod
    def resolve_recipients(obj: Alert) -> int | None:
        return obj.recipient_count if obj.fanned_out_at else None


class AlertInboxItemOut(Schema):
    alert: AlertOut
    received_at: datetime.datetime = Field(alias="created_at")
    read_at: datetime.datetime | None

    @staticmethod
    def resolve_alert(obj: AlertDelivery) -> Alert:
        return obj.alert


class InboxOut(Schema):
    unread: int
    items: list[AlertInboxItemOut]
    count: int


class FailureOut(Schema):
    channel: str
    status: str
    reason: str
    count: int


class FiguresOut(Schema):
    recipients: int
    read: int
    total: int
    in_progress: bool = Field(
        description="The alert is still being fanned out, or some deliveries are still "
        "queued or sending."
    )
    counts: dict[str, dict[str, int]] = Field(
        description="Deliveries per channel, then per status; zero counts included."
    )
    failures: list[FailureOut]


class ReplyIn(Schema):
    body: str = Field(..., max_length=2000)


class ReplyOut(Schema):
    id: int
    body: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class TeamReplyOut(ReplyOut):
    author: str

    @staticmethod
    def resolve_author(obj: AlertReply) -> str:
        return obj.author.full_name or str(obj.author.email)


class ReadOut(Schema):
    unread: int


class FollowNeighbourhoodIn(Schema):
    force: str = Field(..., max_length=64)
    neighbourhood: str = Field(..., max_length=64)


class FollowIn(Schema):
    """A neighbourhood (``force`` and ``neighbourhood``), or an area (a point and a radius)."""

    force: str | None = Field(None, max_length=64)
    neighbourhood: str | None = Field(None, max_length=64)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    radius_metres: int | None = Field(None, ge=100, le=5000)
    label: str = Field("", max_length=60)

    @model_validator(mode="after")
    def _one_kind(self) -> FollowIn:
        is_place = self.neighbourhood is not None or self.force is not None
        is_area = self.latitude is not None or self.longitude is not None
        if is_place == is_area:
            raise ValueError("Give a force and neighbourhood, or a latitude and longitude.")
        return self


class FollowOut(Schema):
    id: int
    kind: Literal["neighbourhood", "area"]
    neighbourhood: AlertNeighbourhoodOut | None
    label: str
    latitude: float | None
    longitude: float | None
    radius_metres: int | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_kind(obj: Follow) -> str:
        return "neighbourhood" if obj.neighbourhood_id else "area"

    @staticmethod
    def resolve_neighbourhood(obj: Follow) -> dict[str, str] | None:
        n = obj.neighbourhood
        return {"force": n.force.slug, "id": n.code, "name": n.name} if n else None


class UnfollowedOut(Schema):
    id: int
    deleted: bool


class PreferencesOut(Schema):
    email_enabled: bool
    sms_enabled: bool
    phone_number: str
    webhook_enabled: bool
    webhook_url: str
    webhook_secret: str = Field(description="Signs each webhook post (Beatbridge-Signature).")
    minimum_severity: str
    quiet_hours_start: datetime.time | None
    quiet_hours_end: datetime.time | None
    daily_digest: bool

    @staticmethod
    def resolve_webhook_secret(obj: Preferences) -> str:
        return obj.webhook_secret


class PreferencesIn(Schema):
    """Only the settings given change; ``new_webhook_secret: true`` replaces the secret."""

    email_enabled: bool | None = None
    sms_enabled: bool | None = None
    phone_number: str | None = Field(None, max_length=20)
    webhook_enabled: bool | None = None
    webhook_url: str | None = Field(None, max_length=200)
    minimum_severity: str | None = None
    quiet_hours_start: datetime.time | None = None
    quiet_hours_end: datetime.time | None = None
    daily_digest: bool | None = None
    new_webhook_secret: bool | None = None


class AlertTranslationIn(Schema):
    title: str | None = Field(None, max_length=140)
    message: str | None = Field(None, max_length=2000)


class AlertIn(Schema):
    """An alert to send: the audience decides which of the place fields are read."""

    severity: str
    category: str
    title: str = Field(..., max_length=140)
    message: str = Field(..., max_length=2000)
    original_language: str = Field("", max_length=16)
    audience: Literal["neighbourhoods", "sector", "area", "scheme"]
    neighbourhoods: list[FollowNeighbourhoodIn] = Field(default_factory=list, max_length=50)
    sector: str | None = Field(None, max_length=64, description="The sector's slug.")
    force: str | None = Field(None, max_length=64, description="The sector's force.")
    scheme: int | None = Field(None, ge=1, le=2**31 - 1)
    latitude: float | None = None
    longitude: float | None = None
    radius_metres: int | None = None
    expires_at: AwareDatetime | None = None
    translations: dict[str, AlertTranslationIn] = Field(default_factory=dict)

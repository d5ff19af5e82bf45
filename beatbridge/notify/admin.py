"""Admin for notifications: for administrators to look things up, never to change them.

Alerts are sent on the team pages (permissions, rate limit, audit, fan-out) and are never
edited or deleted: what people received stays what the record shows. Deliveries are the
record of what became of each message. Follows and preferences are people's own choices,
changed on their own pages; the lists show no phone numbers or webhook addresses.
"""

from __future__ import annotations

from django.contrib import admin

from beatbridge.notify.models import Alert, AlertDelivery, AlertReply, Follow, Preferences
from beatbridge.web.admin_access import ReadOnly


@admin.register(Alert)
class AlertAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "severity", "category", "audience", "created_at", "recipient_count"]
    list_filter = ["severity", "category", "audience"]
    search_fields = ["title"]
    date_hierarchy = "created_at"
    list_select_related = ["author"]
    raw_id_fields = ["author", "scheme", "sector"]
    readonly_fields = [
        "public_id",
        "author",
        "severity",
        "category",
        "title",
        "message",
        "translations",
        "original_language",
        "audience",
        "neighbourhoods",
        "sector",
        "scheme",
        "latitude",
        "longitude",
        "radius_metres",
        "expires_at",
        "created_at",
        "fanned_out_at",
        "recipient_count",
    ]


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["alert", "recipient_id", "channel", "status", "attempts", "created_at"]
    list_filter = ["status", "channel", "digest"]
    list_select_related = ["alert"]
    raw_id_fields = ["alert", "recipient"]
    readonly_fields = [
        "alert",
        "recipient",
        "channel",
        "language",
        "status",
        "digest",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "delivered_at",
        "read_at",
        "provider_reference",
    ]


@admin.register(AlertReply)
class AlertReplyAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["alert", "author_id", "created_at", "read_at"]
    list_select_related = ["alert"]
    readonly_fields = ["alert", "author", "body", "created_at", "read_at"]


@admin.register(Follow)
class FollowAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["user_id", "neighbourhood", "radius_metres", "created_at"]
    list_select_related = ["neighbourhood"]
    readonly_fields = [
        "user",
        "neighbourhood",
        "label",
        "latitude",
        "longitude",
        "radius_metres",
        "created_at",
    ]


@admin.register(Preferences)
class PreferencesAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "user_id",
        "email_enabled",
        "sms_enabled",
        "webhook_enabled",
        "minimum_severity",
        "daily_digest",
    ]
    list_filter = ["email_enabled", "sms_enabled", "webhook_enabled", "daily_digest"]
    # The number, the address and the secret are the person's own: administrators see
    # which channels are on, not where they lead (as reports keep contact details out).
    exclude = ["phone_number", "webhook_url", "webhook_secret"]
    readonly_fields = [
        "user",
        "email_enabled",
        "sms_enabled",
        "webhook_enabled",
        "minimum_severity",
        "quiet_hours_start",
        "quiet_hours_end",
        "daily_digest",
        "last_digest_at",
        "updated_at",
    ]

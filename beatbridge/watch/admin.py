"""Admin for neighbourhood watch: for administrators to look things up.

Schemes are proposed, decided and run on the pages, where their rules apply and the
team's decisions are audited; so the admin shows schemes, memberships and the rota
read-only, and corrects only a scheme's name and description. Nothing is added or
deleted here: a scheme is closed, a membership ended.
"""

from __future__ import annotations

from django.contrib import admin

from beatbridge.watch.models import Membership, RotaSlot, Scheme
from beatbridge.web.admin_access import ChangeOnly, ReadOnly


@admin.register(Scheme)
class SchemeAdmin(ChangeOnly, admin.ModelAdmin):
    list_display = ("name", "neighbourhood", "status", "last_activity_at")
    list_filter = ("status",)
    search_fields = ("name",)
    list_select_related = ("neighbourhood",)
    fields = (
        "name",
        "description",
        "neighbourhood",
        "streets",
        "area",
        "status",
        "proposed_by",
        "decided_by",
        "decided_at",
        "decision_note",
        "created_at",
        "last_activity_at",
    )
    readonly_fields = tuple(f for f in fields if f not in ("name", "description"))


@admin.register(Membership)
class MembershipAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("scheme", "user", "role", "status", "requested_at")
    list_filter = ("status", "role")
    search_fields = ("scheme__name",)
    list_select_related = ("scheme", "user")
    readonly_fields = (
        "scheme",
        "user",
        "role",
        "status",
        "note",
        "receives_messages",
        "requested_at",
        "decided_by",
        "decided_at",
    )


@admin.register(RotaSlot)
class RotaSlotAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("scheme", "starts_at", "ends_at", "places", "cancelled_at")
    list_select_related = ("scheme",)
    readonly_fields = (
        "scheme",
        "starts_at",
        "ends_at",
        "route",
        "places",
        "created_by",
        "created_at",
        "cancelled_at",
    )

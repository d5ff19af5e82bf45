"""Admin for neighbourhood watch: for administrators to look things up.

Schemes are proposed, decided and run on the pages, where their rules apply and the
team's decisions are audited; so the admin shows schemes, memberships and the rota
read-only, and corrects only a scheme's name and description. Nothing is added or
deleted here: a scheme is closed, a membership ended.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from beatbridge.accounts.permissions import is_administrator
from beatbridge.watch.models import Membership, RotaSlot, Scheme


class AdministratorsOnly(admin.ModelAdmin):
    """Only administrators see watch in the admin; nothing is added or deleted here."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnly(AdministratorsOnly):
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Scheme)
class SchemeAdmin(AdministratorsOnly):
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
class MembershipAdmin(ReadOnly):
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
class RotaSlotAdmin(ReadOnly):
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

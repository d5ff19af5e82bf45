"""The audit trail in the admin: administrators read it; nobody adds, changes or deletes."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from beatbridge.accounts.permissions import is_administrator
from beatbridge.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_label", "action", "target_type", "target_id")
    list_filter = ("action", "at")
    date_hierarchy = "at"
    # Exact matches: an id is looked up whole, and a prefix search would scan the trail.
    search_fields = ("=target_id",)
    # The actor link would show the person's name; the label says enough.
    fields = ("at", "actor_label", "action", "target_type", "target_id", "detail")
    readonly_fields = fields
    show_full_result_count = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

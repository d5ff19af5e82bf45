"""Who may use an app's pages in the admin: administrators only, and how much they may do.

Mixed into each ModelAdmin (``class PriorityAdmin(ChangeOnly, admin.ModelAdmin)``), so
every app's admin keeps the same rules: nobody else even sees the app listed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from beatbridge.accounts.permissions import is_administrator


class AdministratorsOnly(admin.options.BaseModelAdmin):
    """Administrators see, add, change and delete; nobody else sees anything."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_administrator(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)


class ChangeOnly(AdministratorsOnly):
    """Created on the app's own pages, where their rules and notifications apply; never
    deleted (nothing is lost: things are cancelled, closed or ended instead)."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnly(ChangeOnly):
    """Administrators look; nobody adds, changes or deletes here."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

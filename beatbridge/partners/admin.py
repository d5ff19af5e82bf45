"""Admin for partners: for administrators to look things up and correct them.

The staff pages do the work (with their checks and audit entries), so the admin shows the
liaison log and referrals read-only and lets administrators correct organisations.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from beatbridge.partners.models import Contact, Engagement, FollowUp, Organisation, Referral
from beatbridge.web.admin_access import ChangeOnly, ReadOnly


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ("user", "job_title", "is_primary", "is_active")
    readonly_fields = ("user",)
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(ChangeOnly, admin.ModelAdmin):
    list_display = ("name", "kind", "force", "is_active")
    list_filter = ("kind", "is_active", "force")
    search_fields = ("name", "slug")
    readonly_fields = ("slug", "force", "created_at")
    filter_horizontal = ("neighbourhoods",)
    inlines = [ContactInline]


@admin.register(Engagement)
class EngagementAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("organisation", "kind", "occurred_at", "shared_with_partner")
    list_filter = ("kind", "shared_with_partner")
    list_select_related = ("organisation",)
    search_fields = ("organisation__name",)


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("description", "due_on", "owner", "done_at")
    list_select_related = ("owner",)


@admin.register(Referral)
class ReferralAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("report", "organisation", "status", "referred_at")
    list_filter = ("status",)
    list_select_related = ("report", "organisation")

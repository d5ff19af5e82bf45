"""Admin for Open311 API clients: issue a key (shown once), deactivate it.

A key is issued through ``services.issue_api_key`` and shown on the page that answers
the "add" form, never stored, never put in a message or a cookie: only its hash is
kept. Keys are not deleted (the audit trail names them) and not reactivated.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from beatbridge.open311 import selectors, services
from beatbridge.open311.models import ApiClient


class ApiClientForm(forms.ModelForm):
    class Meta:
        model = ApiClient
        fields = ["name", "contact_email"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        unchanged = self.instance.pk is not None and self.instance.name == name
        if not unchanged and selectors.is_client_name_taken(name):
            raise forms.ValidationError(
                _("An active API client is already called “%(name)s”."),
                code="duplicate",
                params={"name": name},
            )
        return name


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    list_display = ["name", "key_prefix", "is_active", "created_by", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "key_prefix", "contact_email"]
    actions = ["deactivate"]
    _details = ["key_prefix", "is_active", "created_by", "created_at", "last_used_at"]

    def get_fields(self, request: HttpRequest, obj: ApiClient | None = None) -> list[str]:
        editable = ["name", "contact_email"]
        return editable if obj is None else [*editable, *self._details]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiClient | None = None) -> list[str]:
        return [] if obj is None else self._details

    def has_delete_permission(self, request: HttpRequest, obj: ApiClient | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        issued = services.issue_api_key(
            name=obj.name, contact_email=obj.contact_email, created_by=request.user
        )
        # The admin carries on with ``obj`` (to log the addition and answer): make it the row.
        obj.pk = issued.client.pk
        obj.refresh_from_db()
        obj._issued_key = issued.key  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: ApiClient, post_url_continue: str | None = None
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("The new API key"),
            "client": obj,
            "key": obj._issued_key,  # type: ignore[attr-defined]
        }
        # The admin's views are never_cache already: no copy of the key stays in a cache.
        return TemplateResponse(request, "admin/open311/apiclient/issued_key.html", context)

    @admin.action(description=_("Deactivate the selected clients' keys"), permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        clients = list(queryset.filter(is_active=True))
        for client in clients:
            services.deactivate_api_client(client=client, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d key deactivated.", "%(count)d keys deactivated.", len(clients))
            % {"count": len(clients)},
            messages.SUCCESS,
        )

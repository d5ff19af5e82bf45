"""Admin for community voice: for administrators to look things up and correct them.

The team pages do the work: they adopt and close priorities, move and cancel meetings and
events (writing to everyone registered) and record every step in the audit trail. So the
admin adds only cycles (checked as the team page checks them), corrects texts and
translations, and leaves status, times and cancellations read-only. Registrations hold
e-mail addresses: read-only. Deleting something with dependants (a cycle with priorities,
an event with registrations) is refused on Django's "cannot delete" page, naming them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest

from beatbridge.errors import DomainError
from beatbridge.voice.models import (
    Cycle,
    Event,
    Meeting,
    MeetingSeries,
    Priority,
    PriorityUpdate,
    Registration,
)
from beatbridge.voice.services.priorities import check_cycle
from beatbridge.voice.services.translations import clean_translations
from beatbridge.web.admin_access import AdministratorsOnly, ChangeOnly
from beatbridge.web.languages import LanguageCodesField


def _as_form_error(error: DomainError) -> ValidationError:
    return ValidationError(error.message, code=error.code)


class TranslatedContentForm(forms.ModelForm):
    """Translations checked as the team's translation page checks them, and every model
    constraint checked, even on fields the admin shows read-only (a priority declined
    without a reason is refused here, not by the database)."""

    def clean_translations(self) -> dict[str, dict[str, str]]:
        try:
            return clean_translations(item=self.instance, value=self.cleaned_data["translations"])
        except DomainError as error:
            raise _as_form_error(error) from None

    def _post_clean(self) -> None:
        super()._post_clean()
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            self._update_errors(error)


# --- priorities ---------------------------------------------------------------------------


class CycleForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            check_cycle(
                neighbourhood=cleaned.get("neighbourhood") or self.instance.neighbourhood,
                starts_on=cleaned["starts_on"],
                voting_opens_on=cleaned["voting_opens_on"],
                voting_closes_on=cleaned["voting_closes_on"],
                ends_on=cleaned["ends_on"],
                votes_per_person=cleaned["votes_per_person"],
                max_adopted=cleaned["max_adopted"],
                cycle=self.instance,
            )
        except DomainError as error:
            self.add_error(
                error.field if error.field in self.fields else None, _as_form_error(error)
            )
        return cleaned


@admin.register(Cycle)
class CycleAdmin(AdministratorsOnly, admin.ModelAdmin):
    form = CycleForm
    list_display = ["title", "neighbourhood", "starts_on", "voting_opens_on", "ends_on"]
    list_filter = ["neighbourhood__force", "requires_verified_residency", "starts_on"]
    search_fields = ["title", "neighbourhood__name", "=neighbourhood__code"]
    list_select_related = ["neighbourhood"]
    autocomplete_fields = ["neighbourhood"]
    date_hierarchy = "starts_on"

    def get_readonly_fields(self, request: HttpRequest, obj: Cycle | None = None) -> Any:
        # Its priorities and votes belong to the neighbourhood it was opened in.
        return ["neighbourhood"] if obj is not None else []


class PriorityUpdateInline(admin.StackedInline):
    model = PriorityUpdate
    form = TranslatedContentForm
    fields = ["text", "original_language", "translations", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Updates are posted on the team page, which audits them.
        return False


@admin.register(Priority)
class PriorityAdmin(ChangeOnly, admin.ModelAdmin):
    form = TranslatedContentForm
    inlines = [PriorityUpdateInline]
    list_display = ["title", "cycle", "status", "source", "adopted_at", "closed_at"]
    list_filter = ["status", "source", "cycle__neighbourhood__force"]
    search_fields = ["title", "cycle__title", "=cycle__neighbourhood__code"]
    list_select_related = ["cycle"]
    fields = [
        "cycle",
        "title",
        "description",
        "place",
        "source",
        "source_reference",
        "status",
        "decision_reason",
        "action_plan",
        "action_owner",
        "action_due_on",
        "adopted_at",
        "outcome",
        "closed_at",
        "original_language",
        "translations",
    ]
    # Adopting, declining and closing happen on the team page (limits, audit, public dates).
    readonly_fields = ["cycle", "source", "status", "adopted_at", "closed_at"]


# --- meetings and events ------------------------------------------------------------------

# Moving, cancelling, changing the place or the capacity are done on the team pages, which
# write to everyone registered and give freed places to the waiting list.
_SCHEDULE = [
    "starts_at",
    "ends_at",
    "is_cancelled",
    "cancellation_reason",
    "venue_name",
    "address",
    "online_url",
    "capacity",
]
# Online meeting links are https today; Django 6 assumes so too.
_HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(ChangeOnly, admin.ModelAdmin):
    list_display = ["title", "neighbourhood", "kind", "weekday", "week_of_month", "until"]
    list_filter = ["kind", "neighbourhood__force"]
    search_fields = ["title", "neighbourhood__name", "=neighbourhood__code"]
    list_select_related = ["neighbourhood"]
    # Its meetings were made from this schedule; changing it would not move them.
    readonly_fields = [
        "neighbourhood",
        "kind",
        "weekday",
        "week_of_month",
        "start_time",
        "duration_minutes",
        "until",
    ]


@admin.register(Meeting)
class MeetingAdmin(ChangeOnly, admin.ModelAdmin):
    form = TranslatedContentForm
    list_display = ["title", "kind", "starts_at", "is_cancelled", "minutes_published_at"]
    list_filter = ["kind", "is_cancelled", "childcare", "neighbourhoods__force"]
    search_fields = ["title", "venue_name", "=neighbourhoods__code"]
    date_hierarchy = "starts_at"
    exclude = ["created_by"]
    readonly_fields = ["neighbourhoods", *_SCHEDULE, "kind", "series", "minutes_published_at"]
    formfield_overrides = _HTTPS_URLS

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        # Language lists are checked as everywhere else they are stored.
        kwargs["field_classes"] = {
            "languages": LanguageCodesField,
            "interpretation": LanguageCodesField,
        }
        return super().get_form(request, obj, **kwargs)


@admin.register(Event)
class EventAdmin(ChangeOnly, admin.ModelAdmin):
    form = TranslatedContentForm
    list_display = ["title", "kind", "organiser", "starts_at", "is_cancelled"]
    list_filter = ["kind", "is_cancelled", "neighbourhoods__force"]
    search_fields = ["title", "organiser", "venue_name", "=neighbourhoods__code"]
    date_hierarchy = "starts_at"
    exclude = ["created_by"]
    readonly_fields = ["neighbourhoods", *_SCHEDULE]
    formfield_overrides = _HTTPS_URLS


@admin.register(Registration)
class RegistrationAdmin(AdministratorsOnly, admin.ModelAdmin):
    """Counts and states only: who registered is seen on the team pages, where each look is
    audited."""

    list_display = ["__str__", "meeting", "event", "status", "created_at"]
    list_filter = ["status", "created_at"]
    list_select_related = ["meeting", "event"]
    date_hierarchy = "created_at"
    fields = [
        "meeting",
        "event",
        "language",
        "status",
        "created_at",
        "reminded_at",
        "cancelled_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

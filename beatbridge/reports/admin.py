"""Admin for report categories and their questions; reports themselves are only read here.

Categories are the administrators' to manage. Reports are handled in the triage pages,
where every step is recorded and audited, so the admin shows them read-only and never
deletes one (nothing is lost).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from beatbridge.errors import DomainError
from beatbridge.reports import services
from beatbridge.reports.models import Category, CategoryQuestion, Report, ReporterNotification
from beatbridge.web.admin_access import ReadOnly


def _as_form_error(error: DomainError) -> forms.ValidationError:
    return forms.ValidationError(error.message, code=error.code)


class TranslationsField(forms.JSONField):
    def clean(self, value: Any) -> dict[str, dict[str, str]]:
        try:
            return services.clean_category_translations(super().clean(value))
        except DomainError as error:
            raise _as_form_error(error) from None


class CategoryQuestionForm(forms.ModelForm):
    class Meta:
        model = CategoryQuestion
        fields = [
            "code",
            "prompt",
            "help_text",
            "datatype",
            "required",
            "choices",
            "translations",
            "position",
        ]
        field_classes = {"translations": TranslationsField}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        try:
            cleaned["choices"] = services.clean_question_choices(
                cleaned.get("datatype", ""), cleaned.get("choices")
            )
        except DomainError as error:
            self.add_error("choices", _as_form_error(error))
        return cleaned


class CategoryQuestionInline(admin.StackedInline):
    model = CategoryQuestion
    form = CategoryQuestionForm
    extra = 0


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = "__all__"  # noqa: DJ007
        field_classes = {"translations": TranslationsField}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryForm
    inlines = [CategoryQuestionInline]
    list_display = ["name", "code", "group", "kind", "is_sensitive", "is_active", "force"]
    list_filter = ["force", "kind", "is_sensitive", "is_active", "group"]
    search_fields = ["name", "code", "group"]
    ordering = ["force", "group", "position", "name"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A category with reports is kept (PROTECT); deactivate it instead.
        return super().has_delete_permission(request, obj) and (
            obj is None or not obj.reports.exists()
        )


@admin.register(Report)
class ReportAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["reference", "kind", "category", "neighbourhood", "status", "created_at"]
    list_filter = ["kind", "status", "source", "force"]
    search_fields = ["reference"]
    date_hierarchy = "created_at"
    # Contact details and the exact place are seen in the triage pages, where views are audited.
    fields = [
        "reference",
        "kind",
        "force",
        "category",
        "neighbourhood",
        "status",
        "priority",
        "source",
        "assigned_to",
        "duplicate_of",
        "referred_to",
        "created_at",
        "acknowledged_at",
        "resolved_at",
    ]
    list_select_related = ["category", "neighbourhood"]


@admin.register(ReporterNotification)
class ReporterNotificationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["report", "event", "status", "attempts", "last_error", "created_at", "sent_at"]
    list_filter = ["status", "event"]
    search_fields = ["report__reference"]
    list_select_related = ["report"]

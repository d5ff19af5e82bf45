"""Admin for forces, sectors and neighbourhoods.

A boundary typed into the admin is checked as an import checks it and saved
through ``services.change_boundary``, so every spatial index learns of it.
BoundaryRevision is bookkeeping for the index and stays out of the admin.
Every save and delete here changes what public pages show: see PublicContentAdmin.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from beatbridge.errors import DomainError
from beatbridge.places import services
from beatbridge.places.models import Force, Neighbourhood, Sector
from beatbridge.web.languages import LanguageCodesField

# Team and force web pages are https today; Django 6 assumes so too.
_HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class PublicContentAdmin(admin.ModelAdmin):
    """An admin whose saves and deletes reach the public pages' caches at once.

    ``index_fields`` are the fields the spatial index keeps (ids and names, see
    ``spatial.NeighbourhoodRef``): changing one, or deleting a row, rebuilds the index.
    """

    index_fields: frozenset[str] = frozenset()

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        # After the inlines too: a team or a sector may be what changed.
        self._published(index_changed=bool(self.index_fields & set(form.changed_data)))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        self._published(index_changed=bool(self.index_fields))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        super().delete_queryset(request, queryset)
        self._published(index_changed=bool(self.index_fields))

    def _published(self, *, index_changed: bool) -> None:
        if index_changed:
            services.mark_boundaries_changed()
        else:
            services.mark_public_content_changed()


class SectorInline(admin.TabularInline):
    model = Sector
    extra = 0
    fields = ["name", "slug"]


class EngagementMethodsField(forms.JSONField):
    def clean(self, value: Any) -> list[dict[str, str]]:
        try:
            return services.clean_engagement_methods(super().clean(value))
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


class ForceForm(forms.ModelForm):
    url = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Force
        fields = "__all__"  # noqa: DJ007
        field_classes = {"engagement_methods": EngagementMethodsField}


@admin.register(Force)
class ForceAdmin(PublicContentAdmin):
    form = ForceForm
    # Deleting a force deletes its neighbourhoods too.
    index_fields = frozenset({"slug"})
    list_display = ["name", "slug", "telephone"]
    search_fields = ["name", "slug"]
    inlines = [SectorInline]
    formfield_overrides = _HTTPS_URLS


@admin.register(Sector)
class SectorAdmin(PublicContentAdmin):
    list_display = ["name", "slug", "force"]
    list_filter = ["force"]
    list_select_related = ["force"]
    search_fields = ["name", "slug"]


class NeighbourhoodForm(forms.ModelForm):
    web_url = forms.URLField(label=_("team web page"), required=False, assume_scheme="https")
    boundary = forms.JSONField(
        label=_("boundary"),
        help_text=_(
            "A GeoJSON Polygon or MultiPolygon in longitude/latitude. It is checked and "
            "repaired as an imported boundary is; the centre follows it."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    class Meta:
        model = Neighbourhood
        # The boundary reaches the row only through services.change_boundary.
        exclude = ["boundary"]  # noqa: DJ006
        field_classes = {"languages": LanguageCodesField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("boundary", self.instance.boundary)

    def clean_boundary(self) -> dict:
        boundary = self.cleaned_data["boundary"]
        try:
            return services.clean_boundary(boundary).geojson
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(PublicContentAdmin):
    index_fields = frozenset({"force", "code", "name"})
    form = NeighbourhoodForm
    list_display = ["name", "code", "force", "sector", "population"]
    list_filter = ["force", "sector"]
    list_select_related = ["force", "sector"]
    search_fields = ["name", "search_name", "code"]
    readonly_fields = ["centre_latitude", "centre_longitude", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["force", "sector", "code", "name", "description", "population"]}),
        (
            _("Team contact"),
            {"fields": ["email", "telephone", "address", "web_url", "languages"]},
        ),
        (
            _("Boundary"),
            {"fields": ["boundary", "centre_latitude", "centre_longitude"]},
        ),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Neighbourhood]:
        queryset = super().get_queryset(request)
        # The changelist never shows a boundary; the change page loads it when it reads it.
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            return queryset.defer("boundary")
        return queryset

    def save_model(
        self, request: HttpRequest, obj: Neighbourhood, form: forms.ModelForm, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
        if not change or "boundary" in form.changed_data:
            services.change_boundary(neighbourhood=obj, boundary=form.cleaned_data["boundary"])

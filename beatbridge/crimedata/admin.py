"""Admin for crime data: administrators look up imports and incidents; files change them.

Incidents come only from imports (which replace whole months and rebuild the counts),
so the admin never edits them: an edit here would leave the counts wrong.
"""

from __future__ import annotations

from django.contrib import admin

from beatbridge.crimedata.models import CrimeImport, Incident
from beatbridge.web.admin_access import ReadOnly


@admin.register(CrimeImport)
class CrimeImportAdmin(ReadOnly, admin.ModelAdmin):
    list_display = (
        "source_file",
        "kind",
        "force",
        "rows",
        "skipped",
        "without_location",
        "outside_neighbourhoods",
        "imported_at",
    )
    list_filter = ("kind", "force")
    search_fields = ("source_file",)


@admin.register(Incident)
class IncidentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("public_id", "category", "month", "force", "neighbourhood", "outcome")
    list_filter = ("category", "force")
    search_fields = ("=reference", "=public_id")
    list_select_related = ("force", "neighbourhood")
    raw_id_fields = ("point", "neighbourhood")
    show_full_result_count = False

"""Forces, sectors and neighbourhoods: decentralisation as data.

Boundaries are stored as GeoJSON geometry (WGS84 lon/lat) so that SQLite and
PostgreSQL hold them alike without GDAL; geometry work happens in shapely.
"""

from __future__ import annotations

import unicodedata
import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# police.uk neighbourhood ids look like "NC04", "00BK17N" or "55.CR3001".
neighbourhood_code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
    _("Use letters, digits, dots, dashes and underscores only, starting with a letter or digit."),
)


def fold_for_search(text: str) -> str:
    """Case- and accent-insensitive form of a name: "Montlake Café" -> "montlake cafe"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


class Force(models.Model):
    """A police service: the top of the places hierarchy."""

    slug = models.SlugField(
        _("identifier"),
        max_length=64,
        unique=True,
        help_text=_("Stable id used in URLs and the police.uk API, e.g. 'seattle'."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    telephone = models.CharField(_("non-emergency telephone"), max_length=40, blank=True)
    url = models.URLField(_("website"), blank=True)
    # [{"type": "twitter", "title": "...", "description": "...", "url": "..."}], police.uk's shape.
    engagement_methods = models.JSONField(_("engagement methods"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("force")
        verbose_name_plural = _("forces")

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    """An optional middle level (sector, precinct, district) grouping neighbourhoods."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="sectors")
    slug = models.SlugField(_("identifier"), max_length=64)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["force", "name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "slug"], name="sector_unique_slug_per_force"),
        ]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class Neighbourhood(models.Model):
    """A neighbourhood with its own team and page; the unit everything else hangs from."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="neighbourhoods")
    sector = models.ForeignKey(
        Sector,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="neighbourhoods",
    )
    code = models.CharField(
        _("identifier"),
        max_length=64,
        validators=[neighbourhood_code_validator],
        help_text=_("Stable id, unique within the force (police.uk's neighbourhood id)."),
    )
    name = models.CharField(_("name"), max_length=200)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    description = models.TextField(_("description"), blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    centre_latitude = models.FloatField(_("centre latitude"))
    centre_longitude = models.FloatField(_("centre longitude"))
    # A GeoJSON Polygon or MultiPolygon geometry object, WGS84 lon/lat.
    boundary = models.JSONField(_("boundary"))
    email = models.EmailField(_("team e-mail"), blank=True)
    telephone = models.CharField(_("team telephone"), max_length=40, blank=True)
    address = models.TextField(_("team address"), blank=True)
    web_url = models.URLField(_("team web page"), blank=True)
    # Language codes (BCP 47, e.g. "es", "zh-hant") commonly spoken in the neighbourhood.
    languages = models.JSONField(_("languages commonly spoken"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "code"], name="neighbourhood_unique_code_per_force"
            ),
        ]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = fold_for_search(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:  # type: ignore[operator]
            kwargs["update_fields"] = {*update_fields, "search_name"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class BoundaryRevision(models.Model):
    """One row whose token changes whenever any boundary changes.

    Every process keeps its own spatial index; it compares this token with the
    one it was built from, so an import on one machine reaches all of them. A
    random token rather than a counter: a counter rolled back with a transaction
    could repeat a value an index was already built from.
    """

    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("boundary revision")

    def __str__(self) -> str:
        return f"{self.token} ({self.changed_at:%Y-%m-%d %H:%M})"

"""Recorded crime and anti-social behaviour, as open data publishes it, and its rollups.

Locations are anonymous street points (police.uk's "On or near Park Lane"), never an
address. An incident knows its neighbourhood through its point, written down at
import so that every count is a plain filter. Dashboards read the rollups
(``MonthlyCount``, ``PointMonthlyCount``, ``OutcomeMonthlyCount``), which the importers
rebuild for every force and month they touch, never the incidents themselves.

The keys the importers derive (an incident's force, point and neighbourhood, a point's
neighbourhood, the rollups' keys) have no database constraint: the importer writes them
in the transaction that makes or reads what they name, and Django still applies their
on_delete. PostgreSQL checking them row by row at commit cost an import about as much as
writing the rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from beatbridge.crimedata.categories import CrimeCategory, OutcomeCategory
from beatbridge.places.models import Force, Neighbourhood


class StreetPoint(models.Model):
    """An anonymous map point that incidents are snapped to; its id is police.uk's street id."""

    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    street_name = models.CharField(_("street"), max_length=200)
    # Null when the point lies outside every neighbourhood.
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["latitude", "longitude", "street_name"], name="street_point_unique"
            ),
        ]
        indexes = [models.Index(fields=["latitude", "longitude"], name="street_point_position")]
        verbose_name = _("street point")
        verbose_name_plural = _("street points")

    def __str__(self) -> str:
        return self.street_name


class LocationType(models.TextChoices):
    FORCE = "Force", _("Police force")
    BTP = "BTP", _("British Transport Police")


class Incident(models.Model):
    """One crime or anti-social behaviour incident, as its source published it.

    Its foreign keys have no index of their own: each leads a (key, month) index, and
    every index more slows an import down. Nor have they a database constraint (see the
    module's docstring).
    """

    force = models.ForeignKey(
        Force, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    # The first day of the month it was recorded in.
    month = models.DateField(_("month"))
    # Only where the source gives a date and time (city data does; police.uk does not).
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=48, choices=CrimeCategory.choices)
    # The source's own id: police.uk's Crime ID (its "persistent_id"), empty for
    # anti-social behaviour, which police.uk publishes without one.
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    # A number derived from the reference, or from the row for anti-social behaviour,
    # so that importing the same file again gives every incident the same id.
    public_id = models.BigIntegerField(_("public id"))
    point = models.ForeignKey(
        StreetPoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    location_type = models.CharField(
        _("location type"), max_length=8, choices=LocationType.choices, blank=True
    )
    area_code = models.CharField(_("area code"), max_length=16, blank=True)
    area_name = models.CharField(_("area name"), max_length=100, blank=True)
    outcome = models.CharField(
        _("latest outcome"), max_length=64, choices=OutcomeCategory.choices, blank=True
    )
    # Known once an outcomes file has said when the latest outcome was recorded.
    outcome_month = models.DateField(_("month of the latest outcome"), null=True, blank=True)
    # The street file's own "Last outcome category", kept apart so that a crime whose
    # outcomes a corrected outcomes file no longer names falls back to it.
    reported_outcome = models.CharField(
        _("outcome in the street file"),
        max_length=64,
        choices=OutcomeCategory.choices,
        blank=True,
        default="",
    )
    context = models.TextField(_("context"), blank=True)
    source_file = models.CharField(_("source file"), max_length=255)
    source_line = models.PositiveIntegerField(_("line in the source file"))

    class Meta:
        indexes = [
            models.Index(fields=["force", "month"], name="incident_force_month"),
            models.Index(fields=["point", "month"], name="incident_point_month"),
            models.Index(fields=["neighbourhood", "month"], name="incident_neighbourhood_month"),
            models.Index(fields=["reference"], name="incident_reference"),
        ]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.month:%Y-%m}"


class Outcome(models.Model):
    """One step in what happened after a crime, from a police.uk outcomes file."""

    force = models.ForeignKey(
        Force, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    # The month the outcome was recorded in, not the crime's.
    month = models.DateField(_("month"))
    reference = models.CharField(_("crime reference"), max_length=64)
    category = models.CharField(_("outcome"), max_length=64, choices=OutcomeCategory.choices)
    point = models.ForeignKey(
        StreetPoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    source_file = models.CharField(_("source file"), max_length=255)
    source_line = models.PositiveIntegerField(_("line in the source file"))

    class Meta:
        indexes = [
            models.Index(fields=["reference", "month"], name="outcome_reference_month"),
            models.Index(fields=["force", "month"], name="outcome_force_month"),
            models.Index(fields=["point", "month"], name="outcome_point_month"),
        ]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.month:%Y-%m}"


class _Rollup(models.Model):
    """What every rollup row has: a force's incidents of a month and category, in a
    neighbourhood (none: outside every neighbourhood, or without a location)."""

    force = models.ForeignKey(
        Force, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # The month of the incidents (for outcomes too: not the month of the outcome).
    month = models.DateField()
    category = models.CharField(max_length=48, choices=CrimeCategory.choices)
    incidents = models.PositiveIntegerField()

    class Meta:
        abstract = True


class MonthlyCount(_Rollup):
    """Incidents per force, neighbourhood, month and category: what dashboards read.

    The row with no neighbourhood counts the force's incidents outside every
    neighbourhood, those without a location among them.
    """

    without_location = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["neighbourhood", "month"], name="count_neighbourhood_month"),
            models.Index(fields=["force", "month"], name="count_force_month"),
        ]
        verbose_name = _("monthly count")
        verbose_name_plural = _("monthly counts")

    def __str__(self) -> str:
        return f"{self.category} {self.month:%Y-%m}: {self.incidents}"


class PointMonthlyCount(_Rollup):
    """Incidents per street point, month and category: the map and repeat locations.
    Its neighbourhood is the point's, copied so that a neighbourhood's map is one
    indexed filter."""

    # No index of its own: every query finds the counts by force or neighbourhood and month,
    # and one index fewer is less for each import to keep up.
    point = models.ForeignKey(
        StreetPoint, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )

    class Meta:
        indexes = [
            models.Index(fields=["neighbourhood", "month"], name="point_count_nbhd_month"),
            models.Index(fields=["force", "month"], name="point_count_force_month"),
        ]
        verbose_name = _("street point monthly count")
        verbose_name_plural = _("street point monthly counts")

    def __str__(self) -> str:
        return f"{self.point_id} {self.category} {self.month:%Y-%m}: {self.incidents}"


class OutcomeMonthlyCount(_Rollup):
    """Incidents per force, neighbourhood, month and category by their latest outcome:
    "what happened next" on the crime page. ``outcome`` is blank where the source gives
    none, as for anti-social behaviour."""

    outcome = models.CharField(max_length=64, choices=OutcomeCategory.choices, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["neighbourhood", "month"], name="outcome_count_nbhd_month"),
            models.Index(fields=["force", "month"], name="outcome_count_force_month"),
        ]
        verbose_name = _("outcome monthly count")
        verbose_name_plural = _("outcome monthly counts")

    def __str__(self) -> str:
        return f"{self.category} {self.month:%Y-%m} {self.outcome or '-'}: {self.incidents}"


class CrimeImport(models.Model):
    """One file imported: what it held and what became of it (nothing is lost unsaid)."""

    class Kind(models.TextChoices):
        STREET = "street", _("Street-level crimes")
        OUTCOMES = "outcomes", _("Outcomes")
        CITY = "city", _("City incidents")

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    source_file = models.CharField(_("source file"), max_length=255)
    # "YYYY-MM" strings of the months the file replaced.
    months = models.JSONField(default=list)
    rows = models.PositiveIntegerField()
    skipped = models.PositiveIntegerField(default=0)
    without_location = models.PositiveIntegerField(default=0)
    outside_neighbourhoods = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("crime data import")
        verbose_name_plural = _("crime data imports")

    def __str__(self) -> str:
        return self.source_file

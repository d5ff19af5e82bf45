"""The counts every dashboard reads, rebuilt from incidents for each force and month an
import touches, in the import's transaction: a reader never sees a month half counted.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence

from django.db import connection
from django.db.models import Count, Model, Q, QuerySet

from beatbridge.crimedata.models import (
    Incident,
    MonthlyCount,
    OutcomeMonthlyCount,
    PointMonthlyCount,
)
from beatbridge.places.models import Force


def rebuild_counts(*, force: Force, months: Collection[datetime.date]) -> None:
    """Replace the force's neighbourhood, street-point and outcome counts for ``months``.

    Call it after the incidents' latest outcomes are set.
    """
    if not months:
        return
    months = list(months)
    MonthlyCount.objects.filter(force=force, month__in=months).delete()
    PointMonthlyCount.objects.filter(force=force, month__in=months).delete()
    incidents = Incident.objects.filter(force=force, month__in=months).order_by()
    by_neighbourhood = ["force", "neighbourhood", "month", "category"]
    _insert_grouped(
        MonthlyCount,
        [*by_neighbourhood, "incidents", "without_location"],
        incidents.values(*by_neighbourhood).annotate(
            incidents=Count("id"), without_location=Count("id", filter=Q(point__isnull=True))
        ),
    )
    by_point = ["force", "point", "neighbourhood", "month", "category"]
    _insert_grouped(
        PointMonthlyCount,
        [*by_point, "incidents"],
        incidents.filter(point__isnull=False).values(*by_point).annotate(incidents=Count("id")),
    )
    rebuild_outcome_counts(force=force, months=months)


def rebuild_outcome_counts(*, force: Force, months: Collection[datetime.date]) -> None:
    """Replace the force's counts by latest outcome for crimes of ``months``: an outcomes
    file changes these for crimes of earlier months without touching their other counts."""
    if not months:
        return
    months = list(months)
    OutcomeMonthlyCount.objects.filter(force=force, month__in=months).delete()
    by_outcome = ["force", "neighbourhood", "month", "category", "outcome"]
    _insert_grouped(
        OutcomeMonthlyCount,
        [*by_outcome, "incidents"],
        Incident.objects.filter(force=force, month__in=months)
        .order_by()
        .values(*by_outcome)
        .annotate(incidents=Count("id")),
    )


def _insert_grouped(model: type[Model], columns: Sequence[str], grouped: QuerySet) -> None:
    """INSERT … SELECT: the groups never travel to Python (a month of a big force has a
    hundred thousand street-point groups, which bulk_create would make objects of)."""
    # values() before annotate() selects the grouped fields, then the counts, in order,
    # which is the order ``columns`` must give.
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    select, params = grouped.query.sql_with_params()
    with connection.cursor() as cursor:
        # Identifiers come from the model and the SELECT from the ORM, never from input.
        cursor.execute(f"INSERT INTO {table} ({names}) {select}", params)

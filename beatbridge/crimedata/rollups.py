"""The counts every dashboard reads, rebuilt from incidents for each force and month an
import touches, in the import's transaction: a reader never sees a month half counted.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.db.models import Count, Q

from beatbridge.crimedata.models import Incident, MonthlyCount, PointMonthlyCount
from beatbridge.places.models import Force

_BATCH_SIZE = 2000


def rebuild_counts(*, force: Force, months: Collection[datetime.date]) -> None:
    """Replace the force's neighbourhood and street-point counts for ``months``."""
    if not months:
        return
    MonthlyCount.objects.filter(force=force, month__in=months).delete()
    PointMonthlyCount.objects.filter(force=force, month__in=months).delete()
    incidents = Incident.objects.filter(force=force, month__in=months).order_by()
    MonthlyCount.objects.bulk_create(
        (
            MonthlyCount(force=force, **group)
            for group in incidents.values("neighbourhood_id", "month", "category").annotate(
                incidents=Count("id"), without_location=Count("id", filter=Q(point__isnull=True))
            )
        ),
        batch_size=_BATCH_SIZE,
    )
    PointMonthlyCount.objects.bulk_create(
        (
            PointMonthlyCount(force=force, **group)
            for group in incidents.filter(point__isnull=False)
            .values("point_id", "neighbourhood_id", "month", "category")
            .annotate(incidents=Count("id"))
        ),
        batch_size=_BATCH_SIZE,
    )

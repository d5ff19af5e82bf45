"""Fill the outcome rollup for incidents imported before it existed (0003 made it empty,
and only imports fill it), so that no crime page says none were recorded."""

from django.db import migrations
from django.db.models import Count

_BATCH = 5_000


def count_existing_outcomes(apps, schema_editor):
    incidents = apps.get_model("crimedata", "Incident")
    counts = apps.get_model("crimedata", "OutcomeMonthlyCount")
    counts.objects.all().delete()
    grouped = (
        incidents.objects.order_by()
        .values("force_id", "neighbourhood_id", "month", "category", "outcome")
        .annotate(incidents=Count("id"))
    )
    counts.objects.bulk_create((counts(**row) for row in grouped.iterator()), batch_size=_BATCH)


class Migration(migrations.Migration):
    dependencies = [("crimedata", "0004_derived_keys_unconstrained")]

    operations = [migrations.RunPython(count_existing_outcomes, migrations.RunPython.noop)]

"""Keep each incident's outcome as its street file gave it. For incidents imported before,
that is no longer known where an outcomes file has since set a newer one, so their latest
outcome stands in until their street month is imported again."""

from django.db import migrations, models
from django.db.models import F


def keep_latest_as_reported(apps, schema_editor):
    apps.get_model("crimedata", "Incident").objects.update(reported_outcome=F("outcome"))


class Migration(migrations.Migration):

    dependencies = [
        ('crimedata', '0005_count_existing_outcomes'),
    ]

    operations = [
        migrations.AddField(
            model_name='incident',
            name='reported_outcome',
            field=models.CharField(blank=True, choices=[('awaiting-court-result', 'Awaiting court outcome'), ('court-result-unavailable', 'Court result unavailable'), ('unable-to-proceed', 'Court case unable to proceed'), ('local-resolution', 'Local resolution'), ('no-further-action', 'Investigation complete; no suspect identified'), ('deprived-of-property', 'Offender deprived of property'), ('fined', 'Offender fined'), ('absolute-discharge', 'Offender given absolute discharge'), ('cautioned', 'Offender given a caution'), ('drugs-possession-warning', 'Offender given a drugs possession warning'), ('penalty-notice-issued', 'Offender given a penalty notice'), ('community-penalty', 'Offender given community sentence'), ('conditional-discharge', 'Offender given conditional discharge'), ('suspended-sentence', 'Offender given suspended prison sentence'), ('imprisoned', 'Offender sent to prison'), ('other-court-disposal', 'Offender otherwise dealt with'), ('compensation', 'Offender ordered to pay compensation'), ('sentenced-in-another-case', 'Suspect charged as part of another case'), ('charged', 'Suspect charged'), ('not-guilty', 'Defendant found not guilty'), ('sent-to-crown-court', 'Defendant sent to Crown Court'), ('unable-to-prosecute', 'Unable to prosecute suspect'), ('formal-action-not-in-public-interest', 'Formal action is not in the public interest'), ('action-taken-by-another-organisation', 'Action to be taken by another organisation'), ('further-investigation-not-in-public-interest', 'Further investigation is not in the public interest'), ('further-action-not-in-public-interest', 'Further action is not in the public interest'), ('under-investigation', 'Under investigation'), ('status-update-unavailable', 'Status update unavailable')], default='', max_length=64, verbose_name='outcome in the street file'),
        ),
        migrations.RunPython(keep_latest_as_reported, migrations.RunPython.noop),
    ]

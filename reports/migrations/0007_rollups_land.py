"""The land ledger (land approval batches and parcels) counts in the roll-ups too: its rows count
as new, so the first drain (reports/rollups.py) takes them in."""

from django.db import migrations

LEDGERS = ("land_batches", "parcels")


def backfill(apps, schema_editor):
    RollupMark = apps.get_model("reports", "RollupMark")
    for name in LEDGERS:
        RollupMark.objects.get_or_create(name=name, defaults={"value": 0})


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_rollups_backfill")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

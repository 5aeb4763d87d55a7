"""The roll-ups of a database that already holds reports and ledgers: every unit with a report is
marked dirty and every ledger row counts as new, so the first drain (reports/rollups.py) builds
them, by a full rebuild when there is much."""

from django.db import migrations

LEDGERS = ("households", "graves", "enterprises", "projects", "investments", "openings", "milestones")


def backfill(apps, schema_editor):
    WeeklyReport = apps.get_model("reports", "WeeklyReport")
    RollupDirty = apps.get_model("reports", "RollupDirty")
    RollupMark = apps.get_model("reports", "RollupMark")
    units = WeeklyReport.objects.order_by().values_list("unit_id", flat=True).distinct()
    RollupDirty.objects.bulk_create([RollupDirty(unit_id=u, kind="r") for u in units], batch_size=1000)
    for name in LEDGERS:
        RollupMark.objects.get_or_create(name=name, defaults={"value": 0})


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_rollups")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

from django.db import migrations, models
from django.db.models import deletion


def locks_per_root(apps, schema_editor):
    """A lock of the old kind closed the week everywhere: it becomes one lock per root unit."""
    WeekLock = apps.get_model("reports", "WeekLock")
    OrgUnit = apps.get_model("org", "OrgUnit")
    roots = list(OrgUnit.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    for lock in WeekLock.objects.filter(unit__isnull=True):
        for root in roots:
            WeekLock.objects.create(unit_id=root, week_end=lock.week_end, locked_by_id=lock.locked_by_id)
        lock.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_alter_orgunit_kind"),
        ("reports", "0002_weeklyreport_version"),
    ]

    operations = [
        migrations.AlterField(
            model_name="weeklock", name="week_end", field=models.DateField(verbose_name="week closing date")
        ),
        migrations.AddField(
            model_name="weeklock",
            name="unit",
            field=models.ForeignKey(
                null=True, on_delete=deletion.CASCADE, related_name="+", to="org.orgunit", verbose_name="unit"
            ),
        ),
        migrations.RunPython(locks_per_root, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="weeklock",
            name="unit",
            field=models.ForeignKey(
                on_delete=deletion.CASCADE, related_name="+", to="org.orgunit", verbose_name="unit"
            ),
        ),
        migrations.AddConstraint(
            model_name="weeklock",
            constraint=models.UniqueConstraint(fields=("unit", "week_end"), name="unique_unit_week_lock"),
        ),
    ]

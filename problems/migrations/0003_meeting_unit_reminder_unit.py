from django.db import migrations, models
from django.db.models import deletion


def meetings_to_units(apps, schema_editor):
    """A meeting held before meetings had a unit belongs to its campaign's owner, else to the
    first root unit (the whole platform was one office then)."""
    Meeting = apps.get_model("problems", "Meeting")
    OrgUnit = apps.get_model("org", "OrgUnit")
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()
    for meeting in Meeting.objects.filter(unit__isnull=True).select_related("campaign"):
        meeting.unit_id = meeting.campaign.owner_id if meeting.campaign_id else (root.pk if root else None)
        meeting.save(update_fields=["unit"])


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("org", "0002_alter_orgunit_kind"),
        ("problems", "0002_meeting_reminder_step_attachment_agendaitem"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="unit",
            field=models.ForeignKey(
                null=True, on_delete=deletion.PROTECT, related_name="+", to="org.orgunit", verbose_name="held by"
            ),
        ),
        migrations.RunPython(meetings_to_units, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="meeting",
            name="unit",
            field=models.ForeignKey(
                on_delete=deletion.PROTECT, related_name="+", to="org.orgunit", verbose_name="held by"
            ),
        ),
        migrations.AddField(
            model_name="reminder",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=deletion.CASCADE,
                related_name="+",
                to="org.orgunit",
                verbose_name="unit",
            ),
        ),
    ]

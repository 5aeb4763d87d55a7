# Task.created_at: when an item was added to the task list (a meeting's follow-up task is added late).

import django.utils.timezone
from django.db import migrations, models


def tasks_start_with_their_campaign(apps, schema_editor):
    """Items that existed before created_at: take the campaign's first day (their task list's date)."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from django.conf import settings

    Task = apps.get_model("campaigns", "Task")
    tz = ZoneInfo(settings.TIME_ZONE)
    for task in Task.objects.select_related("campaign").iterator():
        task.created_at = datetime.combine(task.campaign.start, time(0, 0), tzinfo=tz)
        task.save(update_fields=["created_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0004_task_progress_at_task_progress_note'),
    ]

    operations = [
        migrations.AddField(
            model_name='task',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at'),
        ),
        migrations.RunPython(tasks_start_with_their_campaign, migrations.RunPython.noop),
    ]

from django.db import migrations


def forwards(apps, schema_editor):
    from economy import catalogue

    catalogue.create(apps.get_model("economy", "EconomicIndicator"))


class Migration(migrations.Migration):
    dependencies = [("economy", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

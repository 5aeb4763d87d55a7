"""The tokens of Django REST framework's authtoken app were stored in clear and never expired:
they are dropped, not carried over. Their owners make new ones (/account/tokens/ or
POST /api/token/)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("api", "0001_api_tokens")]

    operations = [migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop)]

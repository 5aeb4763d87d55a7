"""Django for the benchmark scripts: production-like (DEBUG off, so no query log in the timings),
on DATABASE_URL or, when it is unset, on a fresh SQLite file under the temporary directory;
migrated. A PostgreSQL database named in DATABASE_URL that does not exist yet is created."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(sqlite_name=None, migrate=True):
    """`sqlite_name`: the file to start afresh when DATABASE_URL is unset (None: it must be set)."""
    os.environ.setdefault("DEBUG", "false")
    if not os.environ.get("DATABASE_URL"):
        if sqlite_name is None:
            sys.exit("Set DATABASE_URL to the database to measure.")
        path = Path(tempfile.gettempdir()) / sqlite_name
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    import django
    from django.core.management import call_command

    django.setup()
    _create_missing_database()
    if migrate:
        call_command("migrate", verbosity=0)


def _create_missing_database():
    """CREATE DATABASE for a PostgreSQL DATABASE_URL whose database is not there yet."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
            print(f"created the database {name}")

"""Backing up and restoring the database.

- SQLite: the online backup API (sqlite3.Connection.backup), safe while the site runs; the copy
  is a plain SQLite file.
- PostgreSQL: pg_dump in its custom format (-Fc), restored with pg_restore --clean --if-exists
  in one transaction: a restore that fails leaves the database as it was.

Restoring closes Django's connections first (and other processes should be stopped: the web
workers would otherwise keep writing into a database being replaced).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

SQLITE_HEADER = b"SQLite format 3\x00"
PG_HEADER = b"PGDMP"


class BackupError(Exception):
    pass


def _db(alias):
    return connections[alias].settings_dict


def kind(alias="default"):
    engine = _db(alias)["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(_("Backups know SQLite and PostgreSQL, not %(engine)s.") % {"engine": engine})


def default_path(alias="default"):
    suffix = "sqlite3" if kind(alias) == "sqlite" else "dump"
    folder = Path(settings.DUBAN_BACKUP_DIR)
    return folder / f"duban-{timezone.localtime():%Y%m%d-%H%M%S}.{suffix}"


def _pg_env(db):
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db):
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args


def _tool(name):
    path = shutil.which(name)
    if not path:
        raise BackupError(_("%(tool)s is not installed (Debian: postgresql-client).") % {"tool": name})
    return path


def _run(command, env):
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(done.stderr.strip() or done.stdout.strip() or f"{command[0]} failed ({done.returncode})")


def _sqlite_connection(alias):
    """The live connection for an in-memory database (tests), else a fresh one to the file."""
    connection = connections[alias]
    if connection.is_in_memory_db():
        connection.ensure_connection()
        return connection.connection, False
    return sqlite3.connect(_db(alias)["NAME"]), True


def backup(out, alias="default"):
    """Write a backup of the database to `out` (readable by its owner only); return its path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    which = kind(alias)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # personal data: owner only
    os.close(fd)
    try:
        if which == "sqlite":
            source, own = _sqlite_connection(alias)
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
                if own:
                    source.close()
        else:
            db = _db(alias)
            _run(
                [
                    _tool("pg_dump"),
                    "-Fc",
                    "--no-owner",
                    "--no-privileges",
                    *_pg_args(db),
                    "-f",
                    str(partial),
                    db["NAME"],
                ],
                _pg_env(db),
            )
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def check_file(path, alias="default"):
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("There is no file %(file)s.") % {"file": path})
    with open(path, "rb") as f:
        head = f.read(16)
    which = kind(alias)
    if which == "sqlite" and not head.startswith(SQLITE_HEADER):
        raise BackupError(_("%(file)s is not an SQLite backup; nothing was changed.") % {"file": path})
    if which == "postgresql" and not head.startswith(PG_HEADER):
        raise BackupError(_("%(file)s is not a pg_dump backup (-Fc); nothing was changed.") % {"file": path})
    return path


def restore(path, alias="default"):
    """Replace the database's contents with the backup at `path`."""
    path = check_file(path, alias)
    connections.close_all()
    if kind(alias) == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError as error:
            source.close()
            raise BackupError(_("%(file)s is damaged: %(error)s") % {"file": path, "error": error}) from None
        target, own = _sqlite_connection(alias)
        try:
            source.backup(target)
        finally:
            source.close()
            if own:
                target.close()
    else:
        db = _db(alias)
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--no-owner",
                "--no-privileges",
                *_pg_args(db),
                "-d",
                db["NAME"],
                str(path),
            ],
            _pg_env(db),
        )
    connections.close_all()

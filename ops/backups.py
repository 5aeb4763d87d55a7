"""Backing up and restoring the database and the uploaded files.

A backup is one archive (.tar.gz, readable by its owner only) holding:

- `database.sqlite3` or `database.dump`: SQLite through the online backup API
  (sqlite3.Connection.backup), safe while the site runs; PostgreSQL through pg_dump in its custom
  format (-Fc), restored with pg_restore --clean --if-exists in one transaction, so a restore
  that fails leaves the database as it was;
- `media/…`: every uploaded file (problem and task attachments, archived bulletins) by its name in
  the file store: under MEDIA_ROOT on disk, or under DUBAN_S3_PREFIX in the S3 bucket
  (duban/file_store.py), read through Django's storage API;
- `manifest.json` (last): the format, the database kind, and the size and SHA-256 of every file.

The same archive restores to either store: `media/a/b.pdf` is the file `a/b.pdf` of MEDIA_ROOT or
the object `<prefix>/a/b.pdf` of the bucket.

Restoring checks everything first — the manifest, every file's size and SHA-256, no path outside
the archive's own folders — in a staging folder (beside MEDIA_ROOT, or the temporary folder with
S3); only then it replaces the database, and then the files: MEDIA_ROOT is swapped for the
restored folder; in the bucket every object under the prefix that the backup does not hold is
deleted and every file of the backup written over what is there (files uploaded after the backup
go, as on disk). A store that fails half-way through leaves the database restored and says to run
the restore again. A backup of the earlier format (the database file alone) still restores the
database, and says that it holds no files.

Objects whose names the storage API cannot address as plain paths (`a//b`, `../x`: never made by
the site) are left out of a backup, listed under "left_out" in its manifest and logged, and left
alone by a restore.

Restoring closes Django's connections first (and other processes should be stopped: the web
workers would otherwise keep writing into a database being replaced).
"""

import hashlib
import io
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from duban import file_store, pending_uploads

SQLITE_HEADER = b"SQLite format 3\x00"
PG_HEADER = b"PGDMP"
GZIP_HEADER = b"\x1f\x8b"
FORMAT = "duban-backup"
VERSION = 2
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
MEDIA = "media"
CHUNK = 1 << 20


class BackupError(Exception):
    pass


logger = logging.getLogger(__name__)


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
    kind(alias)  # refuses an engine it does not know
    folder = Path(settings.DUBAN_BACKUP_DIR)
    return folder / f"duban-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"


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


def _owner_only(path):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # personal data: owner only
    os.close(fd)


def dump_database(out, alias="default"):
    """Write the database alone to `out` (an existing, empty, owner-only file)."""
    if kind(alias) == "sqlite":
        source, own = _sqlite_connection(alias)
        target = sqlite3.connect(out)
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
                str(out),
                db["NAME"],
            ],
            _pg_env(db),
        )


class _Hashing:
    """A file read for the archive, hashed on the way (each file is read once)."""

    def __init__(self, f):
        self.f, self.sha = f, hashlib.sha256()

    def read(self, size=-1):
        data = self.f.read(size)
        self.sha.update(data)
        return data


def _add(archive, path, name):
    """Add the file at `path` as `name`; return its manifest entry."""
    with open(path, "rb") as f:
        info = archive.gettarinfo(fileobj=f, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o600
        reader = _Hashing(f)
        archive.addfile(info, reader)  # reads exactly info.size bytes
    return {"path": name, "size": info.size, "sha256": reader.sha.hexdigest()}


def _passing(relative):
    """Checked uploads waiting for a confirmation (duban/pending_uploads.py): not backed up."""
    return relative.parts[0] == pending_uploads.FOLDER


def media_files(root=None):
    """(path, name in the archive) of every regular file under MEDIA_ROOT, in a stable order."""
    root = Path(root or settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink() and not _passing(path.relative_to(root)):
                found.append((path, f"{MEDIA}/{path.relative_to(root).as_posix()}"))
    return found


def stored_names(storage, passing=False):
    """(names, left out) of every file in an object store, in a stable order: by the storage API
    (listdir, folder by folder), without the checked uploads waiting for a confirmation unless
    `passing`. Names that are no plain relative path are left out."""
    names, left_out, folders = [], [], [""]
    while folders:
        folder = folders.pop()
        dirs, files = storage.listdir(folder)
        for name in files:
            path = f"{folder}{name}"
            if _checked_name(f"{MEDIA}/{path}") is None:
                left_out.append(path)
            elif passing or not _passing(PurePosixPath(path)):
                names.append(path)
        for name in dirs:
            if name in ("", ".", "..") or "/" in name:
                left_out.append(f"{folder}{name}/")
            else:
                folders.append(f"{folder}{name}/")
    return sorted(names), sorted(left_out)


def _add_stored(archive, storage, work):
    """Add every file of the object `storage` under media/; return (manifest entries, left out)."""
    names, left_out = stored_names(storage)
    entries = []
    copy = Path(work) / "file"
    for name in names:
        _owner_only(copy)
        try:
            with storage.open(name, "rb") as source, open(copy, "wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
        except file_store.ERRORS as error:
            copy.unlink()
            if file_store.is_missing(error):  # deleted since it was listed
                continue
            raise
        entries.append(_add(archive, copy, f"{MEDIA}/{name}"))
        copy.unlink()
    for name in left_out:
        logger.warning("backup: %r in the file store is no plain path; it is not in the backup", name)
    return entries, left_out


def _store_failed(error):
    return BackupError(_("The file store could not be read, so no backup was written: %(error)s") % {"error": error})


def backup(out, alias="default"):
    """Write one archive with the database and the media files to `out` (readable by its owner
    only); return its path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    which = kind(alias)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    _owner_only(partial)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".duban-backup-") as work:
        database = Path(work) / DATABASE_FILES[which]
        _owner_only(database)
        try:
            dump_database(database, alias)
            with tarfile.open(partial, "w:gz") as archive:
                entry = _add(archive, database, DATABASE_FILES[which])
                database.unlink()
                left_out = []
                if file_store.on_disk():
                    files = [_add(archive, path, name) for path, name in media_files()]
                else:
                    try:
                        files, left_out = _add_stored(archive, file_store.default(), work)
                    except file_store.UNREACHABLE as error:
                        raise _store_failed(error) from None
                manifest = {
                    "format": FORMAT,
                    "version": VERSION,
                    "created_at": timezone.now().isoformat(),
                    "database": {"kind": which, **entry},
                    "media": files,
                }
                if left_out:
                    manifest["left_out"] = left_out
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
                archive.addfile(info, io.BytesIO(data))
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    return out


def check_file(path, alias="default"):
    """What the file is: "archive" (database and files) or "database" (a backup of the earlier
    format: the database alone). Anything else is refused before anything changes."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("There is no file %(file)s.") % {"file": path})
    with open(path, "rb") as f:
        head = f.read(16)
    if head.startswith(GZIP_HEADER):
        return "archive"
    which = kind(alias)
    if which == "sqlite" and not head.startswith(SQLITE_HEADER):
        raise BackupError(_("%(file)s is not an SQLite backup; nothing was changed.") % {"file": path})
    if which == "postgresql" and not head.startswith(PG_HEADER):
        raise BackupError(_("%(file)s is not a pg_dump backup (-Fc); nothing was changed.") % {"file": path})
    return "database"


def _damaged(path, why):
    return BackupError(_("%(file)s is damaged: %(error)s") % {"file": path, "error": why})


def _checked_name(name):
    """A manifest's path, refused unless it is the database file or a plain path under media/."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or any(part in ("", ".", "..") for part in pure.parts) or "\\" in name:
        return None
    if name in DATABASE_FILES.values() or (len(pure.parts) > 1 and pure.parts[0] == MEDIA):
        return name
    return None


def unpack(path, staging, alias="default"):
    """Unpack the archive at `path` into the folder `staging`, checking every file against the
    manifest (size and SHA-256, and nothing more or less); return the manifest."""
    path, staging = Path(path), Path(staging)
    try:
        with tarfile.open(path, "r:gz") as archive:
            members = {m.name: m for m in archive.getmembers()}
            if MANIFEST not in members or not members[MANIFEST].isfile():
                raise _damaged(path, _("the archive has no manifest"))
            manifest = json.load(archive.extractfile(members[MANIFEST]))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise _damaged(path, _("the archive is not a duban backup"))
            if manifest.get("version") != VERSION:
                raise BackupError(
                    _("%(file)s is a backup of format %(version)s, which this site cannot read; nothing was changed.")
                    % {"file": path, "version": manifest.get("version")}
                )
            database = manifest.get("database") or {}
            if database.get("kind") != kind(alias):
                raise BackupError(
                    _("%(file)s is a backup of a %(made)s database; this site runs on %(here)s. Nothing was changed.")
                    % {"file": path, "made": database.get("kind"), "here": kind(alias)}
                )
            entries = [database, *manifest.get("media", [])]
            names = [_checked_name(str(entry.get("path", ""))) for entry in entries]
            if None in names or len(set(names)) != len(names) or names[0] != DATABASE_FILES[kind(alias)]:
                raise _damaged(path, _("the manifest lists a path outside the backup"))
            if set(members) - set(names) - {MANIFEST}:
                raise _damaged(path, _("the archive holds files the manifest does not list"))
            for name, entry in zip(names, entries, strict=True):
                member = members.get(name)
                if member is None or not member.isfile():
                    raise _damaged(path, _("%(name)s is missing") % {"name": name})
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                sha, size = hashlib.sha256(), 0
                with archive.extractfile(member) as source, open(target, "xb") as out:
                    while chunk := source.read(CHUNK):
                        sha.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                if size != entry.get("size") or sha.hexdigest() != entry.get("sha256"):
                    raise _damaged(path, _("%(name)s does not match its SHA-256 in the manifest") % {"name": name})
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        raise _damaged(path, error) from None
    return manifest


def _restore_database(path, alias):
    connections.close_all()
    if kind(alias) == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError as error:
            source.close()
            raise _damaged(path, error) from None
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


def _swap_media(restored, root):
    """Make `root` hold exactly the restored files: a rename when it can (same file system),
    else its contents replaced one by one (MEDIA_ROOT as a mount point)."""
    restored.mkdir(exist_ok=True)
    if root.exists():
        os.chmod(restored, root.stat().st_mode & 0o7777)
        old = root.with_name(f".{root.name}-before-restore")
        shutil.rmtree(old, ignore_errors=True)
        try:
            os.replace(root, old)
        except OSError:
            for child in root.iterdir():
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
            for child in restored.iterdir():
                shutil.move(child, root / child.name)
            return
        os.replace(restored, root)
        shutil.rmtree(old, ignore_errors=True)
    else:
        root.parent.mkdir(parents=True, exist_ok=True)
        os.replace(restored, root)


def _replace_stored(restored, storage):
    """Make the object `storage` hold exactly the restored files (under its prefix): what the
    backup does not hold is deleted, every file of the backup written over what is there."""
    wanted = {}
    if restored.is_dir():
        wanted = {p.relative_to(restored).as_posix(): p for p in sorted(restored.rglob("*")) if p.is_file()}
    try:
        present, _left_out = stored_names(storage, passing=True)
        present = set(present)
        for name, source in wanted.items():
            if name in present:
                storage.delete(name)  # the storage never overwrites: a same-named save gets another name
            with open(source, "rb") as f:
                saved = storage.save(name, File(f, name=PurePosixPath(name).name))
            if saved != name:
                raise BackupError(_("The file store kept %(name)s as %(saved)s.") % {"name": name, "saved": saved})
        for name in sorted(present - set(wanted)):
            storage.delete(name)
    except file_store.ERRORS as error:
        raise BackupError(
            _(
                "The database was restored, but the file store failed while the files were put back "
                "(%(error)s); run the restore again once it answers."
            )
            % {"error": error}
        ) from None


def restore(path, alias="default"):
    """Bring back the database, and the media files, of the backup at `path`. Returns the
    manifest, or None for a backup of the earlier format (the database alone)."""
    if check_file(path, alias) == "database":
        _restore_database(Path(path), alias)
        return None
    if file_store.on_disk():
        root = Path(settings.MEDIA_ROOT)
        root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=".duban-restore-"))
    else:
        root, staging = None, Path(tempfile.mkdtemp(prefix=".duban-restore-"))
    try:
        manifest = unpack(path, staging, alias)  # everything checked before anything changes
        if root is None:
            _check_store(file_store.default())  # a store that does not answer: the database is left too
        _restore_database(staging / manifest["database"]["path"], alias)
        if root is None:
            _replace_stored(staging / MEDIA, file_store.default())
        else:
            _swap_media(staging / MEDIA, root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _check_store(storage):
    try:
        storage.listdir("")
    except file_store.ERRORS as error:
        raise BackupError(
            _("The file store does not answer (%(error)s); nothing was restored.") % {"error": error}
        ) from None

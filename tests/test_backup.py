"""`manage.py backup` and `restore`: back up, change data and files, restore, and the first state
is back — the database on SQLite (online backup API) or PostgreSQL (pg_dump / pg_restore), whichever
the tests run on, and the media files compared by SHA-256."""

import hashlib
import io
import json
import os
import stat
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from campaigns.models import Target
from ops import backups
from org.models import OrgUnit
from tests.conftest import tamper_docx


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """MEDIA_ROOT in the test's folder, with an attachment and an archived bulletin."""
    settings.MEDIA_ROOT = tmp_path / "site" / "media"
    (settings.MEDIA_ROOT / "problems" / "2026" / "12").mkdir(parents=True)
    (settings.MEDIA_ROOT / "problems" / "2026" / "12" / "现场照片.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    )
    (settings.MEDIA_ROOT / "bulletins").mkdir()
    (settings.MEDIA_ROOT / "bulletins" / "第3期.docx").write_bytes(b"PK\x03\x04 bulletin")
    return settings.MEDIA_ROOT


def files(root):
    """{path under MEDIA_ROOT: SHA-256} of every file."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def zh():
    with translation.override("zh-hans"):
        yield


def state():
    return (
        sorted(OrgUnit.objects.values_list("name", flat=True)),
        sorted((t.unit_id, t.indicator_id, str(t.amount)) for t in Target.objects.all()),
    )


@pytest.mark.django_db(transaction=True)
def test_backup_change_restore_gives_the_first_state_back(world, tmp_path, capsys):
    out = tmp_path / "duban.backup"
    first = state()
    call_command("backup", out=str(out))
    assert out.exists() and "备份已写入" in capsys.readouterr().out
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600  # personal data: owner only
    with tarfile.open(out, "r:gz") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        database = archive.extractfile(manifest["database"]["path"]).read(16)
    assert database.startswith(backups.SQLITE_HEADER if connection.vendor == "sqlite" else backups.PG_HEADER)

    world.a.name = "改名指挥部"
    world.a.save()
    Target.objects.filter(unit=world.b).delete()
    OrgUnit.objects.create(name="新单位", kind=OrgUnit.Kind.COMMAND_POST, parent=world.zone)
    assert state() != first

    call_command("restore", str(out), interactive=False)
    assert state() == first
    OrgUnit.objects.create(name="恢复后新增", kind=OrgUnit.Kind.COMMAND_POST, parent=world.zone)  # still writable


@pytest.mark.django_db(transaction=True)
def test_the_default_file_goes_to_the_backup_folder(world, tmp_path, settings):
    settings.DUBAN_BACKUP_DIR = tmp_path / "backups"
    call_command("backup")
    files = list((tmp_path / "backups").iterdir())
    assert len(files) == 1 and files[0].name.startswith("duban-")
    assert not any(f.name.endswith(".partial") for f in files)


@pytest.mark.django_db(transaction=True)
def test_a_missing_or_foreign_file_is_refused_and_nothing_changes(world, tmp_path, zh):
    first = state()
    with pytest.raises(CommandError, match="不存在"):
        call_command("restore", str(tmp_path / "nothing.dump"), interactive=False)
    junk = tmp_path / "notes.txt"
    junk.write_text("这不是备份")
    with pytest.raises(CommandError, match="不是.*备份"):
        call_command("restore", str(junk), interactive=False)
    assert state() == first


@pytest.mark.django_db(transaction=True)
def test_restore_asks_first_and_no_means_no(world, tmp_path, monkeypatch, zh):
    out = tmp_path / "b"
    call_command("backup", out=str(out))
    world.a.name = "改名指挥部"
    world.a.save()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="未恢复"):
        call_command("restore", str(out))
    assert OrgUnit.objects.filter(name="改名指挥部").exists()


@pytest.mark.django_db(transaction=True)
def test_it_brings_back_the_media_files_by_sha256(world, tmp_path, media, capsys):
    out = tmp_path / "duban.tar.gz"
    first = files(media)
    call_command("backup", out=str(out))
    with tarfile.open(out, "r:gz") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
    assert {e["path"]: e["sha256"] for e in manifest["media"]} == {f"media/{p}": h for p, h in first.items()}

    (media / "bulletins" / "第3期.docx").write_bytes(b"overwritten")
    (media / "problems" / "2026" / "12" / "现场照片.png").unlink()
    (media / "problems" / "later.pdf").write_bytes(b"%PDF uploaded after the backup")
    assert files(media) != first

    call_command("restore", str(out), interactive=False)
    assert files(media) == first
    assert "2 个文件" in capsys.readouterr().out
    assert not [p for p in media.parent.iterdir() if p.name.startswith(".")]  # no staging left behind


@pytest.mark.django_db(transaction=True)
def test_it_refuses_an_archive_whose_file_does_not_match_its_sha256_and_changes_nothing(world, tmp_path, media, zh):
    out = tmp_path / "duban.tar.gz"
    call_command("backup", out=str(out))
    tampered = tmp_path / "tampered.tar.gz"
    tamper_docx(out, tampered)
    world.a.name = "改名指挥部"
    world.a.save()
    (media / "bulletins" / "第3期.docx").write_bytes(b"today's")
    before = files(media)
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("restore", str(tampered), interactive=False)
    assert OrgUnit.objects.filter(name="改名指挥部").exists() and files(media) == before


@pytest.mark.django_db(transaction=True)
def test_it_still_restores_the_database_from_a_backup_of_the_earlier_format(world, tmp_path, media, capsys):
    out = tmp_path / "old.backup"
    out.touch(mode=0o600)
    backups.dump_database(out)  # what `backup` wrote before: the database file alone
    world.a.name = "改名指挥部"
    world.a.save()
    before = files(media)
    call_command("restore", str(out), interactive=False)
    assert not OrgUnit.objects.filter(name="改名指挥部").exists()
    assert files(media) == before  # no files in it: MEDIA_ROOT is left alone
    assert "不含上传的文件" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_it_refuses_an_archive_with_a_path_outside_the_backup(world, tmp_path, media, zh):
    evil = tmp_path / "evil.tar.gz"
    payload = b"x"
    manifest = {
        "format": backups.FORMAT,
        "version": backups.VERSION,
        "database": {"kind": backups.kind(), "path": "../../outside", "size": 1, "sha256": ""},
        "media": [],
    }
    with tarfile.open(evil, "w:gz") as archive:
        for name, data in (("../../outside", payload), ("manifest.json", json.dumps(manifest).encode())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="备份之外"):
        call_command("restore", str(evil), interactive=False)
    assert not (tmp_path.parent / "outside").exists() and not (tmp_path / "outside").exists()

"""`manage.py backup` and `restore`: back up, change data, restore, and the first state is back —
on SQLite (online backup API) and on PostgreSQL (pg_dump / pg_restore), whichever the tests run on."""

import os
import stat

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from campaigns.models import Target
from ops import backups
from org.models import OrgUnit


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
    with open(out, "rb") as f:
        head = f.read(16)
    assert head.startswith(backups.SQLITE_HEADER if connection.vendor == "sqlite" else backups.PG_HEADER)

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

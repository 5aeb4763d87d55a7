"""Files on an S3-compatible store, against a real S3 server: moto's ThreadedMotoServer on a free
port of 127.0.0.1, spoken to over HTTP by django-storages' S3Storage (what duban/settings.py sets
up from DUBAN_S3_*), with every object checked in the bucket by a boto3 client of the test's own.

Through the site's own pages: an attachment and an issued bulletin land in the bucket (nothing
on disk) and come back byte-equal through their scoped download views; a checked import written
by one storage is read by a fresh one (as a second app server would) and removed once confirmed;
a store that is down or wrong gets the Chinese 503 page and changes nothing; and `backup` /
`restore` take the bucket's objects into the archive and put them back."""

import io
import json
import socket
import subprocess
import sys
import tarfile
import uuid
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

boto3 = pytest.importorskip("boto3", reason="boto3 is not installed (requirements.txt): no S3 here")
moto_server = pytest.importorskip("moto.server", reason="moto[server] is not installed (requirements-dev.txt)")
s3_backend = pytest.importorskip("storages.backends.s3", reason="django-storages[s3] is not installed")

from bulletins.models import Bulletin  # noqa: E402
from duban import pending_uploads  # noqa: E402
from problems.models import Attachment  # noqa: E402
from projects.models import MonthlyInvestment, Project  # noqa: E402
from tests import problem_helpers  # noqa: E402
from tests.conftest import tamper_docx  # noqa: E402
from tests.problem_helpers import raise_problem  # noqa: E402

depts = problem_helpers.depts  # the fixture

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "duban-files"
KEY, SECRET, REGION = "duban-test-key", "duban-test-secret", "us-east-1"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
DOWN = "文件存储暂时无法访问，本次操作未完成。"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port):
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server


@pytest.fixture(scope="module")
def s3_server():
    """A real S3 server for the module, with the bucket made by boto3."""
    port = free_port()
    server = start_server(port)
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name=REGION
    )
    client.create_bucket(Bucket=BUCKET)
    yield SimpleNamespace(endpoint=endpoint, client=client)
    server.stop()


def options(endpoint, prefix):
    """The OPTIONS duban/settings.py gives S3Storage (test_the_settings_make_this_storage checks them)."""
    from botocore.config import Config

    return {
        "bucket_name": BUCKET,
        "endpoint_url": endpoint,
        "access_key": KEY,
        "secret_key": SECRET,
        "region_name": REGION,
        "location": prefix,
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "client_config": Config(connect_timeout=5, read_timeout=20, retries={"max_attempts": 3, "mode": "standard"}),
    }


def s3_storages(endpoint, prefix):
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options(endpoint, prefix)},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


class Bucket:
    """The test's prefix in the bucket, seen through boto3 alone."""

    def __init__(self, client, endpoint, prefix):
        self.client, self.endpoint, self.prefix = client, endpoint, prefix

    def objects(self):
        """{name under the prefix: bytes} of every object."""
        found = {}
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=self.prefix + "/"):
            for entry in page.get("Contents", ()):
                body = self.client.get_object(Bucket=BUCKET, Key=entry["Key"])["Body"].read()
                found[entry["Key"].removeprefix(self.prefix + "/")] = body
        return found

    def put(self, name, data):
        self.client.put_object(Bucket=BUCKET, Key=f"{self.prefix}/{name}", Body=data)

    def delete(self, name):
        self.client.delete_object(Bucket=BUCKET, Key=f"{self.prefix}/{name}")

    def fresh_storage(self):
        """Another S3Storage of the same settings: another app server's."""
        return s3_backend.S3Storage(**options(self.endpoint, self.prefix))


@pytest.fixture
def bucket(s3_server, settings, tmp_path):
    """The site's files in the bucket under a prefix of this test's own; MEDIA_ROOT stays empty."""
    settings.MEDIA_ROOT = tmp_path / "media"
    before = storages["default"]
    prefix = f"site-{uuid.uuid4().hex[:8]}"
    with override_settings(STORAGES=s3_storages(s3_server.endpoint, prefix)):
        # override_settings resets Django's cached storages (django.test.signals.storages_changed):
        # default_storage, and every FileField's storage through it, is now the S3 one.
        assert storages["default"] is not before and isinstance(storages["default"], s3_backend.S3Storage)
        assert default_storage.location == prefix and default_storage._wrapped is storages["default"]
        assert Attachment._meta.get_field("file").storage.bucket_name == BUCKET  # default_storage, lazily
        yield Bucket(s3_server.client, s3_server.endpoint, prefix)
    assert not isinstance(storages["default"], s3_backend.S3Storage)  # and back to the folder afterwards


@pytest.fixture
def nothing_on_disk(settings):
    yield
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()], "a file went to MEDIA_ROOT"


def text(response):
    return response.content.decode()


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


# The settings ----------------------------------------------------------------------------------


def test_the_settings_make_this_storage(s3_server):
    """DUBAN_S3_* in the environment: default_storage is S3Storage with the options above, and a
    file saved through it is an object under the prefix."""
    prefix = f"env-{uuid.uuid4().hex[:8]}"
    script = (
        "import json\n"
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import storages\n"
        "s = storages['default']\n"
        "c = s.client_config\n"
        "names = ['bucket_name', 'endpoint_url', 'access_key', 'secret_key', 'region_name', 'location',"
        " 'default_acl', 'querystring_auth', 'file_overwrite']\n"
        "print(json.dumps({n: getattr(s, n) for n in names} | {'class': type(s).__name__,"
        " 'config': [c.connect_timeout, c.read_timeout, c.retries]}))\n"
        "print(s.save('check/settings.txt', ContentFile(b'from the settings')))\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DUBAN_S3_BUCKET": BUCKET,
        "DUBAN_S3_ENDPOINT_URL": s3_server.endpoint,
        "DUBAN_S3_ACCESS_KEY": KEY,
        "DUBAN_S3_SECRET_KEY": SECRET,
        "DUBAN_S3_REGION": REGION,
        "DUBAN_S3_PREFIX": prefix,
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    made, saved = done.stdout.splitlines()[-2:]
    expected = options(s3_server.endpoint, prefix)
    config = expected.pop("client_config")
    assert json.loads(made) == {
        **expected,
        "class": "S3Storage",
        "config": [config.connect_timeout, config.read_timeout, config.retries],
    }
    assert saved == "check/settings.txt"
    stored = s3_server.client.get_object(Bucket=BUCKET, Key=f"{prefix}/check/settings.txt")["Body"].read()
    assert stored == b"from the settings"


# Attachments (problems) ---------------------------------------------------------------------------


@pytest.fixture
def problem(depts):
    return raise_problem(depts, responsible=depts.land_dept, deadline=timezone.localdate() + timedelta(days=5))


def attach(client, problem, name="批复.pdf", data=PDF):
    return client.post(
        reverse("problem_attach", args=[problem.pk]), {"files": [SimpleUploadedFile(name, data)]}, follow=True
    )


def test_an_attachment_lands_in_the_bucket_and_downloads_byte_equal_to_its_readers_only(
    depts, problem, login, bucket, nothing_on_disk
):
    response = attach(login(depts.owner), problem)
    assert "已上传1个文件。" in text(response)
    attachment = Attachment.objects.get()
    assert attachment.file.name.startswith("attachments/") and attachment.file.name.endswith(".pdf")
    assert bucket.objects() == {attachment.file.name: PDF}  # in the bucket, under the prefix
    url = reverse("attachment_download", args=[attachment.pk])
    for user in (depts.owner, depts.clerk, depts.office):  # who raised it, the department on it, the office
        response = login(user).get(url)
        assert response.status_code == 200, user
        assert body(response) == PDF and response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
    for user in (depts.colleague, depts.outsider, depts.other_office, depts.fin_clerk):
        assert login(user).get(url).status_code == 404, user
    bucket.delete(attachment.file.name)  # gone from the store: a 404, as for a missing file on disk
    assert login(depts.owner).get(url).status_code == 404


def test_a_failed_upload_takes_its_files_back_out_of_the_bucket(depts, problem, login, bucket, monkeypatch):
    """Two files, the second fails after the first was stored: no attachment, no object left."""
    from problems import uploads

    real = Attachment.save
    calls = []

    def save_twice(self, *args, **kwargs):
        calls.append(self.original_name)
        if len(calls) == 2:
            raise RuntimeError("the database failed")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Attachment, "save", save_twice)
    checked = [(SimpleUploadedFile(f"{n}.pdf", PDF), "pdf", f"{n}.pdf") for n in ("一", "二")]
    with pytest.raises(RuntimeError), transaction.atomic():  # as every caller saves
        uploads.save(checked, depts.owner, problem=problem)
    assert len(calls) == 2 and bucket.objects() == {}


# Bulletins ----------------------------------------------------------------------------------------


@pytest.fixture
def no_libreoffice(monkeypatch):
    """Issue without LibreOffice (fast): the .docx and .xlsx are archived."""
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)


def issue(client, world):
    url = reverse("bulletin_issue", args=[world.campaign.pk])
    payload = {"kind": "week", "key": world.week.label, "issuer": "测试区攻坚办", "confirm": "1", "correction": "new"}
    return client.post(url, payload, follow=True)


def test_an_issued_bulletin_is_archived_in_the_bucket_and_served_from_it(
    world, login, bucket, no_libreoffice, nothing_on_disk
):
    assert "已印发" in text(issue(login(world.office), world))
    bulletin = Bulletin.objects.get()
    archived = {f.format: f for f in bulletin.files.all()}
    assert sorted(archived) == ["docx", "xlsx"]
    objects = bucket.objects()
    assert sorted(objects) == sorted(f.file.name for f in archived.values())
    docx = objects[archived["docx"].file.name]
    assert docx[:2] == b"PK" and len(docx) == archived["docx"].size
    url = reverse("bulletin_file", args=[world.campaign.pk, bulletin.pk, "docx"])
    for user in (world.owner, world.colleague, world.leader, world.office):
        response = login(user).get(url)
        assert response.status_code == 200 and body(response) == docx, user
    assert login(world.outsider).get(url).status_code == 404
    other = reverse("bulletin_file", args=[world.other_campaign.pk, bulletin.pk, "docx"])
    assert login(world.office).get(other).status_code == 404
    bucket.put(archived["docx"].file.name, docx + b"tampered")  # changed in the store: refused, as on disk
    response = login(world.owner).get(url)
    assert response.status_code == 500 and "校验值不符" in text(response)


# Checked imports waiting for their confirmation (duban/pending_uploads.py) -------------------------


YEAR, MONTH = 2021, 5
TITLE = "2021年1-5月重点项目投资进展情况表"
HEADERS = ["序号", "项目编号", "项目名称", "建设内容", "总投资(万元)", "年度计划投资(万元)", "本月完成(万元)"]
HEADERS += ["年度累计完成(万元)", "完成率(%)", "形象进度", "存在问题", "责任单位", "责任领导"]


def project_table(amount):
    """The office's progress table (tests/test_projects_excel.py) with one row for P001 of 甲指挥部."""
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in ([TITLE], HEADERS, [1, "P001", "智能制造产业园", "", 50000, 10000, amount, "", "", "", "", "甲指挥部"]):
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue(), YEAR, MONTH


@pytest.fixture
def project(world):
    return Project.objects.create(unit=world.a, code="P001", name="智能制造产业园", total_investment=500_000_000)


def check_import(client, data, year, month):
    payload = {"file": SimpleUploadedFile("重点项目.xlsx", data), "year": year, "month": month}
    return client.post(reverse("project_import"), payload)


def confirm_import(client, token):
    return client.post(reverse("project_import"), {"confirm": "1", "token": token}, follow=True)


def test_a_checked_import_is_read_back_by_another_server_and_removed_once_confirmed(
    world, project, login, bucket, nothing_on_disk
):
    client = login(world.owner)
    data, year, month = project_table(1700)
    assert "导入这些更改" in text(check_import(client, data, year, month))
    token = client.session["project_import"]["token"]
    name = pending_uploads.name_of(token)
    assert bucket.objects() == {name: data}
    assert bucket.fresh_storage().open(name, "rb").read() == data  # another app server's storage reads it
    first = storages["default"]
    with override_settings(STORAGES=s3_storages(bucket.endpoint, bucket.prefix)):  # the confirmation: another server
        assert storages["default"] is not first
        response = confirm_import(client, token)
    assert "已导入重点项目.xlsx" in text(response)
    assert MonthlyInvestment.objects.get(project=project).amount == 1700 * 10_000
    assert bucket.objects() == {}  # removed once confirmed
    assert "预览已过期" in text(confirm_import(client, token))


def test_the_sweep_forgets_old_checked_files_and_one_another_server_swept(bucket, monkeypatch):
    kept = pending_uploads.keep(b"old")
    fresh = pending_uploads.keep(b"new")
    monkeypatch.setattr(pending_uploads, "MAX_AGE", timedelta(seconds=-60))  # both count as old now
    real = s3_backend.S3Storage.get_modified_time

    def swept_meanwhile(storage, name):
        if name == pending_uploads.name_of(fresh):
            bucket.delete(name)  # another server swept it between the listing and this look
        return real(storage, name)

    monkeypatch.setattr(s3_backend.S3Storage, "get_modified_time", swept_meanwhile)
    pending_uploads.sweep()  # S3 answers a 404 (ClientError) for the swept one: not an error
    assert bucket.objects() == {}
    assert pending_uploads.read(kept) is None and pending_uploads.read(fresh) is None


# The store down -----------------------------------------------------------------------------------


@pytest.fixture
def wrong_endpoint(settings, tmp_path):
    """The settings point at a port where nothing answers."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with override_settings(STORAGES=s3_storages(f"http://127.0.0.1:{free_port()}", "site")):
        yield


def test_healthz_says_whether_the_store_answers(db, bucket, client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["files"]["store"] == "s3" and body["files"]["ok"] is True


def test_healthz_is_degraded_while_the_store_does_not_answer_and_names_no_address(db, wrong_endpoint, client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "degraded"  # the pages still serve
    assert body["files"]["ok"] is False and body["files"]["error"]
    assert "127.0.0.1" not in response.content.decode()


def test_a_store_that_does_not_answer_gets_the_chinese_503_and_nothing_is_saved(
    depts, problem, world, project, login, wrong_endpoint, no_libreoffice, nothing_on_disk
):
    response = attach(login(depts.owner), problem)
    assert response.status_code == 503 and DOWN in text(response) and response["Retry-After"]
    assert "服务器出错" not in text(response) and "已上传" not in text(response)
    assert not Attachment.objects.exists() and not problem.steps.filter(action="attach").exists()

    response = issue(login(world.office), world)
    assert response.status_code == 503 and DOWN in text(response)
    assert not Bulletin.objects.exists()  # rolled back: no number used

    client = login(world.owner)
    response = check_import(client, *project_table(1700))
    assert response.status_code == 503 and DOWN in text(response) and "导入这些更改" not in text(response)
    assert not MonthlyInvestment.objects.exists()


def test_a_store_that_stops_gets_the_503_and_serves_again_once_back(
    depts, problem, world, project, login, settings, tmp_path, no_libreoffice, s3_server
):
    """A second S3 server (moto keeps one store per process: it sees the same bucket) stops while
    the site's files are in it: downloads and confirmations get the 503, not a 404 or an empty file,
    and nothing is imported; once it is back, all is served as before."""
    port = free_port()
    server = start_server(port)
    settings.MEDIA_ROOT = tmp_path / "media"
    prefix = f"site-{uuid.uuid4().hex[:8]}"
    with override_settings(STORAGES=s3_storages(f"http://127.0.0.1:{port}", prefix)):
        attach(login(depts.owner), problem)
        issue(login(world.office), world)
        reporter = Client()  # a browser of its own: its session keeps the checked import
        reporter.force_login(world.owner)
        data, year, month = project_table(1700)
        check_import(reporter, data, year, month)
        token = reporter.session["project_import"]["token"]
        attachment, bulletin = Attachment.objects.get(), Bulletin.objects.get()
        downloads = [
            (depts.owner, reverse("attachment_download", args=[attachment.pk])),
            (world.owner, reverse("bulletin_file", args=[world.campaign.pk, bulletin.pk, "docx"])),
        ]
        server.stop()
        try:
            for user, url in downloads:
                response = login(user).get(url)
                assert response.status_code == 503 and DOWN in text(response), url
                assert "校验值不符" not in text(response)  # not called damaged: the store is down
            response = confirm_import(reporter, token)
            assert response.status_code == 503 and DOWN in text(response)
            assert not MonthlyInvestment.objects.exists()
            assert reporter.session["project_import"]["token"] == token  # still waiting
        finally:
            server = start_server(port)
        try:
            for user, url in downloads:
                response = login(user).get(url)
                assert response.status_code == 200 and len(body(response)) > 0, url
            assert body(login(depts.owner).get(downloads[0][1])) == PDF
            assert "已导入" in text(confirm_import(reporter, token))
            assert MonthlyInvestment.objects.get(project=project).amount == 1700 * 10_000
        finally:
            server.stop()


def test_the_api_says_so_in_json():
    from django.test import RequestFactory

    from duban.errors import file_store_unavailable

    response = file_store_unavailable(RequestFactory().get("/api/reports/"))
    assert response.status_code == 503 and DOWN in json.loads(response.content)["detail"]


# Backups ------------------------------------------------------------------------------------------


@pytest.fixture
def stored(bucket):
    """An attachment, an archived bulletin and a checked upload waiting for its confirmation."""
    bucket.put("attachments/2026/12/现场照片.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    bucket.put("bulletins/1/2026/week-003-7.docx", b"PK\x03\x04 bulletin")
    bucket.put(f"{pending_uploads.FOLDER}/{'0' * 32}.xlsx", b"PK passing")
    return bucket


def archive_of(path):
    with tarfile.open(path, "r:gz") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        files = {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.name.startswith("media/")}
    return manifest, files


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_take_the_buckets_objects_and_put_them_back(world, tmp_path, stored, capsys, settings):
    first = stored.objects()
    out = tmp_path / "duban.tar.gz"
    call_command("backup", out=str(out))
    manifest, files = archive_of(out)
    kept = {k: v for k, v in first.items() if not k.startswith(pending_uploads.FOLDER)}
    assert files == {f"media/{name}": data for name, data in kept.items()}  # the passing upload left out
    assert sorted(e["path"] for e in manifest["media"]) == sorted(files) and "left_out" not in manifest
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing taken from, or left on, the disk

    stored.put("bulletins/1/2026/week-003-7.docx", b"overwritten")
    stored.delete("attachments/2026/12/现场照片.png")
    stored.put("attachments/2026/12/later.pdf", b"%PDF uploaded after the backup")
    world.a.name = "改名指挥部"
    world.a.save()

    call_command("restore", str(out), interactive=False)
    assert stored.objects() == kept  # byte-equal, later uploads and the passing one gone, as on disk
    assert "2 个文件" in capsys.readouterr().out
    world.a.refresh_from_db()
    assert world.a.name == "甲指挥部"
    assert not Path(settings.MEDIA_ROOT).exists()


@pytest.mark.django_db(transaction=True)
def test_a_disk_backup_restores_into_the_bucket_and_back(world, tmp_path, s3_server, settings):
    media = settings.MEDIA_ROOT = tmp_path / "media"
    (media / "attachments").mkdir(parents=True)
    (media / "attachments" / "a.pdf").write_bytes(PDF)
    disk = tmp_path / "disk.tar.gz"
    call_command("backup", out=str(disk))
    prefix = f"site-{uuid.uuid4().hex[:8]}"
    with override_settings(STORAGES=s3_storages(s3_server.endpoint, prefix)):
        call_command("restore", str(disk), interactive=False)
        bucket = Bucket(s3_server.client, s3_server.endpoint, prefix)
        assert bucket.objects() == {"attachments/a.pdf": PDF}
        bucket.put("bulletins/b.docx", b"PK from the bucket")
        call_command("backup", out=str(tmp_path / "bucket.tar.gz"))
    call_command("restore", str(tmp_path / "bucket.tar.gz"), interactive=False)  # back on disk
    on_disk = {p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()}
    assert on_disk == {"attachments/a.pdf": PDF, "bulletins/b.docx": b"PK from the bucket"}


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_changes_nothing_in_the_bucket(world, tmp_path, stored):
    out = tmp_path / "duban.tar.gz"
    call_command("backup", out=str(out))
    tampered = tmp_path / "tampered.tar.gz"
    tamper_docx(out, tampered)
    stored.put("attachments/2026/12/later.pdf", b"%PDF today's")
    world.a.name = "改名指挥部"
    world.a.save()
    before = stored.objects()
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("restore", str(tampered), interactive=False)
    assert stored.objects() == before
    world.a.refresh_from_db()
    assert world.a.name == "改名指挥部"


@pytest.mark.django_db(transaction=True)
def test_a_store_that_does_not_answer_makes_no_backup_and_restores_nothing(world, tmp_path, stored, settings):
    out = tmp_path / "duban.tar.gz"
    call_command("backup", out=str(out))
    world.a.name = "改名指挥部"
    world.a.save()
    with override_settings(STORAGES=s3_storages(f"http://127.0.0.1:{free_port()}", stored.prefix)):
        with pytest.raises(CommandError, match="无法读取文件存储，未写入备份"):
            call_command("backup", out=str(tmp_path / "second.tar.gz"))
        assert not list(tmp_path.glob("second*"))  # no archive, no partial one
        with pytest.raises(CommandError, match="文件存储没有响应"):
            call_command("restore", str(out), interactive=False)
    world.a.refresh_from_db()
    assert world.a.name == "改名指挥部"  # the database was left as it was too


def test_odd_object_names_are_left_out_and_left_alone(stored):
    from ops import backups

    stored.put("attachments//double.pdf", b"odd")
    names, left_out = backups.stored_names(default_storage)
    assert names == ["attachments/2026/12/现场照片.png", "bulletins/1/2026/week-003-7.docx"]
    assert left_out

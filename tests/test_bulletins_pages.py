"""The bulletin page: issuing (office only), previews, the archive served exactly as issued;
permissions and bad input."""

import hashlib
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document

from bulletins.models import Bulletin, BulletinFile
from tests import bulletin_helpers

media = bulletin_helpers.media  # the fixture


@pytest.fixture(autouse=True)
def no_libreoffice(monkeypatch):
    """Most tests issue without LibreOffice (fast); the PDF has its own test."""
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)


def url(name, world, *args):
    return reverse(name, args=[world.campaign.pk, *args])


def issue_post(client, world, **data):
    payload = {"kind": "week", "key": world.week.label, "issuer": "测试区攻坚办", "confirm": "1", "correction": "new"}
    payload.update(data)
    return client.post(url("bulletin_issue", world), payload, follow=True)


def issued(world, media, client):
    client.force_login(world.office)
    issue_post(client, world)
    return Bulletin.objects.get()


def test_the_page_is_for_the_campaigns_readers(world, client):
    for user in (world.owner, world.colleague, world.office, world.leader):
        client.force_login(user)
        assert client.get(url("bulletins", world)).status_code == 200, user
    client.force_login(world.outsider)
    assert client.get(url("bulletins", world)).status_code == 404
    client.logout()
    response = client.get(url("bulletins", world))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_issue_form_shows_for_the_office_only(world, client):
    client.force_login(world.owner)
    assert 'id="issue-weekly"' not in client.get(url("bulletins", world)).content.decode()
    client.force_login(world.office)
    page = client.get(url("bulletins", world)).content.decode()
    assert 'id="issue-weekly"' in page and "印发各单位" in page and "测试区攻坚行动领导小组办公室" in page


def test_only_the_office_issues(world, client, media):
    for user, status in ((world.owner, 403), (world.colleague, 403), (world.leader, 403), (world.outsider, 404)):
        client.force_login(user)
        response = client.post(url("bulletin_issue", world), {"kind": "week", "key": world.week.label})
        assert response.status_code == status, user
    client.logout()
    assert client.post(url("bulletin_issue", world), {"kind": "week"}).status_code == 302
    assert not Bulletin.objects.exists()
    client.force_login(world.office)
    page = issue_post(client, world).content.decode()
    bulletin = Bulletin.objects.get()
    assert bulletin.number == 1 and bulletin.issued_by == world.office and bulletin.issuer == "测试区攻坚办"
    assert "已印发" in page and "第1期" in page
    assert "未安装 LibreOffice" in page  # said on the page: no PDF without LibreOffice
    assert sorted(f.format for f in bulletin.files.all()) == ["docx", "xlsx"]


def test_only_the_office_previews_drafts(world, client, media):
    query = {"kind": "week", "key": world.week.label, "format": "docx"}
    for user, status in ((world.owner, 403), (world.leader, 403), (world.outsider, 404)):
        client.force_login(user)
        assert client.get(url("bulletin_preview", world), query).status_code == status
    client.force_login(world.office)
    response = client.get(url("bulletin_preview", world), query)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert "草稿" in unquote(response["Content-Disposition"])
    assert not Bulletin.objects.exists()  # a preview is not issued
    xlsx = client.get(url("bulletin_preview", world), {**query, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(url("bulletin_preview", world), {**query, "format": "exe"}).status_code == 404


def test_every_unit_of_the_campaign_downloads_what_was_issued_exactly(world, client, media):
    bulletin = issued(world, media, client)
    archived = bulletin.file("docx")
    stored = Path(archived.file.path).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == archived.sha256
    for user in (world.owner, world.colleague, world.leader, world.office):
        client.force_login(user)
        response = client.get(url("bulletin_file", world, bulletin.pk, "docx"))
        assert response.status_code == 200
        assert b"".join(response.streaming_content if response.streaming else [response.content]) == stored
    client.force_login(world.outsider)
    assert client.get(url("bulletin_file", world, bulletin.pk, "docx")).status_code == 404
    other = reverse("bulletin_file", args=[world.other_campaign.pk, bulletin.pk, "docx"])
    client.force_login(world.office)
    assert client.get(other).status_code == 404
    assert client.get(url("bulletin_file", world, bulletin.pk, "pdf")).status_code == 404
    assert client.get(url("bulletin_file", world, bulletin.pk, "..%2F..%2Fsettings.py")).status_code == 404


def test_the_archive_is_kept_under_media_root_at_a_path_the_system_chose(world, client, media):
    bulletin = issued(world, media, client)
    for archived in bulletin.files.all():
        assert Path(archived.file.path).resolve().is_relative_to(Path(media).resolve())
        assert archived.file.name == (
            f"bulletins/{world.campaign.pk}/{bulletin.year}/week-001-{bulletin.pk}.{archived.format}"
        )


def test_a_later_correction_does_not_change_an_issued_bulletin(world, client, media):
    from tests.conftest import submit

    bulletin = issued(world, media, client)
    before = Path(bulletin.file("docx").file.path).read_bytes()
    submit(world.a, world.week, {world.land: 99})
    client.force_login(world.owner)
    after = client.get(url("bulletin_file", world, bulletin.pk, "docx")).content
    assert after == before


def test_a_damaged_archive_file_is_not_served(world, client, media):
    bulletin = issued(world, media, client)
    path = Path(bulletin.file("docx").file.path)
    path.write_bytes(path.read_bytes() + b"tampered")
    client.force_login(world.owner)
    response = client.get(url("bulletin_file", world, bulletin.pk, "docx"))
    assert response.status_code == 500 and "校验值不符" in response.content.decode()
    path.unlink()
    assert client.get(url("bulletin_file", world, bulletin.pk, "docx")).status_code == 500


def test_the_issued_list_links_the_files(world, client, media):
    bulletin = issued(world, media, client)
    client.force_login(world.colleague)
    page = client.get(url("bulletins", world)).content.decode()
    assert url("bulletin_file", world, bulletin.pk, "docx") in page
    assert url("bulletin_file", world, bulletin.pk, "xlsx") in page
    assert bulletin.title in page


def test_the_issued_word_file_carries_the_number_and_the_issuer(world, client, media):
    bulletin = issued(world, media, client)
    document = Document(bulletin.file("docx").file.path)
    assert document.paragraphs[0].text == "督查通报"
    assert document.paragraphs[1].text == f"{bulletin.year}年第1期"
    assert document.paragraphs[2].text.startswith("测试区攻坚办\t")


def test_a_roll_up_is_issued_from_the_page(world, client, media):
    client.force_login(world.office)
    month = world.week.prev().end.strftime("%Y-%m")
    issue_post(client, world, kind="month", key=month)
    bulletin = Bulletin.objects.get()
    assert bulletin.kind == "month" and bulletin.period_key == month
    assert Document(bulletin.file("docx").file.path).paragraphs[0].text == "月度工作汇总"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"key": ""}, "请指定文件对应的周次或期间"),
        ({"key": "2021-23"}, "周次格式应为"),
        ({"key": "1999-W01"}, "不在本行动期间内"),
        ({"kind": "decade"}, "未知的文件类型"),
        ({"kind": "month", "key": "2021-5"}, "期间格式应为"),
        ({"kind": "quarter", "key": "1999-Q1"}, "未开展"),
        ({"as_of": "yesterday"}, "日期格式应为"),
        ({"as_of": "1999-01-01"}, "数据截至日期应为"),
        ({"issuer": "办" * 101}, "发文单位名称太长"),
    ],
)
def test_bad_input_gets_a_message_and_issues_nothing(world, client, media, data, message):
    client.force_login(world.office)
    response = issue_post(client, world, **data)
    assert message in response.content.decode()
    assert not Bulletin.objects.exists() and not BulletinFile.objects.exists()
    response = client.get(url("bulletin_preview", world), {"kind": "week", "key": "x"}, follow=True)
    assert "周次格式应为" in response.content.decode()


def test_with_libreoffice_the_pdf_is_archived_too(world, client, media, monkeypatch):
    monkeypatch.undo()  # the real shutil.which
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    client.force_login(world.office)
    issue_post(client, world)
    bulletin = Bulletin.objects.get()
    if bulletin.pdf_note:
        pytest.skip(bulletin.pdf_note)
    response = client.get(url("bulletin_file", world, bulletin.pk, "pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")

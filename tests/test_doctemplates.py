"""The office's own Word templates (doctemplates): who may do what, the default of each kind is a
公文 whose placeholders are all listed, each refused upload (with its Chinese message, the previous
template still in use), the sandbox, and the round trip: download, change the masthead and a
sentence, upload, issue, see the change in the .docx and the PDF."""

import io
import shutil
import subprocess
import zipfile
from datetime import date
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from docx.shared import Emu

from audit.models import Entry
from bulletins.models import Bulletin
from doctemplates import kinds, store
from doctemplates.models import DocumentTemplate
from duban.gongwen import template
from tests import bulletin_helpers

media = bulletin_helpers.media  # the fixture

KINDS = ("bulletin", "rollup", "minutes", "compensation")


def urls(world, code="bulletin"):
    zone = world.zone.pk
    return {
        "page": ("get", reverse("doc_templates", args=[zone])),
        "download": ("get", reverse("doc_template_download", args=[zone, code])),
        "upload": ("post", reverse("doc_template_upload", args=[zone, code])),
        "reset": ("post", reverse("doc_template_reset", args=[zone, code])),
    }


def docx(data):
    return Document(io.BytesIO(data))


def texts_of(data):
    return [p.text for p in docx(data).paragraphs]


def to_bytes(document):
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def edited(data, replace=None, add_after=None, sentence=""):
    """The template with paragraph texts replaced ({old: new}) and a sentence added after the
    paragraph whose text is `add_after`, as an office would edit it in Word."""
    document = docx(data)
    paragraphs = list(document.paragraphs)
    for n, paragraph in enumerate(paragraphs):
        if replace and paragraph.text in replace:
            for run in paragraph.runs[1:]:
                run.text = ""
            paragraph.runs[0].text = replace[paragraph.text]
        if add_after is not None and paragraph.text == add_after:
            paragraphs[n + 1].insert_paragraph_before(sentence)
    return to_bytes(document)


def upload(client, world, data, name="模板.docx", code="bulletin"):
    return client.post(
        reverse("doc_template_upload", args=[world.zone.pk, code]), {"file": SimpleUploadedFile(name, data)}
    )


def state():
    """What the office's templates are: rows, which is active, and their checksums."""
    return list(DocumentTemplate.objects.order_by("pk").values_list("pk", "kind", "active", "sha256"))


# Who may do what -------------------------------------------------------------------------------


def test_the_office_of_the_zone_does_everything_leaders_read_others_get_404(world, client, media):
    default = store.default_bytes("bulletin")
    expected = {
        # user: (page, download, upload, reset)
        world.office: (200, 200, 302, 200),
        world.leader: (200, 200, 403, 403),
        world.owner: (404, 404, 404, 404),
        world.colleague: (404, 404, 404, 404),
        world.outsider: (404, 404, 404, 404),
        world.other_office: (404, 404, 404, 404),
    }
    for user, statuses in expected.items():
        client.force_login(user)
        for (name, (method, url)), status in zip(urls(world).items(), statuses, strict=True):
            response = upload(client, world, default) if name == "upload" else getattr(client, method)(url)
            assert response.status_code == status, (user.username, name, response.status_code)
    # only the office's one upload happened
    assert [row[1:3] for row in state()] == [("bulletin", True)]
    client.logout()
    assert client.get(urls(world)["page"][1]).status_code == 302  # to log in


def test_the_landing_page_goes_to_the_users_zone(world, client):
    for user, zone in ((world.office, world.zone), (world.leader, world.zone), (world.other_office, world.other_zone)):
        client.force_login(user)
        response = client.get(reverse("doc_templates_home"))
        assert response.status_code == 302 and response["Location"] == reverse("doc_templates", args=[zone.pk])
    for user in (world.owner, world.colleague, world.outsider):
        client.force_login(user)
        assert client.get(reverse("doc_templates_home")).status_code == 403


def test_a_unit_that_is_not_a_zone_has_no_template_page(world, client):
    client.force_login(world.office)
    assert client.get(reverse("doc_templates", args=[world.a.pk])).status_code == 404
    assert client.get(reverse("doc_template_download", args=[world.zone.pk, "nonsense"])).status_code == 404


def test_the_page_lists_every_kind_with_its_placeholders(world, client):
    client.force_login(world.office)
    page = client.get(reverse("doc_templates", args=[world.zone.pk])).content.decode()
    for code in KINDS:
        assert f'id="kind-{code}"' in page
        for name, _meaning in kinds.get(code).placeholders:
            assert f"<code>{name}</code>" in page
    assert "督查通报" in page and "会议纪要" in page and "征收补偿明细表" in page
    assert "发文机关标志" in page and "红色版头" in page  # a placeholder and what it means, in Chinese
    assert "上传并启用" in page
    client.force_login(world.leader)
    page = client.get(reverse("doc_templates", args=[world.zone.pk])).content.decode()
    assert "上传并启用" not in page and "下载" in page


# The defaults ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", KINDS)
def test_each_default_is_a_gongwen_using_only_its_placeholders(code):
    kind = kinds.get(code)
    data = kind.default()
    document = docx(data)
    section = document.sections[0]
    mm = lambda length: round(Emu(length).mm, 1)  # noqa: E731
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.left_margin)) == (37, 28)
    assert " PAGE " in section.footer.paragraphs[0]._p.xml
    used = template.check(data, kind.names, kind.sample())
    assert used <= kind.names and "标题" in used
    # the sample renders without a placeholder left over
    text = "\n".join(p.text for p in docx(template.render(data, kind.sample())).paragraphs)
    assert "{{" not in text and "{%" not in text


# Refused uploads: a Chinese message, nothing changed --------------------------------------------


def bad_templates():
    default = store.default_bytes("bulletin")
    macro = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(default)) as source, zipfile.ZipFile(macro, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/vbaProject.bin", b"\x00" * 16)
    return {
        "not a docx": ("模板.xlsx", default, "不是 Word 文档"),
        "a text file named .docx": ("模板.docx", "发文机关标志".encode(), "不是 Word 文档"),
        "a .docm": ("模板.docm", default, "宏"),
        "macros inside a .docx": ("模板.docx", macro.getvalue(), "宏"),
        "too big": ("模板.docx", default + b"\x00" * (template.MAX_BYTES + 1), "2 MB"),
        "syntax error": (
            "模板.docx",
            edited(default, add_after="{{ 标题 }}", sentence="请各单位于{{ 发文日期 前报送。"),
            "第5段",
        ),
        "unclosed if": (
            "模板.docx",
            edited(default, add_after="{{ 标题 }}", sentence="{% if 抄送 %}另抄送有关单位。"),
            "没有用 {% endif %}",
        ),
        "unknown placeholder": (
            "模板.docx",
            edited(default, add_after="{{ 标题 }}", sentence="联系人:{{ 联系人 }}"),
            "未知的占位符：联系人",
        ),
        "python internals": (
            "模板.docx",
            edited(default, add_after="{{ 标题 }}", sentence="{{ 标题.__class__.__mro__ }}"),
            "不允许",
        ),
        "an unknown attribute": (
            "模板.docx",
            edited(default, add_after="{{ 标题 }}", sentence="{{ 标题.作者 }}"),
            "作者",
        ),
    }


@pytest.mark.parametrize("case", list(bad_templates()))
def test_a_bad_template_is_refused_and_the_previous_stays(world, client, media, case):
    client.force_login(world.office)
    good = edited(store.default_bytes("bulletin"), replace={"{{ 发文机关标志 }}": "测试区督查专报"})
    assert upload(client, world, good).status_code == 302
    before, files = state(), sorted(p.name for p in (media / "doctemplates").rglob("*.docx"))
    name, data, message = bad_templates()[case]
    response = upload(client, world, data, name)
    assert response.status_code == 400
    page = response.content.decode()
    assert "模板未被采用" in page and "正在使用的模板没有改变" in page
    assert message in page, page[page.find("msg-error") :][:400]
    assert state() == before
    assert sorted(p.name for p in (media / "doctemplates").rglob("*.docx")) == files
    data_in_use, uploaded = store.template_bytes(world.zone, "bulletin")
    assert uploaded is not None and data_in_use == good


def test_the_syntax_error_names_the_paragraph_and_its_text(world):
    data = edited(store.default_bytes("bulletin"), add_after="{{ 标题 }}", sentence="请于{{ 发文日期 前报送。")
    with pytest.raises(template.Refused) as refused:
        template.check(data, kinds.get("bulletin").names, kinds.get("bulletin").sample())
    assert "第5段" in str(refused.value) and "请于{{ 发文日期 前报送。" in str(refused.value)


def test_the_sandbox_refuses_python_internals_when_rendering_too():
    """Even a template that skipped the check cannot reach Python's internals."""
    from jinja2.exceptions import SecurityError

    for probe in ("{{ 标题.__class__ }}", "{{ 标题.__class__.__base__.__subclasses__() }}", "{{ 户主.__len__() }}"):
        data = edited(store.default_bytes("compensation"), replace={"{{ 标题 }}": probe})
        with pytest.raises(SecurityError):
            template.render(data, kinds.get("compensation").sample())


def test_a_text_with_markup_characters_stays_text():
    kind = kinds.get("compensation")
    context = kind.sample()
    context["户主"] = "林<阿>福 & 子"
    text = "\n".join(p.text for p in docx(template.render(kind.default(), context)).paragraphs)
    assert "林<阿>福 & 子" in text


# Upload, issue, reset --------------------------------------------------------------------------


def issue(client, world):
    payload = {"kind": "week", "key": world.week.label, "issuer": "测试区攻坚办", "confirm": "1", "correction": "new"}
    client.post(reverse("bulletin_issue", args=[world.campaign.pk]), payload)
    return Bulletin.objects.order_by("-pk").first()


def archived_text(bulletin, fmt="docx"):
    from bulletins import archive

    return archive.read(bulletin.file(fmt))


def test_the_round_trip_download_edit_upload_issue(world, client, media, monkeypatch):
    client.force_login(world.office)
    response = client.get(reverse("doc_template_download", args=[world.zone.pk, "bulletin"]))
    assert response.status_code == 200 and "默认" in unquote(response["Content-Disposition"])
    data = edited(
        response.content,
        replace={"{{ 发文机关标志 }}": "测试区攻坚督查专报"},
        add_after="{{ 主送 }}:",
        sentence="本期请各指挥部对照排名逐项整改。",
    )
    assert upload(client, world, data, "我们的通报模板.docx").status_code == 302
    row = DocumentTemplate.objects.get()
    assert row.active and row.uploaded_by == world.office and row.original_name == "我们的通报模板.docx"
    assert Entry.objects.filter(model="doctemplates.documenttemplate", action="create").exists()
    page = client.get(reverse("doc_templates", args=[world.zone.pk])).content.decode()
    assert "我们的通报模板.docx" in page

    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    bulletin = issue(client, world)
    issued = archived_text(bulletin)
    texts = [p.text for p in docx(issued).paragraphs]
    assert texts[0] == "测试区攻坚督查专报"
    assert texts[texts.index("甲指挥部、乙指挥部:") + 1] == "本期请各指挥部对照排名逐项整改。"
    assert "一、总体进展" in texts and not any("{{" in t for t in texts)
    # the archive holds exactly what the page hands out
    served = client.get(reverse("bulletin_file", args=[world.campaign.pk, bulletin.pk, "docx"]))
    assert b"".join(served.streaming_content if served.streaming else [served.content]) == issued
    if bulletin.file("pdf") is not None:
        pdf = media / "check.pdf"
        pdf.write_bytes(archived_text(bulletin, "pdf"))
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.replace(" ", "")
        assert "测试区攻坚督查专报" in text and "本期请各指挥部对照排名逐项整改。" in text

    # a broken template is refused, and the next issue still uses the office's edited one
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    broken = edited(data, replace={"本期请各指挥部对照排名逐项整改。": "本期{% if 抄送 %}请整改。"})
    assert upload(client, world, broken).status_code == 400
    again = issue(client, world)
    assert again.pk != bulletin.pk
    assert docx(archived_text(again)).paragraphs[0].text == "测试区攻坚督查专报"


def test_the_parts_can_be_moved_and_are_numbered_in_their_new_order(world, client, media, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    client.force_login(world.office)
    data = edited(
        store.default_bytes("bulletin"),
        replace={"{{p 总体进展 }}": "{{p 考核排名 }}", "{{p 考核排名 }}": "{{p 总体进展 }}", "{{p 待解决问题 }}": ""},
    )
    assert upload(client, world, data).status_code == 302
    texts = [p.text for p in docx(archived_text(issue(client, world))).paragraphs]
    headings = [t for t in texts if len(t) > 2 and t[1] == "、"]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、"]  # the problems' part left out
    assert headings[0] == "一、综合考评排名" and headings[2] == "三、总体进展" and headings[3] == "四、滞后及预警单位"


def test_reset_asks_then_goes_back_to_the_default(world, client, media, monkeypatch):
    client.force_login(world.office)
    data = edited(store.default_bytes("bulletin"), replace={"{{ 发文机关标志 }}": "测试区攻坚督查专报"})
    upload(client, world, data)
    url = reverse("doc_template_reset", args=[world.zone.pk, "bulletin"])
    asked = client.post(url)
    assert asked.status_code == 200 and "默认模板" in asked.content.decode()
    assert DocumentTemplate.objects.get().active  # asked, not done
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert not DocumentTemplate.objects.get().active  # kept on record, not in use
    data_in_use, uploaded = store.template_bytes(world.zone, "bulletin")
    assert uploaded is None and texts_of(data_in_use) == texts_of(store.default_bytes("bulletin"))
    assert Entry.objects.filter(model="doctemplates.documenttemplate", action="update").exists()
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    assert docx(archived_text(issue(client, world))).paragraphs[0].text == "督查通报"


def test_each_zone_has_its_own_templates(world, client, media):
    client.force_login(world.office)
    upload(client, world, edited(store.default_bytes("bulletin"), replace={"{{ 发文机关标志 }}": "测试区专报"}))
    other, uploaded = store.template_bytes(world.other_zone, "bulletin")
    assert uploaded is None and texts_of(other) == texts_of(store.default_bytes("bulletin"))
    assert store.zone_of(world.a1) == world.zone and store.zone_of(world.c) == world.other_zone


def test_the_minutes_and_the_compensation_sheet_use_the_offices_template(world, client, media):
    from problems import minutes
    from problems.models import Meeting
    from requisition.compensation import sheet_for
    from requisition.compensation_views import build_docx
    from tests.test_compensation import make_household, make_scheme

    client.force_login(world.office)
    minutes_tpl = edited(store.default_bytes("minutes"), add_after="{{ 开头 }}", sentence="会议强调:压实责任。")
    assert upload(client, world, minutes_tpl, code="minutes").status_code == 302
    meeting = Meeting.objects.create(unit=world.zone, title="第一次调度会", held_on=date(2026, 6, 1))
    texts = [p.text for p in docx(minutes.build_docx(meeting)).paragraphs]
    assert "会议强调:压实责任。" in texts and "第一次调度会纪要" in texts

    sheet_tpl = edited(store.default_bytes("compensation"), replace={"{{ 标题 }}": "测试区征收补偿协议明细"})
    assert upload(client, world, sheet_tpl, code="compensation").status_code == 302
    from org.models import OrgUnit

    village = OrgUnit.objects.create(name="江尾村", kind=OrgUnit.Kind.VILLAGE, parent=world.a1)
    make_scheme(world.a)
    household = make_household(village)
    document = docx(build_docx(household, sheet_for(household)))
    assert document.paragraphs[0].text == "测试区征收补偿协议明细"
    assert document.tables[0].rows[0].cells[4].text == "金额（元）"


def test_a_fresh_install_office_finds_and_uploads_its_templates(db, client, media):
    """A county set up with start_zone alone, no demo data: its office reaches its own page."""
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("start_zone", "新安县", "--office", "xa-office", stdout=StringIO())
    from accounts.models import AccountSecurity

    office = get_user_model().objects.get(username="xa-office")
    AccountSecurity.objects.filter(user=office).update(must_change_password=False)  # changed at first log-in
    client.force_login(office)
    response = client.get(reverse("doc_templates_home"), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "新安县" in page and 'id="kind-minutes"' in page and "上传并启用" in page
    zone = response.context["zone"]
    data = edited(store.default_bytes("minutes"), replace={"{{ 发文机关标志 }}": "新安县调度会纪要"})
    response = client.post(
        reverse("doc_template_upload", args=[zone.pk, "minutes"]), {"file": SimpleUploadedFile("纪要.docx", data)}
    )
    assert response.status_code == 302
    assert store.template_bytes(zone, "minutes")[0] == data


def test_a_template_failing_on_a_documents_values_gives_way_to_the_default(world, client, media, caplog, monkeypatch):
    """{{ 抄送[5] }} passes the check (the sample's 抄送 is long enough) but not the home zone's
    bulletin, whose 抄送 is empty: the bulletin is still issued, from the default, numbered from 一."""
    client.force_login(world.office)
    data = edited(store.default_bytes("bulletin"), replace={"{{ 发文机关标志 }}": "{{ 抄送[5] }}专报"})
    assert upload(client, world, data).status_code == 302
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    bulletin = issue(client, world)
    texts = [p.text for p in docx(archived_text(bulletin)).paragraphs]
    assert texts[0] == "督查通报" and "一、总体进展" in texts and "failed: the default is used" in caplog.text

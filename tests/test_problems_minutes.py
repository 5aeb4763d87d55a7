"""会议纪要 of a coordination meeting: a 公文 with the attendees, each problem with its decision and
the follow-up tasks with unit and deadline; numbered per unit and year; Word and PDF; who may
download them."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from duban.gongwen import fit
from duban.gongwen import pdf as bulletin_pdf
from problems.models import AgendaItem, Meeting
from tests import problem_helpers
from tests.conftest import ARTIFACTS
from tests.problem_helpers import raise_problem
from tests.test_bulletins_gongwen import check_gongwen
from tests.test_problems_meetings import add, decide, meeting, soon  # noqa: F401 — `meeting` is a fixture

depts = problem_helpers.depts


@pytest.fixture
def decided(depts, meeting, login):  # noqa: F811
    meeting.attendees = "王副区长\n自然资源局\n财政局\n甲指挥部"
    meeting.place = "区政府三楼会议室"
    meeting.save()
    client = login(depts.office)
    p = raise_problem(depts)
    add(client, meeting, p)
    decide(
        client,
        AgendaItem.objects.get(),
        decision="由财政局牵头,甲指挥部配合",
        outcome="assigned",
        responsible=depts.fin_dept.pk,
        deadline=soon(14),
        task_title_1="拨付征迁资金2000万元",
        task_unit_1=depts.a.pk,
        task_deadline_1=soon(7),
    )
    return meeting, p, client


def minutes_of(client, meeting, fmt="docx"):  # noqa: F811
    return client.get(reverse("meeting_minutes", args=[meeting.pk, fmt]))


def test_the_minutes_are_a_gongwen_with_attendees_decisions_and_tasks(decided, depts):
    held, problem, client = decided
    response = minutes_of(client, held)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    paragraphs = check_gongwen(document)
    texts = [p.text for p in paragraphs]
    year = held.held_on.year
    assert texts[0] == "会议纪要" and texts[1] == f"〔{year}〕1号"
    assert texts[3] == "第12次征迁调度会纪要"
    assert "王副区长在区政府三楼会议室主持召开第12次征迁调度会" in texts[4]
    assert "王副区长、自然资源局、财政局、甲指挥部" in texts
    assert f"（一）{problem.title}" in texts
    at = texts.index(f"（一）{problem.title}")
    assert texts[at + 1] == f"1. 提出单位：{problem.raised_by_unit.name}。"
    assert any(t.endswith(". 会议决定：由财政局牵头,甲指挥部配合") for t in texts[at:])
    assert any(". 由财政局跟进办理，" in t and t.endswith("前办结。") for t in texts[at:])
    table = document.tables[0]
    row = [c.text for c in table.rows[1].cells]
    assert row == ["1", "拨付征迁资金2000万元", depts.a.name, soon(7)]
    widths = [int(c.get(qn("w:w"))) / 567 for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert fit.fits(row[2], widths[2], 12) and fit.fits(row[3], widths[3], 12)
    assert texts[-1].endswith("印发")
    held.refresh_from_db()
    assert (held.minutes_year, held.minutes_number) == (year, 1)


def test_minutes_are_numbered_per_year_and_keep_their_number(decided, depts):
    held, _problem, client = decided
    minutes_of(client, held)
    second = Meeting.objects.create(title="第13次调度会", held_on=held.held_on, unit=depts.zone)
    assert Document(io.BytesIO(minutes_of(client, second).content)).paragraphs[1].text.endswith("〕2号")
    assert Document(io.BytesIO(minutes_of(client, held).content)).paragraphs[1].text.endswith("〕1号")
    page = client.get(reverse("meeting_detail", args=[held.pk])).content.decode()
    assert reverse("meeting_minutes", args=[held.pk, "docx"]) in page
    assert f"〔{held.held_on.year}〕1号" in page


@pytest.mark.parametrize(
    "user, status",
    [("office", 200), ("leader", 200), ("owner", 403), ("clerk", 403), ("outsider", 403), ("other_office", 404)],
)
def test_who_may_download_the_minutes(depts, meeting, login, user, status):  # noqa: F811
    response = minutes_of(login(getattr(depts, user)), meeting)
    assert response.status_code == status
    meeting.refresh_from_db()
    assert (meeting.minutes_number is not None) == (status == 200)  # no number given to a refused call


def test_an_unknown_format_is_not_found(decided):
    held, _problem, client = decided
    assert minutes_of(client, held, "xlsx").status_code == 404


def test_the_minutes_pdf_carries_the_decisions(decided, tmp_path):
    held, problem, client = decided
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or poppler-utils is not installed")
    bulletin_pdf.forget_font_report()
    if bulletin_pdf.fonts_missing():
        response = minutes_of(client, held, "pdf")
        assert response.status_code == 302
        pytest.skip("no CJK font installed")
    response = minutes_of(client, held, "pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    path = tmp_path / "minutes.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.replace(" ", "")
    for words in ("会议纪要", "由财政局牵头", "拨付征迁资金2000万元", soon(7), "—1—"):
        assert words in text, words
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "m")], check=True)
    ARTIFACTS.mkdir(exist_ok=True)
    for png in tmp_path.glob("m*.png"):
        shutil.copy(png, ARTIFACTS / "minutes-page-1.png")

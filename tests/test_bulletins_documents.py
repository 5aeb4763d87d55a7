"""The bulletin and roll-up documents: what they say (figures from the data), that Word, Excel and
LibreOffice open them, and the commands."""

import io
import shutil
import subprocess
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from bulletins import documents, narrative
from campaigns.progress import campaign_progress
from duban import periods
from duban.gongwen import pdf as bulletin_pdf
from problems.models import Problem
from tests import bulletin_helpers
from tests.conftest import ARTIFACTS

fuzhou = bulletin_helpers.fuzhou  # the fixtures
media = bulletin_helpers.media
W23 = periods.parse_week("2021-W23")
JUNE_10 = date(2021, 6, 10)


def text_of(docx_bytes):
    document = Document(io.BytesIO(docx_bytes))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return document, "\n".join(texts)


def test_the_sentences_carry_the_seed_figures(fuzhou):
    progress = campaign_progress(fuzhou, as_of=JUNE_10)
    assert narrative.progress_sentence(progress) == "截至6月10日，完成交地比率为76.47%，完成征迁户数比率为59.05%。"
    assert (
        narrative.investment_sentence(fuzhou, JUNE_10)
        == "今年1月至5月，累计完成投资88.19亿元，完成年计划投资的51.39%。"
    )
    assert "交地方面，两园指挥部完成比率最高，为96.25%。" in narrative.leader_sentences(progress)


def test_the_weekly_bulletin_opens_in_python_docx_with_its_parts(fuzhou):
    Problem.objects.create(title="高岐湖片区迁坟协调", raised_by_unit=fuzhou.owner, campaign=fuzhou)
    doc = documents.weekly_document(fuzhou, W23, as_of=JUNE_10, issuer="福州高新区攻坚办", issued_on=date(2021, 6, 11))
    document, text = text_of(doc.docx)
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "督查通报"
    assert paragraphs[1] == "2021年第1期"
    assert paragraphs[2] == "福州高新区攻坚办\t2021年6月11日"
    assert "关于“2021年上半年征迁交地攻坚行动”推进情况的通报" in paragraphs[3]
    assert "截至6月10日，完成交地比率为76.47%，完成征迁户数比率为59.05%。" in paragraphs
    assert "今年1月至5月，累计完成投资88.19亿元，完成年计划投资的51.39%。" in paragraphs
    for heading in ("一、总体进展", "二、各单位推进情况", "三、综合考评排名", "四、滞后及预警单位", "五、待解决问题"):
        assert heading in paragraphs
    # the red header: masthead in red, a red rule under the issuer's line
    assert str(document.paragraphs[0].runs[0].font.color.rgb) == "C00000"
    assert 'w:color="C00000"' in document.paragraphs[2]._p.xml
    # a table per indicator (target, this week, cumulative, done %, time %, status, rank) and the league table
    land = document.tables[0]
    assert [c.text for c in land.rows[0].cells] == [
        "单位",
        "任务量（亩）",
        "本周完成",
        "累计完成",
        "完成率",
        "时序进度",
        "状态",
        "排名",
    ]
    first = [c.text for c in land.rows[1].cells]
    assert first[0] == "两园指挥部" and first[1] == "800.00" and first[3] == "770.00" and first[4] == "96.25%"
    assert first[7] == "1"
    total = [c.text for c in land.rows[-1].cells]
    assert (total[0], total[1], total[3], total[4]) == ("合计", "3,400.00", "2,600.00", "76.47%")
    league = document.tables[3]
    assert league.rows[0].cells[0].text == "排名" and league.rows[0].cells[-1].text == "总分（满分100.00）"
    assert league.rows[1].cells[2].text == "两园指挥部"
    assert "高岐湖片区迁坟协调" in text
    assert len(document.inline_shapes) == 4  # four charts


def test_the_charts_are_pngs_drawn_with_the_cjk_font(fuzhou):
    from matplotlib import font_manager

    from bulletins import charts

    if charts.font_problem():
        pytest.skip(charts.font_problem())
    png = charts.status_counts(
        "各状态单位数", {"green": 1, "red": 2}, {"green": "正常", "yellow": "滞后", "red": "严重滞后"}
    )
    assert png.startswith(b"\x89PNG")
    used = font_manager.findfont(font_manager.FontProperties(family=charts._pyplot().rcParams["font.family"]))
    assert used == charts.CJK_FONT


def test_the_excel_companion_holds_the_same_tables(fuzhou):
    doc = documents.weekly_document(fuzhou, W23, as_of=JUNE_10)
    book = load_workbook(io.BytesIO(doc.xlsx))
    assert book.sheetnames[:5] == ["督查通报", "交地面积", "征迁户数", "重点项目完成投资", "综合考评排名"]
    first = [c.value for c in book["督查通报"]["A"]]
    assert "截至6月10日，完成交地比率为76.47%，完成征迁户数比率为59.05%。" in first
    land = book["交地面积"]
    assert land["A3"].value == "两园指挥部" and float(land["B3"].value) == 800 and land["E3"].value == 0.9625
    assert land["E3"].number_format == "0.00%" and isinstance(land["F3"].value, (int, float))
    assert "预警单位" in book.sheetnames and "待解决问题" in book.sheetnames


def test_numbers_follow_the_issued_bulletins_of_the_campaign_and_year(fuzhou, media):
    from bulletins.archive import issue

    first = issue(fuzhou, "week", W23, with_pdf=False)
    second = issue(fuzhou, "week", W23.next(), with_pdf=False)
    summary = issue(fuzhou, "month", periods.parse_period("month", "2021-05"), with_pdf=False)
    assert (first.number, second.number, summary.number) == (1, 2, 1)
    _document, text = text_of(second.file("docx").file.open("rb").read())
    assert "2021年第2期" in text
    assert documents.next_number(fuzhou, "week", 2022) == 1


def test_the_monthly_summary_gathers_the_units_texts(fuzhou):
    doc = documents.rollup_document(
        fuzhou, "month", periods.parse_period("month", "2021-05"), issued_on=date(2021, 6, 1)
    )
    document, text = text_of(doc.docx)
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "月度工作汇总"
    assert "2021年上半年征迁交地攻坚行动2021年5月每月一汇总" in paragraphs[3] or "2021年5月" in paragraphs[3]
    assert any(p.startswith("2021年5月，完成交地") for p in paragraphs)
    assert "今年1月至5月，累计完成投资88.19亿元，完成年计划投资的51.39%。" in paragraphs
    for unit in ("两园指挥部", "小城镇指挥部", "海西园指挥部", "高岐湖指挥部"):
        # a （一） heading per unit with its weekly texts under it
        assert any(p.startswith("（") and p.endswith(f"）{unit}") for p in paragraphs)
    assert "2021-W19" in paragraphs and any(p.startswith("（1）工作进展：本周完成交地") for p in paragraphs)
    assert "月度排名" in text or "每月一排名" in text


@pytest.mark.parametrize(
    "kind, key, first_line",
    [("quarter", "2021-Q2", "季度工作表态"), ("half", "2021-H1", "半年工作小结"), ("year", "2021", "全年工作总结")],
)
def test_each_roll_up_opens_with_its_masthead(fuzhou, kind, key, first_line):
    doc = documents.rollup_document(fuzhou, kind, periods.parse_period(kind, key))
    document, text = text_of(doc.docx)
    assert document.paragraphs[0].text == first_line
    assert "两园指挥部" in text


def test_the_period_amounts_in_a_summary_add_up(fuzhou):
    from bulletins.content import rollup_content

    content = rollup_content(fuzhou, "month", periods.parse_period("month", "2021-06"))
    land = content.indicators.index(next(i for i in content.indicators if i.code == "land_delivered"))
    target, amount, cum, done = content.totals[land]
    assert target == 3400 and amount == sum(r.cells[land][1] for r in content.rows)
    assert cum >= 2600  # by the end of June more than the 2,600 亩 of 10 June


# LibreOffice ----------------------------------------------------------------------------------


def libreoffice_pdf(docx_path, folder):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(docx_path),
        ],
        capture_output=True,
        timeout=180,
        env=bulletin_pdf.environment(),  # the project's fontconfig file: 仿宋_GB2312 → Noto Serif CJK …
    )
    pdf = folder / (docx_path.stem + ".pdf")
    if not pdf.exists():
        pytest.skip("LibreOffice is installed without Writer: it cannot convert Word files")
    return pdf


def first_page_png(pdf, folder):
    """PDF → PNG of the first page: pdftoppm (poppler-utils), else LibreOffice's own export."""
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(folder / "page")],
            check=True,
            timeout=60,
        )
        pages = sorted(folder.glob("page*.png"))
        return pages[0] if pages else None
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(
        [
            shutil.which("soffice"),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "png",
            "--outdir",
            str(folder),
            str(pdf),
        ],
        capture_output=True,
        timeout=180,
    )
    png = folder / (pdf.stem + ".png")
    return png if png.exists() else None


def test_the_bulletin_converts_with_libreoffice_and_its_first_page_renders(fuzhou, tmp_path):
    doc = documents.weekly_document(fuzhou, W23, as_of=JUNE_10, issued_on=date(2021, 6, 11))
    source = tmp_path / "bulletin.docx"
    source.write_bytes(doc.docx)
    pdf = libreoffice_pdf(source, tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    png = first_page_png(pdf, tmp_path)
    if png is None:
        pytest.skip("neither pdftoppm (poppler-utils) nor LibreOffice's PNG export (libreoffice-draw) is installed")
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(png, ARTIFACTS / "bulletin-page-1.png")
    from PIL import Image

    with Image.open(png) as image:
        width, height = image.size
        assert height > width  # an A4 page, portrait
        top = image.convert("RGB").crop((0, 0, width, height // 4))
        reds = sum(1 for r, g, b in top.get_flattened_data() if r > 150 and g < 80 and b < 80)
        assert reds > 200  # the red masthead


# Commands -------------------------------------------------------------------------------------


def test_make_bulletin_writes_the_word_file_and_its_companions(fuzhou, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)  # as on a server without LibreOffice
    out = StringIO()
    target = tmp_path / "b.docx"
    call_command(
        "make_bulletin",
        "--campaign",
        str(fuzhou.pk),
        "--week",
        "2021-W23",
        "--as-of",
        "2021-06-10",
        "--out",
        str(target),
        "--xlsx",
        str(tmp_path / "b.xlsx"),
        "--pdf",
        str(tmp_path / "b.pdf"),
        stdout=out,
    )
    _document, text = text_of(target.read_bytes())
    assert "截至6月10日，完成交地比率为76.47%，完成征迁户数比率为59.05%。" in text
    assert (tmp_path / "b.xlsx").exists() and not (tmp_path / "b.pdf").exists()
    assert "未安装 LibreOffice" in out.getvalue() and "草稿" in out.getvalue()


def test_make_bulletin_issue_archives_it(fuzhou, tmp_path, media):
    out = StringIO()
    call_command(
        "make_bulletin",
        "--campaign",
        str(fuzhou.pk),
        "--week",
        "2021-W23",
        "--out",
        str(tmp_path / "b.docx"),
        "--issue",
        stdout=out,
    )
    assert fuzhou.bulletins.get().number == 1
    assert (tmp_path / "b.docx").read_bytes() == fuzhou.bulletins.get().file("docx").file.open("rb").read()


def test_make_rollup_writes_a_summary(fuzhou, tmp_path):
    call_command(
        "make_rollup",
        "--campaign",
        str(fuzhou.pk),
        "--kind",
        "quarter",
        "--key",
        "2021-Q2",
        "--out",
        str(tmp_path / "q.docx"),
        stdout=StringIO(),
    )
    assert Document(str(tmp_path / "q.docx")).paragraphs[0].text == "季度工作表态"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--week", "2021-23"], "周次格式应为"),
        (["--week", "2022-W10"], "不在本行动期间内"),
        (["--week", "2021-W23", "--as-of", "2021-06-20"], "--as-of"),
        (["--week", "2021-W23", "--as-of", "10/06/2021"], "YYYY-MM-DD"),
        (["--week", "2021-W23", "--campaign", "999"], "没有编号为 999"),
    ],
)
def test_make_bulletin_refuses_bad_input(fuzhou, tmp_path, args, message):
    argv = ["--campaign", str(fuzhou.pk), "--out", str(tmp_path / "b.docx"), *args]
    with pytest.raises(CommandError, match=message):
        call_command("make_bulletin", *argv, stdout=StringIO())
    assert not (tmp_path / "b.docx").exists()


def test_make_bulletin_wants_a_docx_name(fuzhou, tmp_path):
    with pytest.raises(CommandError, match=".docx"):
        call_command(
            "make_bulletin",
            "--campaign",
            str(fuzhou.pk),
            "--week",
            "2021-W23",
            "--out",
            str(tmp_path / "b.pdf"),
            stdout=StringIO(),
        )


def test_make_rollup_refuses_a_period_outside_the_campaign(fuzhou, tmp_path):
    with pytest.raises(CommandError, match="未开展"):
        call_command(
            "make_rollup",
            "--campaign",
            str(fuzhou.pk),
            "--kind",
            "month",
            "--key",
            "2021-09",
            "--out",
            str(tmp_path / "m.docx"),
            stdout=StringIO(),
        )

"""The 公文 format (GB/T 9704-2012) of the bulletin and roll-ups: page and margins, the font of
each element (East Asian font included), page numbers in odd/even footers, 主送 and 版记, table
cells wide enough for their figures, and a PDF whose text carries the figures."""

import io
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Emu, Mm

from bulletins import documents
from duban import periods
from duban.gongwen import fit
from duban.gongwen import pdf as bulletin_pdf
from duban.gongwen import writer as word
from tests import bulletin_helpers
from tests.conftest import ARTIFACTS

fuzhou = bulletin_helpers.fuzhou
W23 = periods.parse_week("2021-W23")


def east_asian(run):
    fonts = run._element.rPr.rFonts
    return fonts.get(qn("w:eastAsia")), fonts.get(qn("w:ascii"))


def weekly(campaign):
    return documents.weekly_document(
        campaign, W23, as_of=date(2021, 6, 10), issuer="福州高新区攻坚办", issued_on=date(2021, 6, 11)
    )


def check_gongwen(document):
    section = document.sections[0]
    mm = lambda length: round(Emu(length).mm, 1)  # noqa: E731 — Word stores twips
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (37, 35)
    assert (mm(section.left_margin), mm(section.right_margin)) == (28, 26)
    assert mm(Mm(210) - section.left_margin - section.right_margin) == 156
    assert mm(Mm(297) - section.top_margin - section.bottom_margin) == 225
    # odd pages right, even pages left, "— PAGE —" in 4号 宋体
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == 2 and even.alignment == 0  # RIGHT, LEFT
    for footer in (odd, even):
        assert "PAGE" in footer._p.xml and 'w:fldCharType="begin"' in footer._p.xml
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert all(east_asian(r) == ("宋体", "宋体") and r.font.size.pt == 14 for r in footer.runs)
    paragraphs = document.paragraphs
    masthead = paragraphs[0].runs[0]
    assert east_asian(masthead) == ("方正小标宋简体", "方正小标宋简体") and str(masthead.font.color.rgb) == "C00000"
    assert 'w:color="C00000"' in paragraphs[2]._p.xml  # the red separator line
    title = paragraphs[3].runs[0]
    assert east_asian(title) == ("方正小标宋简体", "方正小标宋简体") and title.font.size.pt == 22
    # every run of the body names its East Asian font
    for p in paragraphs:
        for run in p.runs:
            if run.text.strip():
                assert east_asian(run)[0] in word.FONTS, (p.text, east_asian(run))
    return paragraphs


def test_the_bulletin_is_a_gongwen(fuzhou):
    document = Document(io.BytesIO(weekly(fuzhou).docx))
    paragraphs = check_gongwen(document)
    texts = [p.text for p in paragraphs]
    assert texts[3].startswith("关于“2021年上半年征迁交地攻坚行动”推进情况的通报")
    assert texts[4] == "两园指挥部、小城镇指挥部、海西园指挥部、高岐湖指挥部:"  # 主送
    by_text = {p.text: p for p in paragraphs}
    heading = by_text["一、总体进展"].runs[0]
    assert east_asian(heading) == ("黑体", "黑体") and heading.font.size.pt == 16
    second = next(p for p in paragraphs if p.text.startswith("（一）"))
    assert east_asian(second.runs[0])[0] == "楷体_GB2312"
    body = by_text["截至6月10日，完成交地比率为76.47%，完成征迁户数比率为59.05%。"].runs[0]
    assert east_asian(body) == ("仿宋_GB2312", "仿宋_GB2312") and body.font.size.pt == 16
    item = next(p for p in paragraphs if p.text.startswith("1. "))
    assert east_asian(item.runs[0])[0] == "仿宋_GB2312"
    # 版记 at the end: 印发机关 and 印发日期 between rules
    last = paragraphs[-1]
    assert last.text == "福州高新区攻坚办\t2021年6月11日印发"
    assert "w:bottom" in last._p.xml and ("w:top" in last._p.xml or "w:top" in paragraphs[-2]._p.xml)
    assert "第1期" in texts[1]


def test_no_figure_breaks_inside_a_cell_at_the_widths_set(fuzhou):
    document = Document(io.BytesIO(weekly(fuzhou).docx))
    assert document.tables
    for table in document.tables:
        widths = [int(c.get(qn("w:w"))) / word.TWIPS_PER_CM for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(widths) == pytest.approx(fit.TEXT_WIDTH_CM, abs=0.01)
        size = table.rows[1].cells[0].paragraphs[0].runs[0].font.size.pt
        for row in table.rows[1:]:
            for width, cell in zip(widths, row.cells, strict=True):
                assert fit.fits(cell.text, width, size), (cell.text, width, size)
                fonts = cell.paragraphs[0].runs[0]._element.rPr.rFonts
                assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_the_font_steps_down_when_the_columns_do_not_fit():
    rows = [["食品产业园指挥部", *["1,234,567.50"] * 6]]
    widths, size = fit.column_widths(["单位", *["金额"] * 6], rows)
    assert size < fit.SIZES[0]
    assert all(fit.fits(text, w, size) for text, w in zip(rows[0], widths, strict=True))
    assert sum(widths) == pytest.approx(fit.TEXT_WIDTH_CM, abs=0.01)


@pytest.mark.parametrize("kind, key", [("month", "2021-05"), ("quarter", "2021-Q2"), ("year", "2021")])
def test_each_roll_up_is_a_gongwen(fuzhou, kind, key):
    doc = documents.rollup_document(fuzhou, kind, periods.parse_period(kind, key), issued_on=date(2021, 7, 1))
    document = Document(io.BytesIO(doc.docx))
    paragraphs = check_gongwen(document)
    assert "“2021年上半年征迁交地攻坚行动”" in paragraphs[3].text
    assert paragraphs[4].text.endswith(":")
    assert paragraphs[-1].text.endswith("2021年7月1日印发")


def test_the_fontconfig_file_maps_every_font_to_a_cjk_font():
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig is not installed")
    bulletin_pdf.forget_font_report()
    report = dict(bulletin_pdf.font_report())
    if None in report.values():
        assert "make system-packages" in bulletin_pdf.font_note()
        pytest.skip("CJK fonts not installed: " + bulletin_pdf.font_note())
    assert report["仿宋_GB2312"].startswith(("Noto Serif CJK", "AR PL UMing"))
    assert report["楷体_GB2312"] == "AR PL UKai CN"
    assert "仿宋_GB2312" in bulletin_pdf.font_note()


def test_the_pdf_carries_the_figures_whole(fuzhou, tmp_path):
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or poppler-utils is not installed")
    bulletin_pdf.forget_font_report()
    pdf, problem = bulletin_pdf.docx_to_pdf(weekly(fuzhou).docx)
    if problem:
        pytest.skip(f"no PDF: {problem}")
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    text = text.replace(" ", "")  # pdftotext spaces out CJK and digits
    for figure in ("3,400.00", "2,600.00", "76.47%", "96.25%", "两园指挥部", "—1—", "—2—", "2021年6月11日印发"):
        assert figure in text, figure
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "2", "-l", "2", str(path), str(tmp_path / "p")], check=True)
    ARTIFACTS.mkdir(exist_ok=True)
    for png in tmp_path.glob("p*.png"):
        shutil.copy(png, ARTIFACTS / "bulletin-page-2.png")


def test_the_bulletins_page_says_which_fonts_stand_in_or_are_missing(world, client, monkeypatch):
    from django.urls import reverse

    from bulletins import charts

    bulletin_pdf.forget_font_report()
    monkeypatch.setattr(bulletin_pdf, "font_report", lambda: [("仿宋_GB2312", "Noto Serif CJK SC"), ("黑体", None)])
    monkeypatch.setattr(charts, "CJK_FONT", "/nonexistent/wqy-microhei.ttc")
    client.force_login(world.office)
    page = client.get(reverse("bulletins", args=[world.campaign.pk])).content.decode()
    assert "仿宋_GB2312 以 Noto Serif CJK SC 代替" in page
    assert "服务器未安装黑体可用的中文字体" in page and "make system-packages" in page
    assert "/nonexistent/wqy-microhei.ttc" in page
    # without a Chinese font no PDF is made, rather than one of empty boxes
    assert bulletin_pdf.docx_to_pdf(b"PK")[1] in ("fonts", "missing")

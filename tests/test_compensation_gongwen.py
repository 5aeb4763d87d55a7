"""The compensation sheet is a 公文 page written by the floor's writer (duban/gongwen): A4 with the
standard's margins, the fonts named per element, the page-number field, amounts whole in their
cells, and a PDF through the project's fontconfig file whose text carries the household's figures."""

import io
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Emu

from duban.gongwen import fit, pdf
from duban.gongwen import writer as gongwen
from requisition import stages
from requisition.models import Stage
from tests.conftest import ARTIFACTS
from tests.test_compensation import SIGN_START, make_household, make_scheme


def east_asian(run):
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


@pytest.fixture
def signed_household(world):
    from org.models import OrgUnit

    village = OrgUnit.objects.create(name="江尾村", kind=OrgUnit.Kind.VILLAGE, parent=world.a1)
    make_scheme(world.a)
    household = make_household(village, head_name="林阿福")
    stages.advance(household, Stage.SIGNED, SIGN_START + timedelta(days=5), world.owner, today=date(2021, 6, 1))
    return household


def sheet_docx(world, login, household):
    response = login(world.owner).get(reverse("household_sheet_docx", args=[household.pk]))
    assert response.status_code == 200
    return Document(io.BytesIO(response.content))


def test_the_sheet_is_a_gongwen_page(world, login, signed_household):
    document = sheet_docx(world, login, signed_household)
    section = document.sections[0]
    mm = lambda length: round(Emu(length).mm, 1)  # noqa: E731
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin), mm(section.left_margin), mm(section.right_margin)) == (
        37,
        35,
        28,
        26,
    )
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]):
        assert 'w:fldCharType="begin"' in footer._p.xml and " PAGE " in footer._p.xml
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert {east_asian(r) for r in footer.runs} == {"宋体"}
    title = document.paragraphs[0]
    assert title.text == "征收补偿明细表"
    assert east_asian(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size.pt == 22
    body = document.paragraphs[1]
    assert "林阿福" in body.text and east_asian(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size.pt == 16
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if run.text.strip():
                assert east_asian(run) in gongwen.FONTS, paragraph.text


def test_no_amount_breaks_inside_its_cell(world, login, signed_household):
    document = sheet_docx(world, login, signed_household)
    (table,) = document.tables
    widths = [int(c.get(qn("w:w"))) / gongwen.TWIPS_PER_CM for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(widths) == pytest.approx(fit.TEXT_WIDTH_CM, abs=0.02)
    assert [c.text for c in table.rows[0].cells] == ["序号", "项目", "计算公式", "计算数据", "金额（元）"]
    amounts = [row.cells[4].text for row in table.rows[1:]]
    assert amounts[-1] == "765,000.00" and table.rows[-1].cells[1].text == "合计"
    for row in table.rows[1:]:
        size = row.cells[4].paragraphs[0].runs[0].font.size.pt
        for column in (0, 1, 4):  # the number, the item's name and the amount stay on one line
            assert fit.fits(row.cells[column].text, widths[column], size), row.cells[column].text
        assert east_asian(row.cells[1].paragraphs[0].runs[0]) == "仿宋_GB2312"


def test_the_pdf_goes_through_the_fontconfig_file_and_carries_the_figures(
    world, login, signed_household, tmp_path, monkeypatch
):
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or poppler-utils is not installed")
    pdf.forget_font_report()
    if pdf.fonts_missing():
        pytest.skip("CJK fonts not installed: " + pdf.font_note())
    seen = []
    convert = pdf.libreoffice.docx_to_pdf

    def spy(data, **kwargs):  # the real conversion, with the environment it was given recorded
        seen.append(kwargs.get("env", {}).get("FONTCONFIG_FILE"))
        return convert(data, **kwargs)

    monkeypatch.setattr(pdf.libreoffice, "docx_to_pdf", spy)
    response = login(world.owner).get(reverse("household_sheet_pdf", args=[signed_household.pk]))
    if response.status_code == 503:
        pytest.skip("LibreOffice could not convert (no Writer component)")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert seen == [str(pdf.FONTS_CONF)]
    path = tmp_path / "sheet.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    text = text.replace(" ", "")
    for figure in ("征收补偿明细表", "林阿福", "江尾村", "696,000.00", "765,000.00", "柒拾陆万伍仟元整", "—1—"):
        assert figure in text, figure
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "CJK" in fonts or "UKai" in fonts or "UMing" in fonts, fonts
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")], check=True)
    ARTIFACTS.mkdir(exist_ok=True)
    for png in tmp_path.glob("p*.png"):
        shutil.copy(png, ARTIFACTS / "compensation-sheet.png")
    assert list(tmp_path.glob("p*.png"))


def test_without_a_chinese_font_no_pdf_is_made_and_the_page_says_so(world, login, signed_household, monkeypatch):
    pdf.forget_font_report()
    monkeypatch.setattr(pdf, "fonts_missing", lambda: ["仿宋_GB2312"])
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    response = login(world.owner).get(reverse("household_sheet_pdf", args=[signed_household.pk]))
    assert response.status_code == 503
    page = response.content.decode()
    assert 'id="pdf-fonts"' in page and "服务器未安装中文字体" in page

"""A household's compensation sheet: on a page, as a Word file, and as a PDF made from the Word file.

Who may open it: whoever may read the household's village (office, leaders, the village's own
reporters); anyone else gets a 404. The printout names the head of household only: no ID number,
no phone.
"""

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from duban import libreoffice
from org.scoping import get_unit
from requisition.compensation import fmt, sheet_for
from requisition.models import Household

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "SimSun"  # 宋体: what Word on a Chinese Windows prints with
CONVERT_TIMEOUT = 120  # seconds


def _household(request, household_id):
    try:
        household = Household.objects.select_related("village").get(pk=int(household_id))
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    get_unit(request, household.village_id)
    return household


def _no_sheet(request, household, status):
    return render(request, "requisition/sheet.html", {"household": household, "sheet": None}, status=status)


@login_required
def household_sheet(request, household_id):
    household = _household(request, household_id)
    sheet = sheet_for(household)
    return render(request, "requisition/sheet.html", {"household": household, "sheet": sheet})


# Word ------------------------------------------------------------------------------------------


def _font(run, size=None, bold=False):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size:
        run.font.size = Pt(size)
    run.bold = bold
    return run


def _paragraph(container, text, size=None, bold=False, align=None):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), size, bold)
    return paragraph


def _cell(cell, text, bold=False, align=None):
    paragraph = cell.paragraphs[0]
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), 10.5, bold)


def build_docx(household, sheet):
    """The sheet as a .docx (bytes)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)

    _paragraph(document, _("Compensation statement"), size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(
        document,
        _("Head of household: %(name)s    Village: %(village)s    Household number: %(number)s")
        % {"name": household.head_name, "village": household.village.name, "number": household.number},
    )
    _paragraph(
        document,
        _("Compensation: %(choice)s    Use: %(use)s    Scheme: %(scheme)s")
        % {
            "choice": household.get_compensation_display(),
            "use": household.get_use_display(),
            "scheme": sheet.scheme_name,
        },
    )
    _paragraph(document, _status_line(sheet))

    headers = [_("No."), _("Item"), _("Formula"), _("Figures"), _("Amount (yuan)")]
    table = document.add_table(rows=0, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    widths = (Cm(1.3), Cm(4.2), Cm(6.5), Cm(9.7), Cm(4))  # 25.7 cm between the margins
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width

    def add_row():
        cells = table.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width  # before any merge: Word and LibreOffice read the cells' widths
        return cells

    for cell, text in zip(add_row(), headers, strict=True):
        _cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for number, item in enumerate(sheet.items, start=1):
        cells = add_row()
        _cell(cells[0], str(number), align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell(cells[1], item.name)
        _cell(cells[2], item.formula)
        _cell(cells[3], item.inputs)
        _cell(cells[4], fmt(item.amount), align=WD_ALIGN_PARAGRAPH.RIGHT)
    cells = add_row()
    merged = cells[0].merge(cells[3])
    _cell(merged, _("Total"), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell(cells[4], fmt(sheet.total), bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    cells = add_row()
    merged = cells[0].merge(cells[4])
    _cell(merged, _("Total in capitals: %(upper)s") % {"upper": sheet.total_upper}, bold=True)

    _paragraph(document, "")
    _paragraph(
        document,
        _("Total: %(figures)s yuan (in capitals: %(upper)s)")
        % {"figures": fmt(sheet.total), "upper": sheet.total_upper},
        bold=True,
    )
    _paragraph(document, "")
    _paragraph(
        document,
        _("Signature of the household: ____________    Date: ______ (year) ____ (month) ____ (day)"),
    )
    _paragraph(document, _("Cadre in charge: ____________    Date: ______ (year) ____ (month) ____ (day)"))
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _status_line(sheet):
    if sheet.frozen:
        return _("Fixed at signing on %(date)s; later changes to the scheme do not change this sheet.") % {
            "date": sheet.signed_on
        }
    if sheet.forecast:
        return _("Estimate: not signed yet, reward as if signed on %(date)s; the sheet is fixed at signing.") % {
            "date": sheet.signed_on
        }
    return _(
        "Signed on %(date)s when no sheet was kept: computed with the scheme in effect on that day as it is now."
    ) % {"date": sheet.signed_on}


def _filename(household, extension):
    return f"{_('Compensation statement')}-{household.village.name}-{household.number}.{extension}"


@login_required
def household_sheet_docx(request, household_id):
    household = _household(request, household_id)
    sheet = sheet_for(household)
    if sheet is None:
        return _no_sheet(request, household, 404)
    response = HttpResponse(build_docx(household, sheet), content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, _filename(household, "docx"))
    return response


# PDF -------------------------------------------------------------------------------------------


def docx_to_pdf(docx_bytes):
    """Convert with LibreOffice: (PDF bytes, None), or (None, "missing") when soffice is not
    installed, or (None, "failed") when it could not convert (e.g. installed without Writer)."""
    return libreoffice.docx_to_pdf(docx_bytes, timeout=CONVERT_TIMEOUT)


@login_required
def household_sheet_pdf(request, household_id):
    household = _household(request, household_id)
    sheet = sheet_for(household)
    if sheet is None:
        return _no_sheet(request, household, 404)
    pdf, problem = docx_to_pdf(build_docx(household, sheet))
    if pdf is None:
        return render(
            request,
            "requisition/sheet.html",
            {
                "household": household,
                "sheet": sheet,
                "pdf_missing": problem == "missing",
                "pdf_failed": problem == "failed",
            },
            status=503,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, _filename(household, "pdf"))
    return response

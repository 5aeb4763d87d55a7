"""A household's compensation sheet: on a page, as a Word file, and as a PDF made from the Word file.

Who may open it: whoever may read the household's village (office, leaders, the village's own
reporters); anyone else gets a 404. The printout names the head of household only: no ID number,
no phone.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from duban.gongwen import fit, pdf
from org.scoping import get_unit
from requisition.compensation import fmt, sheet_for
from requisition.models import Household

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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

TABLE_SIZE = 10.5  # 五号


def sheet_widths(headers, rows):
    """The number, item and amount columns as wide as their content (an amount never breaks);
    the formula and its figures, which may wrap, share the rest of the type area."""
    needed = fit.needed_cm(headers, rows, TABLE_SIZE)
    rest = fit.TEXT_WIDTH_CM - needed[0] - needed[1] - needed[4]
    return [needed[0], needed[1], round(rest * 0.4, 3), round(rest * 0.6, 3), needed[4]]


def sheet_table(sheet):
    """(headers, rows) of the sheet's items with the total row."""
    headers = [_("No."), _("Item"), _("Formula"), _("Figures"), _("Amount (yuan)")]
    rows = [
        [str(number), str(item.name), str(item.formula), str(item.inputs), fmt(item.amount)]
        for number, item in enumerate(sheet.items, start=1)
    ]
    rows.append(["", str(_("Total")), "", "", fmt(sheet.total)])
    return headers, rows


def signature_lines():
    return [
        _("Signature of the household: ____________    Date: ______ (year) ____ (month) ____ (day)"),
        _("Cadre in charge: ____________    Date: ______ (year) ____ (month) ____ (day)"),
    ]


def build_docx(household, sheet):
    """The sheet as a .docx (bytes), a 公文 page (duban/gongwen/writer.py): A4 with the standard's
    margins, the title in 小标宋, the body in 仿宋, page numbers "— 1 —"; from the template of
    the village's zone office, or the default (requisition/doc_kinds.py)."""
    from doctemplates import store
    from requisition import doc_kinds

    headers, rows = sheet_table(sheet)
    context = doc_kinds.values(
        title=_("Compensation statement"),
        head=household.head_name,
        village=household.village.name,
        number=household.number,
        choice=str(household.get_compensation_display()),
        use=str(household.get_use_display()),
        scheme=sheet.scheme_name,
        status=_status_line(sheet),
        table=lambda writer: writer.table(headers, rows, sheet_widths(headers, rows), TABLE_SIZE, numeric_from=4),
        total=fmt(sheet.total),
        total_upper=sheet.total_upper,
    )
    return store.render(household.village, "compensation", context)


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
    """Convert with LibreOffice through the project's fontconfig file (duban/gongwen/pdf.py):
    (PDF bytes, None), or (None, "missing") when soffice is not installed, (None, "fonts") when no
    Chinese font is installed, or (None, "failed") when it could not convert."""
    return pdf.docx_to_pdf(docx_bytes)


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
                "pdf_fonts": problem == "fonts",
            },
            status=503,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, _filename(household, "pdf"))
    return response

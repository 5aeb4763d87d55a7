"""Every table a page shows, as an Excel file in the office layout (`?format=xlsx`).

A page builds a `Table` (title, columns with their units, rows, a totals row, the 数据截至 date)
from the same rows it renders, and answers `xlsx_response(table)` when `wants_xlsx(request)`.
The sheet has the title row and the as-of row, the header with each column's unit, one row per
row of the page, the totals row; figures are numbers with their number formats (#,##0.00, 0.00%
for percentages, #,##0 for counts), never text; the header is frozen; the sheet prints on A4
landscape, fit to width, the title and header rows repeated on every page. Texts somebody typed
go in through duban/spreadsheet text_cell (no formula injection). The download is recorded in
the audit trail by audit/context.AuditMiddleware (record_export), like every attachment.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from duban.punctuation import bracketed
from duban.spreadsheet.writing import BORDER, HEADER_FILL, text_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Column kinds and their number formats
TEXT, NUMBER, COUNT, PERCENT, DATE = "text", "number", "count", "percent", "date"
SIGNED = "signed"  # points ahead (+) or behind (-)
FORMATS = {NUMBER: "#,##0.00", COUNT: "#,##0", PERCENT: "0.00%", DATE: "yyyy-mm-dd", SIGNED: "+#,##0.00;-#,##0.00"}
CENT = Decimal("0.01")
WIDTHS = {TEXT: 18, NUMBER: 14, SIGNED: 10, COUNT: 10, PERCENT: 11, DATE: 12}


@dataclass
class Column:
    label: str
    unit: str = ""  # shown in the header: 交地面积（亩）
    kind: str = TEXT
    width: int | None = None

    @property
    def header(self):
        return bracketed(self.label, self.unit) if self.unit else str(self.label)


@dataclass
class Table:
    """One sheet. Rows are lists of values, one per column: Decimal or int for figures, a
    percentage as its percent figure (61.5 for 61.50%), a date, a text, or None (empty)."""

    title: str
    columns: list
    rows: list
    totals: list | None = None  # the totals row, same shape as a row
    as_of: date | None = None  # 数据截至
    name: str = ""  # the sheet's tab; the title when empty
    notes: list = field(default_factory=list)  # lines under the table


def wants_xlsx(request):
    return request.GET.get("format") == "xlsx"


def cell_value(column, value):
    """The value stored for `value` in `column`: figures as numbers, rounded to the two decimals
    the page shows (a percentage as its fraction: 61.5 → 0.615), dates as dates, anything else
    as text."""
    if value is None or value == "":
        return None
    if column.kind in (NUMBER, COUNT, PERCENT, SIGNED):
        try:
            number = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)  # as the page shows it
        except InvalidOperation:
            return str(value)  # "—" and the like: shown as the page shows it
        if column.kind == PERCENT:
            return float(number / 100)
        if column.kind == COUNT and number == int(number):
            return int(number)
        return float(number)
    if column.kind == DATE and isinstance(value, date | datetime):
        return value
    return str(value)


def _sheet_name(text):
    for bad in "[]:*?/\\":
        text = text.replace(bad, " ")
    return text[:31] or "Sheet"


def write_table(sheet, table):
    columns = table.columns
    width = max(len(columns), 1)
    sheet.append([text_cell(sheet, table.title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    title = sheet.cell(1, 1)
    title.font = Font(bold=True, size=16)
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    as_of = _("Figures as of %(date)s") % {"date": f"{table.as_of:%Y年%-m月%-d日}"} if table.as_of else ""
    sheet.append([as_of])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.cell(2, 1).alignment = Alignment(horizontal="right")
    sheet.append([c.header for c in columns])
    header_row = 3
    for n, column in enumerate(columns, start=1):
        cell = sheet.cell(header_row, n)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(n)].width = column.width or WIDTHS[column.kind]
    body = [*table.rows, *([table.totals] if table.totals is not None else [])]
    for values in body:
        sheet.append([text_cell(sheet, cell_value(c, v)) for c, v in zip(columns, values, strict=True)])
        row = sheet.max_row
        for n, column in enumerate(columns, start=1):
            cell = sheet.cell(row, n)
            cell.border = BORDER
            if column.kind in FORMATS and not isinstance(cell.value, str):
                cell.number_format = FORMATS[column.kind]
                cell.alignment = Alignment(horizontal="right")
    if table.totals is not None:
        for n in range(1, width + 1):
            sheet.cell(sheet.max_row, n).font = Font(bold=True)
    for note in table.notes:
        sheet.append([text_cell(sheet, note)])
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = sheet.ORIENTATION_LANDSCAPE
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"1:{header_row}"
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = _("Page &P of &N")


def workbook(tables):
    book = Workbook()
    book.remove(book.active)
    used = set()
    for table in tables:
        name = _sheet_name(table.name or table.title)
        while name in used:
            name = _sheet_name(f"{name[:28]}_{len(used)}")
        used.add(name)
        write_table(book.create_sheet(name), table)
    if not book.sheetnames:
        book.create_sheet("Sheet")
    return book


def xlsx_bytes(tables):
    out = BytesIO()
    workbook(tables if isinstance(tables, list | tuple) else [tables]).save(out)
    return out.getvalue()


def xlsx_response(tables, filename):
    """The tables (one Table or a list, one sheet each) as an attachment named `filename`
    (.xlsx added); Chinese names in RFC 5987 form."""
    response = HttpResponse(xlsx_bytes(tables), content_type=XLSX)
    name = f"{filename}.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response

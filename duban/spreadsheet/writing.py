"""For every export: the styles of the sheets we write, and the one way a text somebody typed goes
into a cell (text_cell)."""

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Border, PatternFill, Side

# Styles of the sheets we write
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

# A text starting with one of these is a formula to a spreadsheet: openpyxl writes "=…" as a live
# formula, and Excel (or a CSV saved from the sheet) reads +, -, @, a tab or a CR first as one too.
FORMULA_STARTS = frozenset("=+-@\t\r")


def text_cell(sheet, value):
    """`value` for a cell of `sheet` (write-only or not), a text a user typed always written as
    that text: one that a spreadsheet would read as a formula (FORMULA_STARTS) becomes a string
    cell with Excel's quote prefix — shown as typed, still text when the cell is edited. Numbers,
    dates, None and other texts come back as they are (a negative amount stays a number)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def text_row(sheet, values):
    """A row for sheet.append with every value through text_cell."""
    return [text_cell(sheet, value) for value in values]

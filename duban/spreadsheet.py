"""Reading the Excel files offices send, and the result of importing one: the parts every
importer shares (projects' progress tables, requisition rosters); and, for every export, the one
way a text somebody typed goes into a cell (text_cell).

A file is read with python-calamine after a check of its magic bytes and unpacked size; cells
are read the way people fill them in (codes typed as numbers, full-width brackets, 合计 rows).
An import is all or nothing: ImportResult collects the row-by-row errors, and an import with
errors counts nothing as done.
"""

import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Border, PatternFill, Side
from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from duban.numbers import to_decimal

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024  # an .xlsx is a zip: refuse a zip bomb before unpacking it
HEADER_SCAN_ROWS = 20
PREVIEW_LIMIT = 200
QUERY_CHUNK = 900  # ids per IN (...) list, below SQLite's old 999-variable limit
TOTAL_WORDS = {"合计", "总计", "小计"}
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Styles of the sheets we write
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

# A text starting with one of these is a formula to a spreadsheet: openpyxl writes "=…" as a live
# formula, and Excel (or a CSV saved from the sheet) reads +, -, @, a tab or a CR first as one too.
FORMULA_STARTS = frozenset("=+-@\t\r")

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
_HEADER = re.compile(r"^(?P<base>[^()]+?)(?:\((?P<unit>[^()]*)\))?$")


def split_header(text):
    """'总投资（亿元）' → ('总投资', '亿元'); '户主姓名' → ('户主姓名', None); None when the cell is not
    text or not a header of that shape. Spaces are dropped and full-width brackets read as ASCII."""
    if not isinstance(text, str):
        return None
    match = _HEADER.match(re.sub(r"\s+", "", text).translate(_BRACKETS))
    return (match["base"], match["unit"]) if match else None


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


class ExcelError(Exception):
    """The whole file is refused; the message is for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def read_source(source):
    """The file's bytes from bytes, a path or a file object; refuses an empty or oversized file
    before reading it whole."""
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        _check_size(os.path.getsize(source))
        with open(source, "rb") as f:
            data = f.read(MAX_UPLOAD_BYTES + 1)
    else:
        _check_size(getattr(source, "size", None) or 0)
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(MAX_UPLOAD_BYTES + 1)
    _check_size(len(data))
    if not data:
        raise ExcelError(_("The file is empty."))
    return data


def _check_size(size):
    if size > MAX_UPLOAD_BYTES:
        raise ExcelError(
            _("The file is larger than %(limit)s MB; split it and import the parts.")
            % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )


def check_excel(data):
    """'xlsx' or 'xls' from the magic bytes, or ExcelError."""
    if data.startswith(XLS_MAGIC):
        return "xls"
    if data.startswith(XLSX_MAGIC):
        try:
            entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
        except zipfile.BadZipFile:
            entries = []
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
                raise ExcelError(
                    _("The file unpacks to more than %(limit)s MB; split it and import the parts.")
                    % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)}
                )
            return "xlsx"
    raise ExcelError(_("This is not an Excel file (.xlsx or .xls)."))


def sheets(data):
    """Every sheet as a list of rows (row i is Excel row i + 1), one sheet at a time."""
    check_excel(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for index in range(len(workbook.sheet_names)):
            yield workbook.get_sheet_by_index(index).to_python(skip_empty_area=False)
    except PasswordError:
        raise ExcelError(_("The file is protected by a password; remove the password and import it again.")) from None
    except CalamineError as err:
        raise ExcelError(_("The Excel file cannot be read (%(reason)s).") % {"reason": err}) from None


@dataclass
class LazySheet:
    """A sheet read by calamine but not yet turned into Python rows: `head`, its first rows as
    sheets() gives them (to find the header), and rows(), every row from row 1 turned into a
    list as it is iterated — by whichever thread iterates them (see requisition/roster.py)."""

    head: list
    height: int
    _sheet: object

    def rows(self):
        start = self._sheet.start
        pad = [""] * start[1] if start and start[1] else None  # iter_rows starts at the first used column
        for row in self._sheet.iter_rows():
            yield pad + row if pad else row


def lazy_sheets(data, head_rows=HEADER_SCAN_ROWS):
    """Every sheet as a LazySheet, one sheet at a time (see sheets())."""
    check_excel(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for index in range(len(workbook.sheet_names)):
            sheet = workbook.get_sheet_by_index(index)
            head = sheet.to_python(skip_empty_area=False, nrows=head_rows)
            yield LazySheet(head, (sheet.start[0] if sheet.start else 0) + sheet.height, sheet)
    except PasswordError:
        raise ExcelError(_("The file is protected by a password; remove the password and import it again.")) from None
    except CalamineError as err:
        raise ExcelError(_("The Excel file cannot be read (%(reason)s).") % {"reason": err}) from None


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def show(value):
    """A cell as the user wrote it, for messages."""
    text = as_text(value)
    return text if len(text) <= 40 else text[:40] + "…"


def as_text(value):
    """A text cell; codes typed as numbers come back from Excel as floats (2021001.0)."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return str(Decimal(str(value)))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return normalize_text(str(value))


as_decimal = to_decimal  # a number cell as an exact Decimal


def normalize_text(text):
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def is_total_word(raw, index):
    """合计, 总计, 小计 — also "合 计" and "合计(共93个)"."""
    if index is None or index >= len(raw):
        return False
    return re.sub(r"\s+", "", as_text(raw[index]))[:2] in TOTAL_WORDS


@dataclass
class Change:
    line: int
    label: str  # what the row is: a project's or a household's name
    created: bool
    fields: list


@dataclass
class ImportResult:
    layout: str = ""
    year: int | None = None
    month: int | None = None
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    changes: list = field(default_factory=list)  # the first PREVIEW_LIMIT

    @property
    def ok(self):
        return not self.errors

    @property
    def changed(self):
        return self.created + self.updated

    def count(self, line, label, created, fields):
        if created:
            self.created += 1
        elif fields:
            self.updated += 1
        else:
            self.unchanged += 1
            return
        if len(self.changes) < PREVIEW_LIMIT:
            self.changes.append(Change(line, label, created, fields))

    def summary(self):
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }

    def refuse(self, err):
        """A file the checks or the database refused: its message, and nothing counted as done."""
        if isinstance(err, IntegrityError):
            self.errors.append(
                _("The database refused the import (%(reason)s); nothing was changed.") % {"reason": err}
            )
        else:
            self.errors.append(err.message)
        self.discard()

    def discard(self):
        """An import with errors changes nothing (all or nothing), so it counts nothing as done."""
        if self.errors:
            self.created = self.updated = self.unchanged = 0
            self.changes = []

"""Checking and opening the Excel files offices send: magic bytes, size, zip bombs, macros and
the number of rows (an .xlsx sheet's declared dimension and its <row> elements read from the zip
as a stream, with an early stop, before calamine parses anything: a sheet of a million rows
would take a minute and a gigabyte); then the sheets, read with python-calamine.
"""

import io
import logging
import os
import re
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook, PasswordError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024  # an .xlsx is a zip: refuse a zip bomb before unpacking it
HEADER_SCAN_ROWS = 20
QUERY_CHUNK = 900  # ids per IN (...) list, below SQLite's old 999-variable limit
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlam", ".xlsb")
XLS_MAX_ROWS = 65_536  # the old format holds no more rows a sheet
STREAM_CHUNK = 1024 * 1024
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="[A-Za-z]*(\d*)(?::[A-Za-z]*(\d+))?"')
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")
_ROW = re.compile(rb"<(?:\w+:)?row(?=[\s>/])([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_XLS_MACROS = "_VBA_PROJECT".encode("utf-16-le")  # the storage of an .xls workbook's macros

logger = logging.getLogger(__name__)


class ExcelError(Exception):
    """The whole file is refused; the message is for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def read_source(source):
    """The file's bytes from bytes, a path or a file object; refuses an empty or oversized file
    before reading it whole, and a macro-enabled workbook by its name (its content is checked
    too, see check_excel)."""
    name = str(source) if isinstance(source, str | os.PathLike) else getattr(source, "name", None)
    if isinstance(name, str) and name.lower().endswith(MACRO_EXTENSIONS):
        raise ExcelError(_macros_message())
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
    """'xlsx' or 'xls' from the magic bytes, or ExcelError; a workbook with macros is refused."""
    if data.startswith(XLS_MAGIC):
        if _XLS_MACROS in data:
            raise ExcelError(_macros_message())
        return "xls"
    if data.startswith(XLSX_MAGIC):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            entries = archive.infolist()
        except zipfile.BadZipFile:
            archive, entries = None, []
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
                raise ExcelError(
                    _("The file unpacks to more than %(limit)s MB; split it and import the parts.")
                    % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)}
                )
            types = _read_member(archive, "[Content_Types].xml").lower()
            if b"sheet.binary" in types:  # .xlsb: not an Office Open XML workbook
                raise ExcelError(_("This is not an Excel file (.xlsx or .xls)."))
            if b"macroenabled" in types or any(n.lower().endswith("vbaproject.bin") for n in names):
                raise ExcelError(_macros_message())
            return "xlsx"
    raise ExcelError(_("This is not an Excel file (.xlsx or .xls)."))


def _macros_message():
    return _(
        "The workbook contains macros (.xlsm); save it as an Excel workbook (.xlsx) without macros and import that."
    )


def _read_member(archive, name):
    try:
        with archive.open(name) as member:
            return member.read(MAX_UPLOAD_BYTES)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        return b""


def max_rows():
    return settings.DUBAN_IMPORT_MAX_ROWS


def count_rows(data, limit=None, marks=None):
    """The number of rows of the workbook's largest sheet, checked before anything parses it:
    ExcelError when it is above `limit` (DUBAN_IMPORT_MAX_ROWS). For .xlsx, each sheet's
    declared dimension (<dimension ref="A1:L1048576">) and then its <row> elements, read as a
    stream with an early stop at the limit (the highest row number counts, too: a sheet of two
    rows numbered 1 and 1,048,576 is a sheet of a million rows for a reader); for .xls, calamine's
    height (the format holds at most 65,536 rows a sheet). `marks`, a dict, receives for .xlsx
    each sheet member's hidden-attribute tags ({name: [b'<row r="7" hidden="1">', …]}) found on
    the way, so that the hidden rows and columns cost no second read (duban.spreadsheet.hidden)."""
    limit = max_rows() if limit is None else limit
    rows = _xls_rows(data) if check_excel(data) == "xls" else _xlsx_rows(data, limit, marks)
    if rows is None:
        raise ExcelError(
            _("The sheet has more than %(limit)s rows, more than an import takes. Split it and import the parts.")
            % {"limit": f"{limit:,}"}
        )
    if rows > limit:
        raise ExcelError(
            _("The sheet has %(rows)s rows; an import takes at most %(limit)s. Split it and import the parts.")
            % {"rows": f"{rows:,}", "limit": f"{limit:,}"}
        )
    return rows


def _xlsx_rows(data, limit, marks=None):
    archive = zipfile.ZipFile(io.BytesIO(data))
    largest = 0
    for entry in archive.infolist():
        name = entry.filename
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        try:
            with archive.open(entry) as stream:
                found = marks.setdefault(name, []) if marks is not None else None
                rows = _sheet_rows(stream, limit, found)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
            raise ExcelError(_("The Excel file cannot be read: it is damaged or not a real Excel file.")) from None
        if rows is None or rows > limit:
            return rows
        largest = max(largest, rows)
    return largest


_HIDDEN_TAG = re.compile(rb'<(?:\w+:)?(?:row|col)\b[^>]*\bhidden="(?:1|true)"[^>]*>')


def _sheet_rows(stream, limit, hidden=None):
    """A sheet's rows: its declared dimension when that is above the limit, else its <row>
    elements counted (or the highest row number, if higher); None as soon as the count passes
    the limit (the rest is not read)."""
    buffer, count, highest, seen_data = b"", 0, 0, False
    while chunk := stream.read(STREAM_CHUNK):
        buffer += chunk
        if not seen_data:
            start = _SHEET_DATA.search(buffer)
            if start is None and len(buffer) < 4 * STREAM_CHUNK:
                continue
            head = buffer[: start.start()] if start else buffer
            if (dimension := _DIMENSION.search(head)) is not None:
                first, last = dimension[1], dimension[2]
                declared = int(last) - int(first or 1) + 1 if last else 1
                if declared > limit:
                    return declared
            seen_data = True
        cut = buffer.rfind(b"<")  # a tag cut by the chunk's end is read with the next chunk
        done, buffer = (buffer[:cut], buffer[cut:]) if cut > 0 else (buffer, b"")
        if hidden is not None and b'hidden="' in done:
            hidden += _HIDDEN_TAG.findall(done)
        rows = _ROW.findall(done)
        if rows:
            count += len(rows)
            if (number := _ROW_NUMBER.search(rows[-1])) is not None:
                highest = max(highest, int(number[1]))
            if highest > limit:
                return highest  # a row numbered past the limit: the sheet is that long for a reader
            if count > limit:
                return None
    if buffer:
        if hidden is not None and b'hidden="' in buffer:
            hidden += _HIDDEN_TAG.findall(buffer)
        rows = _ROW.findall(buffer)
        count += len(rows)
        if rows and (number := _ROW_NUMBER.search(rows[-1])) is not None:
            highest = max(highest, int(number[1]))
    return max(count, highest)


def _xls_rows(data):
    workbook = _open(data)
    try:
        return max((_sheet_height(workbook.get_sheet_by_index(i)) for i in range(len(workbook.sheet_names))), default=0)
    except PasswordError:
        raise ExcelError(_password_message()) from None
    except CalamineError as err:
        raise _unreadable(err) from None


def _sheet_height(sheet):
    return min((sheet.start[0] if sheet.start else 0) + sheet.height, XLS_MAX_ROWS)


def _open(data):
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise ExcelError(_password_message()) from None
    except CalamineError as err:
        raise _unreadable(err) from None


def _password_message():
    return _("The file is protected by a password; remove the password and import it again.")


def _unreadable(err):
    """The reader's own reason (English) goes to the log; the user gets it in their language."""
    logger.info("Excel file refused by calamine: %s", err)
    return ExcelError(_("The Excel file cannot be read: it is damaged or not a real Excel file."))


def sheets(data):
    """Every sheet as a list of rows (row i is Excel row i + 1), one sheet at a time."""
    count_rows(data)
    workbook = _open(data)
    try:
        for index in range(len(workbook.sheet_names)):
            yield workbook.get_sheet_by_index(index).to_python(skip_empty_area=False)
    except PasswordError:
        raise ExcelError(_password_message()) from None
    except CalamineError as err:
        raise _unreadable(err) from None


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
    count_rows(data)
    workbook = _open(data)
    try:
        for index in range(len(workbook.sheet_names)):
            sheet = workbook.get_sheet_by_index(index)
            head = sheet.to_python(skip_empty_area=False, nrows=head_rows)
            yield LazySheet(head, (sheet.start[0] if sheet.start else 0) + sheet.height, sheet)
    except PasswordError:
        raise ExcelError(_password_message()) from None
    except CalamineError as err:
        raise _unreadable(err) from None

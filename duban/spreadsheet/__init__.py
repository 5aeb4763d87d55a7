"""The one reading layer for the Excel files offices send, and what every importer shares.

- files: the checks of a file (magic bytes, size, zip bomb, macros, rows) and its sheets;
- cells, writing, result: cells as people fill them in, the cells we write, an import's result;
- layout, wording, headers, context, rows, hidden: a sheet read as a person reads it — a Layout
  of Columns with their aliases and the published wordings, header rows found anywhere in the
  first rows (several rows, merged cells), the unit of money and the period from the header, a
  note row or the title, section and subtotal rows, placeholders, hidden rows and columns;
- reader: read_workbook(data, layout), every sheet read or the file refused, with describe().
"""

from duban.spreadsheet.cells import (
    DAY,
    TOTAL_WORDS,
    as_date,
    as_decimal,
    as_text,
    is_blank,
    is_total_word,
    normalize_text,
    show,
    split_header,
)
from duban.spreadsheet.files import (
    HEADER_SCAN_ROWS,
    MACRO_EXTENSIONS,
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
    QUERY_CHUNK,
    XLS_MAGIC,
    XLSX_CONTENT_TYPE,
    XLSX_MAGIC,
    CalamineWorkbook,
    ExcelError,
    LazySheet,
    check_excel,
    count_rows,
    lazy_sheets,
    max_rows,
    read_source,
    sheets,
)
from duban.spreadsheet.result import PREVIEW_LIMIT, Change, ImportResult
from duban.spreadsheet.writing import BORDER, FORMULA_STARTS, HEADER_FILL, text_cell, text_row

__all__ = [
    "BORDER",
    "FORMULA_STARTS",
    "HEADER_FILL",
    "HEADER_SCAN_ROWS",
    "MACRO_EXTENSIONS",
    "MAX_UNPACKED_BYTES",
    "MAX_UPLOAD_BYTES",
    "PREVIEW_LIMIT",
    "QUERY_CHUNK",
    "DAY",
    "TOTAL_WORDS",
    "as_date",
    "XLSX_CONTENT_TYPE",
    "XLSX_MAGIC",
    "XLS_MAGIC",
    "CalamineWorkbook",
    "Change",
    "ExcelError",
    "ImportResult",
    "LazySheet",
    "as_decimal",
    "as_text",
    "check_excel",
    "count_rows",
    "is_blank",
    "is_total_word",
    "lazy_sheets",
    "max_rows",
    "normalize_text",
    "read_source",
    "sheets",
    "show",
    "split_header",
    "text_cell",
    "text_row",
]

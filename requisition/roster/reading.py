"""Finding the roster in a workbook: the sheet and its header row, then its data rows (without
blank and totals rows)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from duban.spreadsheet import (
    HEADER_SCAN_ROWS,
    ExcelError,
    as_text,
    is_blank,
    is_total_word,
    lazy_sheets,
)
from requisition.roster.columns import AREAS, COLUMNS, REQUIRED, _area_factor, parse_header
from requisition.roster.vocabulary import TOTAL_FIRST


@dataclass
class RosterSheet:
    """A roster sheet: its rows (an iterator from row 1, see duban.spreadsheet.LazySheet), the
    header's index, {key: (column, factor to ㎡ or 亩 for areas, else None)} and the number of
    rows."""

    rows: object
    header_index: int
    columns: dict
    height: int


def find_header(rows):
    """The first rows' row with the most of our headers (at least 户主姓名 and 村/组)."""
    best = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = {}
        for column, value in enumerate(row):
            parsed = parse_header(value)
            if parsed is not None:
                found.setdefault(parsed[0], []).append((column, value, parsed[1]))
        if len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (index, found)
    return best


def read_roster(data):
    """The first sheet with a roster header; ExcelError when none fits."""
    for lazy in lazy_sheets(data):
        header = find_header(lazy.head)
        if header is None:
            continue
        index, found = header
        missing = [COLUMNS[k].label for k in REQUIRED if k not in found]
        if missing:
            raise ExcelError(_("Required columns are missing: %(columns)s.") % {"columns": "、".join(missing)})
        columns = {}
        for key, cells in found.items():
            if len(cells) > 1:
                raise ExcelError(
                    _("The column %(column)s appears twice in the header.") % {"column": COLUMNS[key].label}
                )
            column, text, unit = cells[0]
            columns[key] = (column, _area_factor(key, text, unit) if key in AREAS else None)
        return RosterSheet(lazy.rows(), index, columns, lazy.height)
    raise ExcelError(
        _("No header row in the first %(n)s rows: the sheet needs the columns %(columns)s.")
        % {"n": HEADER_SCAN_ROWS, "columns": "、".join(COLUMNS[k].label for k in REQUIRED)}
    )


def _text(value):
    """as_text, with a fast path for the common case of a plain string cell."""
    if value.__class__ is str and "\r" not in value:
        return value.strip()
    return as_text(value)


def roster_rows(sheet):
    """(Excel row number, raw cells) after the header, without blank rows and totals rows: what
    projects.excel.data_rows does, with a quick look at each row first (a blank row has a blank
    name; a totals row starts with 合, 总 or 小), which halves its cost on a large roster."""
    seq, name = sheet.columns.get("seq", (None,))[0], sheet.columns["name"][0]
    header = sheet.header_index
    for index, raw in enumerate(sheet.rows):
        if index <= header:
            continue
        cell = raw[name] if name < len(raw) else None
        if _blank(cell) and all(is_blank(v) for v in raw):
            continue
        if (_maybe_total(cell) and is_total_word(raw, name)) or (
            seq is not None and seq < len(raw) and _maybe_total(raw[seq]) and is_total_word(raw, seq)
        ):
            continue
        yield index + 1, raw


def _maybe_total(value):
    return value.__class__ is str and value.lstrip()[:1] in TOTAL_FIRST


def _blank(value):
    return value is None or value == "" or (value.__class__ is str and not value.strip())

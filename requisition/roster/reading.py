"""Finding the roster in a workbook, through the one reading layer (duban.spreadsheet.reader):
every sheet read (header rows anywhere, one or two rows, merged cells filled, section, 小计 and
hidden rows left out, hidden columns ignored), or the file refused naming the sheets it cannot
read. A sheet without a 村/组 column is read as the roster of the village it is named for."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from duban.spreadsheet import ExcelError, as_text
from duban.spreadsheet.layout import Column, Layout
from duban.spreadsheet.reader import read_workbook
from duban.spreadsheet.wording import words
from requisition.roster.columns import AREAS, COLUMNS, REQUIRED, _area_factor

READING_LAYOUT = Layout(
    "roster",
    tuple(Column(c.key, c.label, c.aliases, width=c.width, max_length=c.max_length) for c in COLUMNS.values()),
    required=REQUIRED,
)


class Line(int):
    """An Excel row number; in a workbook of several sheets read, it knows its sheet (shown as
    5(陈桥村)) and sorts and compares in sheet order, so rows of two sheets are never one row."""

    def __new__(cls, order, number, sheet):
        line = super().__new__(cls, order)
        line.number, line.sheet = number, sheet
        return line

    def __str__(self):
        return f"{self.number}({self.sheet})"

    __format__ = lambda self, spec: format(str(self), spec)  # noqa: E731
    __repr__ = __str__


SHEET_ORDER = 10_000_000  # above any row number: a Line's order is sheet × this + row


@dataclass
class RosterSheet:
    """A sheet read: its data rows [(Excel row number, raw cells)], {key: (column, factor to ㎡
    or 亩 for areas, else None)}, and the village the sheet is named for when it has no 村/组
    column (its rows get that name as an extra cell at `village`'s index)."""

    name: str
    rows: list
    columns: dict
    village_name: str | None = None


@dataclass
class Roster:
    sheets: list
    reading: object  # duban.spreadsheet.reader.WorkbookReading
    several: bool = field(init=False)

    def __post_init__(self):
        self.several = len(self.sheets) > 1

    @property
    def height(self):
        return sum(len(s.rows) for s in self.sheets)

    def describe(self):
        return self.reading.describe()


def read_roster(data):
    """The Roster of every sheet; ExcelError when a sheet lacks the roster's columns."""
    reading = read_workbook(data, READING_LAYOUT)
    sheets, several = [], len(reading.sheets) > 1
    for sheet in reading.sheets:
        prefix = _("Sheet “%(sheet)s”: ") % {"sheet": sheet.name} if several else ""
        present = set(sheet.columns)
        missing = [COLUMNS[k].label for k in REQUIRED if k not in present and k != "village"]
        if missing:
            raise ExcelError(prefix + _("Required columns are missing: %(columns)s.") % {"columns": "、".join(missing)})
        columns = {}
        for key, (index, _unit) in sheet.columns.items():
            factor = None
            if key in AREAS:
                text = sheet.headers[key]
                factor = _area_factor(key, text, words(text).unit)
            columns[key] = (index, factor)
        village_name = None
        if "village" not in columns:
            village_name = as_text(sheet.name)
            columns["village"] = (max(i for i, _f in columns.values()) + 1, None)
        sheets.append(RosterSheet(sheet.name, sheet.rows, columns, village_name))
    return Roster(sheets, reading)


def roster_rows(roster_sheet, order=0, several=False):
    """(line, raw cells) of a sheet's data rows: blank, section, subtotal and hidden rows are
    left out by the reader. `order`: the sheet's place in the workbook (for Line)."""
    rows = roster_sheet.rows
    if roster_sheet.village_name is not None:
        at, name = roster_sheet.columns["village"][0], roster_sheet.village_name
        rows = ((number, [*raw, *([None] * (at - len(raw)))][:at] + [name]) for number, raw in rows)
    if not several:
        yield from rows
        return
    base, sheet = order * SHEET_ORDER, roster_sheet.name
    for number, raw in rows:
        yield Line(base + number, number, sheet), raw


def _text(value):
    """as_text, with a fast path for the common case of a plain string cell."""
    if value.__class__ is str and "\r" not in value:
        return value.strip()
    return as_text(value)


def _blank(value):
    return value is None or value == "" or (value.__class__ is str and not value.strip())

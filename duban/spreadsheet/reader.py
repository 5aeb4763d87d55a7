"""read_workbook(data, layout): every sheet of a workbook read as a person reads it, or the file
refused naming the sheets that cannot be read (never a silent part). The result says what was
understood — sheets, header rows, the unit of money, the period, the columns mapped and those
ignored, counts — in describe(), which the dry run shows before anything is written.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from python_calamine import CalamineError, PasswordError

from duban.punctuation import bracketed, clauses
from duban.spreadsheet import files
from duban.spreadsheet.context import letter, sheet_period, unit_note
from duban.spreadsheet.files import ExcelError
from duban.spreadsheet.headers import SCAN_ROWS, fill_merged, find_header
from duban.spreadsheet.hidden import Hidden, hidden_parts
from duban.spreadsheet.rows import DATA, SECTION, TOTAL, kind_of
from duban.spreadsheet.wording import MONEY_UNITS

LABEL_KEYS = ("seq", "name")  # where a section or total word is written


@dataclass
class SheetReading:
    name: str
    header_rows: list  # Excel row numbers
    columns: dict  # key → (0-based index, money unit or None)
    headers: dict  # key → header text as joined
    unit: str | None = None  # the money unit most columns are in
    unit_source: str = ""
    period: object = None  # context.Period or None
    rows: list = field(default_factory=list)  # [(Excel row number, raw cells)]
    ignored: list = field(default_factory=list)  # [(letter, header text, reason)]
    sections: int = 0
    totals: int = 0
    hidden_rows: list = field(default_factory=list)
    total_rows: list = field(default_factory=list)  # [(Excel row number, raw cells)]: 小计, 合计 rows left out

    def describe(self):
        header_rows = "-".join(str(r) for r in (self.header_rows[0], self.header_rows[-1]))
        if len(self.header_rows) == 1:
            header_rows = str(self.header_rows[0])
        mapped = "、".join(bracketed(self.headers[key], letter(index)) for key, (index, _unit) in self.columns.items())
        lines = [
            _("Sheet “%(sheet)s”: header in row %(rows)s; %(n)s data rows.")
            % {"sheet": self.name, "rows": header_rows, "n": len(self.rows)},
            _("Columns read: %(columns)s.") % {"columns": mapped},
        ]
        if self.unit:
            lines.append(_("Unit of money: %(unit)s (%(source)s).") % {"unit": self.unit, "source": self.unit_source})
        if self.period:
            lines.append(
                _("Period: %(period)s (%(source)s).") % {"period": self.period.label(), "source": self.period.source}
            )
        if self.ignored:
            lines.append(
                _("Columns ignored: %(columns)s.")
                % {"columns": "、".join(_ignored(col, text, reason) for col, text, reason in self.ignored)}
            )
        if self.sections or self.totals:
            lines.append(
                _("Rows left out: %(sections)s section rows, %(totals)s subtotal or total rows.")
                % {"sections": self.sections, "totals": self.totals}
            )
        if self.hidden_rows:
            lines.append(
                _("Hidden rows ignored: %(rows)s.") % {"rows": "、".join(str(r) for r in self.hidden_rows[:20])}
            )
        return lines


def _ignored(col, text, reason):
    return bracketed(text, clauses([col, reason])) if reason else bracketed(text, col)


@dataclass
class WorkbookReading:
    sheets: list
    left_out: list = field(default_factory=list)  # [(sheet name, reason)]

    @property
    def period(self):
        """The period the sheets agree on (the first with a year), or None."""
        periods = [s.period for s in self.sheets if s.period]
        with_year = [p for p in periods if p.year]
        return (with_year or periods or [None])[0]

    @property
    def rows(self):
        return sum(len(s.rows) for s in self.sheets)

    def describe(self):
        lines = []
        for sheet in self.sheets:
            lines += sheet.describe()
        for name, reason in self.left_out:
            lines.append(_("Sheet “%(sheet)s” left out: %(reason)s.") % {"sheet": name, "reason": reason})
        return lines


def read_workbook(data, layout, unit=None):
    """A WorkbookReading of every sheet, or ExcelError. `unit`: the unit of money given by the
    user, for columns the file gives none for (given none, such a file is refused with a
    question for it)."""
    marks = {}
    files.count_rows(data, marks=marks)
    hidden = hidden_parts(data, marks) if files.check_excel(data) == "xlsx" else []
    workbook = files._open(data)
    reading, unreadable = WorkbookReading([]), []
    try:
        visible = [getattr(m.visible, "name", str(m.visible)) for m in workbook.sheets_metadata]
        for index, name in enumerate(workbook.sheet_names):
            if index < len(visible) and "Visible" not in visible[index]:
                reading.left_out.append((name, _("hidden sheet")))
                continue
            sheet = workbook.get_sheet_by_index(index)
            grid = sheet.to_python(skip_empty_area=False)
            if not any(any(not files_blank(v) for v in row) for row in grid[:SCAN_ROWS] + grid[-5:]):
                reading.left_out.append((name, _("empty")))
                continue
            fill_merged(grid, _merged(sheet))
            parts = hidden[index] if index < len(hidden) else Hidden()
            header = find_header(grid, layout, parts.columns)
            if header is None:
                unreadable.append(name)
                continue
            reading.sheets.append(_read_sheet(name, grid, header, layout, parts, unit))
    except PasswordError:
        raise ExcelError(files._password_message()) from None
    except CalamineError as err:
        raise files._unreadable(err) from None
    if unreadable:
        raise ExcelError(
            _(
                "The sheets %(sheets)s have no header row in their first %(n)s rows (they need the columns "
                "%(columns)s); delete them or fix their headers, and import the file again."
            )
            % {"sheets": "、".join(f"“{n}”" for n in unreadable), "n": SCAN_ROWS, "columns": layout.required_labels()}
        )
    if not reading.sheets:
        raise ExcelError(_("The workbook has no sheet with data."))
    _check_periods(reading.sheets)
    return reading


def files_blank(value):
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _merged(sheet):
    try:
        return sheet.merged_cell_ranges or []
    except (CalamineError, AttributeError, ValueError):
        return []


def _check_periods(sheets):
    periods = [(s.name, s.period) for s in sheets if s.period]
    months = {p.month for _n, p in periods}
    years = {p.year for _n, p in periods if p.year}
    if len(months) > 1 or len(years) > 1:
        raise ExcelError(
            _(
                "The sheets are for different periods (%(periods)s); import one file per period, or say in each "
                "sheet the period it is for."
            )
            % {"periods": "、".join(f"“{n}” {p.label()}" for n, p in periods)}
        )


def _read_sheet(name, grid, header, layout, hidden, given_unit):
    columns, headers, ignored = {}, {}, []
    for hc in header.columns:
        if hc.key in columns:
            first_unit = columns[hc.key][1]
            if layout[hc.key].money and hc.words.money_unit and hc.words.money_unit != first_unit:
                ignored.append((letter(hc.index), hc.text, _("the same figure in another unit")))
                continue
            raise ExcelError(
                _("Sheet “%(sheet)s”: the column %(column)s appears twice in the header (columns %(a)s and %(b)s).")
                % {
                    "sheet": name,
                    "column": layout[hc.key].label,
                    "a": letter(columns[hc.key][0]),
                    "b": letter(hc.index),
                }
            )
        columns[hc.key] = (hc.index, hc.words.money_unit if layout[hc.key].money else None)
        headers[hc.key] = hc.text
    ignored += [(letter(i), text, "") for i, text in header.unmatched]
    for index in sorted(hidden.columns):
        row = grid[header.first] if header.first < len(grid) else []
        if index < len(row) and not files_blank(row[index]):
            ignored.append((letter(index), str(row[index]).strip(), _("hidden")))
    reading = SheetReading(name, header.rows, columns, headers, ignored=ignored)
    _read_units(reading, grid, header, layout, given_unit)
    reading.period = sheet_period(name, grid, header)
    label_columns = [columns[k][0] for k in LABEL_KEYS if k in columns]
    number_columns = [index for key, (index, _u) in columns.items() if layout[key].money]
    rows, hidden_rows = reading.rows, hidden.rows
    for i in range(header.data_start, len(grid)):
        raw = grid[i]
        if hidden_rows and i + 1 in hidden_rows:
            if any(not files_blank(v) for v in raw):
                reading.hidden_rows.append(i + 1)
            continue
        kind = kind_of(raw, label_columns, number_columns)
        if kind == DATA:
            rows.append((i + 1, raw))
        elif kind == SECTION:
            reading.sections += 1
        elif kind == TOTAL:
            reading.totals += 1
            reading.total_rows.append((i + 1, raw))
    return reading


def _read_units(reading, grid, header, layout, given):
    note = unit_note(grid, header)
    kept = {index for index, _unit in reading.columns.values()}
    money = [hc for hc in header.columns if layout[hc.key].money and hc.index in kept]
    sources = set()
    for hc in money:
        written = hc.words.unit
        if written is not None and written not in MONEY_UNITS:
            raise ExcelError(
                _(
                    "Sheet “%(sheet)s”: the unit in the header “%(header)s” (column %(column)s) is not understood "
                    "(write 元, 万元 or 亿元)."
                )
                % {"sheet": reading.name, "header": hc.text, "column": letter(hc.index)}
            )
        if written and note and written != note.value:
            raise ExcelError(
                _(
                    "Sheet “%(sheet)s”: row %(row)s says the amounts are in %(note)s, but the header “%(header)s” "
                    "in column %(column)s says %(unit)s; correct one of them."
                )
                % {
                    "sheet": reading.name,
                    "row": note.row,
                    "note": note.value,
                    "header": hc.text,
                    "column": letter(hc.index),
                    "unit": written,
                }
            )
        if written:
            unit, source = written, _("in the headers")
        elif note:
            unit, source = note.value, _("row %(row)s: “%(text)s”") % {"row": note.row, "text": note.text}
        elif given:
            unit, source = given, _("as chosen for the import")
        else:
            raise ExcelError(
                _(
                    "Sheet “%(sheet)s”: the header “%(header)s” (column %(column)s) and the rows above it do not say "
                    "the unit of money; choose the unit (元, 万元 or 亿元) for the import."
                )
                % {"sheet": reading.name, "header": hc.text, "column": letter(hc.index)}
            )
        index = reading.columns[hc.key][0]
        reading.columns[hc.key] = (index, unit)
        sources.add((unit, source))
    if sources:
        units = sorted({u for u, _s in sources}, key=lambda u: MONEY_UNITS[u])
        reading.unit = "、".join(units)
        reading.unit_source = "；".join(sorted({s for _u, s in sources}))

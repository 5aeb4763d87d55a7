"""Key projects in Excel: the office's progress table and the long monthly layout.

Both layouts are read with python-calamine (fast) and written with openpyxl (styled).

- **table** (重点项目投资进展情况表): a title row or several, a header row, one row per project and a
  totals row (合计). Columns are found by their header, wherever they are; money headers carry
  their unit — "总投资(亿元)", "总投资(万元)", "总投资（万元）"; a header without a unit is read as
  万元 and the result says so. A row sets the project's name, content, total investment, the
  year's annual plan, the month's completed investment, progress, problems and leader, and
  creates the projects that do not exist yet. 年度累计完成 and 完成率 are derived figures: they
  are only compared with what the import produces, and a difference is a warning.
- **monthly** (project-month rows): 项目编号, 项目名称, 责任单位, 月份, 本月完成 — one row per
  project and month, for projects that exist.

A file is taken whole or not at all: every row is checked first, any error refuses the file with
row-by-row messages, and the writes are a few bulk statements in one transaction. What would not
change is not written, so importing the same file twice changes nothing. An empty cell leaves
the stored value as it is (a bulk import never wipes data by omission), and a month or an annual
plan without a row counts as zero, so a 0 in the file does not create one.

Headers and the title are the office's Chinese layout, not interface text: they stay Chinese in
every language, since the importer reads them back.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

import audit
from duban import hooks as screen_hooks
from duban.punctuation import bracketed
from duban.schedule import done_pct
from duban.spreadsheet import (
    BORDER,
    HEADER_FILL,
    QUERY_CHUNK,
    ExcelError,
    ImportResult,
    as_decimal,
    as_text,
    normalize_text,
    read_source,
    show,
    text_row,
)
from duban.spreadsheet.layout import Column, Layout
from duban.spreadsheet.reader import read_workbook
from duban.spreadsheet.rows import is_nothing
from duban.spreadsheet.wording import MONEY_UNITS
from org.models import OrgUnit
from projects.investment import project_figures
from projects.models import AnnualPlan, MonthlyInvestment, Project, YearOpening

BATCH = 500
MIN_YEAR = 2000

CENT = Decimal("0.01")
MICRO = Decimal("0.000001")
WAN = Decimal(10_000)
YI = Decimal(100_000_000)
MAX_AMOUNT = 10_000 * YI  # 1 万亿元: more than any one project's total investment
DEFAULT_MONEY_UNIT = "万元"  # the unit our export writes

TABLE, MONTHLY = "table", "monthly"
LAYOUTS = (TABLE, MONTHLY)
KEEP, SHEET = "keep", "sheet"  # when duban's months and the sheet's 年度累计完成 disagree
YTD_CHOICES = (KEEP, SHEET)


# The layout --------------------------------------------------------------------------------

COLUMNS = {
    c.key: c
    for c in (
        Column("seq", "序号", width=6),
        Column("code", "项目编号", ("编号", "项目代码"), width=14, max_length=40),
        Column("name", "项目名称", ("项目名", "名称"), width=30, max_length=200),
        Column(
            "content",
            "建设内容",
            ("建设规模及内容", "主要建设内容", "建设规模", "建设内容及规模", "主要建设内容及规模"),
            width=36,
        ),
        Column("total", "总投资", ("计划总投资", "项目总投资", "总投资额"), money=True, width=13),
        Column(
            "plan",
            "年度计划投资",
            ("年度计划", "年计划投资", "计划投资", "年度投资计划", "本年度计划投资", "本年计划投资", "年度计划投资额"),
            money=True,
            width=13,
        ),
        Column(
            "this_month",
            "本月完成",
            ("本月完成投资", "当月完成", "当月完成投资", "本月完成投资额"),
            money=True,
            width=13,
            month_aliases=("完成投资", "完成", "完成投资额", "完成额"),
        ),
        Column(
            "ytd",
            "年度累计完成",
            ("累计完成", "累计完成投资", "年度累计完成投资", "完成投资", "本年累计完成", "本年累计完成投资"),
            money=True,
            width=13,
            span_aliases=("累计完成", "累计完成投资", "完成投资", "完成", "完成投资额", "累计完成投资额"),
        ),
        Column(
            "pct", "完成率", ("占年度计划", "完成年度计划", "完成年度计划比例", "占年度计划比例"), width=10, suffix="%"
        ),
        Column("progress", "形象进度", ("项目进展情况", "进展情况", "形象进度情况", "工程进度", "项目进度"), width=30),
        Column(
            "problems",
            "存在问题",
            ("存在的问题", "存在困难和问题", "存在的困难和问题", "存在问题及建议", "需协调解决的问题"),
            width=30,
        ),
        Column("unit", "责任单位", ("牵头单位", "责任部门", "主责单位"), width=14),
        Column("leader", "责任领导", ("包保领导", "挂点领导", "县级领导"), width=10, max_length=50),
        Column("month", "月份", ("年月",), width=10),
    )
}
LAYOUT = Layout("projects", tuple(COLUMNS.values()), required=("name", "unit", "total"))
TABLE_COLUMNS = (
    "seq",
    "code",
    "name",
    "content",
    "total",
    "plan",
    "this_month",
    "ytd",
    "pct",
    "progress",
    "problems",
    "unit",
    "leader",
)
MONTHLY_COLUMNS = ("code", "name", "unit", "month", "this_month")
REQUIRED = {TABLE: ("name", "unit", "total"), MONTHLY: ("name", "unit", "month", "this_month")}
PROJECT_TEXTS = {"content": "content", "progress": "progress_text", "problems": "problems_text", "leader": "leader"}

_MONTH = re.compile(r"^(\d{4})\s*[-/.－／．年]\s*(\d{1,2})\s*月?(?:\s*[-/.－／．]?\s*\d{1,2}\s*日?)?$")


def _labels(keys):
    return LAYOUT.labels(keys)


# Reading the file ---------------------------------------------------------------------------


class Line(int):
    """An Excel row number that knows its sheet: shown as the number alone in a workbook of one
    sheet read, with the sheet's name in one of several."""

    sheet = None

    def __new__(cls, number, sheet=None):
        line = super().__new__(cls, number)
        line.sheet = sheet
        return line

    def __str__(self):
        number = int(self)
        return f"{number}" if self.sheet is None else bracketed(number, self.sheet)


@dataclass
class ProjectTable:
    """The sheets read (duban.spreadsheet.reader), as one table: their data rows and columns."""

    reading: object  # WorkbookReading
    layout: str

    @property
    def sheets(self):
        return self.reading.sheets


def read_table(data, layout=None, unit=None):
    """Every sheet read, all of one layout (recognised from the headers unless given), with the
    columns that layout needs; ExcelError naming the sheet when one lacks them."""
    reading = read_workbook(data, LAYOUT, unit=unit)
    kinds = {s.name: (layout or (MONTHLY if "month" in s.columns else TABLE)) for s in reading.sheets}
    if len(set(kinds.values())) > 1:
        raise ExcelError(
            _("The sheets %(monthly)s have monthly figures and %(table)s a progress table; import them apart.")
            % {
                "monthly": "、".join(f"“{n}”" for n, k in kinds.items() if k == MONTHLY),
                "table": "、".join(f"“{n}”" for n, k in kinds.items() if k == TABLE),
            }
        )
    kind = next(iter(kinds.values()))
    for sheet in reading.sheets:
        missing = [k for k in REQUIRED[kind] if k not in sheet.columns]
        if missing:
            prefix = _("Sheet “%(sheet)s”: ") % {"sheet": sheet.name} if len(reading.sheets) > 1 else ""
            raise ExcelError(prefix + _("Required columns are missing: %(columns)s.") % {"columns": _labels(missing)})
    return ProjectTable(reading, kind)


# Cells ------------------------------------------------------------------------------------


def as_percent(value):
    """51.39, '51.39' or '51.39%'."""
    if isinstance(value, str):
        value = value.strip().removesuffix("%").removesuffix("％")
    return as_decimal(value)


def as_month(value):
    """The first day of the month of a date cell or of '2021-05', '2021/5', '2021年5月'."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        month = date(value.year, value.month, 1)
    elif isinstance(value, str) and (match := _MONTH.match(value.strip())):
        year, number = int(match[1]), int(match[2])
        if not 1 <= number <= 12:
            raise ValueError(value)
        month = date(year, number, 1)
    else:
        raise ValueError(value)
    if month.year < MIN_YEAR:
        raise ValueError(value)
    return month


def month_label(month):
    return f"{month.year}年{month.month}月"


def wan(yuan):
    """Yuan → '1,234.56' (万元), for messages."""
    return f"{(yuan / WAN).quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


@dataclass
class ProjectLine:
    line: int
    code: str = ""
    name: str = ""
    unit_name: str = ""
    texts: dict = field(default_factory=dict)
    money: dict = field(default_factory=dict)  # key → Decimal yuan
    pct: Decimal | None = None
    month: date | None = None
    unit: OrgUnit | None = None
    project: Project | None = None
    bad: set = field(default_factory=set)  # columns with an unreadable cell


def data_rows(table):
    """(Line, raw cells, columns) of every sheet's data rows (blank, section, subtotal and hidden
    rows are left out by the reader)."""
    several = len(table.sheets) > 1
    for sheet in table.sheets:
        name = sheet.name if several else None
        columns = sheet.columns
        if name is None:  # one sheet: the row number alone (no object a row)
            for number, raw in sheet.rows:
                yield number, raw, columns
        else:
            for number, raw in sheet.rows:
                yield Line(number, name), raw, columns


def row_cells(raw, columns):
    """{key: value} of the row's cells in our columns that hold something (not a placeholder)."""
    width = len(raw)
    return {key: raw[index] for key, (index, _unit) in columns.items() if index < width and not is_nothing(raw[index])}


def parse_row(line, raw, columns, layout, errors):
    """A ProjectLine from raw cells; each bad cell adds an error."""
    cells = row_cells(raw, columns)
    get = cells.get
    row = ProjectLine(line, code=as_text(get("code")), name=as_text(get("name")), unit_name=as_text(get("unit")))
    for key in ("code", "name"):
        _check_length(row, key, getattr(row, key), errors)
    for key in PROJECT_TEXTS:
        if key in cells:
            row.texts[key] = as_text(cells[key])
            _check_length(row, key, row.texts[key], errors)
    for key in ("total", "plan", "this_month", "ytd"):
        if key in cells:
            _parse_money(row, key, cells[key], columns[key][1], errors)
    if "pct" in cells:
        try:
            row.pct = as_percent(cells["pct"])
        except ValueError:
            errors.append(_not_a_number(line, "pct", cells["pct"]))
    if "month" in cells:
        try:
            row.month = as_month(cells["month"])
        except ValueError:
            errors.append(
                _("Row %(row)s: the month “%(value)s” is not understood (write 2021-05, 2021年5月 or a date).")
                % {"row": line, "value": show(cells["month"])}
            )
    _check_required(row, layout, cells, errors)
    return row


def _check_required(row, layout, cells, errors):
    """Cells a row cannot do without (the columns themselves are checked with the header)."""
    needed = ("name", "unit") if layout == TABLE else ("month", "this_month")
    if layout == MONTHLY and not row.code:
        needed = ("name", "unit", *needed)
    errors.extend(_empty(row.line, key) for key in needed if key not in cells)


def _check_length(row, key, text, errors):
    limit = COLUMNS[key].max_length
    if limit and len(text) > limit:
        errors.append(
            _("Row %(row)s: %(column)s is longer than %(max)s characters.")
            % {"row": row.line, "column": COLUMNS[key].label, "max": limit}
        )


def _not_a_number(line, key, value):
    return _("Row %(row)s: %(column)s “%(value)s” is not a number.") % {
        "row": line,
        "column": COLUMNS[key].label,
        "value": show(value),
    }


def _parse_money(row, key, value, unit, errors):
    factor = MONEY_UNITS[unit]
    try:
        number = as_decimal(value)
    except ValueError:
        errors.append(_not_a_number(row.line, key, value))
        row.bad.add(key)
        return
    params = {"row": row.line, "column": COLUMNS[key].label, "value": show(value) + unit}
    if number < 0 or number * factor > MAX_AMOUNT:
        row.bad.add(key)
    if number < 0:
        errors.append(_("Row %(row)s: %(column)s cannot be negative (%(value)s).") % params)
    elif number * factor > MAX_AMOUNT:
        errors.append(
            _("Row %(row)s: %(column)s %(value)s is implausible (over 10,000 亿元); check the unit in the header.")
            % params
        )
    else:
        row.money[key] = (number * factor).quantize(CENT, rounding=ROUND_HALF_UP)


# Importing -----------------------------------------------------------------------------------


@dataclass
class Writes:
    new_projects: list = field(default_factory=list)
    changed_projects: dict = field(default_factory=dict)  # pk → Project
    project_fields: set = field(default_factory=set)
    new_plans: list = field(default_factory=list)
    changed_plans: list = field(default_factory=list)
    new_months: list = field(default_factory=list)
    changed_months: list = field(default_factory=list)
    new_openings: list = field(default_factory=list)
    changed_openings: list = field(default_factory=list)


def check_period(year, month, today=None):
    """The table layout's year and month: a real month that has begun."""
    today = today or timezone.localdate()
    if not (MIN_YEAR <= year <= today.year + 1 and 1 <= month <= 12):
        raise ExcelError(_("%(year)s-%(month)s is not a valid month.") % {"year": year, "month": month})
    if date(year, month, 1) > today:
        raise ExcelError(_("%(month)s has not begun yet.") % {"month": month_label(date(year, month, 1))})


def import_file(
    source,
    *,
    year=None,
    month=None,
    unit=None,
    ytd=None,
    scope=None,
    layout=None,
    dry_run=False,
    progress=None,
    filename=None,
):
    """Import a workbook (bytes, path or file object). `scope` is the user's org.scoping.Scope;
    None imports as the office. The table's year and month are the ones the file names (title,
    note row or headers such as 1-5月累计完成); given ones must agree with it, and a file that
    names none needs them. `unit`: the unit of money for columns the file gives none for. `ytd`:
    KEEP or SHEET, for projects whose months in duban disagree with the sheet's 年度累计完成.
    `progress(rows)`, if given, is called as rows are read and once they are written (a
    background job's progress bar). `filename`: the file's name, kept with an opening of the
    year the import stores. Never raises for a bad file: see result.errors."""
    today = timezone.localdate()
    result = ImportResult(dry_run=dry_run)
    try:
        if layout not in (None, *LAYOUTS):
            raise ValueError(f"unknown layout {layout!r}")
        if ytd not in (None, *YTD_CHOICES):
            raise ValueError(f"unknown ytd choice {ytd!r}")
        if unit not in (None, *MONEY_UNITS):
            raise ValueError(f"unknown unit {unit!r}")
        table = read_table(read_source(source), layout, unit)
        result.layout, result.understood = table.layout, table.reading.describe()
        if table.layout == TABLE:
            year, month = table_period(table, year, month, today)
            result.year, result.month = year, month
        with transaction.atomic():
            writes = _plan(table, year, month, scope, result, today, progress, ytd)
            if result.ok and not dry_run:
                _write(writes, (filename or _source_name(source))[-100:])
            if progress is not None:
                progress(result.rows)
    except (ExcelError, IntegrityError) as err:
        result.refuse(err)
    result.discard()
    return result


def _source_name(source):
    name = str(source) if isinstance(source, str) else getattr(source, "name", "")
    return (name or "Excel")[-100:]


def table_period(table, year, month, today):
    """The month the table's 本月完成 belongs to: the one the file names, or the one given when
    it names none; given ones must agree with the file (figures would land in the wrong month)."""
    named = table.reading.period
    if named is not None and year is None and month is None:
        year, month = named.year, named.month
    if named is not None and month is None:
        month = named.month
    if year is None or month is None:
        what = _("the year") if month is not None else _("the year and month")
        raise ExcelError(
            _("The file does not say %(what)s the table is for (no title, note row or header names it); choose it.")
            % {"what": what}
        )
    check_period(year, month, today)
    if named is not None and (named.month != month or (named.year and named.year != year)):
        raise ExcelError(
            _(
                "The file is for %(title)s (%(source)s) but the import is for %(month)s; "
                "choose the month the table is for."
            )
            % {"title": named.label(), "source": named.source, "month": month_label(date(year, month, 1))}
        )
    return year, month


PROGRESS_EVERY = 1000  # rows


def _plan(table, year, month, scope, result, today, progress=None, ytd=None):
    errors = result.errors
    rows = []
    for line, raw, columns in data_rows(table):
        rows.append(parse_row(line, raw, columns, table.layout, errors))
        if progress is not None and len(rows) % PROGRESS_EVERY == 0:
            progress(len(rows) // 2)  # reading is about half the work; the writes are the rest
    if not rows:
        raise ExcelError(_("The sheet has no data rows."))
    result.rows = len(rows)
    units = UnitNames()
    for row in rows:
        _resolve_unit(row, units, errors)
    if table.layout == TABLE:
        return _plan_table(rows, year, month, scope, units, result, ytd)
    return _plan_monthly(rows, scope, units, result, today)


class UnitNames:
    """OrgUnits by full name, then by short name (one query)."""

    def __init__(self):
        self.by_id, self.by_name, self.by_short = {}, {}, {}
        for unit in OrgUnit.objects.all():
            self.by_id[unit.pk] = unit
            self.by_name.setdefault(unit.name, []).append(unit)
            if unit.short_name:
                self.by_short.setdefault(unit.short_name, []).append(unit)

    def find(self, name):
        """(unit, None) or (None, 'unknown' | 'ambiguous')."""
        for index in (self.by_name, self.by_short):
            found = index.get(name, [])
            if len(found) == 1:
                return found[0], None
            if found:
                return None, "ambiguous"
        return None, "unknown"


def _resolve_unit(row, units, errors):
    if not row.unit_name:
        return
    row.unit, problem = units.find(row.unit_name)
    params = {"row": row.line, "unit": row.unit_name}
    if problem == "unknown":
        errors.append(_("Row %(row)s: there is no responsible unit “%(unit)s”.") % params)
    elif problem == "ambiguous":
        errors.append(_("Row %(row)s: several units are called “%(unit)s”; write the full name.") % params)


def _empty(line, key):
    return _("Row %(row)s: %(column)s is empty.") % {"row": line, "column": COLUMNS[key].label}


def _may_import(scope, unit):
    return scope is None or scope.office_for(unit) or scope.owns(unit)


def _check_scope(row, unit, scope, errors):
    if not _may_import(scope, unit):
        errors.append(
            _("Row %(row)s: you may not import projects of the responsible unit “%(unit)s”.")
            % {"row": row.line, "unit": unit.name}
        )


def _chunks(items):
    items = list(items)
    for start in range(0, len(items), QUERY_CHUNK):
        yield items[start : start + QUERY_CHUNK]


def _projects_by_code(codes):
    found = {}
    for chunk in _chunks(codes):
        found.update((p.code, p) for p in Project.objects.filter(code__in=chunk))
    return found


def _projects_by_name(rows):
    """{(unit id, name): [projects]} for the rows' names and units."""
    wanted = {(row.unit.pk, row.name) for row in rows if row.unit is not None and row.name}
    unit_ids = {unit_id for unit_id, _name in wanted}
    found = {}
    for chunk in _chunks(sorted({name for _unit_id, name in wanted})):
        for project in Project.objects.filter(name__in=chunk, unit_id__in=unit_ids):
            found.setdefault((project.unit_id, project.name), []).append(project)
    return found


def _row_params(row):
    return {"row": row.line, "code": row.code, "name": row.name, "unit": row.unit_name}


def _match(rows, errors, create):
    """Set row.project: by code, else by name within the unit. When creating is allowed (the
    table), a new code may go to an uncoded project of the same name, which then takes it."""
    by_code = _projects_by_code({row.code for row in rows if row.code})
    by_name = _projects_by_name([row for row in rows if row.code not in by_code])
    for row in rows:
        if row.code in by_code:
            row.project = by_code[row.code]
            continue
        if row.code and not create:
            errors.append(_("Row %(row)s: there is no project with the code “%(code)s”.") % _row_params(row))
            continue
        if row.unit is None or not row.name:
            continue
        candidates = by_name.get((row.unit.pk, row.name), [])
        if row.code:
            candidates = [p for p in candidates if not p.code]
        if len(candidates) == 1:
            row.project = candidates[0]
        elif len(candidates) > 1:
            errors.append(
                _("Row %(row)s: %(unit)s has several projects called “%(name)s”; fill in the project code.")
                % _row_params(row)
            )
        elif not create:
            errors.append(_("Row %(row)s: %(unit)s has no project called “%(name)s”.") % _row_params(row))


def _check_duplicates(rows, errors):
    """One row per project in the table layout."""
    seen = {}
    for row in rows:
        if row.project is not None:
            key = ("project", row.project.pk)
        elif row.code:
            key = ("code", row.code)
        elif row.unit is not None:
            key = ("name", row.unit.pk, row.name)
        else:
            continue
        first = seen.setdefault(key, row.line)
        if first == row.line:
            continue
        params = {**_row_params(row), "first": first}
        if row.code:
            errors.append(_("Row %(row)s: the project code “%(code)s” is already in row %(first)s.") % params)
        else:
            errors.append(_("Row %(row)s: the project “%(name)s” of %(unit)s is already in row %(first)s.") % params)


def _plan_table(rows, year, month, scope, units, result, ytd=None):
    errors = result.errors
    _match(rows, errors, create=True)
    _check_duplicates(rows, errors)
    for row in rows:
        if row.project is not None:
            _check_scope(row, units.by_id[row.project.unit_id], scope, errors)
        if row.unit is not None and (row.project is None or row.project.unit_id != row.unit.pk):
            _check_scope(row, row.unit, scope, errors)
        if row.project is None and row.name and "total" not in row.money and "total" not in row.bad:
            errors.append(_empty(row.line, "total"))
    if errors:
        return None
    this_month = date(year, month, 1)
    ids = [row.project.pk for row in rows if row.project is not None]
    plans = _existing_plans(ids, year)
    months = _existing_months(ids, date(year, 1, 1), date(year, 12, 1))
    openings = _existing_openings(ids, year)
    before = {pk: o.amount for pk, o in openings.items()}  # project id → completed in the year before this month
    earlier = set(openings)  # projects with months (or an opening) before this month in duban
    for (project_id, month_), entry in months.items():
        if month_ < this_month:
            before[project_id] = before.get(project_id, Decimal(0)) + entry.amount
            earlier.add(project_id)
    writes = Writes()
    context = Opening(year, month, ytd, openings, earlier)
    for row in rows:
        if row.project is None:
            _create_project(row, year, this_month, writes, result, context)
        else:
            existing = (plans.get(row.project.pk), months.get((row.project.pk, this_month)))
            before_amount = before.get(row.project.pk, Decimal(0))
            _update_project(row, year, this_month, existing, before_amount, writes, result, context)
    return writes


@dataclass
class Opening:
    """What the table's 年度累计完成 does to the year's opening amount (YearOpening)."""

    year: int
    month: int
    choice: str | None  # KEEP, SHEET or None (not chosen)
    openings: dict  # project id → YearOpening of the year
    earlier: set  # project ids with months or an opening before this month

    def plan(self, row, project, before, month_amount, writes, result):
        """(extra amount added to year to date, label of the change or None). A project without
        earlier months keeps the sheet's figure as its opening; one whose months disagree with
        the sheet keeps duban's (KEEP), takes the sheet's (SHEET) or, not chosen, refuses."""
        written = row.money.get("ytd")
        if written is None or self.month == 1:
            return Decimal(0), None
        computed = before + month_amount
        if wan(written) == wan(computed):
            return Decimal(0), None
        pk = project.pk if project is not None and project.pk else None
        if pk is not None and pk in self.earlier:
            if self.choice == KEEP:
                return Decimal(0), None  # the warning of _warn_derived says what is kept
            if self.choice is None:
                result.errors.append(
                    _(
                        "Row %(row)s: 年度累计完成 is %(sheet)s 万元 in the file but %(duban)s 万元 in duban "
                        "(its months before %(month)s plus this month); choose which to keep."
                    )
                    % {"row": row.line, "sheet": wan(written), "duban": wan(computed), "month": f"{self.month}月"}
                )
                return Decimal(0), None
        extra = written - computed
        opening = self.openings.get(pk) if pk is not None else None
        amount = (opening.amount if opening else Decimal(0)) + extra
        if amount < 0:
            result.errors.append(
                _(
                    "Row %(row)s: 年度累计完成 (%(sheet)s 万元) is less than what duban holds for the year "
                    "through this month (%(duban)s 万元); correct the months or the sheet."
                )
                % {"row": row.line, "sheet": wan(written), "duban": wan(computed)}
            )
            return Decimal(0), None
        if opening is not None:
            opening.amount = amount
            writes.changed_openings.append(opening)
        else:
            writes.new_openings.append(
                YearOpening(project=project, year=self.year, as_of=self.month - 1, amount=amount, imported=True)
            )
        return extra, _("opening of the year")


def _existing_openings(ids, year):
    found = {}
    for chunk in _chunks(ids):
        found.update((o.project_id, o) for o in YearOpening.objects.filter(project_id__in=chunk, year=year))
    return found


def _existing_plans(ids, year):
    found = {}
    for chunk in _chunks(ids):
        found.update((p.project_id, p) for p in AnnualPlan.objects.filter(project_id__in=chunk, year=year))
    return found


def _existing_months(ids, first, last):
    found = {}
    for chunk in _chunks(ids):
        for entry in MonthlyInvestment.objects.filter(project_id__in=chunk, month__gte=first, month__lte=last):
            found[(entry.project_id, entry.month)] = entry
    return found


def _above_total(row, key, amount, total, errors):
    if amount is None or amount <= total:
        return False
    errors.append(
        _("Row %(row)s: %(column)s (%(amount)s 万元) is more than the total investment (%(total)s 万元).")
        % {"row": row.line, "column": COLUMNS[key].label, "amount": wan(amount), "total": wan(total)}
    )
    return True


def _amounts_fit(row, total, errors):
    """The annual plan and the month's investment cannot exceed the project's total."""
    fits = True
    for key in ("plan", "this_month"):
        if _above_total(row, key, row.money.get(key), total, errors):
            fits = False
    return fits


def _create_project(row, year, this_month, writes, result, context):
    total = row.money["total"]
    if not _amounts_fit(row, total, result.errors):
        return
    project = Project(code=row.code or None, name=row.name, unit=row.unit, total_investment=total)
    for key, attr in PROJECT_TEXTS.items():
        setattr(project, attr, row.texts.get(key, ""))
    writes.new_projects.append(project)
    plan, amount = row.money.get("plan"), row.money.get("this_month")
    if plan:
        writes.new_plans.append(AnnualPlan(project=project, year=year, amount=plan))
    if amount:
        writes.new_months.append(MonthlyInvestment(project=project, month=this_month, amount=amount))
    extra, _label = context.plan(row, project, Decimal(0), amount or Decimal(0), writes, result)
    _warn_derived(row, (amount or Decimal(0)) + extra, plan, result)
    result.count(row.line, row.name, True, [])


def _update_project(row, year, this_month, existing, before, writes, result, context):
    """`existing`: the stored (annual plan, this month's entry), either may be None; `before`:
    completed in the year before this month."""
    project, (plan, entry) = row.project, existing
    if not _amounts_fit(row, row.money.get("total", project.total_investment), result.errors):
        return
    wanted = {"name": row.name, "total_investment": row.money.get("total")}
    wanted.update({attr: row.texts.get(key) for key, attr in PROJECT_TEXTS.items()})
    if row.unit is not None:
        wanted["unit_id"] = row.unit.pk
    if row.code and not project.code:
        wanted["code"] = row.code
    changed = [COLUMNS[FIELD_COLUMNS[attr]].label for attr in _set_changed(project, wanted, writes)]

    new_plan, amount = row.money.get("plan"), row.money.get("this_month")
    if _set_amount(plan, new_plan, writes.changed_plans):
        changed.append(COLUMNS["plan"].label)
        if plan is None:
            writes.new_plans.append(AnnualPlan(project=project, year=year, amount=new_plan))
    if _set_amount(entry, amount, writes.changed_months):
        changed.append(COLUMNS["this_month"].label)
        if entry is None:
            writes.new_months.append(MonthlyInvestment(project=project, month=this_month, amount=amount))
    month_amount = amount if amount is not None else (entry.amount if entry else Decimal(0))
    plan_amount = new_plan if new_plan is not None else (plan.amount if plan else None)
    extra, label = context.plan(row, project, before, month_amount, writes, result)
    if label:
        changed.append(label)
    _warn_derived(row, before + month_amount + extra, plan_amount, result)
    result.count(row.line, row.name, False, changed)


FIELD_COLUMNS = {
    "name": "name",
    "total_investment": "total",
    "content": "content",
    "progress_text": "progress",
    "problems_text": "problems",
    "leader": "leader",
    "unit_id": "unit",
    "code": "code",
}


def _set_changed(project, wanted, writes):
    """Set the given (not None) values that differ; returns the changed attributes."""
    changed = []
    for attr, value in wanted.items():
        current = getattr(project, attr)
        if isinstance(current, str):
            current = normalize_text(current)
        if value is not None and current != value:
            setattr(project, attr, value)
            changed.append(attr)
    if changed:
        writes.changed_projects[project.pk] = project
        writes.project_fields.update(changed)
    return changed


def _set_amount(existing, amount, changed_list):
    """Whether `amount` changes what is stored (no row counts as zero); updates `existing`."""
    if amount is None:
        return False
    if existing is None:
        return amount != 0
    if existing.amount == amount:
        return False
    existing.amount = amount
    changed_list.append(existing)
    return True


def _warn_derived(row, ytd, plan, result):
    """年度累计完成 and 完成率 are computed; a file that says otherwise gets a warning. They are
    compared as the sheet shows them: 万元 and % with two decimals."""
    written = row.money.get("ytd")
    if written is not None and wan(written) != wan(ytd):
        result.warnings.append(_derived_warning(row, "ytd", wan(written) + "万元", wan(ytd) + "万元"))
    if row.pct is not None and plan:
        pct = done_pct(ytd, plan).quantize(CENT, rounding=ROUND_HALF_UP)
        if abs(row.pct - pct) > CENT:
            result.warnings.append(_derived_warning(row, "pct", f"{row.pct}%", f"{pct}%"))


def _derived_warning(row, key, written, computed):
    return _(
        "Row %(row)s: %(column)s is %(written)s in the file but %(computed)s after the import; "
        "the computed figure is kept."
    ) % {"row": row.line, "column": COLUMNS[key].label, "written": written, "computed": computed}


def _plan_monthly(rows, scope, units, result, today):
    errors = result.errors
    for row in rows:
        if row.month is not None and row.month > today:
            errors.append(
                _("Row %(row)s: %(month)s has not begun yet.") % {"row": row.line, "month": month_label(row.month)}
            )
    _match([row for row in rows if row.code or row.unit], errors, create=False)
    seen = {}
    for row in rows:
        if row.project is None:
            continue
        _check_scope(row, units.by_id[row.project.unit_id], scope, errors)
        if row.month is None:
            continue
        first = seen.setdefault((row.project.pk, row.month), row.line)
        if first != row.line:
            errors.append(
                _("Row %(row)s: %(project)s, %(month)s is already in row %(first)s.")
                % {"row": row.line, "project": row.project.name, "month": month_label(row.month), "first": first}
            )
        else:
            _above_total(row, "this_month", row.money.get("this_month"), row.project.total_investment, errors)
    if errors:
        return None
    ids = {row.project.pk for row in rows}
    months = sorted({row.month for row in rows})
    existing = _existing_months(ids, months[0], months[-1])
    writes = Writes()
    for row in rows:
        _plan_month_row(row, existing, writes, result)
    return writes


def _plan_month_row(row, existing, writes, result):
    project, amount = row.project, row.money["this_month"]
    entry = existing.get((project.pk, row.month))
    changed = _set_amount(entry, amount, writes.changed_months)
    if changed and entry is None:
        writes.new_months.append(MonthlyInvestment(project_id=project.pk, month=row.month, amount=amount))
    label = f"{project.name} {month_label(row.month)}"
    result.count(row.line, label, changed and entry is None, [COLUMNS["this_month"].label] if changed else [])


def _write(writes, source=""):
    """A few bulk statements; new projects first, so their plans and months get their ids."""
    Project.objects.bulk_create(writes.new_projects, batch_size=BATCH)
    if writes.changed_projects:
        now = timezone.now()
        for project in writes.changed_projects.values():
            project.updated_at = now
        Project.objects.bulk_update(
            list(writes.changed_projects.values()), [*sorted(writes.project_fields), "updated_at"], batch_size=BATCH
        )
    AnnualPlan.objects.bulk_create(writes.new_plans, batch_size=BATCH)
    AnnualPlan.objects.bulk_update(writes.changed_plans, ["amount"], batch_size=BATCH)
    MonthlyInvestment.objects.bulk_create(writes.new_months, batch_size=BATCH)
    MonthlyInvestment.objects.bulk_update(writes.changed_months, ["amount"], batch_size=BATCH)
    for opening in writes.new_openings:
        opening.project_id = opening.project.pk  # a new project has its id now
        opening.source = source
    YearOpening.objects.bulk_create(writes.new_openings, batch_size=BATCH)
    YearOpening.objects.bulk_update(writes.changed_openings, ["amount"], batch_size=BATCH)
    screen_hooks.project_rows_written(
        writes.new_projects,
        writes.changed_projects.values(),
        writes.new_plans,
        writes.changed_plans,
        writes.new_months,
        writes.changed_months,
    )
    audit.record(
        "import",
        "projects.project",
        note=f"{len(writes.new_projects)} new, {len(writes.changed_projects)} changed projects; "
        f"{len(writes.new_plans) + len(writes.changed_plans)} annual plans; "
        f"{len(writes.new_months)} new, {len(writes.changed_months)} changed monthly figures; "
        f"{len(writes.new_openings) + len(writes.changed_openings)} openings of the year",
    )


# Export -------------------------------------------------------------------------------------


def title(year, month):
    span = "1月" if month == 1 else f"1-{month}月"
    return f"{year}年{span}重点项目投资进展情况表"


def export_filename(year, month):
    return f"{title(year, month)}.xlsx"


MONEY_FORMAT = "#,##0.00"
PCT_FORMAT = "0.00"


def to_wan(yuan):
    """Yuan → 万元, exact (a yuan amount has two decimals, so six suffice)."""
    return (Decimal(yuan) / WAN).quantize(MICRO)


def export_workbook(projects, year, month):
    """The office's progress table for the projects (a queryset), figures through `month`."""
    projects = list(projects.select_related("unit"))
    figures = project_figures([p.pk for p in projects], year, month)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{year}年{month}月"
    columns = [COLUMNS[key] for key in TABLE_COLUMNS]
    _write_title(sheet, title(year, month), len(columns))
    sheet.append([c.header() for c in columns])
    for number, project in enumerate(projects, start=1):
        sheet.append(text_row(sheet, _project_line(number, project, figures[project.pk], columns)))
    sheet.append(_totals_line(projects, figures, columns))
    _style(sheet, columns, len(projects))
    return workbook


def export_bytes(projects, year, month):
    buffer = io.BytesIO()
    export_workbook(projects, year, month).save(buffer)
    return buffer.getvalue()


def _write_title(sheet, text, width):
    sheet.append([text])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    cell = sheet.cell(1, 1)
    cell.font = Font(bold=True, size=16)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 32


def _pct(ytd, plan):
    return done_pct(ytd, plan).quantize(CENT, rounding=ROUND_HALF_UP) if plan else None


def _project_line(number, project, fig, columns):
    values = {
        "seq": number,
        "code": project.code or "",
        "name": project.name,
        "content": project.content,
        "total": to_wan(project.total_investment),
        "plan": to_wan(fig.annual_plan),
        "this_month": to_wan(fig.this_month),
        "ytd": to_wan(fig.ytd),
        "pct": _pct(fig.ytd, fig.annual_plan),
        "progress": project.progress_text,
        "problems": project.problems_text,
        "unit": project.unit.name,
        "leader": project.leader,
    }
    return [values[c.key] for c in columns]


def _totals_line(projects, figures, columns):
    zero = Decimal(0)
    sums = {
        "total": sum((p.total_investment for p in projects), zero),
        "plan": sum((f.annual_plan for f in figures.values()), zero),
        "this_month": sum((f.this_month for f in figures.values()), zero),
        "ytd": sum((f.ytd for f in figures.values()), zero),
    }
    values = {key: to_wan(amount) for key, amount in sums.items()}
    values["seq"] = "合计"
    values["name"] = f"共{len(projects)}个项目"
    values["pct"] = _pct(sums["ytd"], sums["plan"])
    return [values.get(c.key) for c in columns]


def _style(sheet, columns, count):
    header_row, last_row = 2, count + 3
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        for row in range(header_row, last_row + 1):
            cell = sheet.cell(row, index)
            cell.border = BORDER
            if row == header_row:
                cell.font = Font(bold=True)
                cell.fill = HEADER_FILL
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                continue
            if column.money:
                cell.number_format = MONEY_FORMAT
            elif column.key == "pct":
                cell.number_format = PCT_FORMAT
            else:
                cell.alignment = Alignment(vertical="top", wrap_text=column.width >= 20)
            if row == last_row:
                cell.font = Font(bold=True)
    sheet.row_dimensions[header_row].height = 30
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{max(header_row, last_row - 1)}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def monthly_workbook(rows):
    """The monthly layout (write-only, for any size) from (code, name, unit name, month, amount
    in yuan) tuples."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("月度完成投资")
    sheet.append([COLUMNS[key].header() for key in MONTHLY_COLUMNS])
    for code, name, unit, month, amount in rows:
        sheet.append(text_row(sheet, [code, name, unit, f"{month:%Y-%m}", to_wan(amount)]))
    return workbook

"""A campaign's task list (任务清单) typed as rows on the page or read from the office's sheet
(columns 任务, 责任单位, 完成时限; a title row, 序号 and 备注 columns are understood). Reading never
writes: the rows read are shown to be checked and saved; saving is all or nothing, and an item
already on the list (same task, unit and deadline) is not added twice."""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from campaigns.models import Task
from duban import spreadsheet
from duban.spreadsheet.headers import SCAN_ROWS
from duban.spreadsheet.layout import Column, Layout
from duban.spreadsheet.reader import read_workbook as read_table
from duban.spreadsheet.rows import is_nothing
from setup.targets import find_unit, units_by_name

COLUMNS = {
    "title": {"任务", "任务名称", "工作任务", "任务内容", "具体任务", "事项", "任务事项"},
    "unit": {"责任单位", "单位", "牵头单位", "承办单位"},
    "deadline": {"完成时限", "时限", "完成时间", "截止日期", "截止时间", "办结时限"},
}
MAX_TITLE = 200
SPACES = re.compile(r"\s+")


@dataclass
class Line:
    title: str = ""
    unit_text: str = ""
    deadline_text: str = ""
    where: str = ""  # for a row read from a file: its sheet and row


@dataclass
class TaskRows:
    lines: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    understood: list = field(default_factory=list)  # what the reading layer read


def parse_date(value):
    """A deadline: a day, perhaps followed by 前 or 之前 (duban/spreadsheet/cells.py)."""
    return spreadsheet.as_date(value, endings=("之前", "前"))


def _key(value):
    return SPACES.sub("", spreadsheet.as_text(value))


TASK_LAYOUT = Layout(
    "tasks",
    (
        Column("seq", "序号", ("编号",)),
        Column("title", "任务", tuple(COLUMNS["title"] - {"任务"})),
        Column("name", "责任单位", tuple(COLUMNS["unit"] - {"责任单位"})),  # "name": where section words are
        Column("deadline", "完成时限", tuple(COLUMNS["deadline"] - {"完成时限"})),
        Column("note", "备注", ("说明",)),
    ),
    required=("title", "name", "deadline"),
)
KEYS = {"title": "title", "unit": "name", "deadline": "deadline"}


def read_workbook(data):
    """The rows of every sheet through the one reading layer (header rows anywhere, two-row and
    merged headers, a 责任单位 merged over several rows, section and hidden rows left out, hidden
    columns ignored); a sheet without a task header refuses the file, named."""
    rows_read = TaskRows()
    try:
        reading = read_table(data, TASK_LAYOUT)
    except spreadsheet.ExcelError as err:
        rows_read.errors.append(err.message)
        return rows_read
    rows_read.understood = reading.describe()
    for sheet in reading.sheets:
        name = f"“{sheet.name}”"
        missing = [TASK_LAYOUT[k].label for k in TASK_LAYOUT.required if k not in sheet.columns]
        if missing:
            rows_read.errors.append(
                _("Sheet %(sheet)s: no header row with 任务, 责任单位 and 完成时限 in its first %(n)s rows.")
                % {"sheet": name, "n": SCAN_ROWS}
            )
            continue
        columns = {what: sheet.columns[key][0] for what, key in KEYS.items()}
        letters = {what: get_column_letter(c + 1) for what, c in columns.items()}
        for number, row in sheet.rows:
            cells = {what: (row[c] if c < len(row) else None) for what, c in columns.items()}
            cells = {what: (None if is_nothing(v) else v) for what, v in cells.items()}
            if all(spreadsheet.is_blank(v) for v in cells.values()):
                continue
            deadline = cells["deadline"]
            day = parse_date(deadline)
            line = Line(
                title=spreadsheet.as_text(cells["title"]),
                unit_text=spreadsheet.as_text(cells["unit"]),
                deadline_text=day.isoformat() if day else spreadsheet.as_text(deadline),
                where=_("Sheet %(sheet)s, row %(row)s") % {"sheet": name, "row": number},
            )
            line.columns = letters
            rows_read.lines.append(line)
    if not rows_read.errors and not rows_read.lines:
        rows_read.errors.append(_("The file holds no task rows."))
    return rows_read


def posted_lines(post):
    """The rows typed on the page (title_N, unit_N, deadline_N); blank rows are left out."""
    lines = []
    numbers = sorted({int(m[1]) for k in post for m in [re.fullmatch(r"title_(\d+)", k)] if m})
    for n in numbers:
        line = Line(
            title=(post.get(f"title_{n}") or "").strip(),
            unit_text=(post.get(f"unit_{n}") or "").strip(),
            deadline_text=(post.get(f"deadline_{n}") or "").strip(),
            where=_("Row %(n)s") % {"n": n},
        )
        if line.title or line.unit_text or line.deadline_text:
            lines.append(line)
    return lines


def check(campaign, lines, units):
    """(tasks to make, errors): each line's unit by name (typed: by id) among `units`."""
    by_id = {str(unit.pk): unit for unit in units}
    by_name = units_by_name(units)
    made, errors = [], []
    for line in lines:
        cols = getattr(line, "columns", None)

        def where(what, line=line, cols=cols):
            if cols:
                return _("%(where)s, column %(column)s") % {"where": line.where, "column": cols[what]}
            return line.where

        problems = []
        if not line.title:
            problems.append((where("title"), _("the task is missing.")))
        elif len(line.title) > MAX_TITLE:
            problems.append((where("title"), _("the task is longer than %(n)s characters.") % {"n": MAX_TITLE}))
        unit = by_id.get(line.unit_text)
        if unit is None and line.unit_text:
            unit, message = find_unit(by_name, _key(line.unit_text), line.unit_text)
            if unit is None:
                problems.append((where("unit"), message))
        elif unit is None:
            problems.append((where("unit"), _("the responsible unit is missing.")))
        deadline = parse_date(line.deadline_text)
        if deadline is None:
            problems.append(
                (
                    where("deadline"),
                    _("“%(value)s” is not a date (write 2026-05-31).")
                    % {"value": spreadsheet.show(line.deadline_text)},
                )
            )
        elif deadline < campaign.start:
            problems.append((where("deadline"), _("the deadline is before the campaign starts.")))
        if problems:
            errors += [_("%(where)s: %(message)s") % {"where": w, "message": m} for w, m in problems]
        else:
            made.append(Task(campaign=campaign, title=line.title, unit=unit, deadline=deadline))
    return made, errors


@transaction.atomic
def save(campaign, tasks):
    """(added, already there)."""
    existing = set(Task.objects.filter(campaign=campaign).values_list("title", "unit_id", "deadline"))
    added = 0
    for task in tasks:
        key = (task.title, task.unit_id, task.deadline)
        if key in existing:
            continue
        task.save()
        existing.add(key)
        added += 1
    return added, len(tasks) - added

"""A list of approval batches read from the office's sheet (批次名称, 面积(亩), 耕地, 建设用地,
涉及村, 组卷, 上报, 获批, 批文号) through the one reading layer, every row checked by the same
form the page uses, all or nothing.

The rows are saved one after another inside one transaction, so a row is checked against the
batches before it in the same file (two rows over the same villages count together); a dry run
rolls the transaction back, a confirmed import commits it only when no row is refused.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from duban import spreadsheet
from duban.spreadsheet.layout import Column, Layout
from duban.spreadsheet.reader import read_workbook
from duban.spreadsheet.rows import is_nothing
from land.forms import BatchForm
from org.models import OrgUnit

LAYOUT = Layout(
    "land_batches",
    (
        Column("seq", "序号", ("编号",)),
        Column("name", "批次名称", ("批次", "报批批次", "名称")),
        Column("area", "面积", ("报批面积", "总面积", "用地面积"), suffix="亩"),
        Column("farmland", "耕地", ("其中耕地", "耕地面积"), suffix="亩"),
        Column("construction", "建设用地", ("其中建设用地", "建设用地面积"), suffix="亩"),
        Column("villages", "涉及村", ("所涉村", "征迁村", "村", "涉及村庄")),
        Column("packaged_on", "组卷日期", ("组卷", "组卷时间")),
        Column("submitted_on", "上报日期", ("上报", "上报时间")),
        Column("approved_on", "获批日期", ("获批", "获批时间", "批复日期")),
        Column("approval_number", "批文号", ("批复文号", "文号")),
    ),
    required=("name", "area", "villages"),
)
FIELDS = {
    "name": "name",
    "area": "area",
    "farmland": "farmland_area",
    "construction": "construction_area",
    "packaged_on": "packaged_on",
    "submitted_on": "submitted_on",
    "approved_on": "approved_on",
    "approval_number": "approval_number",
}
SPLIT = re.compile(r"[、,，;；\s]+")
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass
class Outcome:
    rows: list = field(default_factory=list)  # [(where, data)] read
    errors: list = field(default_factory=list)
    understood: list = field(default_factory=list)
    saved: int = 0


class _DryRun(Exception):
    pass


def _cell_text(value):
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = spreadsheet.as_text(value).strip()
    m = DATE_TEXT.match(text)
    return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}" if m else text


def read(data):
    """[(where, {form field: text, "villages": [names]})] and the file's errors."""
    outcome = Outcome()
    try:
        reading = read_workbook(data, LAYOUT)
    except spreadsheet.ExcelError as err:
        outcome.errors.append(err.message)
        return outcome
    outcome.understood = reading.describe()
    for sheet in reading.sheets:
        missing = [LAYOUT[k].label for k in LAYOUT.required if k not in sheet.columns]
        if missing:
            outcome.errors.append(
                _("Sheet “%(sheet)s”: no header row with %(columns)s.")
                % {"sheet": sheet.name, "columns": "、".join(missing)}
            )
            continue
        columns = {key: index for key, (index, _unit) in sheet.columns.items()}
        for number, row in sheet.rows:
            cells = {key: (row[i] if i < len(row) else None) for key, i in columns.items()}
            cells = {key: (None if is_nothing(v) else v) for key, v in cells.items()}
            if all(spreadsheet.is_blank(v) for k, v in cells.items() if k != "seq"):
                continue
            values = {FIELDS[k]: _cell_text(v) for k, v in cells.items() if k in FIELDS}
            values["villages"] = [n for n in SPLIT.split(_cell_text(cells.get("villages"))) if n]
            where = _("Sheet “%(sheet)s”, row %(row)s") % {"sheet": sheet.name, "row": number}
            values["_letters"] = {k: get_column_letter(i + 1) for k, i in columns.items()}
            outcome.rows.append((where, values))
    if not outcome.errors and not outcome.rows:
        outcome.errors.append(_("The file holds no batch rows."))
    return outcome


def check_and_save(outcome, unit, scope, commit):
    """Check every row with the page's form (against the records and the rows above it); save
    them all when `commit` and none is refused, else nothing."""
    if outcome.errors:
        return outcome
    villages = {v.name: v for v in scope.office_units().filter(kind=OrgUnit.Kind.VILLAGE)}
    try:
        with transaction.atomic():
            for where, values in outcome.rows:
                unknown = [n for n in values["villages"] if n not in villages]
                if unknown:
                    outcome.errors.append(
                        _("%(where)s: no village named %(names)s in your office's zone.")
                        % {"where": where, "names": "、".join(unknown)}
                    )
                    continue
                data = {k: v for k, v in values.items() if not k.startswith("_") and k != "villages"}
                data |= {"unit": unit.pk, "villages": [villages[n].pk for n in values["villages"]]}
                form = BatchForm(data, scope=scope)
                if not form.is_valid():
                    for name, errors in form.errors.items():
                        label = form.fields[name].label if name in form.fields else ""
                        for error in errors:
                            outcome.errors.append(
                                _("%(where)s, %(field)s: %(message)s")
                                % {"where": where, "field": label, "message": error}
                            )
                    continue
                form.save()
                outcome.saved += 1
            if outcome.errors or not commit:
                raise _DryRun
    except _DryRun:
        if commit:
            outcome.saved = 0
    return outcome

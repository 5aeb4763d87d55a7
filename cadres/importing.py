"""The roster from the organisation department's sheet (组织部的抽调干部花名册), read through the one
reading layer (duban/spreadsheet read_workbook): 序号, 姓名, 性别, 原单位, 职务, 职级, 派驻单位, 岗位,
起止时间 (or 起始时间 and 结束时间), 工作组, 联系电话. Reading never writes; the import is all or
nothing: one row wrong (an unknown unit, dates out of order, a cadre lent twice at once) and
nothing is stored, every wrong row named."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

import audit
from cadres.models import HOME_KINDS, POSTED_KINDS, Assignment, Cadre
from cadres.roster import assignment_errors, dates_error, span
from duban import spreadsheet
from duban.punctuation import bracketed, labelled, reasons
from duban.spreadsheet.layout import Column, Layout
from duban.spreadsheet.reader import read_workbook
from duban.spreadsheet.rows import is_nothing
from org.models import OrgUnit

LAYOUT = Layout(
    "cadres",
    (
        Column("seq", "序号", ("编号",)),
        Column("name", "姓名", ("干部姓名",)),
        Column("gender", "性别"),
        Column("department", "原单位", ("派出单位", "所在单位", "工作单位", "原工作单位")),
        Column("post", "职务", ("现任职务",)),
        Column("rank", "职级"),
        Column("unit", "派驻单位", ("抽调至", "派驻指挥部", "挂钩指挥部", "抽调单位")),
        Column("role", "岗位", ("角色", "职责", "分工")),
        Column("span", "起止时间", ("抽调时间",)),
        Column("start", "起始时间", ("开始时间", "起始日期")),
        Column("end", "结束时间", ("截止时间", "结束日期")),
        Column("team", "工作组", ("组别", "分组")),
        Column("phone", "联系电话", ("电话", "手机")),
        Column("note", "备注"),
    ),
    required=("name", "department", "unit"),
)
ROLES = {
    "挂钩处级领导": Assignment.Role.LEADER,
    "处级领导": Assignment.Role.LEADER,
    "指挥长": Assignment.Role.LEADER,
    "组长": Assignment.Role.HEAD,
    "副组长": Assignment.Role.DEPUTY,
    "组员": Assignment.Role.MEMBER,
    "成员": Assignment.Role.MEMBER,
    "": Assignment.Role.MEMBER,
    "联络员": Assignment.Role.LIAISON,
}
GENDERS = {"男": Cadre.Gender.MALE, "女": Cadre.Gender.FEMALE, "": ""}
DATE = spreadsheet.DAY
OPEN_END = {"", "至今", "今", "—", "——", "-", "－"}


@dataclass
class Row:
    where: str
    name: str
    gender: str
    department: OrgUnit
    post: str
    rank: str
    unit: OrgUnit
    role: str
    start: date
    end: date | None
    team: str
    phone: str


@dataclass
class Reading:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    understood: list = field(default_factory=list)


parse_day = spreadsheet.as_date


def parse_span(value):
    """ "2020-09-26至2020-12-31", "2020.9.26—至今" → (start, end or None); (None, None) if unread."""
    text = re.sub(r"\s+", "", spreadsheet.as_text(value))
    found = list(DATE.finditer(text))
    if not found:
        return None, None
    start = parse_day(found[0][0])
    end = parse_day(found[1][0]) if len(found) > 1 else None
    return start, end


def _units(zone, kinds):
    found = {}
    for unit in OrgUnit.objects.filter(zone.within_q(), kind__in=kinds):
        for name in {unit.name, unit.short_name} - {""}:
            found.setdefault(name, unit)
    return found


def read(data, zone):
    """A Reading of the file: the rows understood, or the errors of every wrong row."""
    reading = Reading()
    try:
        book = read_workbook(data, LAYOUT)
    except spreadsheet.ExcelError as err:
        reading.errors.append(err.message)
        return reading
    reading.understood = book.describe()
    departments, posted = _units(zone, HOME_KINDS), _units(zone, POSTED_KINDS)
    outside = {u.name for u in OrgUnit.objects.exclude(zone.within_q())}
    batch = {}  # (name, department id) -> [(start, end, unit name, where)]
    for sheet in book.sheets:
        if not all(k in sheet.columns for k in LAYOUT.required):
            reading.errors.append(
                _("Sheet “%(sheet)s”: no header with 姓名, 原单位 and 派驻单位.") % {"sheet": sheet.name}
            )
            continue
        cols = {k: index for k, (index, _unit) in sheet.columns.items()}
        for number, raw in sheet.rows:
            cells = {k: (raw[i] if i < len(raw) else None) for k, i in cols.items()}
            cells = {k: (None if is_nothing(v) else v) for k, v in cells.items()}
            text = {k: spreadsheet.as_text(v).strip() for k, v in cells.items()}
            if not text.get("name"):
                continue
            where = _("Sheet “%(sheet)s”, row %(row)s") % {"sheet": sheet.name, "row": number}
            errors = []
            department = departments.get(text["department"])
            if department is None:
                errors.append(
                    _("unknown home unit “%(unit)s” (not a department or town of %(zone)s)")
                    % {"unit": text["department"], "zone": zone.name}
                )
            unit = posted.get(text["unit"])
            if unit is None:
                if text["unit"] in outside:
                    errors.append(_("“%(unit)s” is outside %(zone)s") % {"unit": text["unit"], "zone": zone.name})
                else:
                    errors.append(_("unknown unit lent to “%(unit)s”") % {"unit": text["unit"]})
            role = ROLES.get(text.get("role", ""))
            if role is None:
                errors.append(
                    _("unknown role “%(role)s” (组长, 副组长, 组员, 联络员 or 挂钩处级领导)") % {"role": text["role"]}
                )
            gender = GENDERS.get(text.get("gender", ""))
            if gender is None:
                errors.append(_("gender must be 男 or 女, not “%(g)s”") % {"g": text["gender"]})
            if "start" in cells and cells["start"] is not None:
                start = parse_day(cells["start"])
                end_text = text.get("end", "")
                end = None if end_text in OPEN_END else parse_day(cells.get("end"))
                if end is None and end_text not in OPEN_END:
                    errors.append(_("the to-date “%(d)s” is not a date") % {"d": end_text})
            else:
                start, end = parse_span(cells.get("span"))
            if start is None:
                errors.append(_("no from-date (起止时间 as 2020-09-26至2020-12-31, or 起始时间)"))
            elif dates_error(start, end):
                errors.append(dates_error(start, end))
            if errors:
                reading.errors.append(labelled(bracketed(where, text["name"]), reasons(errors)))
                continue
            key = (text["name"], department.pk, text.get("post", ""))
            for other_start, other_end, other_unit, other_where in batch.get(key, []):
                if (other_end is None or start <= other_end) and (end is None or other_start <= end):
                    clash = _(
                        "lent to %(unit)s over %(span)s in %(where)s as well: one cadre serves one unit at a time"
                    )
                    clash %= {"unit": other_unit, "span": span(other_start, other_end), "where": other_where}
                    reading.errors.append(labelled(bracketed(where, text["name"]), clash))
                    break
            else:
                batch.setdefault(key, []).append((start, end, unit.name, where))
                reading.rows.append(
                    Row(
                        where,
                        text["name"],
                        gender,
                        department,
                        text.get("post", ""),
                        text.get("rank", ""),
                        unit,
                        role,
                        start,
                        end,
                        text.get("team", ""),
                        text.get("phone", ""),
                    )
                )
    if not reading.errors:
        existing = {(c.name, c.department_id, c.post): c for c in Cadre.objects.filter(zone=zone)}
        for row in reading.rows:
            cadre = existing.get((row.name, row.department.pk, row.post))
            problems = assignment_errors(zone, cadre, row.department, row.unit, row.start, row.end)
            if problems:
                reading.errors.append(labelled(bracketed(row.where, row.name), reasons(problems)))
    if not reading.errors and not reading.rows:
        reading.errors.append(_("The file holds no cadre rows."))
    return reading


@transaction.atomic
def save(reading, zone, user):
    """Write the rows read (none when there is an error): new cadres and their assignments, in bulk,
    recorded in the audit trail as one import."""
    assert not reading.errors
    existing = {(c.name, c.department_id, c.post): c for c in Cadre.objects.filter(zone=zone)}
    new = {}
    for row in reading.rows:
        key = (row.name, row.department.pk, row.post)
        if key not in existing and key not in new:
            new[key] = Cadre(
                zone=zone,
                name=row.name,
                gender=row.gender,
                department=row.department,
                post=row.post,
                rank=row.rank,
                phone=row.phone,
            )
    Cadre.objects.bulk_create(list(new.values()), batch_size=1000)  # PostgreSQL and SQLite return the ids
    existing.update(new)
    Assignment.objects.bulk_create(
        [
            Assignment(
                zone=zone,
                cadre=existing[(row.name, row.department.pk, row.post)],
                department=row.department,
                unit=row.unit,
                role=row.role,
                team=row.team,
                start=row.start,
                end=row.end,
                created_by=user,
            )
            for row in reading.rows
        ],
        batch_size=1000,
    )
    audit.record(
        "import", "cadres.assignment", note=f"{zone.name}: {len(new)} new cadres, {len(reading.rows)} assignments"
    )
    return len(reading.rows)

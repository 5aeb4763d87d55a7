"""A campaign's targets as one grid (units × indicators): typed on the page, or read from the
office's 目标任务分解表 in Excel (units down, indicators across; a title row, a note row
单位:…, a 合计 row and a 序号 column are understood). Reading never writes: the grid read from a
file is shown on the page to be checked and saved. Saving is all or nothing.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter

from campaigns.models import Target
from duban import spreadsheet
from duban.numbers import to_decimal
from duban.spreadsheet.layout import Column, Layout
from duban.spreadsheet.reader import read_workbook as read_table
from duban.spreadsheet.wording import MONEY_UNITS, words
from duban.templatetags.duban import num
from org.models import OrgUnit

UNIT_HEADERS = {
    "单位",
    "单位名称",
    "责任单位",
    "参与单位",
    "指挥部",
    "部门",
    "乡镇",
    "乡镇(街道)",
    "单位/指标",
    "指标/单位",
}
IGNORED_HEADERS = {"序号", "编号", "备注", "说明"}
PLACEHOLDERS = {"", "—", "-", "--", "——", "/", "无", "／"}
SPACES = re.compile(r"\s+")


def cell_name(field_unit, field_indicator):
    return f"t_{field_unit}_{field_indicator}"


def _key(text):
    return SPACES.sub("", spreadsheet.as_text(text)).translate(str.maketrans("（）", "()"))


@dataclass
class Grid:
    """{(unit id, indicator id): text as typed} and the messages about it."""

    values: dict = field(default_factory=dict)
    units: list = field(default_factory=list)  # the units of the rows, in order
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    understood: list = field(default_factory=list)  # what the reading layer read (a file's grid)


def parse_amount(text):
    """(Decimal or None, error): blank, 0 and the usual placeholders are no target."""
    text = SPACES.sub("", spreadsheet.as_text(text))
    if text in PLACEHOLDERS:
        return None, None
    try:
        amount = to_decimal(text)
    except ValueError:
        return None, "nan"
    if amount < 0:
        return None, "negative"
    if amount == 0:
        return None, None
    if amount.as_tuple().exponent < -2 or amount >= 10**16:
        return None, "digits"
    return amount, None


def amount_message(kind, text):
    return {
        "nan": _("“%(value)s” is not a number."),
        "negative": _("“%(value)s” is negative; a target is a positive number."),
        "digits": _("“%(value)s” has too many digits (at most 16 before and 2 after the decimal point)."),
    }[kind] % {"value": spreadsheet.show(text)}


def allowed_units(campaign, office_units):
    """Units that may take part: the campaign's tree (its owner's subtree) within the office's."""
    return office_units.filter(campaign.owner.within_q()).order_by("path")


def check_posted(post, allowed, indicators):
    """The grid as posted from the page (fields t_<unit>_<indicator>). A unit outside the
    campaign's tree, or an indicator not chosen, is an error."""
    grid = Grid()
    by_id = {u.pk: u for u in allowed}
    chosen = {i.pk: i for i in indicators}
    seen = []
    for name, text in post.items():
        m = re.fullmatch(r"t_(\d+)_(\d+)", name)
        if not m:
            continue
        unit_id, indicator_id = int(m[1]), int(m[2])
        unit, indicator = by_id.get(unit_id), chosen.get(indicator_id)
        if unit is None:
            grid.errors.append(_("Unit #%(id)s is not in this campaign's unit tree.") % {"id": unit_id})
            continue
        if indicator is None:
            grid.errors.append(_("Indicator #%(id)s was not chosen for this campaign.") % {"id": indicator_id})
            continue
        amount, error = parse_amount(text)
        if error:
            grid.errors.append(
                _("%(unit)s · %(indicator)s: %(message)s")
                % {"unit": unit.name, "indicator": indicator.name, "message": amount_message(error, text)}
            )
        grid.values[(unit_id, indicator_id)] = amount
        if unit not in seen:
            seen.append(unit)
    grid.units = sorted(seen, key=lambda u: u.path)
    return grid


def _where(sheet_no, row, col):
    return _("Sheet %(sheet)s, row %(row)s, column %(column)s") % {
        "sheet": sheet_no,
        "row": row,
        "column": get_column_letter(col + 1),
    }


def target_layout(indicators):
    """The reading layer's Layout of a 目标任务分解表: the unit column (key "name", where section
    and total words are written), 序号 and 备注, and a column per indicator (by name or code; an
    indicator counted in money is read in the unit the sheet gives, as every importer reads it)."""
    columns = [
        Column("seq", "序号", ("编号",)),
        Column("name", "单位", tuple(UNIT_HEADERS - {"单位"})),
        Column("note", "备注", ("说明",)),
    ]
    for indicator in indicators:
        aliases = (indicator.code,) if indicator.code else ()
        columns.append(
            Column(f"i{indicator.pk}", indicator.name, aliases, money=indicator.unit_of_measure in MONEY_UNITS)
        )
    return Layout("targets", tuple(columns), required=("name",))


def units_by_name(units):
    """{name or short name, spaces removed: [units]}."""
    found = {}
    for unit in units:
        for name in {_key(unit.name), _key(unit.short_name)} - {""}:
            found.setdefault(name, []).append(unit)
    return found


def find_unit(by_name, name, typed):
    """(unit, None) or (None, the reason in a sentence)."""
    units = by_name.get(name, [])
    if len(units) == 1:
        return units[0], None
    if units:
        return None, _("several units are called “%(value)s”; write the one meant in full (%(names)s).") % {
            "value": spreadsheet.show(typed),
            "names": "、".join(f"{u.parent.name if u.parent_id else ''}{u.name}" for u in units),
        }
    return None, _("“%(value)s” is not a unit of this campaign's unit tree.") % {"value": spreadsheet.show(typed)}


def read_workbook(data, allowed, indicators):
    """The grid read from a 目标任务分解表 through the one reading layer: every sheet read (header
    rows anywhere, two-row and merged headers, section, 合计 and hidden rows left out, hidden
    columns ignored), or the file refused naming the sheets without a table. Rows, columns and
    sheets are named as Excel does."""
    grid = Grid()
    by_name = units_by_name(allowed)
    by_key = {f"i{i.pk}": i for i in indicators}
    money = [i.unit_of_measure for i in indicators if i.unit_of_measure in MONEY_UNITS]
    try:
        reading = read_table(data, target_layout(indicators), unit=money[0] if money else None)
    except spreadsheet.ExcelError as err:
        grid.errors.append(err.message)
        return grid
    grid.understood = reading.describe()
    where_seen = {}
    for sheet in reading.sheets:
        sheet_no, header_row = f"“{sheet.name}”", sheet.header_rows[-1] - 1
        unit_col = sheet.columns["name"][0]
        _unknown_columns(grid, sheet, sheet_no, indicators)
        columns = {}  # column index → (indicator, factor to the indicator's unit)
        for key, (c, unit) in sheet.columns.items():
            indicator = by_key.get(key)
            if indicator is None:
                continue
            written = words(sheet.headers[key]).unit
            if indicator.unit_of_measure in MONEY_UNITS:
                factor = MONEY_UNITS[unit] / MONEY_UNITS[indicator.unit_of_measure] if unit else Decimal(1)
                if written is None and unit == (money[0] if money else None):
                    factor = Decimal(1)  # nothing in the sheet says: the indicator's own unit
                columns[c] = (indicator, factor)
            elif written and _key(written) != _key(indicator.unit_of_measure):
                grid.errors.append(
                    _("%(where)s: the column is in “%(given)s”, the indicator “%(name)s” in “%(unit)s”.")
                    % {
                        "where": _where(sheet_no, header_row + 1, c),
                        "given": written,
                        "name": indicator.name,
                        "unit": indicator.unit_of_measure,
                    }
                )
            else:
                columns[c] = (indicator, Decimal(1))
        sums = dict.fromkeys(columns, Decimal(0))
        for number, row in sheet.rows:
            name = _key(row[unit_col]) if unit_col < len(row) else ""
            if not name:
                if any(not spreadsheet.is_blank(row[c]) for c in columns if c < len(row)):
                    grid.errors.append(
                        _("%(where)s: the unit is missing.") % {"where": _where(sheet_no, number, unit_col)}
                    )
                continue
            unit, message = find_unit(by_name, name, row[unit_col])
            if unit is None:
                grid.errors.append(
                    _("%(where)s: %(message)s") % {"where": _where(sheet_no, number, unit_col), "message": message}
                )
                continue
            for c, (indicator, factor) in columns.items():
                value = row[c] if c < len(row) else None
                amount, error = parse_amount(value)
                if not error and amount is not None and factor != 1:
                    amount, error = _in_unit(amount * factor)
                if error:
                    grid.errors.append(
                        _("%(where)s: %(message)s")
                        % {"where": _where(sheet_no, number, c), "message": amount_message(error, value)}
                    )
                    continue
                key = (unit.pk, indicator.pk)
                if key in where_seen and amount is not None:
                    grid.errors.append(
                        _("%(where)s: %(unit)s · %(indicator)s is given twice (first at %(first)s).")
                        % {
                            "where": _where(sheet_no, number, c),
                            "unit": unit.name,
                            "indicator": indicator.name,
                            "first": where_seen[key],
                        }
                    )
                    continue
                if amount is not None or key not in grid.values:
                    grid.values[key] = amount
                if amount is not None:
                    where_seen[key] = _where(sheet_no, number, c)
                    sums[c] += amount
            if unit not in grid.units:
                grid.units.append(unit)
        for number, _row in sheet.total_rows:
            grid.notes.append(
                _("Sheet %(sheet)s, row %(row)s: the total row is not read.") % {"sheet": sheet_no, "row": number}
            )
        grid.notes += _check_totals(sheet_no, sheet.total_rows, sums, columns)
    if not grid.errors and not grid.units:
        grid.errors.append(_("The file holds no unit rows."))
    return grid


def _in_unit(amount):
    """An amount converted to the indicator's unit, with its two decimals."""
    if amount >= 10**16:
        return None, "digits"
    return amount.quantize(Decimal("0.01")), None


def _unknown_columns(grid, sheet, sheet_no, indicators):
    """A headed column that is no indicator of the campaign (nor 序号, 备注, nor hidden) is an error."""
    row = sheet.header_rows[0]
    for col, text, reason in sheet.ignored:
        if reason:
            continue
        grid.errors.append(
            _("%(where)s: “%(value)s” is not an indicator of this campaign (its indicators: %(names)s).")
            % {
                "where": _where(sheet_no, row, column_index_from_string(col) - 1),
                "value": spreadsheet.show(text),
                "names": "、".join(i.name for i in indicators) or "—",
            }
        )


def _check_totals(sheet_no, totals, sums, columns):
    """The sheet's own 合计 row against the sum of its unit rows: a difference is said, not
    refused (the total may count a unit outside the campaign, or be typed by hand)."""
    notes = []
    for number, row in totals:
        for c, total in sums.items():
            given, error = parse_amount(row[c] if c < len(row) else None)
            if not error and given is not None and columns[c][1] != 1:
                given, error = _in_unit(given * columns[c][1])
            if error or given is None or given == total:
                continue
            notes.append(
                _("%(where)s: the sheet's total %(given)s differs from the sum of its units, %(sum)s.")
                % {"where": _where(sheet_no, number, c), "given": num(given), "sum": num(total)}
            )
    return notes


@transaction.atomic
def save(campaign, plan, grid, indicators):
    """Store the grid: a number is the target, blank removes it. The units with a target join the
    plan. Returns (created, updated, removed)."""
    existing = {(t.unit_id, t.indicator_id): t for t in Target.objects.filter(campaign=campaign)}
    chosen = {i.pk for i in indicators}
    created = updated = removed = 0
    for (unit_id, indicator_id), amount in grid.values.items():
        if indicator_id not in chosen:
            continue
        target = existing.get((unit_id, indicator_id))
        if amount is None:
            if target is not None:
                target.delete()
                removed += 1
        elif target is None:
            Target.objects.create(campaign=campaign, unit_id=unit_id, indicator_id=indicator_id, amount=amount)
            created += 1
        elif target.amount != amount:
            target.amount = amount
            target.save(update_fields=["amount"])
            updated += 1
    plan.units.add(*OrgUnit.objects.filter(pk__in={u for u, _i in grid.values}))
    return created, updated, removed

"""Importing the statistics office's table of economic indicators through the one reading layer
(duban.spreadsheet.read_workbook): one row per indicator, the columns 指标名称, 本月, 1-N月累计 and
比增(%) as the statistics office heads them; the unit of money in a note row (单位:亿元), the
headers or a 计量单位 column (per row); the month from the title (2021年1-3月…) or the headers
(1-3月累计); every sheet read. A dry run first; then all rows saved or none.

A 比增 column is never stored (growth is computed): it is checked against the growth computed
from the file's figure and last year's stored one, and a disagreement is reported.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from duban import spreadsheet
from duban.spreadsheet.context import letter
from duban.spreadsheet.layout import Column, Layout
from duban.spreadsheet.reader import read_workbook
from duban.spreadsheet.wording import MONEY_UNITS, unit_word
from economy import entry, growth
from economy.models import EconomicIndicator

LAYOUT = Layout(
    "economy",
    (
        Column("name", "指标名称", aliases=("指标", "指标名", "项目", "主要指标", "名称")),
        Column("measure", "计量单位", aliases=("单位",)),
        Column(
            "month_value",
            "本月",
            aliases=("本月数", "当月", "本月完成", "当月完成"),
            money=True,
            month_aliases=("", "完成", "本月"),
        ),
        Column(
            "cumulative",
            "累计",
            aliases=("累计数", "累计完成", "本年累计", "1-本月累计"),
            money=True,
            span_aliases=("累计", "累计完成", "完成", "累计数"),
        ),
        Column("growth", "比增", aliases=("比增%", "同比增长", "同比增长%", "增长", "增幅", "比增(%)", "同比")),
    ),
    required=("name", "cumulative"),
)


def _indicator_names():
    names = {}
    for indicator in EconomicIndicator.objects.all():
        for name in (indicator.name, indicator.short_name, indicator.code):
            if name:
                names[name.replace(" ", "")] = indicator
    return names


def _cell(raw, column):
    return raw[column[0]] if column and column[0] < len(raw) else None


def _in_indicator_unit(value, file_unit, indicator):
    """A Decimal in the file's unit of money → the indicator's unit (亿元 / 万元)."""
    if not isinstance(value, Decimal) or file_unit is None or file_unit == indicator.unit_of_measure:
        return value
    return value * MONEY_UNITS[file_unit] / MONEY_UNITS[indicator.unit_of_measure]


def import_file(data, unit, year=None, month=None, money_unit=None, user=None, dry_run=False, filename="", reason=""):
    """An ImportResult; nothing is written on a dry run or when there is any error. `reason`: why
    stored figures change (a revision of a past month needs one)."""
    result = spreadsheet.ImportResult(layout="economy", dry_run=dry_run)
    try:
        reading = read_workbook(data, LAYOUT, unit=money_unit)
    except spreadsheet.ExcelError as err:
        result.refuse(err)
        return result
    result.understood = reading.describe()
    period = reading.period
    if period is not None and period.year and year and period.year != year:
        result.errors.append(
            _("The file is for %(period)s, not for %(year)s as chosen for the import.")
            % {"period": period.label(), "year": year}
        )
        return result
    year = year or (period.year if period else None)
    month = (period.month if period else None) or month
    if period is not None and month and period.month != month:
        result.errors.append(
            _("The file is for %(period)s, not for month %(month)s as chosen for the import.")
            % {"period": period.label(), "month": month}
        )
        return result
    if not year or not month:
        result.errors.append(_("The file does not say its year and month; choose them for the import."))
        return result
    result.year, result.month = year, month
    names = _indicator_names()
    rows, seen, checks, lines = [], {}, [], {}
    for sheet in reading.sheets:
        cols = sheet.columns
        for line, raw in sheet.rows:
            where = _("Sheet “%(sheet)s”, row %(row)s") % {"sheet": sheet.name, "row": line}
            name = spreadsheet.as_text(_cell(raw, cols.get("name"))).replace(" ", "")
            if not name:
                continue
            indicator = names.get(name)
            if indicator is None:
                result.warnings.append(
                    _("%(where)s: “%(name)s” is not in the indicator catalogue; left out.")
                    % {"where": where, "name": name}
                )
                continue
            if indicator.pk in seen:
                result.errors.append(
                    _("%(where)s: %(name)s is already given in %(first)s.")
                    % {"where": where, "name": indicator.name, "first": seen[indicator.pk]}
                )
                continue
            seen[indicator.pk] = where
            measure = spreadsheet.as_text(_cell(raw, cols.get("measure")))
            row_unit = unit_word(measure) if measure else None
            if measure and row_unit not in MONEY_UNITS:
                result.errors.append(
                    _("%(where)s: the unit “%(unit)s” is not understood (write 元, 万元 or 亿元).")
                    % {"where": where, "unit": measure}
                )
                continue
            values = {}
            for key in ("month_value", "cumulative"):
                if key not in cols:
                    continue
                raw_value = _cell(raw, cols[key])
                if spreadsheet.is_blank(raw_value):
                    continue
                parsed = entry.parse_value(raw_value, indicator, entry.field_label(key))
                if isinstance(parsed, str):
                    result.errors.append(
                        _("%(where)s (column %(column)s): %(message)s")
                        % {"where": where, "column": letter(cols[key][0]), "message": parsed}
                    )
                    continue
                values[key] = _in_indicator_unit(parsed, row_unit or cols[key][1], indicator)
            if indicator.cumulative_only:
                values.pop("month_value", None)
            if not values:
                continue
            rows.append((indicator, values, reason))
            lines[indicator.pk] = line
            typed_growth = _cell(raw, cols.get("growth"))
            if not spreadsheet.is_blank(typed_growth):
                checks.append((where, indicator, typed_growth))
    if result.errors:
        result.discard()
        return result
    try:
        changes = entry.check(unit, year, month, rows)
    except entry.EntryError as err:
        result.errors += err.messages
        result.discard()
        return result
    for change in changes:
        result.count(
            lines[change.indicator.pk],
            change.indicator.name,
            change.figure is None,
            [entry.field_label(f) for f in change.values],
        )
    result.rows = len(rows)
    try:
        with transaction.atomic():
            entry.apply(unit, year, month, changes, user=user, source=filename)
            _check_growth(result, unit, year, month, checks)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as err:  # the database refused: nothing saved
        result.refuse(err)
    return result


def _check_growth(result, unit, year, month, checks):
    """The file's 比增 against the growth computed from the stored figures (after this file)."""
    if not checks:
        return
    computed = {r.indicator.pk: r for r in growth.readings(unit, year, month, [c[1] for c in checks])}
    for where, indicator, typed in checks:
        text = spreadsheet.as_text(typed).rstrip("%％")
        try:
            number = spreadsheet.as_decimal(text)
        except ValueError:
            result.warnings.append(
                _("%(where)s: the 比增 “%(value)s” is not a number; it is not kept (growth is computed).")
                % {"where": where, "value": typed}
            )
            continue
        reading = computed[indicator.pk]
        if reading.growth is None:
            result.warnings.append(
                _("%(where)s: the file gives %(name)s a 比增 of %(typed)s%%, but %(note)s.")
                % {"where": where, "name": indicator.name, "typed": text, "note": reading.growth_note}
            )
            continue
        places = max(0, -number.as_tuple().exponent)
        mine = growth.rounded(reading.growth, places)
        if mine != number:
            result.warnings.append(
                _(
                    "%(where)s: the file gives %(name)s a 比增 of %(typed)s%%; computed from the figures it is "
                    "%(computed)s%%."
                )
                % {"where": where, "name": indicator.name, "typed": text, "computed": mine}
            )

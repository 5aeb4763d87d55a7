"""What a sheet says about all its figures, wherever a person would write it: the unit of money
(a header's own bracket, a sub-header, a note row 单位:亿元 or the title's (单位:万元)) and the
period (the title 2021年1-5月…, a note row 统计时段:2021年5月, a header such as 1-5月累计完成 or
5月完成投资). A 填报日期 (or any date of filling in, sending or printing) is not the period.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from duban.spreadsheet.files import ExcelError

NOT_PERIOD = re.compile(r"填报|填表|报送|上报|制表|打印|日期|时间")
_PERIOD = re.compile(r"(\d{4})\s*年\s*(?:度\s*)?(?:(\d{1,2})\s*月?\s*[-－—–―~～〜至到]\s*)?(\d{1,2})\s*月")
_UNIT_NOTE = re.compile(r"(?:金额|计量)?单位\s*[:：]?\s*(万元|亿元|元)")
_TITLE_UNIT = re.compile(r"[（(]\s*(万元|亿元)\s*[)）]")


@dataclass(frozen=True)
class Found:
    value: object
    row: int  # Excel row number
    column: int  # 0-based
    text: str


def letter(index):
    """0 → 'A', 27 → 'AB'."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cells(grid, first, last):
    for r in range(first, min(last, len(grid))):
        seen = set()
        for c, value in enumerate(grid[r]):
            if isinstance(value, str) and value.strip() and value not in seen:
                seen.add(value)  # a merged title is one cell, not one per column
                yield r, c, value.strip()


def unit_note(grid, header):
    """Found(unit) of a note above the header or in its rows (单位:亿元), or of the title ((亿元))."""
    for r, c, text in _cells(grid, 0, header.data_start):
        if match := _UNIT_NOTE.search(text):
            return Found(match[1], r + 1, c, text)
    for r, c, text in _cells(grid, 0, header.first):
        if match := _TITLE_UNIT.search(text):
            return Found(match[1], r + 1, c, text)
    return None


def period_note(grid, header):
    """Found((year, month)) a title or note row above the header names, or None; a 填报日期 is not
    the period."""
    for r, c, text in _cells(grid, 0, header.first):
        if NOT_PERIOD.search(text):
            continue
        match = _PERIOD.search(text)
        if match and 1 <= int(match[3]) <= 12:
            return Found((int(match[1]), int(match[3])), r + 1, c, text)
    return None


@dataclass(frozen=True)
class Period:
    year: int | None
    month: int
    source: str  # what said so, for the dry run

    def label(self):
        return f"{self.year}年{self.month}月" if self.year else f"{self.month}月"


def sheet_period(sheet_name, grid, header):
    """The sheet's Period, or None when nothing in it tells. A header naming another month than
    the title refuses the file."""
    note = period_note(grid, header)
    named = [hc for hc in header.columns if hc.words.month is not None]
    if note is not None:
        year, month = note.value
        for hc in named:
            if hc.words.month != month or (hc.words.year and hc.words.year != year):
                raise ExcelError(
                    _(
                        "Sheet “%(sheet)s”: row %(row)s says the table is for %(period)s, but the header "
                        "“%(header)s” in column %(column)s names another month."
                    )
                    % {
                        "sheet": sheet_name,
                        "row": note.row,
                        "period": f"{year}年{month}月",
                        "header": hc.text,
                        "column": letter(hc.index),
                    }
                )
        return Period(year, month, _("row %(row)s: “%(text)s”") % {"row": note.row, "text": note.text})
    if named:
        months = {hc.words.month for hc in named}
        years = {hc.words.year for hc in named if hc.words.year}
        first = named[0]
        if len(months) > 1 or len(years) > 1:
            raise ExcelError(
                _("Sheet “%(sheet)s”: the headers name different months (%(headers)s).")
                % {"sheet": sheet_name, "headers": "、".join(hc.text for hc in named)}
            )
        return Period(
            years.pop() if years else None,
            months.pop(),
            _("the header “%(header)s” in column %(column)s") % {"header": first.text, "column": letter(first.index)},
        )
    return None

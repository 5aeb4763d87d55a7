"""The header of a sheet, found the way a person finds it: the row (or two rows) in the first
rows that names the most of the layout's columns.

Merged cells are read as a person sees them: a header merged over several columns heads each of
them, a cell merged over several rows (责任单位 over a project's rows) fills each row. A two-row
header is joined column by column: 总投资 over 亿元 is 总投资(亿元); 年度 over 计划投资 is
年度计划投资; a sub-header alone (本月完成 under an empty cell) is read as it is.
"""

from dataclasses import dataclass, field

from duban.spreadsheet.cells import is_blank
from duban.spreadsheet.wording import unit_word

SCAN_ROWS = 30
MIN_COLUMNS = 2


def fill_merged(grid, ranges, first_row=0, last_row=None):
    """Copy each merged range's top-left value into the range's other cells, in place, for the
    rows first_row..last_row (0-based) of `grid` (a list of row lists)."""
    last_row = len(grid) - 1 if last_row is None else min(last_row, len(grid) - 1)
    for (r0, c0), (r1, c1) in ranges:
        if r0 > last_row or r1 < first_row or r0 >= len(grid):
            continue
        top = grid[r0]
        value = top[c0] if c0 < len(top) else None
        if is_blank(value):
            continue
        for r in range(max(r0, first_row), min(r1, last_row) + 1):
            row = grid[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    row[c] = value


@dataclass
class HeaderColumn:
    index: int
    key: str
    text: str  # as written (joined over the header rows)
    words: object  # wording.Words


@dataclass
class Header:
    first: int  # 0-based index of the first header row
    depth: int  # 1 or 2 rows
    columns: list = field(default_factory=list)  # [HeaderColumn] in sheet order
    unmatched: list = field(default_factory=list)  # [(index, text)] headed but not ours

    @property
    def data_start(self):
        return self.first + self.depth

    @property
    def rows(self):
        """Excel row numbers of the header."""
        return list(range(self.first + 1, self.first + self.depth + 1))


def _text(value):
    return value.strip() if isinstance(value, str) else ("" if is_blank(value) else str(value))


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def _joined(top, sub):
    """Texts to try for a column headed by `top` over `sub`, best first."""
    if not sub:
        return [top] if top else []
    if not top:
        return [sub]
    if unit_word(sub):
        return [f"{top}({unit_word(sub)})", top]
    if top == sub:
        return [top]
    return [top + sub, sub, top]


def _match_row(layout, top, sub, hidden):
    header_columns, unmatched, seen = [], [], set()
    width = max(len(top), len(sub) if sub else 0)
    for index in range(width):
        if index in hidden:
            continue
        a = _text(top[index]) if index < len(top) else ""
        b = _text(sub[index]) if sub is not None and index < len(sub) else ""
        found = None
        for text in _joined(a, b):
            if (match := layout.match(text)) is not None:
                found = HeaderColumn(index, match[0], text, match[1])
                break
        if found is not None:
            header_columns.append(found)
            seen.add(found.key)
        elif a or b:
            unmatched.append((index, "/".join(t for t in (a, b) if t)))
    return header_columns, unmatched, len(seen)


def find_header(grid, layout, hidden_columns=frozenset()):
    """The Header in the first SCAN_ROWS rows of `grid` (merged cells already filled), or None:
    the row, or two rows, naming the most columns (at least MIN_COLUMNS)."""
    best, best_score = None, 0
    for first in range(min(SCAN_ROWS, len(grid))):
        row = grid[first]
        if sum(1 for v in row if isinstance(v, str) and v.strip()) < MIN_COLUMNS:
            continue
        columns, unmatched, score = _match_row(layout, row, None, hidden_columns)
        candidate = (score, Header(first, 1, columns, unmatched))
        if first + 1 < len(grid):
            sub = grid[first + 1]
            columns2, unmatched2, score2 = _match_row(layout, row, sub, hidden_columns)
            # units under the headers (总投资 over 亿元); a row holding numbers is a data row whose
            # 计量单位 cell says 亿元, not a sub-header
            has_units = any(unit_word(v) for v in sub) and not any(_is_number(v) for v in sub)
            alone = _match_row(layout, sub, None, hidden_columns)[2]  # a title above a header is no header row
            # the header's cells merged down over both rows: the second row repeats the first
            merged_down = columns and all(hc.index < len(sub) and sub[hc.index] == row[hc.index] for hc in columns)
            if merged_down or (score2 > alone and (score2 > score or has_units)):
                candidate = (score2, Header(first, 2, columns2, unmatched2))
        if candidate[0] >= MIN_COLUMNS and candidate[0] > best_score:
            best, best_score = candidate[1], candidate[0]
    return best

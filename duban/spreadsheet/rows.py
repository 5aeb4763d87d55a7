"""What a row below the header is: blank, a section row (一、省重点项目), a subtotal or total row
(小计, 合计, 总计) or a row of data; and the placeholders people write for nothing (—, /, 无)."""

import re

from duban.spreadsheet.cells import TOTAL_WORDS, as_text, is_blank

PLACEHOLDERS = frozenset({"—", "——", "-", "--", "－", "–", "/", "／", "\\", "无", "暂无", "/ ", "×"})
_SECTION = re.compile(r"^(?:[一二三四五六七八九十]+|[(（][一二三四五六七八九十]+[)）])(?:[、.．:：]|$)")
BLANK, SECTION, TOTAL, DATA = "blank", "section", "total", "data"


def is_nothing(value):
    """Empty, or a placeholder for nothing."""
    return is_blank(value) or (isinstance(value, str) and value.strip() in PLACEHOLDERS)


def kind_of(raw, label_columns, number_columns):
    """BLANK, SECTION, TOTAL or DATA. `label_columns`: the columns a section or total word is
    written in (序号, 名称, or the first cell); `number_columns`: a section row has none of them."""
    values = [v for v in raw if not is_blank(v)]
    if not values:
        return BLANK
    width = len(raw)
    for index in label_columns:
        if index is not None and index < width and isinstance(raw[index], str):
            text = re.sub(r"\s+", "", raw[index])
            if text[:2] in TOTAL_WORDS:
                return TOTAL
    first = as_text(values[0])
    if first[:2].replace(" ", "") in TOTAL_WORDS:
        return TOTAL
    for index in (*label_columns, None):
        value = values[0] if index is None else (raw[index] if index is not None and index < width else None)
        if (
            isinstance(value, str)
            and _SECTION.match(value.strip())
            and all(i >= width or is_nothing(raw[i]) for i in number_columns)
        ):
            return SECTION
    return DATA

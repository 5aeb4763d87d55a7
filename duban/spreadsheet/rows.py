"""What a row below the header is: blank, a section row (一、省重点项目), a subtotal or total row
(小计, 合计, 总计) or a row of data; and the placeholders people write for nothing (—, /, 无)."""

import re

from duban.spreadsheet.cells import TOTAL_WORDS

PLACEHOLDERS = frozenset({"—", "——", "-", "--", "－", "–", "/", "／", "\\", "无", "暂无", "/ ", "×"})
_SECTION = re.compile(r"^(?:[一二三四五六七八九十]+|[(（][一二三四五六七八九十]+[)）])(?:[、.．:：]|$)")
BLANK, SECTION, TOTAL, DATA = "blank", "section", "total", "data"


def is_nothing(value):
    """Empty, or a placeholder for nothing."""
    if value is None:
        return True
    if value.__class__ is not str:
        return False
    text = value.strip()
    return not text or text in PLACEHOLDERS


_TOTAL_FIRST = frozenset(word[0] for word in TOTAL_WORDS)
_SECTION_FIRST = frozenset("一二三四五六七八九十(（")


def _first_filled(raw):
    for value in raw:
        if value is None or value == "":
            continue
        if isinstance(value, str) and not value.strip():
            continue
        return value
    return None


def kind_of(raw, label_columns, number_columns):
    """BLANK, SECTION, TOTAL or DATA. `label_columns`: the columns a section or total word is
    written in (序号, 名称; the first filled cell too); `number_columns`: a section row has none of
    them. Called on every row of a sheet: a row of data is told by a look at a few cells."""
    first = _first_filled(raw)
    if first is None:
        return BLANK
    width = len(raw)
    labels = [raw[i] for i in label_columns if i < width]
    labels.append(first)
    for value in labels:
        if not isinstance(value, str):
            continue
        text = value.strip()
        start = text[:1]
        if start in _TOTAL_FIRST and re.sub(r"\s+", "", text)[:2] in TOTAL_WORDS:
            return TOTAL
        if (
            start in _SECTION_FIRST
            and _SECTION.match(text)
            and all(i >= width or is_nothing(raw[i]) for i in number_columns)
        ):
            return SECTION
    return DATA

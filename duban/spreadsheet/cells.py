"""Cells read the way people fill them in: codes typed as numbers, full-width brackets, 合计 rows."""

import re
from datetime import date, datetime
from decimal import Decimal

from duban.numbers import to_decimal

TOTAL_WORDS = {"合计", "总计", "小计"}

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
_HEADER = re.compile(r"^(?P<base>[^()]+?)(?:\((?P<unit>[^()]*)\))?$")


def split_header(text):
    """'总投资（亿元）' → ('总投资', '亿元'); '户主姓名' → ('户主姓名', None); None when the cell is not
    text or not a header of that shape. Spaces are dropped and full-width brackets read as ASCII."""
    if not isinstance(text, str):
        return None
    match = _HEADER.match(re.sub(r"\s+", "", text).translate(_BRACKETS))
    return (match["base"], match["unit"]) if match else None


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def show(value):
    """A cell as the user wrote it, for messages."""
    text = as_text(value)
    return text if len(text) <= 40 else text[:40] + "…"


def as_text(value):
    """A text cell; codes typed as numbers come back from Excel as floats (2021001.0)."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return str(Decimal(str(value)))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return normalize_text(str(value))


as_decimal = to_decimal  # a number cell as an exact Decimal


def normalize_text(text):
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def is_total_word(raw, index):
    """合计, 总计, 小计 — also "合 计" and "合计(共93个)"."""
    if index is None or index >= len(raw):
        return False
    return re.sub(r"\s+", "", as_text(raw[index]))[:2] in TOTAL_WORDS


# A day as people type it: 2020-9-26, 2020/9/26, 2020.9.26, 2020年9月26日, with full-width marks too
DAY = re.compile(r"(\d{4})\s*[-/.－／．年]\s*(\d{1,2})\s*[-/.－／．月]\s*(\d{1,2})\s*日?")


def as_date(value, endings=()):
    """A date cell: a real date, or a day typed as text (DAY; spaces ignored), else None. `endings`:
    words that may follow the day and mean nothing more (a deadline's 前, 之前)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = re.sub(r"\s+", "", as_text(value))
    for ending in endings:
        if text.endswith(ending):
            text = text[: -len(ending)]
            break
    m = DAY.fullmatch(text)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None

"""Villagers' groups (村民小组) as rosters name them: 2组, 二组, 第二组, 第二村民小组, 2队 (the old
生产队), in digits (full-width too) or Chinese numerals (一 … 九十九, 两); 2, 二 or 第2 alone in a
组 column. The same number is the same group, however it is written.

`split_group("陈桥村第二村民小组")` → ("陈桥村", 2); `group_number("二组")` → 2; None when the
text names no group.
"""

import re

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
WIDE = str.maketrans("０１２３４５６７８９", "0123456789")
NUMERAL = r"[0-9０-９]{1,3}|[〇零一二两三四五六七八九十]{1,4}"
SUFFIX = r"村民小组|村民组|小组|生产队|组|队|社"
GROUPED = re.compile(rf"^(?P<place>.*?)第?(?P<n>{NUMERAL})(?:{SUFFIX})$")
BARE = re.compile(rf"^第?(?P<n>{NUMERAL})$")
MAX_GROUP = 999


def chinese_number(text):
    """一 → 1, 十 → 10, 十一 → 11, 二十 → 20, 二十三 → 23, 一〇 → 10; None when not a numeral."""
    text = text.translate(WIDE)
    if text.isdigit():
        return int(text)
    if "十" not in text:
        if not all(c in DIGITS for c in text):
            return None
        number = 0
        for c in text:
            number = number * 10 + DIGITS[c]
        return number
    tens, _ten, ones = text.partition("十")
    if "十" in ones or (tens and tens not in DIGITS) or (ones and ones not in DIGITS):
        return None
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[ones] if ones else 0)


def _valid(number):
    return number if number is not None and 0 < number <= MAX_GROUP else None


def split_group(text):
    """(the place before the group, the group's number) of a text ending in a group, else None."""
    match = GROUPED.match(text)
    if match is None:
        return None
    number = _valid(chinese_number(match["n"]))
    return None if number is None else (match["place"].strip(), number)


def group_number(value):
    """The number of a 组 cell or a group's name (3, 3.0, "3", "三", "第三村民小组", "3组"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _valid(value)
    if isinstance(value, float):
        return _valid(int(value)) if value.is_integer() else None
    text = "".join(str(value).split())
    match = BARE.match(text)
    if match is not None:
        return _valid(chinese_number(match["n"]))
    split = split_group(text)
    return split[1] if split is not None and not split[0] else None


def group_label(number):
    """How a group is written back: 3组."""
    return f"{number}组"

"""The wordings of published tables: a header as offices write it, split into what it names.

'2021年1-5月累计完成投资（亿元）' → Words(base='累计完成投资', unit='亿元', year=2021, month=5, span=True);
'5月完成投资' → month 5, not a span (the month's own figure); '年度投资计划(万元)' → base
'年度投资计划'. Which column a base is, is the Layout's business (duban.spreadsheet.layout).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
UNIT_WORDS = {"元": "元", "万元": "万元", "万": "万元", "亿元": "亿元", "亿": "亿元", "%": "%", "％": "%"}
# units of area, as rosters write them under 合法面积 or 土地面积 (the roster converts them)
UNIT_WORDS.update({w: w for w in ("㎡", "m²", "m2", "M2", "平方米", "平米", "亩", "公顷")})

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")", "％": "%", "：": ":"})
_UNIT_AT_END = re.compile(r"\((?:单位:)?(?P<unit>[^()]*)\)$")
_PREFIX = re.compile(
    r"^(?:其中:)?(?:截[至止](?:到)?)?(?:(?P<year>\d{4})年(?:度)?)?"
    r"(?:(?P<first>\d{1,2})(?:月)?[-－—–―~～〜至到](?P<last>\d{1,2})月(?:份)?(?:底|末)?"
    r"|(?P<month>\d{1,2})月(?:份)?(?:底|末)?)?"
)


@dataclass(frozen=True)
class Words:
    text: str  # as written, spaces dropped
    base: str  # what it names, without period and unit
    unit: str | None = None  # 元, 万元, 亿元, % or another text in brackets; None when absent
    year: int | None = None
    month: int | None = None  # the month named: 5 in 5月完成 and in 1-5月累计
    span: bool = False  # months from January to `month` (1-5月)

    @property
    def money_unit(self):
        return self.unit if self.unit in MONEY_UNITS else None


def clean(text):
    return re.sub(r"\s+", "", text).translate(_BRACKETS)


def unit_word(text):
    """'亿元', '(亿元)', '单位:亿元', '万' → the unit; None when the text is not a unit alone."""
    if not isinstance(text, str):
        return None
    text = clean(text).strip("()")
    text = text.removeprefix("单位:").removeprefix("单位")
    return UNIT_WORDS.get(text)


def words(text):
    """The Words of a header cell, or None when it is not text."""
    if not isinstance(text, str) or not text.strip():
        return None
    written = clean(text)
    unit = None
    if match := _UNIT_AT_END.search(written):
        unit = UNIT_WORDS.get(match["unit"], match["unit"])
        rest = written[: match.start()]
    else:
        rest = written
        for word in ("万元", "亿元"):  # 总投资万元, as some sheets write it
            if rest.endswith(word) and len(rest) > len(word):
                unit, rest = word, rest[: -len(word)]
                break
    prefix = _PREFIX.match(rest)
    year = int(prefix["year"]) if prefix["year"] else None
    month, span = None, False
    if prefix["last"]:
        month, span = int(prefix["last"]), int(prefix["first"]) == 1
    elif prefix["month"]:
        month = int(prefix["month"])
    if month is not None and not 1 <= month <= 12:
        month, span = None, False
    base = rest[prefix.end() :] or rest
    return Words(written, base, unit, year, month, span)

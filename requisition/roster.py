"""Village rosters in Excel: import into the household ledger, export of the ledger and of tallies.

The roster is the field teams' usual sheet: title rows, a header row, one row per household and
perhaps a totals row (合计); blank rows are skipped. Columns are found by their header, wherever
they are:

    序号, 户号 (optional), 户主姓名, 身份证号, 联系电话, 村/组, 房屋用途, 合法面积(㎡), 无证面积(㎡),
    土地面积(亩), 补偿方式, 当前阶段

- 村/组 holds the village (an org unit of kind VILLAGE, by name or short name); "江尾村/3组" is
  the village 江尾村 and the address 3组.
- Areas: a header without a unit is ㎡ for buildings and 亩 for land; 土地面积(㎡) is converted
  exactly (1 亩 = 10000/15 ㎡, so ㎡ × 0.0015 = 亩).
- 房屋用途 住宅 / 非住宅; 补偿方式 货币补偿 / 产权调换; 当前阶段 未入户 (or empty), 入户摸底, 丈量, 评估,
  签约, 腾空, 拆除, 交地.
- **Stage dates are not imported.** An imported stage sets the household's stage and leaves the
  dates of its steps empty (tallies by date count a step only once its date is recorded on the
  household's page). A stage earlier than the stored one is refused: steps go back only with a
  reason, on the household's page. Extra columns (the export's stage dates) are ignored.
- Household number: the 户号 column when there is one, else made from the village and the ID
  number (or the name, address and 序号 when there is no ID number) with a keyed hash, so the
  number is stable from one import to the next and does not reveal the ID number.
- Re-import matches a household by (village, ID number) when the row has an ID number, else by
  (village, head of household, address). A masked ID number (as in our exports) is accepted
  only with a 户号 naming a household whose stored ID number masks to it, and a masked phone
  number leaves the stored one as it is: an exported ledger imports back.

A file is taken whole or not at all: every row is checked first, any error refuses the file
with row-by-row messages in Chinese (invalid ID numbers, a household twice in the file, an ID
number registered in another village, unknown villages, negative areas, text in number cells,
unknown words), and the writes are bulk statements in one transaction. An empty cell leaves the
stored value as it is; what would not change is not written, so importing the same file twice
changes nothing. Headers are the field teams' Chinese layout: they stay Chinese in every
language, since the importer reads them back.

The generic Excel plumbing (size limits, the zip-bomb check, reading with calamine, blank and
totals rows, cell conversions, the import result) is projects.excel's.
"""

import gc
import hashlib
import io
import queue
import re
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter

from django.db import IntegrityError, connections, router, transaction
from django.db.models import BooleanField, Max, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

import audit
from duban import hooks as screen_hooks
from duban.personal import mask_id, mask_phone
from duban.spreadsheet import (
    BORDER,
    HEADER_FILL,
    HEADER_SCAN_ROWS,
    PREVIEW_LIMIT,
    QUERY_CHUNK,
    TOTAL_WORDS,
    Change,
    ExcelError,
    ImportResult,
    as_decimal,
    as_text,
    is_blank,
    is_total_word,
    lazy_sheets,
    read_source,
    show,
    split_header,
    text_cell,
    text_row,
)
from org.models import OrgUnit
from requisition.ids import CHECK_CHARS, normalize_id, normalized_id_problem
from requisition.models import STAGE_DATE, STAGES, Household, Stage

BATCH = 1000
CHUNK = 5000  # rows parsed, checked and written at a time
ARRAY_CHUNK = 10_000  # values per = ANY(array) lookup on PostgreSQL
SQLITE_CACHE_KIB = 128 * 1024
ZERO = Decimal(0)
CENT = Decimal("0.01")
TEN_THOUSANDTH = Decimal("0.0001")
MAX_AREA = Decimal(10_000_000)  # ㎡ (or 亩): more than any one household has
SQM_TO_MU = Decimal("0.0015")  # 1 亩 = 10000/15 ㎡ exactly
SQM_UNITS = {"㎡", "m²", "m2", "M2", "平方米", "平米", "平方"}
TOTAL_FIRST = {word[0] for word in TOTAL_WORDS}
GENERATED_PREFIX, GENERATED_END = "H", "I"  # generated household numbers: H + 12 hex digits
PHONE = re.compile(r"^\+?[0-9][0-9\- ()]{2,19}$")

# Words of the layout (the field teams' Chinese, not interface text) ---------------------------

USE_WORDS = {"住宅": Household.Use.RESIDENTIAL.value, "非住宅": Household.Use.NON_RESIDENTIAL.value}
USE_NAMES = {value: word for word, value in USE_WORDS.items()}
COMPENSATION_WORDS = {"货币补偿": Household.Compensation.MONEY.value, "产权调换": Household.Compensation.SWAP.value}
COMPENSATION_NAMES = {value: word for word, value in COMPENSATION_WORDS.items()}
COMPENSATION_WORDS.update({"货币": Household.Compensation.MONEY.value, "产权置换": Household.Compensation.SWAP.value})
STAGE_NAMES = {
    Stage.NONE: "未入户",
    Stage.VISITED: "入户摸底",
    Stage.MEASURED: "丈量",
    Stage.ASSESSED: "评估",
    Stage.SIGNED: "签约",
    Stage.VACATED: "腾空",
    Stage.DEMOLISHED: "拆除",
    Stage.DELIVERED: "交地",
}
STAGE_WORDS = {word: stage.value for stage, word in STAGE_NAMES.items()}
STAGE_WORDS.update({f"已{word}": stage.value for stage, word in STAGE_NAMES.items() if stage != Stage.NONE})
STAGE_WORDS.update({"入户": Stage.VISITED.value, "摸底": Stage.VISITED.value, "已入户": Stage.VISITED.value})
STAGE_ORDER = {stage: index for index, stage in enumerate([Stage.NONE, *STAGES])}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple = ()
    width: int = 12
    max_length: int | None = None
    unit: str = ""  # the unit our export writes in the header

    def header(self):
        return f"{self.label}({self.unit})" if self.unit else self.label


COLUMNS = {
    c.key: c
    for c in (
        Column("seq", "序号", width=6),
        Column("number", "户号", ("户编号", "户籍编号", "档案号"), width=14, max_length=30),
        Column("name", "户主姓名", ("户主", "户主名称", "被征收人", "姓名"), width=10, max_length=50),
        Column("id_number", "身份证号", ("身份证号码", "公民身份号码", "身份证"), width=21),
        Column("phone", "联系电话", ("电话", "手机", "手机号", "手机号码", "联系方式"), width=14, max_length=20),
        Column("village", "村/组", ("村组", "村", "所属村", "村名", "村别", "村(组)"), width=16),
        Column("use", "房屋用途", ("用途", "房屋性质"), width=9),
        Column("legal_area", "合法面积", ("合法建筑面积", "有证面积", "有证建筑面积"), width=11, unit="㎡"),
        Column("unlicensed_area", "无证面积", ("无证建筑面积",), width=11, unit="㎡"),
        Column("land_area", "土地面积", ("用地面积", "占地面积"), width=11, unit="亩"),
        Column("compensation", "补偿方式", ("安置方式",), width=10),
        Column("stage", "当前阶段", ("阶段", "工作进度", "进度"), width=10),
    )
}
BY_NAME = {name: c.key for c in COLUMNS.values() for name in (c.label, *c.aliases)}
LAYOUT = tuple(COLUMNS)
REQUIRED = ("name", "village")
AREAS = ("legal_area", "unlicensed_area", "land_area")
ADDRESS_MAX = Household._meta.get_field("address").max_length
NAME_MAX = COLUMNS["name"].max_length
NUMBER_MAX = COLUMNS["number"].max_length
WORD_COLUMNS = (("use", USE_WORDS), ("compensation", COMPENSATION_WORDS), ("stage", STAGE_WORDS))
SHOWN_WORDS = {"use": tuple(USE_NAMES.values()), "compensation": tuple(COMPENSATION_NAMES.values())}
SHOWN_WORDS["stage"] = tuple(STAGE_NAMES.values())
# what a stored household is compared on, in this order
STORED = (
    "pk",
    "village_id",
    "number",
    "head_name",
    "id_number",
    "phone",
    "address",
    "use",
    "legal_area",
    "unlicensed_area",
    "land_area",
    "compensation",
    "stage",
)
CHANGEABLE = STORED[2:]
FIELD_COLUMNS = {
    "number": "number",
    "head_name": "name",
    "id_number": "id_number",
    "phone": "phone",
    "address": "village",
    "use": "use",
    "legal_area": "legal_area",
    "unlicensed_area": "unlicensed_area",
    "land_area": "land_area",
    "compensation": "compensation",
    "stage": "stage",
}


def parse_header(text):
    """'合法面积（㎡）' → ('legal_area', '㎡'); None when not one of ours."""
    split = split_header(text)
    if split is None:
        return None
    base, unit = split
    key = BY_NAME.get(base if unit is None else f"{base}({unit})")  # 村/组, 村(组)
    if key:
        return key, None
    if base not in BY_NAME:
        return None
    return BY_NAME[base], unit


def _area_factor(key, text, unit):
    """What a number in the column is multiplied by to give ㎡ (buildings) or 亩 (land)."""
    if unit in (None, "", *SQM_UNITS):
        return SQM_TO_MU if key == "land_area" and unit else Decimal(1)
    if key == "land_area" and unit == "亩":
        return Decimal(1)
    if key == "land_area" and unit == "公顷":
        return Decimal(15)
    raise ExcelError(
        _("The unit in the header %(column)s is not understood (write ㎡ or 亩).") % {"column": text.strip()}
    )


@dataclass
class RosterSheet:
    """A roster sheet: its rows (an iterator from row 1, see duban.spreadsheet.LazySheet), the
    header's index, {key: (column, factor to ㎡ or 亩 for areas, else None)} and the number of
    rows."""

    rows: object
    header_index: int
    columns: dict
    height: int


def find_header(rows):
    """The first rows' row with the most of our headers (at least 户主姓名 and 村/组)."""
    best = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = {}
        for column, value in enumerate(row):
            parsed = parse_header(value)
            if parsed is not None:
                found.setdefault(parsed[0], []).append((column, value, parsed[1]))
        if len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (index, found)
    return best


def read_roster(data):
    """The first sheet with a roster header; ExcelError when none fits."""
    for lazy in lazy_sheets(data):
        header = find_header(lazy.head)
        if header is None:
            continue
        index, found = header
        missing = [COLUMNS[k].label for k in REQUIRED if k not in found]
        if missing:
            raise ExcelError(_("Required columns are missing: %(columns)s.") % {"columns": "、".join(missing)})
        columns = {}
        for key, cells in found.items():
            if len(cells) > 1:
                raise ExcelError(
                    _("The column %(column)s appears twice in the header.") % {"column": COLUMNS[key].label}
                )
            column, text, unit = cells[0]
            columns[key] = (column, _area_factor(key, text, unit) if key in AREAS else None)
        return RosterSheet(lazy.rows(), index, columns, lazy.height)
    raise ExcelError(
        _("No header row in the first %(n)s rows: the sheet needs the columns %(columns)s.")
        % {"n": HEADER_SCAN_ROWS, "columns": "、".join(COLUMNS[k].label for k in REQUIRED)}
    )


# Rows ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class HouseholdLine:
    line: int
    seq: object = None  # the 序号 cell as read (only no-ID households' numbers use it)
    number: str = ""
    name: str = ""
    id_number: str = ""
    id_masked: str = ""
    phone: str | None = None
    phone_masked: str = ""
    village_name: str = ""
    village: OrgUnit | None = None
    village_id: int | None = None
    address: str | None = None
    values: dict = None  # model field → value, for the cells that are filled in
    bad: bool = False
    generated: bool = False  # the number is made by generated_number
    existing: tuple = None  # the stored household (STORED), when matched
    deferred: bool = False  # matched at the end of the file (Importer.finish)
    made_number: str = ""  # the 户号, or the one generated_number makes (Importer.prepare)
    insert_line: tuple = None  # the values a new household is inserted with (Importer.prepare)

    def label(self):
        return f"{self.village.label if self.village else self.village_name} {self.name}"


class Villages:
    """Villages by full name, then by short name (one query)."""

    def __init__(self, scope):
        self.scope = scope
        self.by_name, self.by_short, self.allowed = {}, {}, {}
        for unit in OrgUnit.objects.filter(kind=OrgUnit.Kind.VILLAGE).only("id", "name", "short_name", "path"):
            self.by_name.setdefault(unit.name, []).append(unit)
            if unit.short_name:
                self.by_short.setdefault(unit.short_name, []).append(unit)
        self.found = {}

    def may_import(self, village):
        if village.pk not in self.allowed:
            scope = self.scope
            self.allowed[village.pk] = scope is None or scope.office_for(village) or scope.owns(village)
        return self.allowed[village.pk]

    def find(self, name):
        """(village, None) or (None, 'unknown' | 'ambiguous'); of several villages of one name,
        the only one the user may import into is taken."""
        if name not in self.found:
            self.found[name] = self._find(name)
        return self.found[name]

    def _find(self, name):
        for index in (self.by_name, self.by_short):
            candidates = index.get(name, [])
            if len(candidates) == 1:
                return candidates[0], None
            if candidates:
                mine = [v for v in candidates if self.may_import(v)]
                return (mine[0], None) if len(mine) == 1 else (None, "ambiguous")
        return None, "unknown"


def _p(row, **more):
    return {"row": row.line, "name": row.name, **more}


def _error(row, errors, message):
    row.bad = True
    errors.append((row.line, message))


def _column(key):
    return COLUMNS[key].label


def _not_a_number(row, key, value, errors):
    _error(
        row,
        errors,
        _("Row %(row)s: %(column)s “%(value)s” is not a number.")
        % {"row": row.line, "column": _column(key), "value": show(value)},
    )


def _too_long(row, key, limit, errors):
    _error(
        row,
        errors,
        _("Row %(row)s: %(column)s is longer than %(max)s characters.")
        % {"row": row.line, "column": _column(key), "max": limit},
    )


def _unknown_word(row, key, value, words, errors):
    _error(
        row,
        errors,
        _("Row %(row)s: %(column)s “%(value)s” is not understood (write %(words)s).")
        % {"row": row.line, "column": _column(key), "value": show(value), "words": "、".join(words)},
    )


def _empty(row, key, errors):
    _error(row, errors, _("Row %(row)s: %(column)s is empty.") % {"row": row.line, "column": _column(key)})


def _text(value):
    """as_text, with a fast path for the common case of a plain string cell."""
    if value.__class__ is str and "\r" not in value:
        return value.strip()
    return as_text(value)


def roster_rows(sheet):
    """(Excel row number, raw cells) after the header, without blank rows and totals rows: what
    projects.excel.data_rows does, with a quick look at each row first (a blank row has a blank
    name; a totals row starts with 合, 总 or 小), which halves its cost on a large roster."""
    seq, name = sheet.columns.get("seq", (None,))[0], sheet.columns["name"][0]
    header = sheet.header_index
    for index, raw in enumerate(sheet.rows):
        if index <= header:
            continue
        cell = raw[name] if name < len(raw) else None
        if _blank(cell) and all(is_blank(v) for v in raw):
            continue
        if (_maybe_total(cell) and is_total_word(raw, name)) or (
            seq is not None and seq < len(raw) and _maybe_total(raw[seq]) and is_total_word(raw, seq)
        ):
            continue
        yield index + 1, raw


def _maybe_total(value):
    return value.__class__ is str and value.lstrip()[:1] in TOTAL_FIRST


def _blank(value):
    return value is None or value == "" or (value.__class__ is str and not value.strip())


class RowParser:
    """Rows from raw cells, fast: a roster has a hundred thousand rows, so the column positions
    are looked up once, and the village and word cells, which repeat, are read once per
    distinct text."""

    def __init__(self, sheet, villages, errors, today):
        self.villages, self.errors, self.today = villages, errors, today
        position = {key: index for key, (index, _factor) in sheet.columns.items()}
        self.width = max(position.values()) + 1
        self.seq, self.name, self.number = position.get("seq"), position["name"], position.get("number")
        self.id_number, self.phone, self.village = position.get("id_number"), position.get("phone"), position["village"]
        self.words = [(key, position[key], words) for key, words in WORD_COLUMNS if key in position]
        self.areas = [
            (key, position[key], factor, TEN_THOUSANDTH if key == "land_area" else CENT, {})
            for key, (_i, factor) in sheet.columns.items()
            if factor is not None
        ]
        self.place_cache = {}
        self.births = {}  # birth date (YYYYMMDD) → whether an ID number with it and a right check is valid

    def parse(self, line, raw):
        """A HouseholdLine; each bad cell adds an error. The usual cells (plain text, an 18-digit ID number,
        a phone number of digits, a village seen before) are read inline; anything else goes to
        the _parse_* functions, which also word the errors."""
        if len(raw) < self.width:
            raw = [*raw, *([None] * (self.width - len(raw)))]
        errors = self.errors
        row = HouseholdLine(line, values={})
        values = row.values
        # a cell of spaces counts as empty: what is read is stripped
        if self.seq is not None and (value := raw[self.seq]) is not None:
            row.seq = value
        value = raw[self.name]
        if value.__class__ is str and 0 < len(value) <= NAME_MAX and "\r" not in value and not value[0].isspace():
            row.name = value.rstrip()
        else:
            _parse_name(row, value, errors)
        if self.id_number is not None and (value := raw[self.id_number]) is not None and value != "":
            if not self._plain_id(value):
                _parse_id(row, value, errors, self.today)
            else:
                row.id_number = value
        if self.phone is not None and (value := raw[self.phone]) is not None and value != "":
            if value.__class__ is str and 3 <= len(value) <= 20 and value.isascii() and value.isdigit():
                row.phone = value
            else:
                _parse_phone(row, value, errors)
        value = raw[self.village]
        place = self.place_cache.get(value) if value.__class__ is str else None
        if place is not None and place[3] is None:
            row.village_name, row.address, row.village, _problem, row.village_id = place
        else:
            self._village(row, value)
        for key, index, words in self.words:
            value = raw[index]
            word = words.get(value)
            if word is None:
                if _blank(value):
                    continue
                word = words.get("".join(_text(value).split()))
                if word is None:
                    _unknown_word(row, key, value, SHOWN_WORDS[key], errors)
                    continue
            values[key] = word
        for key, index, factor, quantum, seen in self.areas:
            value = raw[index]
            # areas repeat: most cells were read before (floats and text only: True == 1)
            cached = value.__class__ is float or value.__class__ is str
            if cached and (number := seen.get(value)) is not None:
                values[key] = number
                continue
            if value is None or value == "":
                continue
            try:  # the usual case inline; _parse_area words the errors
                number = as_decimal(value) * factor
            except ValueError:
                number = None
            if number is not None and ZERO <= number <= MAX_AREA:
                values[key] = number = number.quantize(quantum, ROUND_HALF_UP)
                if cached:
                    seen[value] = number
            elif not _blank(value):
                _parse_area(row, key, value, factor, errors)
        if self.number is not None and not _blank(value := raw[self.number]):
            row.number = _text(value)
            if len(row.number) > NUMBER_MAX:
                _too_long(row, "number", NUMBER_MAX, errors)
        return row

    def _plain_id(self, value):
        """True for a valid ID number written as it should be: 18 ASCII characters, the last a
        digit or X, a real birth date, the right check character (what _parse_id would accept
        unchanged)."""
        if value.__class__ is not str or len(value) != 18 or not value.isascii():
            return False
        body = value[:17]
        if not body.isdigit() or CHECK_CHARS[2 * int(body, 13) % 11] != value[17]:
            return False
        born = value[6:14]
        ok = self.births.get(born)
        if ok is None:
            ok = self.births[born] = normalized_id_problem(value, self.today) is None
        return ok

    def _village(self, row, value):
        place = self.place_cache.get(value) if value.__class__ is str else None
        if place is None:
            place = self._place(value)
            if value.__class__ is str:
                self.place_cache[value] = place
        row.village_name, row.address, row.village, problem, row.village_id = place
        if problem is None:
            return
        params = {"row": row.line, "village": row.village_name}
        errors = self.errors
        if problem == "empty":
            _empty(row, "village", errors)
        elif problem == "too_long":
            _too_long(row, "village", ADDRESS_MAX, errors)
        elif problem == "unknown":
            _error(row, errors, _("Row %(row)s: there is no village “%(village)s”.") % params)
        elif problem == "ambiguous":
            message = _("Row %(row)s: several villages are called “%(village)s”; write the full name.")
            _error(row, errors, message % params)
        else:
            _error(row, errors, _("Row %(row)s: you may not import households of %(village)s.") % params)

    def _place(self, value):
        """(village name, address or None, village, problem or None, village id) of a 村/组 cell."""
        if _blank(value):
            return "", None, None, "empty", None
        text = _text(value)
        address = None
        if "/" in text or "／" in text:
            text, _slash, address = text.replace("／", "/").partition("/")
            text, address = text.strip(), address.strip()
        village, problem = self.villages.find(text)
        if problem is None and not self.villages.may_import(village):
            problem = "forbidden"
        if problem is None and address is not None and len(address) > ADDRESS_MAX:
            problem = "too_long"
        return text, address, village, problem, village.pk if village is not None else None


def _parse_name(row, value, errors):
    row.name = "" if value is None else _text(value)
    if not row.name:
        _empty(row, "name", errors)
    elif len(row.name) > NAME_MAX:
        _too_long(row, "name", NAME_MAX, errors)


def _parse_id(row, value, errors, today):
    if value.__class__ is not str:
        if isinstance(value, int | float):
            _error(
                row,
                errors,
                _(
                    "Row %(row)s (%(name)s): the ID number is stored as a number, which Excel rounds to 15 "
                    "digits; format the column as text and type it again."
                )
                % _p(row),
            )
            return
        value = as_text(value)
    text = value if value.isdigit() else normalize_id(value)  # most are 18 digits as they should be
    if not text:
        return
    if "*" in text:
        row.id_masked = text
        return
    problem = normalized_id_problem(text, today)
    if problem:
        _error(
            row,
            errors,
            _("Row %(row)s (%(name)s): the ID number %(id)s is not valid: %(problem)s.")
            % _p(row, id=mask_id(text), problem=problem),
        )
        return
    row.id_number = text


def _parse_phone(row, value, errors):
    phone = _text(value)
    if not phone:
        return
    if "*" in phone:
        row.phone_masked = phone
    elif PHONE.match(phone):
        row.phone = phone
    else:
        _error(
            row,
            errors,
            _("Row %(row)s (%(name)s): the phone number “%(value)s” is not understood.") % _p(row, value=show(phone)),
        )


def _parse_area(row, key, value, factor, errors):
    try:
        number = as_decimal(value)
    except ValueError:
        _not_a_number(row, key, value, errors)
        return
    if number < 0:
        _error(
            row,
            errors,
            _("Row %(row)s: %(column)s cannot be negative (%(value)s).")
            % {"row": row.line, "column": _column(key), "value": show(value)},
        )
        return
    if factor != 1:
        number *= factor
    if number > MAX_AREA:
        _error(
            row,
            errors,
            _("Row %(row)s: %(column)s %(value)s is implausible; check the unit in the header.")
            % {"row": row.line, "column": _column(key), "value": show(value)},
        )
        return
    row.values[key] = number.quantize(TEN_THOUSANDTH if key == "land_area" else CENT, rounding=ROUND_HALF_UP)


# Checking against the file and the ledger, chunk by chunk ----------------------------------------


def _chunks(items, size=QUERY_CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def connection_for_write():
    return connections[router.db_for_write(Household)]


def _id_numbers_in(numbers):
    """`id_number IN (numbers)` as a filter that hands the numbers to the database driver as
    they are (checked ID numbers: digits and X).

    filter(id_number__in=…) prepares each value in Python (~4 µs each: 0.4 s for the ID numbers
    of a 100,000-row roster). PostgreSQL gets them as one text parameter split by the server
    (= ANY(string_to_array(…))): planning an IN list of 900 parameters costs it ten times more
    than the lookups, and a Python list is turned into an array value by Python code."""
    connection = connection_for_write()
    column = connection.ops.quote_name(Household._meta.get_field("id_number").column)
    if connection.vendor == "postgresql":
        return RawSQL(f"{column} = ANY(string_to_array(%s, ','))", [",".join(numbers)], output_field=BooleanField())
    sql = f"{column} IN ({', '.join(['%s'] * len(numbers))})"
    return RawSQL(sql, list(numbers), output_field=BooleanField())


def _pairs_in(pairs):
    """`(village, number) IN (pairs)`, a lookup on the (village, number) index."""
    connection = connection_for_write()
    quote = connection.ops.quote_name
    left = (
        f"({quote(Household._meta.get_field('village').column)}, {quote(Household._meta.get_field('number').column)})"
    )
    if connection.vendor == "postgresql":
        sql = f"{left} IN (SELECT * FROM unnest(%s::bigint[], %s::text[]))"
        return RawSQL(sql, [[v for v, _n in pairs], [n for _v, n in pairs]], output_field=BooleanField())
    sql = f"{left} IN (VALUES {', '.join(['(%s, %s)'] * len(pairs))})"
    return RawSQL(sql, [value for pair in pairs for value in pair], output_field=BooleanField())


def _number_key():
    return salted_hmac("duban.requisition.roster.number", "household number").digest()


def generated_number(key, village_id, row):
    """A stable household number from the village and the ID number (else name, address, 序号)."""
    if row.id_number:
        text = f"{village_id}:{row.id_number}"
    else:
        text = f"{village_id}:{row.name}:{row.address or ''}:{as_text(row.seq)}"
    return GENERATED_PREFIX + hashlib.blake2b(text.encode(), key=key, digest_size=6).hexdigest().upper()


def _looks_generated(number):
    return GENERATED_PREFIX <= number < GENERATED_END


def insert_fields():
    """The columns a new household is inserted with, and their defaults."""
    return [(f.attname, f.get_default()) for f in Household._meta.concrete_fields if not f.primary_key]


def _base_type(field, connection):
    """The column's type without its modifiers, as COPY's binary format names it: numeric(12, 2) → numeric."""
    return field.db_type(connection).partition("(")[0]


class Importer:
    """One import, fed chunks of parsed rows in file order.

    Each chunk is checked against the rows before it (a household or 户号 twice in the file)
    and against the ledger as it stood before the import (every lookup reads households up to
    the highest id there was at the start, never those this import has just written), so the
    answer is the same as if the whole file were checked first. While no error has been found
    and it is not a dry run, a checked chunk's new households are written at once — COPY on
    PostgreSQL, executemany on SQLite — and the database works through them while the next
    chunk is parsed (see _parsed_chunks). An error anywhere makes finish() roll everything back:
    the file is still taken whole or not at all."""

    def __init__(self, villages, result, dry_run, expected_rows):
        self.villages, self.result, self.dry_run = villages, result, dry_run
        self.errors = []  # (line, message) found here; the parser keeps its own
        self.connection = connection_for_write()
        self.last_pk = Household.objects.aggregate(last=Max("pk"))["last"] or 0
        self.fields = insert_fields()
        names = [name for name, _default in self.fields]
        self.position = {name: index for index, name in enumerate(names)}
        now = self.connection.ops.adapt_datetimefield_value(timezone.now())
        self.defaults = [now if name == "updated_at" else default for name, default in self.fields]
        self.key = _number_key()
        self.failed = False
        self.changed, self.changed_fields = [], set()
        self.new = 0
        # across chunks
        self.first_by_id, self.first_by_name, self.first_by_number = {}, {}, {}
        self.first_by_stored = {}
        self.without_id, self.without_id_villages, self.claimed = {}, set(), set()
        self.deferred = []  # rows with a new ID number that may complete a household without one
        self.village_names = {}
        self.generated, self.generated_villages = set(), set()
        self.generated_limit = 4 * expected_rows + 1000

    # the ledger as it was ------------------------------------------------------------------------

    def _stored(self, condition, **filters):
        queryset = Household.objects.filter(condition, pk__lte=self.last_pk, **filters).order_by()
        return queryset.values_list(*STORED)

    def _by_number(self, rows):
        """{(village id, number): stored household} for the rows' 户号."""
        pairs = sorted({(row.village_id, row.number) for row in rows if row.number and row.village is not None})
        found = {}
        size = ARRAY_CHUNK if self.connection.vendor == "postgresql" else QUERY_CHUNK // 2
        for chunk in _chunks(pairs, size):
            found.update(((h[1], h[2]), h) for h in self._stored(_pairs_in(chunk)))
        return found

    # one chunk -------------------------------------------------------------------------------------

    def prepare(self, rows):
        """What needs no database, done in the parser's thread (see _parsed_chunks) so that the
        importing thread is free for the database's answers: the rows checked against the rows
        before them, and each row's insert line made in case it turns out to be new."""
        self._check_duplicates(rows)
        for row in rows:
            if not row.bad and row.village_id is not None:
                row.made_number = row.number or generated_number(self.key, row.village_id, row)
                row.insert_line = self._line(row, row.made_number)

    def add(self, rows):
        self.result.rows += len(rows)
        if any(row.bad for row in rows):  # found by the parser or prepare()
            self.failed = True
        self._match(rows)
        self._settle([row for row in rows if not row.deferred])

    def _settle(self, rows):
        """Rows matched (or not) with the ledger: the checks that follow, then the writes."""
        self._check_claimed(rows)
        self._plan(rows)
        self._check_numbers(rows)
        new = []
        for row in rows:
            if not row.bad and not self.failed:
                if row.existing is None:
                    new.append(self._create(row))
                else:
                    self._update(row)
        if new and not self.failed and not self.dry_run:
            self._insert(new)

    def _check_duplicates(self, rows):
        """One row per household: by ID number, else by (village, name, address); one 户号 per row."""
        by_id, by_name, by_number = self.first_by_id, self.first_by_name, self.first_by_number
        for row in rows:
            if row.village is None:
                continue
            if row.id_number:
                first = by_id.setdefault(row.id_number, row.line)
                if first != row.line:
                    self._error(
                        row,
                        _(
                            "Row %(row)s (%(name)s): the household with the ID number %(id)s is already in row "
                            "%(first)s."
                        )
                        % _p(row, id=mask_id(row.id_number), first=first),
                    )
            elif not row.id_masked and row.name:
                first = by_name.setdefault((row.village_id, row.name, row.address or ""), row.line)
                if first != row.line:
                    self._error(
                        row,
                        _("Row %(row)s: the household of %(name)s (%(village)s) is already in row %(first)s.")
                        % _p(row, village=row.village.name, first=first),
                    )
            if row.number:
                first = by_number.setdefault((row.village_id, row.number), row.line)
                if first != row.line:
                    self._error(
                        row,
                        _("Row %(row)s: the household number %(number)s of %(village)s is already in row %(first)s.")
                        % {"row": row.line, "number": row.number, "village": row.village.name, "first": first},
                    )

    def _match(self, rows):
        """Set row.existing from the ledger: by ID number, else by name and address, or by 户号 for
        a masked ID number. A few queries per chunk, whatever the size of the ledger."""
        with_id = [row for row in rows if row.id_number and not row.bad]
        by_id = {}
        size = ARRAY_CHUNK if self.connection.vendor == "postgresql" else QUERY_CHUNK
        for chunk in _chunks({row.id_number for row in with_id}, size):
            by_id.update((h[4], h) for h in self._stored(_id_numbers_in(chunk)))
        unmatched = []
        for row in with_id:
            found = by_id.get(row.id_number)
            if found is None:
                unmatched.append(row)
            elif found[1] == row.village_id:
                row.existing = found
            else:
                self._other_village(row, found[1])
        # without an ID number: by name and address among the stored households without one (a
        # row with a new ID number fills in the ID of such a household); each village's read once
        without_id = [row for row in rows if not row.id_number and not row.id_masked and not row.bad]
        candidates = without_id + unmatched
        villages = sorted({row.village_id for row in candidates} - self.without_id_villages)
        for chunk in _chunks(villages):
            for h in self._stored(Q(village_id__in=chunk), id_number=""):
                self.without_id.setdefault((h[1], h[3], h[6]), []).append(h)
        self.without_id_villages.update(villages)
        for row in without_id:
            found = self.without_id.get((row.village_id, row.name, row.address or ""), [])
            if len(found) == 1:
                row.existing = found[0]
                self.claimed.add(found[0][0])
            elif len(found) > 1:
                self._error(
                    row,
                    _("Row %(row)s: %(village)s has several households of %(name)s; fill in the ID number or 户号.")
                    % _p(row, village=row.village.name),
                )
        # a row with a new ID number takes such a household only if no row without an ID number
        # takes it, in the whole file: it waits for the end (finish)
        for row in unmatched:
            if len(self.without_id.get((row.village_id, row.name, row.address or ""), [])) == 1:
                row.deferred = True
                self.deferred.append(row)
        masked = [row for row in rows if row.id_masked and not row.bad]
        by_number = self._by_number(masked)
        for row in masked:
            found = by_number.get((row.village_id, row.number)) if row.number else None
            if found is None or mask_id(found[4]) != row.id_masked:
                self._error(
                    row,
                    _(
                        "Row %(row)s (%(name)s): the ID number is masked (%(id)s); write the full ID number, or keep "
                        "the 户号 of an exported ledger."
                    )
                    % _p(row, id=row.id_masked),
                )
            else:
                row.existing = found

    def _check_claimed(self, rows):
        """Two rows cannot be one stored household (say a masked row and a row with the full ID):
        the later row of the two is wrong."""
        first = self.first_by_stored
        for row in rows:
            if row.existing is None or row.bad:
                continue
            other = first.setdefault(row.existing[0], row)
            if other is not row:
                earlier, later = sorted((other, row), key=lambda r: r.line)
                first[row.existing[0]] = earlier
                self._error(
                    later,
                    _("Row %(row)s (%(name)s): this household is already in row %(first)s.")
                    % _p(later, first=earlier.line),
                )

    def _other_village(self, row, village_id):
        """The row's ID number is registered in another village (named when the user may read it)."""
        names, scope = self.village_names, self.villages.scope
        if village_id not in names:
            unit = OrgUnit.objects.only("name", "path").get(pk=village_id)
            names[village_id] = unit.name if scope is None or scope.can_read(unit) else None
        params = _p(row, id=mask_id(row.id_number), village=names[village_id])
        if params["village"]:
            message = _(
                "Row %(row)s (%(name)s): a household with the ID number %(id)s is already registered in %(village)s."
            )
        else:
            message = _(
                "Row %(row)s (%(name)s): a household with the ID number %(id)s is already registered in another "
                "village."
            )
        self._error(row, message % params)

    def _plan(self, rows):
        for row in rows:
            if row.bad:
                continue
            if row.existing is None:
                if row.id_masked or row.phone_masked:
                    column = "id_number" if row.id_masked else "phone"
                    self._error(
                        row,
                        _(
                            "Row %(row)s (%(name)s): %(column)s is masked (%(value)s) and there is no such household "
                            "to keep it from."
                        )
                        % _p(row, column=_column(column), value=row.id_masked or row.phone_masked),
                    )
                elif not row.number:
                    row.number = row.made_number
            elif STAGE_ORDER[Stage(row.values.get("stage", row.existing[12]))] < STAGE_ORDER[Stage(row.existing[12])]:
                self._error(
                    row,
                    _(
                        "Row %(row)s (%(name)s): the household is at “%(stored)s” in the ledger; an import cannot "
                        "move it back to “%(stage)s” (step back on the household's page, with a reason)."
                    )
                    % _p(row, stored=STAGE_NAMES[Stage(row.existing[12])], stage=STAGE_NAMES[row.values["stage"]]),
                )

    def _check_numbers(self, rows):
        """A new or changed 户号 must not belong to another household of the village."""
        wanted = [
            row
            for row in rows
            if not row.bad and row.number and (row.existing is None or row.existing[2] != row.number)
        ]
        generated = self._generated_pairs([row for row in wanted if _looks_generated(row.number)])
        if generated is not None:  # a generated number is looked up only where the village has it
            wanted = [
                row for row in wanted if not _looks_generated(row.number) or (row.village_id, row.number) in generated
            ]
        taken = self._by_number(wanted)
        for row in wanted:
            other = taken.get((row.village_id, row.number))
            if other is not None and (row.existing is None or other[0] != row.existing[0]):
                self._error(
                    row,
                    _("Row %(row)s (%(name)s): the household number %(number)s of %(village)s belongs to %(other)s.")
                    % _p(row, number=row.number, village=row.village.name, other=other[3]),
                )

    def _generated_pairs(self, rows):
        """{(village id, number)} of the stored households whose number looks generated, in the
        rows' villages: each village read once, by a range query on the (village, number) index
        that reads two columns, instead of looking the rows' numbers up one by one (a new
        household's number is generated, and almost never taken) — unless the villages hold many
        more such households than the file has rows (None: look them all up)."""
        if self.generated is None:
            return None
        villages = sorted({row.village_id for row in rows} - self.generated_villages)
        for chunk in _chunks(villages):
            condition = Q(village_id__in=chunk, number__gte=GENERATED_PREFIX, number__lt=GENERATED_END)
            room = self.generated_limit - len(self.generated)
            stored = Household.objects.filter(condition, pk__lte=self.last_pk).order_by()
            self.generated.update(stored.values_list("village_id", "number")[: room + 1])
            if len(self.generated) > self.generated_limit:
                self.generated = None
                return None
        self.generated_villages.update(villages)
        return self.generated

    def _error(self, row, message):
        row.bad = True
        self.failed = True
        self.errors.append((row.line, message))

    # what is written -------------------------------------------------------------------------------

    def _create(self, row):
        """The row's insert line (made by prepare()), counted as new."""
        result = self.result
        result.created += 1
        if len(result.changes) < PREVIEW_LIMIT:
            result.changes.append(Change(row.line, f"{row.label()}({row.number})", True, []))
        return row.insert_line

    def _line(self, row, number):
        """The row as a tuple of database-ready values, in insert_fields() order."""
        line, position = list(self.defaults), self.position
        line[position["village_id"]] = row.village_id
        line[position["number"]] = number
        line[position["head_name"]] = row.name
        if row.id_number:
            line[position["id_number"]] = row.id_number
        if row.phone is not None:
            line[position["phone"]] = row.phone
        if row.address is not None:
            line[position["address"]] = row.address
        for field, value in row.values.items():
            line[position[field]] = value
        return tuple(line)

    def _update(self, row):
        stored = dict(zip(STORED, row.existing, strict=True))
        wanted = _wanted(row)
        changed = [field for field in CHANGEABLE if field in wanted and stored[field] != wanted[field]]
        if changed:
            stored.update((field, wanted[field]) for field in changed)
            pk = stored.pop("pk")
            self.changed.append(Household(pk=pk, **stored))
            self.changed_fields.update(changed)
        labels = list(dict.fromkeys(COLUMNS[FIELD_COLUMNS[field]].label for field in changed))
        self.result.count(row.line, f"{row.label()}({stored['number']})", False, labels)

    def _insert(self, rows):
        """New households, as tuples of database-ready values (str, int, Decimal, None, the time
        adapted once): COPY on PostgreSQL, multi-row INSERTs on SQLite, bulk_create elsewhere.

        Django's bulk_create prepares every value of every row through its field (24 per
        household): measured at ~9,000 rows/s on SQLite, less than half the import's target, so the
        values are prepared once here, by the import's own checks. Each statement hands the
        database many rows at once: while it works through them it holds no lock on Python, and
        the parser's thread runs (an executemany would take the lock back after every row, and
        wait for it each time)."""
        self.new += len(rows)
        connection = self.connection
        names = list(self.position)
        if connection.vendor not in ("sqlite", "postgresql"):
            Household.objects.bulk_create(
                [Household(**dict(zip(names, row, strict=True))) for row in rows], batch_size=BATCH
            )
            return
        # in the order of the (village, number) index: a new household then lands next to the
        # previous one in the index's pages, not on a random page
        rows.sort(key=itemgetter(self.position["village_id"], self.position["number"]))
        table = connection.ops.quote_name(Household._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(Household._meta.get_field(n).column) for n in names)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # binary: the server reads numbers, dates and times without parsing text (~25 % faster)
                sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
                with cursor.cursor.copy(sql) as copy:
                    copy.set_types([_base_type(Household._meta.get_field(n), connection) for n in names])
                    for row in rows:
                        copy.write_row(row)
                return
            limit = cursor.cursor.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
            per_statement = max(1, limit // len(names))
            one = f"({', '.join(['%s'] * len(names))})"
            for start in range(0, len(rows), per_statement):
                part = rows[start : start + per_statement]
                sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(part))}"
                cursor.execute(sql, [value for row in part for value in row])

    @contextmanager
    def writing(self):
        """The database set up for the writes: on PostgreSQL the foreign-key checks of each COPY
        run as it ends (not all at commit, where nothing else could run beside them); on SQLite
        a bigger page cache (the ID-number index of a million households is ~35 MB, and a new ID
        lands on a random page of it)."""
        if self.dry_run or self.connection.vendor not in ("sqlite", "postgresql"):
            yield
            return
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                try:
                    yield
                finally:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                return
            cursor.execute("PRAGMA cache_size")
            previous = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
            try:
                yield
            finally:
                cursor.execute(f"PRAGMA cache_size = {int(previous)}")

    def finish(self, parse_errors):
        """Errors in row order (all or nothing: any rolls the import back), else the changed
        households written."""
        for row in self.deferred:
            found = self.without_id[(row.village_id, row.name, row.address or "")][0]
            if found[0] not in self.claimed:
                row.existing = found
                self.claimed.add(found[0])
        self._settle(self.deferred)
        self.result.changes.sort(key=lambda change: change.line)
        errors = sorted([*parse_errors, *self.errors], key=itemgetter(0))
        self.result.errors.extend(message for _line, message in errors)
        if errors:
            transaction.set_rollback(True)
            return
        if self.dry_run:
            return
        if self.changed:
            now = timezone.now()
            for household in self.changed:
                household.updated_at = now
            Household.objects.bulk_update(self.changed, [*sorted(self.changed_fields), "updated_at"], batch_size=BATCH)
        # the big screen's village roll-ups: changed households now; new ones (higher ids) are
        # caught up by the screen's next request, outside this transaction (dashboard/rollups.py)
        screen_hooks.households_changed({household.village_id for household in self.changed})
        note = f"{self.new} new, {len(self.changed)} changed households"
        audit.record("import", "requisition.household", note=note)


def _wanted(row):
    """The model values the row sets (None: leave as it is)."""
    wanted = dict(row.values)
    wanted["head_name"] = row.name
    if row.number:
        wanted["number"] = row.number
    if row.id_number:
        wanted["id_number"] = row.id_number
    if row.phone is not None:
        wanted["phone"] = row.phone
    if row.address is not None:
        wanted["address"] = row.address
    return wanted


# The import ------------------------------------------------------------------------------------


def _parsed_chunks(sheet, parser, prepare):
    """The sheet's rows parsed and prepared (`prepare(chunk)`: what needs no database), CHUNK
    rows at a time, by a second thread: while the caller checks and writes one chunk (mostly
    waiting for the database, which runs on its own core), the next is being parsed. The
    parser touches no database; it works in the caller's language."""
    chunks = queue.Queue()
    stop = threading.Event()
    language = translation.get_language()

    def work():
        try:
            with translation.override(language):
                parse, chunk = parser.parse, []
                for line, raw in roster_rows(sheet):
                    chunk.append(parse(line, raw))
                    if len(chunk) == CHUNK:
                        prepare(chunk)
                        chunks.put(chunk)
                        chunk = []
                        if stop.is_set():
                            return
                if chunk:
                    prepare(chunk)
                    chunks.put(chunk)
        except BaseException as err:  # handed to the caller, raised there
            chunks.put(err)
        finally:
            chunks.put(None)

    thread = threading.Thread(target=work, name="roster-parser", daemon=True)
    thread.start()
    try:
        while (item := chunks.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def import_file(source, *, scope=None, dry_run=False, today=None, progress=None):
    """Import a roster (bytes, path or file object). `scope` is the user's org.scoping.Scope;
    None imports as the office. `progress(rows)`, if given, is called with the rows read,
    checked and written so far after each chunk (a background job's progress bar). Never
    raises for a bad file: see result.errors."""
    today = today or timezone.localdate()
    result = ImportResult(dry_run=dry_run)
    try:
        with _no_cyclic_gc():
            _import(source, scope, dry_run, today, result, progress)
    except (ExcelError, IntegrityError) as err:
        result.refuse(err)
    result.discard()
    return result


@contextmanager
def _no_cyclic_gc():
    """A roster makes about a million small objects (rows, cells, values), none in a cycle;
    Python's cycle collector would walk them again and again as they pile up (~7 % of the
    import). Reference counting still frees everything; the collector is back on at the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import(source, scope, dry_run, today, result, progress=None):
    sheet = read_roster(read_source(source))
    villages = Villages(scope)
    parse_errors = []  # (line, message), from the parser's thread
    parser = RowParser(sheet, villages, parse_errors, today)
    with transaction.atomic():
        importer = Importer(villages, result, dry_run, sheet.height - sheet.header_index)
        with importer.writing():
            for chunk in _parsed_chunks(sheet, parser, importer.prepare):
                importer.add(chunk)
                if progress is not None:
                    progress(result.rows)
        if not result.rows:
            raise ExcelError(_("The sheet has no data rows."))
        importer.finish(parse_errors)


# Export ----------------------------------------------------------------------------------------

LEDGER_TITLE = "征迁户台账"
TALLY_TITLE = "征迁进度统计表"
AREA_FORMAT = "#,##0.00"
LAND_FORMAT = "#,##0.0000"
PCT_FORMAT = "0.00"


def _title_row(sheet, text):
    cell = WriteOnlyCell(sheet, text)
    cell.font = Font(bold=True, size=14)
    sheet.append([cell])


def _header_row(sheet, labels, widths):
    cells = []
    for label in labels:
        cell = WriteOnlyCell(sheet, label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cells.append(cell)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(cells)


def _formatted(sheet, value, number_format):
    cell = WriteOnlyCell(sheet, value)
    cell.number_format = number_format
    return cell


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _households(households):
    if hasattr(households, "select_related"):
        return households.select_related("village").order_by("village__path", "number").iterator(chunk_size=2000)
    return households


def export_ledger(households, mask=True, title=LEDGER_TITLE, exported=None):
    """The ledger in the roster layout plus 户号 and the date of each step (.xlsx bytes), in
    openpyxl's write-only mode: any size, at ~60,000 cells a second (a village in a fraction of
    a second, 100,000 households in about half a minute). ID and phone numbers are masked
    unless mask=False (see requisition.roster_views: who may, and the log of it); `exported`, a
    list, gets the id of each household written. The file imports back: 户号 keeps a masked ID
    number to its household."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(LEDGER_TITLE)
    sheet.freeze_panes = "A3"
    date_labels = [f"{STAGE_NAMES[s]}日期" for s in STAGES]
    _title_row(sheet, title)
    _header_row(
        sheet,
        [COLUMNS[k].header() for k in LAYOUT] + date_labels,
        [COLUMNS[k].width for k in LAYOUT] + [12] * len(date_labels),
    )
    date_fields = [STAGE_DATE[s] for s in STAGES]
    for seq, h in enumerate(_households(households), start=1):
        village = f"{h.village.name}/{h.address}" if h.address else h.village.name
        line = [
            seq,
            h.number,
            h.head_name,
            mask_id(h.id_number) if mask else h.id_number,
            mask_phone(h.phone) if mask else h.phone,
            village,
            USE_NAMES.get(h.use, h.use),
            h.legal_area,
            h.unlicensed_area,
            h.land_area,
            COMPENSATION_NAMES.get(h.compensation, h.compensation),
            STAGE_NAMES.get(h.stage, h.stage),
            *(getattr(h, field) for field in date_fields),  # openpyxl formats dates as yyyy-mm-dd
        ]
        sheet.append(text_row(sheet, line))
        if exported is not None:
            exported.append(h.pk)
    return _save(workbook)


TALLY_HEADERS = (
    ("单位", 16),
    ("总户数", 8),
    *((f"{STAGE_NAMES[s]}(户)", 9) for s in [Stage.NONE, *STAGES]),
    ("签约率(%)", 9),
    ("已拆除面积(㎡)", 14),
    ("已交地面积(亩)", 14),
    ("已迁坟(座)", 9),
    ("企业已搬迁(家)", 10),
)


def _tally_line(sheet, name, tally):
    pct = tally.signed_pct
    return [
        text_cell(sheet, name),
        tally.households,
        *(tally.at_stage(s) for s in [Stage.NONE, *STAGES]),
        _formatted(sheet, pct.quantize(CENT, rounding=ROUND_HALF_UP), PCT_FORMAT) if pct is not None else None,
        _formatted(sheet, tally.demolished_area, AREA_FORMAT),
        _formatted(sheet, tally.delivered_land, LAND_FORMAT),
        tally.graves_moved,
        tally.enterprises_moved,
    ]


def export_tallies(rows, total=None, title=TALLY_TITLE):
    """Tallies (requisition.tallies.Tally objects) as .xlsx bytes: one line per unit — households,
    households at each stage, % signed, ㎡ demolished, 亩 delivered, graves and enterprises moved —
    and `total` (a Tally of the parent unit) as the 合计 line when given."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(TALLY_TITLE)
    sheet.freeze_panes = "B3"
    _title_row(sheet, title)
    _header_row(sheet, [label for label, _w in TALLY_HEADERS], [width for _l, width in TALLY_HEADERS])
    for tally in rows:
        sheet.append(_tally_line(sheet, tally.unit.name, tally))
    if total is not None:
        line = _tally_line(sheet, "合计", total)
        for index, value in enumerate(line):
            cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value)
            cell.font = Font(bold=True)
            line[index] = cell
        sheet.append(line)
    return _save(workbook)

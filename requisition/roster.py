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
import re
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter

from django.db import IntegrityError, connections, router, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

import audit
from dashboard import hooks as screen_hooks
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
    read_source,
    sheets,
    show,
    split_header,
)
from org.models import OrgUnit
from requisition.ids import mask_id, mask_phone, normalize_id, normalized_id_problem
from requisition.models import STAGE_DATE, STAGES, Household, Stage

BATCH = 1000
INSERT_BATCH = 10_000
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
    """A sheet as projects.excel.data_rows reads one: rows, the header's index and
    {key: (column, factor to ㎡ or 亩 for areas, else None)}."""

    rows: list
    header_index: int
    columns: dict


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
    for rows in sheets(data):
        header = find_header(rows)
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
        return RosterSheet(rows, index, columns)
    raise ExcelError(
        _("No header row in the first %(n)s rows: the sheet needs the columns %(columns)s.")
        % {"n": HEADER_SCAN_ROWS, "columns": "、".join(COLUMNS[k].label for k in REQUIRED)}
    )


# Rows ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Row:
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
            self.allowed[village.pk] = scope is None or scope.is_office or scope.owns(village)
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
    errors.append(message)


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
    rows = sheet.rows
    for index in range(sheet.header_index + 1, len(rows)):
        raw = rows[index]
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
            (key, position[key], factor, TEN_THOUSANDTH if key == "land_area" else CENT)
            for key, (_i, factor) in sheet.columns.items()
            if factor is not None
        ]
        self.place_cache = {}

    def parse(self, line, raw):
        """A Row; each bad cell adds an error."""
        if len(raw) < self.width:
            raw = [*raw, *([None] * (self.width - len(raw)))]
        errors = self.errors
        row = Row(line, values={})
        values = row.values
        # a cell of spaces counts as empty: _parse_* strip what they read
        if self.seq is not None and (value := raw[self.seq]) is not None:
            row.seq = value
        _parse_name(row, raw[self.name], errors)
        if self.id_number is not None and (value := raw[self.id_number]) is not None and value != "":
            _parse_id(row, value, errors, self.today)
        if self.phone is not None and (value := raw[self.phone]) is not None and value != "":
            _parse_phone(row, value, errors)
        self._village(row, raw[self.village])
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
        for key, index, factor, quantum in self.areas:
            value = raw[index]
            if value is None or value == "":
                continue
            try:  # the usual case inline; _parse_area words the errors
                number = as_decimal(value) * factor
            except ValueError:
                number = None
            if number is not None and ZERO <= number <= MAX_AREA:
                values[key] = number.quantize(quantum, ROUND_HALF_UP)
            elif not _blank(value):
                _parse_area(row, key, value, factor, errors)
        if self.number is not None and not _blank(value := raw[self.number]):
            row.number = _text(value)
            if len(row.number) > NUMBER_MAX:
                _too_long(row, "number", NUMBER_MAX, errors)
        return row

    def _village(self, row, value):
        place = self.place_cache.get(value) if value.__class__ is str else None
        if place is None:
            place = self._place(value)
            if value.__class__ is str:
                self.place_cache[value] = place
        row.village_name, row.address, row.village, problem = place
        row.village_id = row.village.pk if row.village is not None else None
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
        """(village name, address or None, village, problem or None) of a 村/组 cell."""
        if _blank(value):
            return "", None, None, "empty"
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
        return text, address, village, problem


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


# Matching with the ledger ------------------------------------------------------------------------


def _chunks(items):
    items = list(items)
    for start in range(0, len(items), QUERY_CHUNK):
        yield items[start : start + QUERY_CHUNK]


def _check_duplicates(rows, errors):
    """One row per household: by ID number, else by (village, name, address); one 户号 per row."""
    by_id, by_name, by_number = {}, {}, {}
    for row in rows:
        if row.village is None:
            continue
        if row.id_number:
            first = by_id.setdefault(row.id_number, row.line)
            if first != row.line:
                _error(
                    row,
                    errors,
                    _("Row %(row)s (%(name)s): the household with the ID number %(id)s is already in row %(first)s.")
                    % _p(row, id=mask_id(row.id_number), first=first),
                )
        elif not row.id_masked and row.name:
            first = by_name.setdefault((row.village_id, row.name, row.address or ""), row.line)
            if first != row.line:
                _error(
                    row,
                    errors,
                    _("Row %(row)s: the household of %(name)s (%(village)s) is already in row %(first)s.")
                    % _p(row, village=row.village.name, first=first),
                )
        if row.number:
            first = by_number.setdefault((row.village_id, row.number), row.line)
            if first != row.line:
                _error(
                    row,
                    errors,
                    _("Row %(row)s: the household number %(number)s of %(village)s is already in row %(first)s.")
                    % {"row": row.line, "number": row.number, "village": row.village.name, "first": first},
                )


def _stored(queryset):
    return queryset.values_list(*STORED)


def _column_in(field, values):
    """`field IN (values)` as a filter that hands the values to the database driver as they are.

    filter(field__in=…) prepares each value in Python (~4 µs each: 0.4 s for the ID numbers of
    a 100,000-row roster, as much again for its household numbers); the values here are
    strings the import has already checked. PostgreSQL gets one array parameter (= ANY(%s)):
    planning an IN list of 900 parameters costs it ten times more than the lookups."""
    connection = connection_for_write()
    column = connection.ops.quote_name(Household._meta.get_field(field).column)
    if connection.vendor == "postgresql":
        return RawSQL(f"{column} = ANY(%s)", [list(values)], output_field=BooleanField())
    sql = f"{column} IN ({', '.join(['%s'] * len(values))})"
    return RawSQL(sql, list(values), output_field=BooleanField())


def _chunks_for_in(items):
    """_chunks, or bigger chunks where one parameter carries them all (PostgreSQL)."""
    size = ARRAY_CHUNK if connection_for_write().vendor == "postgresql" else QUERY_CHUNK
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _match(rows, villages, errors):
    """Set row.existing from the ledger: by ID number, else by name and address, or by 户号 for
    a masked ID number. A few chunked queries, whatever the size of the ledger."""
    with_id = [row for row in rows if row.id_number and not row.bad]
    by_id = {}
    for chunk in _chunks_for_in({row.id_number for row in with_id}):
        by_id.update((h[4], h) for h in _stored(Household.objects.filter(_column_in("id_number", chunk))))
    names, unmatched = {}, []
    for row in with_id:
        found = by_id.get(row.id_number)
        if found is None:
            unmatched.append(row)
        elif found[1] == row.village_id:
            row.existing = found
        else:
            _other_village(row, found[1], names, villages.scope, errors)
    # without an ID number: by name and address among the stored households without one (a
    # row with a new ID number fills in the ID of such a household)
    without_id = [row for row in rows if not row.id_number and not row.id_masked and not row.bad]
    candidates = without_id + unmatched
    by_name = {}
    for chunk in _chunks(sorted({row.village_id for row in candidates})):
        for h in _stored(Household.objects.filter(village_id__in=chunk, id_number="")):
            by_name.setdefault((h[1], h[3], h[6]), []).append(h)
    claimed = set()
    for row in candidates:
        found = by_name.get((row.village_id, row.name, row.address or ""), [])
        if len(found) == 1 and not (row.id_number and found[0][0] in claimed):
            row.existing = found[0]
            claimed.add(found[0][0])
        elif len(found) > 1 and not row.id_number:
            _error(
                row,
                errors,
                _("Row %(row)s: %(village)s has several households of %(name)s; fill in the ID number or 户号.")
                % _p(row, village=row.village.name),
            )

    masked = [row for row in rows if row.id_masked and not row.bad]
    by_number = _by_number(masked)
    for row in masked:
        found = by_number.get((row.village_id, row.number)) if row.number else None
        if found is None or mask_id(found[4]) != row.id_masked:
            _error(
                row,
                errors,
                _(
                    "Row %(row)s (%(name)s): the ID number is masked (%(id)s); write the full ID number, or keep the "
                    "户号 of an exported ledger."
                )
                % _p(row, id=row.id_masked),
            )
        else:
            row.existing = found
    _check_claimed(rows, errors)


def _check_claimed(rows, errors):
    """Two rows cannot be one stored household (say a masked row and a row with the full ID)."""
    first = {}
    for row in rows:
        if row.existing is None or row.bad:
            continue
        line = first.setdefault(row.existing[0], row.line)
        if line != row.line:
            _error(
                row,
                errors,
                _("Row %(row)s (%(name)s): this household is already in row %(first)s.") % _p(row, first=line),
            )


def _other_village(row, village_id, names, scope, errors):
    """The row's ID number is registered in another village (named when the user may read it)."""
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
            "Row %(row)s (%(name)s): a household with the ID number %(id)s is already registered in another village."
        )
    _error(row, errors, message % params)


def _by_number(rows):
    """{(village id, number): stored household} for the rows' 户号."""
    wanted = {}
    for row in rows:
        if row.number and row.village is not None:
            wanted.setdefault(row.village_id, set()).add(row.number)
    found = {}
    for village_id, numbers in wanted.items():
        for chunk in _chunks_for_in(sorted(numbers)):
            for h in _stored(Household.objects.filter(_column_in("number", chunk), village_id=village_id)):
                found[(h[1], h[2])] = h
    return found


def _generated_taken(rows):
    """{(village id, number): (pk, village id, number, head name)} of the stored households
    whose number looks generated, in the rows' villages: one range query on the (village,
    number) index instead of looking the rows' numbers up one by one, unless there are many
    more of them than rows (None: look them up)."""
    limit = 4 * len(rows) + 1000
    found = {}
    for chunk in _chunks(sorted({row.village_id for row in rows})):
        stored = list(
            Household.objects.filter(village_id__in=chunk, number__gte=GENERATED_PREFIX, number__lt=GENERATED_END)
            .order_by()
            .values_list("pk", "village_id", "number", "head_name")[: limit - len(found) + 1]
        )
        found.update(((h[1], h[2]), h) for h in stored)
        if len(found) > limit:
            return None
    return found


def _number_key():
    return salted_hmac("duban.requisition.roster.number", "household number").digest()


def generated_number(key, village_id, row):
    """A stable household number from the village and the ID number (else name, address, 序号)."""
    if row.id_number:
        text = f"{village_id}:{row.id_number}"
    else:
        text = f"{village_id}:{row.name}:{row.address or ''}:{as_text(row.seq)}"
    return GENERATED_PREFIX + hashlib.blake2b(text.encode(), key=key, digest_size=6).hexdigest().upper()


# Planning and writing ---------------------------------------------------------------------------


@dataclass
class Writes:
    new: list  # rows (tuples in INSERT_FIELDS order)
    changed: list  # Households
    fields: set


def _plan(sheet, scope, result, today, fields):
    errors = result.errors
    villages = Villages(scope)
    parse = RowParser(sheet, villages, errors, today).parse
    rows = [parse(line, raw) for line, raw in roster_rows(sheet)]
    if not rows:
        raise ExcelError(_("The sheet has no data rows."))
    result.rows = len(rows)
    _check_duplicates(rows, errors)
    _match(rows, villages, errors)
    key = _number_key()
    for row in rows:
        if row.bad:
            continue
        if row.existing is None:
            if row.id_masked or row.phone_masked:
                _masked_new(row, errors)
            elif not row.number:
                row.number = generated_number(key, row.village_id, row)
                row.generated = True
        elif STAGE_ORDER[Stage(row.values.get("stage", row.existing[12]))] < STAGE_ORDER[Stage(row.existing[12])]:
            _error(
                row,
                errors,
                _(
                    "Row %(row)s (%(name)s): the household is at “%(stored)s” in the ledger; an import cannot move "
                    "it back to “%(stage)s” (step back on the household's page, with a reason)."
                )
                % _p(row, stored=STAGE_NAMES[Stage(row.existing[12])], stage=STAGE_NAMES[row.values["stage"]]),
            )
    _check_numbers(rows, errors)
    if errors:
        return None
    writes = Writes([], [], set())
    now = connection_for_write().ops.adapt_datetimefield_value(timezone.now())
    defaults = (
        [now if name == "updated_at" else default for name, default in fields],
        {name: index for index, (name, _default) in enumerate(fields)},
    )
    for row in rows:
        if row.existing is None:
            _create(row, writes, result, defaults)
        else:
            _update(row, writes, result)
    return writes


def connection_for_write():
    return connections[router.db_for_write(Household)]


def _masked_new(row, errors):
    column = "id_number" if row.id_masked else "phone"
    _error(
        row,
        errors,
        _("Row %(row)s (%(name)s): %(column)s is masked (%(value)s) and there is no such household to keep it from.")
        % _p(row, column=_column(column), value=row.id_masked or row.phone_masked),
    )


def _check_numbers(rows, errors):
    """A new or changed 户号 must not belong to another household of the village."""
    wanted = [
        row for row in rows if not row.bad and row.number and (row.existing is None or row.existing[2] != row.number)
    ]
    generated = [row for row in wanted if row.generated]
    taken = _generated_taken(generated)
    if taken is None:
        taken = _by_number(wanted)
    else:
        taken.update(_by_number([row for row in wanted if not row.generated]))
    for row in wanted:
        other = taken.get((row.village_id, row.number))
        if other is not None and (row.existing is None or other[0] != row.existing[0]):
            _error(
                row,
                errors,
                _("Row %(row)s (%(name)s): the household number %(number)s of %(village)s belongs to %(other)s.")
                % _p(row, number=row.number, village=row.village.name, other=other[3]),
            )


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


def _create(row, writes, result, defaults):
    """`defaults`: (the default values in INSERT order, {field: position})."""
    line, position = defaults
    line = list(line)
    line[position["village_id"]] = row.village_id
    line[position["number"]] = row.number
    line[position["head_name"]] = row.name
    if row.id_number:
        line[position["id_number"]] = row.id_number
    if row.phone is not None:
        line[position["phone"]] = row.phone
    if row.address is not None:
        line[position["address"]] = row.address
    for field, value in row.values.items():
        line[position[field]] = value
    writes.new.append(tuple(line))
    result.created += 1
    if len(result.changes) < PREVIEW_LIMIT:
        result.changes.append(Change(row.line, f"{row.label()}({row.number})", True, []))


def _update(row, writes, result):
    stored = dict(zip(STORED, row.existing, strict=True))
    wanted = _wanted(row)
    changed = [field for field in CHANGEABLE if field in wanted and stored[field] != wanted[field]]
    if changed:
        stored.update((field, wanted[field]) for field in changed)
        pk = stored.pop("pk")
        writes.changed.append(Household(pk=pk, **stored))
        writes.fields.update(changed)
    labels = list(dict.fromkeys(COLUMNS[FIELD_COLUMNS[field]].label for field in changed))
    result.count(row.line, f"{row.label()}({stored['number']})", False, labels)


def insert_fields():
    """The columns a new household is inserted with, and their defaults."""
    return [(f.attname, f.get_default()) for f in Household._meta.concrete_fields if not f.primary_key]


def _insert(fields, rows):
    """New households, as tuples of database-ready values (str, int, Decimal, None, the time
    adapted once): executemany on SQLite, COPY on PostgreSQL, bulk_create elsewhere.

    Django's bulk_create prepares every value of every row through its field (24 per
    household): measured at ~9,000 rows/s on SQLite, less than half the import's target, so the
    values are prepared once here, by the import's own checks."""
    connection = connection_for_write()
    names = [name for name, _default in fields]
    if connection.vendor not in ("sqlite", "postgresql"):
        Household.objects.bulk_create(
            [Household(**dict(zip(names, row, strict=True))) for row in rows], batch_size=BATCH
        )
        return
    # in the order of the (village, number) index: a new household then lands next to the last
    # one in the index's pages, not on a random page (1.6 s instead of 2.4 s for 100,000 rows
    # into a million on SQLite)
    rows = sorted(rows, key=itemgetter(names.index("village_id"), names.index("number")))
    table = connection.ops.quote_name(Household._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(Household._meta.get_field(n).column) for n in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"
        with _sqlite_cache(cursor):
            for start in range(0, len(rows), INSERT_BATCH):
                cursor.executemany(sql, rows[start : start + INSERT_BATCH])


@contextmanager
def _sqlite_cache(cursor):
    """SQLite's page cache (2 MB by default) enlarged for the inserts: the ID-number index of a
    million households is ~35 MB, and a new ID lands on a random page of it."""
    cursor.execute("PRAGMA cache_size")
    previous = cursor.fetchone()[0]
    cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _write(writes, fields):
    if writes.new:
        _insert(fields, writes.new)
    if writes.changed:
        now = timezone.now()
        for household in writes.changed:
            household.updated_at = now
        Household.objects.bulk_update(writes.changed, [*sorted(writes.fields), "updated_at"], batch_size=BATCH)
    # the big screen's village roll-ups: changed households now; new ones (higher ids) are caught
    # up by the screen's next request, outside this transaction (dashboard/rollups.py)
    screen_hooks.households_changed({household.village_id for household in writes.changed})
    note = f"{len(writes.new)} new, {len(writes.changed)} changed households"
    audit.record("import", "requisition.household", note=note)


def import_file(source, *, scope=None, dry_run=False, today=None):
    """Import a roster (bytes, path or file object). `scope` is the user's org.scoping.Scope;
    None imports as the office. Never raises for a bad file: see result.errors."""
    today = today or timezone.localdate()
    result = ImportResult(dry_run=dry_run)
    try:
        with _no_cyclic_gc():
            _import(source, scope, dry_run, today, result)
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


def _import(source, scope, dry_run, today, result):
    sheet = read_roster(read_source(source))
    with transaction.atomic():
        fields = insert_fields()
        writes = _plan(sheet, scope, result, today, fields)
        if result.ok and not dry_run:
            _write(writes, fields)


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


def export_ledger(households, mask=True, title=LEDGER_TITLE):
    """The ledger in the roster layout plus 户号 and the date of each step (.xlsx bytes), in
    openpyxl's write-only mode: any size, at ~60,000 cells a second (a village in a fraction of
    a second, 100,000 households in about half a minute). ID and phone numbers are masked
    unless mask=False; the pages always export masked (see requisition.roster_views). The file
    imports back: 户号 keeps a masked ID number to its household."""
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
        sheet.append(line)
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
        name,
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

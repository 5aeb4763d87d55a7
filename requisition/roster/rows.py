"""Rows from raw cells: RowParser, fast for the usual cells, and the _parse_* functions that read
the rest and word the errors."""

import re
from decimal import ROUND_HALF_UP

from django.utils.translation import gettext as _

from duban.personal import mask_id
from duban.spreadsheet import (
    as_decimal,
    as_text,
    show,
)
from requisition.ids import CHECK_CHARS, normalize_id, normalized_id_problem
from requisition.roster.columns import ADDRESS_MAX, NAME_MAX, NUMBER_MAX, SHOWN_WORDS, WORD_COLUMNS
from requisition.roster.lines import HouseholdLine, _column, _empty, _error, _not_a_number, _p, _too_long, _unknown_word
from requisition.roster.reading import _blank, _text
from requisition.roster.vocabulary import CENT, MAX_AREA, TEN_THOUSANDTH, ZERO

PHONE = re.compile(r"^\+?[0-9][0-9\- ()]{2,19}$")


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

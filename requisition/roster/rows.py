"""Rows from raw cells: RowParser, fast for the usual cells, and the _parse_* functions that read
the rest and word the errors."""

from decimal import ROUND_HALF_UP

from django.utils.translation import gettext as _

from duban.personal import mask_id
from duban.spreadsheet import (
    as_decimal,
    as_text,
    show,
)
from duban.spreadsheet.rows import is_nothing
from requisition.ids import CHECK_CHARS, normalize_id, normalized_id_problem
from requisition.phones import TYPED_MAX as PHONE_TYPED_MAX
from requisition.phones import normalize as normalize_phone
from requisition.roster.columns import ADDRESS_MAX, NAME_MAX, NUMBER_MAX, SHOWN_WORDS, WORD_COLUMNS
from requisition.roster.groups import group_label
from requisition.roster.lines import HouseholdLine, _column, _empty, _error, _not_a_number, _p, _too_long, _unknown_word
from requisition.roster.reading import _text
from requisition.roster.vocabulary import CENT, MAX_AREA, STAGE_BELOW, TEN_THOUSANDTH, ZERO


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
        self.group = position.get("group")
        self.words = [
            (key, position[key], STAGE_BELOW if key == "stage" else None, words)
            for key, words in WORD_COLUMNS
            if key in position
        ]
        self.areas = [
            (key, position[key], factor, TEN_THOUSANDTH if key == "land_area" else CENT, {})
            for key, (_i, factor) in sheet.columns.items()
            if factor is not None
        ]
        self.place_cache = {}
        self.groups = villages.groups  # (village id, number) → group id, as groups are made
        self.may_add = set()  # villages the user may add groups to, as found
        self.group_cache = {}  # (组 cell, village id) → (number, village named, problem)
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
            # the usual mobile number, as stored: 11 digits from 13 to 19
            if value.__class__ is str and len(value) == 11 and value.isascii() and value.isdigit() and value[0] == "1":
                row.phone, row.phone_typed = value, ""
            else:
                _parse_phone(row, value, errors)
        value = raw[self.village]
        place = self.place_cache.get(value) if value.__class__ is str else None
        if place is not None and place[3] is None:
            row.village_name, row.address, row.village, _problem, row.village_id, number, soft = place
        else:
            number, soft = self._village(row, value)
        if self.group is not None and not is_nothing(group_cell := raw[self.group]):
            number, soft = self._group_cell(row, group_cell, number), False
        if number is not None and row.village is not None:
            # the usual case inline: a group that exists
            if (group := self.groups.get((row.village_id, number))) is not None:
                row.group_number, row.group_id = number, group
            elif row.village_id in self.may_add:
                row.group_number = number  # a group to be made, its id set by Importer.add
            else:
                self._group(row, number, soft)
        for key, index, below, words in self.words:
            value = raw[index]
            word = words.get(value)
            if word is None:
                if is_nothing(value):
                    continue
                value = "".join(_text(value).split())
                word = words.get(value)
                if word is None:
                    _unknown_word(row, key, value, SHOWN_WORDS[key], errors)
                    continue
            values[key] = word
            if below and value in below:
                row.stage_below = below[value]
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
            elif not is_nothing(value):
                _parse_area(row, key, value, factor, errors)
        if self.number is not None and not is_nothing(value := raw[self.number]):
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
        """Reads the 村/组 cell into the row; returns the group number it names (or None)."""
        place = self.place_cache.get(value) if value.__class__ is str else None
        if place is None:
            place = self.villages.place(value)
            if value.__class__ is str:
                self.place_cache[value] = place
        row.village_name, row.address, row.village, problem, row.village_id, number, soft = place
        if problem is None:
            return number, soft
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
        elif problem == "two_groups":
            message = _("Row %(row)s: 村/组 “%(value)s” names two different groups.")
            _error(row, errors, message % {"row": row.line, "value": show(value)})
        else:
            _error(row, errors, _("Row %(row)s: you may not import households of %(village)s.") % params)
        return None, False

    def _group_cell(self, row, value, number):
        """The group of the 组 column (cells of it repeat: each text read once); an error when
        it is not a group, is another village's or contradicts the 村/组 cell."""
        key = (value, row.village_id)
        found = self.group_cache.get(key)
        if found is None:
            found = self.group_cache[key] = self.villages.group_cell(value)
        cell_number, village, problem = found
        params = {"row": row.line, "column": _column("group"), "value": show(value)}
        if problem is not None:
            message = _("Row %(row)s: %(column)s “%(value)s” is not a villagers' group (write its number: 3 or 3组).")
            _error(row, self.errors, message % params)
            return None
        if row.village is None:
            return None
        if village is not None and village.pk != row.village_id:
            message = _("Row %(row)s: %(column)s “%(value)s” is a group of %(other)s, not of %(village)s.")
            _error(row, self.errors, message % {**params, "other": village.name, "village": row.village.name})
            return None
        if number is not None and number != cell_number:
            message = _(
                "Row %(row)s: 村/组 names group %(first)s and %(column)s group %(second)s; "
                "the household is in one group only."
            )
            _error(row, self.errors, message % {**params, "first": number, "second": cell_number})
            return None
        return cell_number

    def _group(self, row, number, soft):
        group = self.villages.group_id(row.village, number)
        if group is None:
            self.may_add.add(row.village_id)
        if group == "refused" and soft:
            return  # 江尾村/3组 from a field worker: the address, as before groups were read
        row.group_number = number
        if group == "refused":
            message = _(
                "Row %(row)s: %(village)s has no group %(group)s, and only the office adds villagers' groups; "
                "ask the office to add it, or correct %(column)s."
            )
            params = {"row": row.line, "village": row.village.name, "group": group_label(number)}
            _error(row, self.errors, message % {**params, "column": _column("group" if self.group else "village")})
        else:
            row.group_id = group  # None: made by the import (Importer.add)


def _parse_name(row, value, errors):
    row.name = "" if value is None else _text(value)
    if not row.name:
        _empty(row, "name", errors)
    elif len(row.name) > NAME_MAX:
        _too_long(row, "name", NAME_MAX, errors)


def _parse_id(row, value, errors, today):
    if is_nothing(value):  # 无, —, /: nothing written
        return
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
    typed = _text(value)
    if not typed or is_nothing(typed):
        return
    if "*" in typed:
        row.phone_masked = typed
        return
    stored = normalize_phone(typed)
    if stored is None or len(typed) > PHONE_TYPED_MAX:
        _error(
            row,
            errors,
            _(
                "Row %(row)s (%(name)s): %(column)s “%(value)s” is not a phone number (a mobile number of 11 "
                "digits, or a landline with its area code, as 0594-2345678; two numbers separated by /)."
            )
            % _p(row, column=_column("phone"), value=show(typed)),
        )
        return
    row.phone, row.phone_typed = stored, "" if typed == stored else typed


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

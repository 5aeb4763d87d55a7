"""One household row as read (HouseholdLine) and the wording of row errors."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from duban.spreadsheet import (
    show,
)
from org.models import OrgUnit
from requisition.roster.columns import COLUMNS


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
    phone_typed: str = ""  # the cell as typed, when it differs from the stored form (row.phone)
    village_name: str = ""
    village: OrgUnit | None = None
    village_id: int | None = None
    address: str | None = None
    group_number: int | None = None  # the villagers' group the row names (groups.py)
    group_id: int | None = None  # its unit; None while it is to be made (Importer.add)
    stage_below: object = None  # 未签约: the stage is kept if before this one (Importer._plan)
    values: dict = None  # model field → value, for the cells that are filled in
    bad: bool = False
    generated: bool = False  # the number is made by generated_number
    existing: tuple = None  # the stored household (STORED), when matched
    deferred: bool = False  # matched at the end of the file (Importer.finish)
    made_number: str = ""  # the 户号, or the one generated_number makes (Importer.prepare)
    insert_line: tuple = None  # the values a new household is inserted with (Importer.prepare)

    def label(self):
        group = f"{self.group_number}组" if self.group_number is not None else ""
        return f"{self.village.label if self.village else self.village_name}{group} {self.name}"


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

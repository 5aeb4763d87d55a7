"""Typing and importing figures: every value checked, then all of them saved or none.

A value is a number in the indicator's unit (亿元 / 万元). A growth rate typed where a value
belongs (46.7%) is refused: 比增 is computed, never typed. A stored value that changes is a
revision (统计口径调整) and needs its reason; both values are kept in a FigureRevision.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from duban.numbers import to_decimal
from economy.models import FigureRevision, MonthlyFigure

PERCENT = re.compile(r"[%％]|百分")
FIELDS = ("month_value", "cumulative")


class EntryError(Exception):
    def __init__(self, messages):
        self.messages = messages if isinstance(messages, list) else [messages]
        super().__init__("; ".join(self.messages))


def field_label(name):
    return _("month's value") if name == "month_value" else _("cumulative from January")


def parse_value(raw, indicator, what):
    """A Decimal or None (blank); a Chinese message (str) when the value cannot be stored."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = raw.strip() if isinstance(raw, str) else raw
    if isinstance(text, str) and PERCENT.search(text):
        return _(
            "%(indicator)s, %(what)s: “%(value)s” is a growth rate, not a value; write the figure in %(unit)s "
            "(the growth rate is computed)."
        ) % {"indicator": indicator.name, "what": what, "value": text, "unit": indicator.unit_of_measure}
    try:
        number = text if isinstance(text, Decimal) else to_decimal(text)
    except ValueError:
        return _("%(indicator)s, %(what)s: “%(value)s” is not a number.") % {
            "indicator": indicator.name,
            "what": what,
            "value": text,
        }
    if number < 0 and not indicator.allows_negative:
        return _("%(indicator)s, %(what)s: %(value)s is negative; this indicator cannot be.") % {
            "indicator": indicator.name,
            "what": what,
            "value": text,
        }
    if abs(number) >= 10**12 or -number.as_tuple().exponent > 4:
        return _("%(indicator)s, %(what)s: “%(value)s” has more than four decimals or is too large.") % {
            "indicator": indicator.name,
            "what": what,
            "value": text,
        }
    return number


def parse_month(raw, year):
    """The month number of a form's or a file's month (3, "3", "3月", "2021-03"); a message otherwise."""
    text = str(raw).strip() if raw is not None else ""
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        if int(match[1]) != year:
            return _("The period %(period)s is not in %(year)s, the year of this form.") % {
                "period": text,
                "year": year,
            }
        text = match[2]
    text = text.removesuffix("月")
    if not text.isdigit() or not 1 <= int(text) <= 12:
        return _("The month “%(month)s” is not a month of the year (1 to 12).") % {"month": raw}
    return int(text)


@dataclass
class Change:
    indicator: object
    values: dict  # field → Decimal or None (only the fields given)
    reason: str = ""
    old: dict = field(default_factory=dict)
    figure: object = None

    @property
    def revised(self):
        return [f for f in self.values if self.old.get(f) is not None and self.old[f] != self.values[f]]

    @property
    def changed(self):
        return any(self.old.get(f) != v for f, v in self.values.items())


def check(unit, year, month, rows):
    """Changes for rows [(indicator, {field: raw}, reason)], or EntryError with every message."""
    errors, changes = [], []
    stored = {f.indicator_id: f for f in MonthlyFigure.objects.filter(unit=unit, year=year, month=month)}
    for indicator, raw_values, reason in rows:
        values = {}
        for name in FIELDS:
            if name not in raw_values:
                continue
            parsed = parse_value(raw_values[name], indicator, field_label(name))
            if isinstance(parsed, str):
                errors.append(parsed)
            else:
                values[name] = parsed
        if indicator.cumulative_only and values.get("month_value") is not None:
            errors.append(
                _("%(indicator)s is published as a cumulative figure only: write its 1-%(month)s月 cumulative.")
                % {"indicator": indicator.name, "month": month}
            )
        figure = stored.get(indicator.pk)
        old = {name: getattr(figure, name) for name in FIELDS} if figure else {}
        change = Change(indicator, values, (reason or "").strip(), old, figure)
        if change.revised and not change.reason:
            errors.append(
                _(
                    "%(indicator)s, %(year)s年%(month)s月 is already stored (%(old)s); a change of a stored figure "
                    "is a revision and needs its reason (e.g. 统计口径调整)."
                )
                % {
                    "indicator": indicator.name,
                    "year": year,
                    "month": month,
                    "old": "、".join(f"{field_label(f)} {old[f]}" for f in change.revised),
                }
            )
        if change.changed:
            changes.append(change)
    if errors:
        raise EntryError(errors)
    return changes


@transaction.atomic
def apply(unit, year, month, changes, user=None, source=""):
    """Save checked changes; a revision row for each stored value that changed."""
    for change in changes:
        figure = change.figure or MonthlyFigure(unit=unit, indicator=change.indicator, year=year, month=month)
        for name, value in change.values.items():
            setattr(figure, name, value)
        figure.updated_by = user
        if source:
            figure.source = source[:100]
        if figure.month_value is None and figure.cumulative is None:
            if figure.pk:
                figure.delete()
            continue
        figure.save()
        for name in change.revised:
            FigureRevision.objects.create(
                figure=figure,
                field=name,
                old_value=change.old[name],
                new_value=change.values[name],
                reason=change.reason[:200],
                revised_by=user,
            )
    return len(changes)

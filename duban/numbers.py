"""Numbers in and out: reading what people type or spreadsheets hold, exactly, as Decimal; and
writing figures the way offices write them, the one place templates, documents, exports and
messages take them from:

- counts of 户, 座, 个, 宗 (and 家, 人, 处, 栋, 间, 项) without decimals: 3,875 户;
- other amounts, money in 万元 / 亿元 and percentages with two decimals: 1,234.50, 61.00%;
- weeks as 第49周(11月28日—12月4日), dates as 2026年12月3日 in text and 2026-12-03 in tables.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

SEPARATORS = re.compile(r"[\s,，]")  # spaces, ASCII and full-width thousands separators


def to_decimal(value):
    """A typed or cell value as an exact, finite Decimal; ValueError otherwise.

    Floats from spreadsheets go through str() (Decimal(str(0.1)) == Decimal("0.1")), never
    float arithmetic.
    """
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        number = Decimal(str(value))
    elif isinstance(value, str):
        try:
            number = Decimal(SEPARATORS.sub("", value))
        except InvalidOperation:
            raise ValueError(value) from None
    else:
        raise ValueError(value)
    if not number.is_finite():
        raise ValueError(value)
    return number


COUNT_UNITS = frozenset("户座个宗家人处栋间项")
WAN, YI = Decimal(10_000), Decimal(100_000_000)


def num(value, places=2):
    """1234.5 → "1,234.50" (half up); None or "" → "—"."""
    if value is None or value == "":
        return "—"
    places = int(places)
    quantum = Decimal(1).scaleb(-places)
    d = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{d:,.{places}f}"


def count(value):
    """Things counted (户, 座, 个, 宗 ...): 3875 → "3,875"; None → "—"."""
    return num(value, 0)


def pct(value):
    """61 → "61.00%"; None → "—"."""
    return "—" if value is None else num(value) + "%"


def signed(value):
    """Points ahead or behind: "+1.50", "-2.00"; None → "—"."""
    if value is None:
        return "—"
    text = num(value)
    return text if Decimal(str(value)) < 0 else "+" + text


def is_count(unit_of_measure):
    """Whether figures in this unit are whole things counted (户, 座, 个, 宗, ...)."""
    return (unit_of_measure or "").strip() in COUNT_UNITS


def amount(value, unit_of_measure=""):
    """A figure of an indicator, as offices write it: counts without decimals (3,875), other
    amounts with two (1,234.50); no unit appended (the header names it)."""
    return num(value, 0 if is_count(unit_of_measure) else 2)


def wan(value):
    """Yuan → 万元 with two decimals."""
    return "—" if value is None else num(Decimal(str(value)) / WAN)


def yi(value):
    """Yuan → 亿元 with two decimals."""
    return "—" if value is None else num(Decimal(str(value)) / YI)


def day_text(day):
    """A date in running text: 2026年12月3日."""
    if day is None:
        return "—"
    return _("%(month)d/%(day)d/%(year)d") % {"year": day.year, "month": day.month, "day": day.day}


def day_cell(day):
    """A date in a table: 2026-12-03."""
    return "—" if day is None else day.isoformat()


def week_text(week):
    """A reporting week as offices write it: 第49周(11月28日—12月4日) — the ISO week of its
    closing date and the days it covers (duban/periods.Week)."""
    start, end = week.start, week.end
    return _("week %(n)d (%(start)s–%(end)s)") % {
        "n": end.isocalendar()[1],
        "start": _("%(month)d/%(day)d") % {"month": start.month, "day": start.day},
        "end": _("%(month)d/%(day)d") % {"month": end.month, "day": end.day},
    }


def figure(amount, unit_of_measure=""):
    """A figure for a message: 3000000 → "3,000,000", 12.5 → "12.50", with its unit when given
    ("3,000,000 m²")."""
    number = Decimal(str(amount))
    whole = number == number.to_integral_value() or is_count(unit_of_measure)
    text = num(number, 0 if whole else 2)
    return f"{text} {unit_of_measure}" if unit_of_measure else text

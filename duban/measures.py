"""What no real unit could report: a bound on the figure of each unit of measure.

A weekly amount or level at or above its unit's bound is refused (a typing slip such as
99,999,999,999,999 m²), whatever the campaign's targets. The bounds are generous — a whole
county's area, households, money — so that no real figure reaches them.
"""

from decimal import Decimal

# unit of measure (as indicators spell it) → the first figure refused
BOUNDS = {
    "m²": Decimal(10) ** 10,  # 10,000 km²: more than a county
    "平方米": Decimal(10) ** 10,
    "㎡": Decimal(10) ** 10,
    "m2": Decimal(10) ** 10,
    "万平方米": Decimal(10) ** 6,
    "万m²": Decimal(10) ** 6,
    "亩": Decimal(10) ** 8,
    "公顷": Decimal(10) ** 7,
    "户": Decimal(10) ** 7,
    "人": Decimal(10) ** 8,
    "个": Decimal(10) ** 7,
    "座": Decimal(10) ** 7,
    "处": Decimal(10) ** 7,
    "家": Decimal(10) ** 7,
    "宗": Decimal(10) ** 7,
    "栋": Decimal(10) ** 7,
    "套": Decimal(10) ** 7,
    "项": Decimal(10) ** 7,
    "元": Decimal(10) ** 13,
    "万元": Decimal(10) ** 9,
    "亿元": Decimal(10) ** 5,
    "公里": Decimal(10) ** 5,
    "km": Decimal(10) ** 5,
    "米": Decimal(10) ** 8,
    "m": Decimal(10) ** 8,
    "%": Decimal(10) ** 4,
}
DEFAULT_BOUND = Decimal(10) ** 12  # a unit of measure not listed


def bound_for(unit_of_measure):
    """The first figure refused in `unit_of_measure`."""
    return BOUNDS.get((unit_of_measure or "").strip(), DEFAULT_BOUND)


def impossible(amount, unit_of_measure):
    """True when no real unit could report `amount` in `unit_of_measure`."""
    return abs(amount) >= bound_for(unit_of_measure)

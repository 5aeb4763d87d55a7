"""Reading numbers people type or spreadsheets hold, exactly, as Decimal."""

import re
from decimal import Decimal, InvalidOperation

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


def figure(amount, unit_of_measure=""):
    """A figure for a message: 3000000 → "3,000,000", 12.5 → "12.50", with its unit when given
    ("3,000,000 m²")."""
    number = Decimal(str(amount))
    text = f"{number:,.0f}" if number == number.to_integral_value() else f"{number.quantize(Decimal('0.01')):,.2f}"
    return f"{text} {unit_of_measure}" if unit_of_measure else text

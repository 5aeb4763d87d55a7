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

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from duban.numbers import to_decimal


@pytest.mark.parametrize(
    "raw, value",
    [("12.5", "12.5"), (" 1,234.50 ", "1234.50"), ("1，234", "1234"), (0.1, "0.1"), (3, "3"), ("-2", "-2")],
)
def test_it_reads_numbers_exactly(raw, value):
    assert to_decimal(raw) == Decimal(value)


@pytest.mark.parametrize("raw", ["abc", "", "NaN", "Infinity", "-inf", True, None, [1]])
def test_it_refuses_what_is_not_a_finite_number(raw):
    with pytest.raises(ValueError):
        to_decimal(raw)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**15), max_value=10**15))
def test_a_typed_decimal_comes_back_unchanged(value):
    assert to_decimal(f"{value:,}") == value

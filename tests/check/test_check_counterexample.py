"""Counterexamples are printed as short exact decimals where the value has one."""
from __future__ import annotations

from fractions import Fraction

import pytest

from derive.check.judge import _short


@pytest.mark.parametrize("value, shown", [
    ("-971/1000", "-0.971"), ("3/8", "0.375"), ("-1/2", "-0.5"), ("1/1024", "0.0009765625"),
    ("7", "7"), ("1/3", "1/3"), ("-2/7", "-2/7"), ("sqrt(2)", "sqrt(2)"),
])
def test_short_decimal(value: str, shown: str) -> None:
    assert _short(value) == shown
    if "/" in value and "/" not in shown:      # the decimal is exactly the fraction
        assert Fraction(shown) == Fraction(value)

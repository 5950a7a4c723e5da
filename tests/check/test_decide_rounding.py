"""The one rounding rule of the checker (derive/check/decide.py, README "Rounding rule").

A decimal with d places stands for any value within half a unit of its last place only on
an ``\\approx`` line, or, with ``=``, when it is a whole side by itself.  A decimal inside an
expression is exact: ``1.4^2 = 2`` is 1.96 = 2.  Each expected verdict is recomputed here
from exact fractions (``fractions.Fraction``), independently of derive.
"""
from __future__ import annotations

from fractions import Fraction

import pytest

from derive.check import check_text

# (step, the exact value of the left side, the right side as written, its decimals, "=" or "~")
CASES = [
    (r"1.4^2 = 2", Fraction(196, 100), "2", "="),
    (r"1.4^2 = 1.96", Fraction(196, 100), "1.96", "="),
    (r"1.4^2 \approx 2", Fraction(196, 100), "2", "~"),
    (r"1.41^2 = 2", Fraction(19881, 10000), "2", "="),
    (r"\frac{7}{8} = 0.875", Fraction(7, 8), "0.875", "="),
    (r"\frac{7}{8} = 0.88", Fraction(7, 8), "0.88", "="),        # 0.875 rounds (half up) to 0.88
    (r"\frac{7}{8} = 0.86", Fraction(7, 8), "0.86", "="),
    (r"\frac{1}{3} = 0.333", Fraction(1, 3), "0.333", "="),
    (r"2.5 \cdot 4.2 = 10.5", Fraction(105, 10), "10.5", "="),
    (r"2.5 \cdot 4.2 = 11", Fraction(105, 10), "11", "="),
    (r"0.333 \cdot 3 = 1", Fraction(999, 1000), "1", "="),
    (r"0.333 \cdot 3 \approx 1", Fraction(999, 1000), "1", "~"),
]


def _expected(value: Fraction, written: str, rel: str) -> str:
    """valid iff exact, or within half a unit of the written side's last place when it is rounded."""
    places = len(written.split(".")[1]) if "." in written else 0
    rounded = rel == "~" or places > 0          # with =, only a bare decimal side is rounded
    half = Fraction(1, 2) / 10**places
    target = Fraction(written)
    ok = value == target or (rounded and abs(value - target) <= half)
    return "valid" if ok else "invalid"


@pytest.mark.parametrize("step, value, written, rel", CASES)
def test_the_rounding_rule(step, value, written, rel):
    (s,) = check_text(f"\\[ {step} \\]\n", timeout=10).steps
    assert s.verdict == _expected(value, written, rel)


@pytest.mark.parametrize("step, verdict", [
    (r"1.4^2 = 2", "invalid"),          # the decimal is inside an expression: exact
    (r"\sqrt2 = 1", "invalid"),
    (r"\sqrt2 = 1.414", "valid"),       # a bare decimal side is rounded
    (r"1.414 = \sqrt2", "valid"),
    (r"\sqrt2 = 1.415", "invalid"),
    (r"\sqrt2 \approx 1", "valid"),     # \approx with a whole number: within 0.5
    (r"\sqrt3 \approx 1", "invalid"),
])
def test_irrational_sides(step, verdict):
    (s,) = check_text(f"\\[ {step} \\]\n", timeout=10).steps
    assert s.verdict == verdict


def test_the_message_of_a_rounded_side():
    (s,) = check_text("\\[ \\frac{7}{8} = 0.88 \\]\n", timeout=10).steps
    assert (s.verdict, s.method) == ("valid", "proved")
    assert s.message == "equal up to rounding of the printed decimals (exact bound on the rounding error)"

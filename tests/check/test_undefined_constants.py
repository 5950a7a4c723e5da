"""A constant with no real value (\\arcsin 2, \\log(-1), \\sqrt{-4}) leaves its side undefined at
every point, even where SymPy simplifies it away while reading (``\\sin(\\arcsin 2)`` is read 2):
the step is ``invalid``, never proved (issue 8, A9).  The reference: mpmath gives the constant
an imaginary part; real constants are compared with mpmath values.
"""
from __future__ import annotations

import mpmath as mp
import pytest

from derive.check import check_text


# (step, side(s), the constant as printed, its mpmath value)
UNDEFINED = [
    (r"\sin(\arcsin 2) = 2", "the left side is", r"\arcsin{\left(2 \right)}", lambda: mp.asin(2)),
    (r"\cos(\arccos 3) = 3", "the left side is", r"\arccos{\left(3 \right)}", lambda: mp.acos(3)),
    (r"\sqrt{-4} \cdot 0 = 0", "the left side is", r"\sqrt{-4}", lambda: mp.sqrt(-4)),
    (r"x + \log(-1) - \log(-1) = x", "the left side is", r"\log{\left(-1 \right)}", lambda: mp.log(-1)),
    (r"2 = \sin(\arcsin 2)", "the right side is", r"\arcsin{\left(2 \right)}", lambda: mp.asin(2)),
    (r"\sin(\arcsin 2) = \sin(\arcsin 2)", "both sides are", r"\arcsin{\left(2 \right)}", lambda: mp.asin(2)),
    (r"\sin(\arcsin 2) \le 2", "the left side is", r"\arcsin{\left(2 \right)}", lambda: mp.asin(2)),
]


@pytest.mark.parametrize("step, who, const, value", UNDEFINED, ids=[u[0].replace("\\", "") for u in UNDEFINED])
def test_a_constant_with_no_real_value_leaves_its_side_undefined(step, who, const, value):
    assert mp.im(value()) != 0      # the reference: no real value
    (s,) = check_text(f"\\[ {step} \\]\n").steps
    assert (s.verdict, s.method, s.message) == ("invalid", "undefined", f"{who} undefined: {const} is not a real number")


@pytest.mark.parametrize("step, verdict, reference", [
    # arcsin(sin 3) = pi - 3 (3 is outside [-pi/2, pi/2])
    (r"\arcsin(\sin 3) = 3", "invalid", lambda: mp.asin(mp.sin(3)) - 3),
    (r"\arcsin(\sin 3) = \pi - 3", "valid", lambda: mp.asin(mp.sin(3)) - (mp.pi - 3)),
    (r"\sin(\arcsin \frac{1}{2}) = \frac{1}{2}", "valid", lambda: mp.sin(mp.asin(0.5)) - 0.5),
    (r"\sqrt{(-2)^2} = 2", "valid", lambda: mp.sqrt((-2) ** 2) - 2),
    (r"\sqrt[3]{-8} = -2", "valid", lambda: mp.cbrt(8) * -1 + 2),
])
def test_real_constants_are_judged_by_value(step, verdict, reference):
    assert (abs(reference()) > 1e-9) == (verdict == "invalid")
    (s,) = check_text(f"\\[ {step} \\]\n").steps
    assert s.verdict == verdict, (s.verdict, s.message)

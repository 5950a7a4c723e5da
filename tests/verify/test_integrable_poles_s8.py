"""Poles of a rational integrand in the range of integration, and the value of such an integral
(derive/verify/integrable.py: ``pole_inside``, ``divergent_value``), against references computed
apart from derive (#14: broad tests of the module mutation testing found weakest).

* A pole named by ``pole_inside`` is checked with numpy: the denominator (written out by hand in
  each row) vanishes there, and the pole lies in the closed range at the parameter values given.
  A row that says no pole has every real root of that denominator outside the range (numpy).
* An infinite ``divergent_value`` is checked with mpmath: the integral with (r - eps, r + eps)
  cut out around each pole r grows towards the sign given as eps goes from 1e-4 to 1e-8.  A
  ``nan`` (no value) has an integrand that goes to +oo on one side of a pole and -oo on another.
"""
from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

from derive.domains import Domain
from derive.verify.integrable import divergent_value, pole_inside

x = sp.Symbol("x", real=True)
a = sp.Symbol("a", real=True)
b = sp.Symbol("b", real=True)
c = sp.Symbol("c", real=True)
oo = sp.oo
ABOVE5 = {a: Domain("a > 5", lo=5.0)}
POSITIVE = {a: Domain("a > 0", lo=0.0)}
ABOVE3 = {a: Domain("a > 3", lo=3.0)}
NEAR1 = {a: Domain("0.9 < a < 1.1", lo=0.9, hi=1.1)}

#: (integrand, lo, hi, declared, denominator coefficients after cancelling (numpy order) or None,
#:  expected result)
POLES = [
    (1 / (x - 1), 0, 2, {}, [1, -1], ("pole", {}, 1)),
    (1 / (x - 1), 2, 0, {}, [1, -1], ("pole", {}, 1)),                 # reversed ends
    (1 / (x - 1), 1, 3, {}, [1, -1], ("pole", {}, 1)),                 # at the lower end: closed range
    (1 / (x - 1), -3, 1, {}, [1, -1], ("pole", {}, 1)),                # at the upper end
    (1 / (x - 1), 2, 3, {}, [1, -1], ("none", {}, None)),
    (1 / (x**2 + 1), -oo, oo, {}, [1, 0, 1], ("none", {}, None)),      # no real pole
    (1 / x**2, -1, 1, {}, [1, 0, 0], ("pole", {}, 0)),
    (x / (x**2 - 4), -oo, oo, {}, [1, 0, -4], ("pole", {}, -2)),       # the first of two
    (x / (x**2 - 4), 3, oo, {}, [1, 0, -4], ("none", {}, None)),
    ((x - 1) / (x**2 - 1), 0, 2, {}, [1, 1], ("none", {}, None)),      # 1/(x + 1): x = 1 cancels
    (1 / (x**3 - 2), 0, 2, {}, [1, 0, 0, -2], ("pole", {}, sp.cbrt(2))),
    (1 / (x**3 - 2), 2, 5, {}, [1, 0, 0, -2], ("none", {}, None)),
    (1 / (x - sp.pi), 0, 4, {}, [1, -float(sp.pi)], ("pole", {}, sp.pi)),       # a coefficient pi: still x's
    (1 / (x - sp.pi), 0, 3, {}, [1, -float(sp.pi)], ("none", {}, None)),         # polynomial, pi no generator
    (1 / (2 * x - 1), 0, 2, {}, [2, -1], ("pole", {}, sp.Rational(1, 2))),
    # with parameters: a clear case at one of the tried values, or none for every value
    (1 / (x - a), 0, 2, {}, None, ("pole", {a: sp.Rational(1, 2)}, sp.Rational(1, 2))),
    (1 / (x - 1), 0, a, POSITIVE, [1, -1], ("pole", {a: 2}, 1)),
    (1 / (x - 1), a, b, {}, [1, -1], ("pole", {a: 2, b: sp.Rational(1, 2)}, 1)),
    (a / (x - 1), 0, 3, {}, [1, -1], ("pole", {a: 2}, 1)),
    (1 / ((x - a) * (x - b)), 0, 1, {}, None, ("pole", {a: 2, b: sp.Rational(1, 2)}, sp.Rational(1, 2))),
    (1 / (x - 1), 2, a, ABOVE3, [1, -1], ("none", {}, None)),          # 1 < 2 < a for every a > 3
    (1 / (x - 1), -a**2 - 1, 0, {}, [1, -1], ("none", {}, None)),      # both ends below 1
    (1 / (x - 1), 0, a, NEAR1, [1, -1], ("unknown", {}, None)),        # inside exactly when a >= 1
    # outside the test
    (1 / (x - a), 0, 2, ABOVE5, None, ("skip", {}, None)),             # a pole that moves
    (1 / (x - c), a, b, {}, None, ("skip", {}, None)),                 # three parameters
    (a / (x - 1), 2, 3, {}, None, ("skip", {}, None)),
    (sp.sin(x) / x, -1, 1, {}, None, ("skip", {}, None)),              # not rational
    (sp.Piecewise((1 / x, x > 0), (0, True)), -1, 1, {}, None, ("skip", {}, None)),
    (1 / (x - 1), 0, x + 2, {}, None, ("skip", {}, None)),             # an end in x
]


def _ends(lo, hi, point: dict) -> tuple[float, float]:
    lo, hi = (float(sp.sympify(e).xreplace(point)) for e in (lo, hi))
    return min(lo, hi), max(lo, hi)


@pytest.mark.parametrize("f, lo, hi, declared, den, expected", POLES,
                         ids=[f"{r[0]} on [{r[1]}, {r[2]}]{' ' + next(iter(r[3].values())).name if r[3] else ''}" for r in POLES])
def test_poles_in_the_range(f, lo, hi, declared, den, expected) -> None:
    got = pole_inside(sp.Integral(f, (x, lo, hi)), declared)
    assert got == expected
    status, point, r = got
    if den is None or status in ("skip", "unknown"):
        return
    roots = [z.real for z in np.roots(den) if abs(z.imag) < 1e-9]
    if status == "pole":
        left, right = _ends(lo, hi, point)
        assert abs(np.polyval(den, float(r))) < 1e-9
        assert left - 1e-12 <= float(r) <= right + 1e-12
        return
    params = sorted((sp.sympify(lo).free_symbols | sp.sympify(hi).free_symbols) - {x}, key=str)
    values = [v for v in (-3, 0, 0.5, 3.5, 10, 1000) if all(
        declared[p].contains(sp.Float(v)) is not False for p in params if p in declared)]
    for v in values if params else [None]:
        left, right = _ends(lo, hi, {p: v for p in params})
        assert all(not (left <= z <= right) for z in roots), v


def test_an_integral_outside_the_test_is_skipped() -> None:
    assert pole_inside(sp.Integral(1 / (x - 1), x), {}) == ("skip", {}, None)                 # indefinite
    assert pole_inside(sp.Integral(1 / ((x - 1) * a), (x, 0, 2), (a, 1, 2)), {}) == ("skip", {}, None)


#: (integrand, lo, hi, the poles in the range, value)
DIVERGENT = [
    (1 / x**2, -1, 1, [0], oo),
    (-1 / x**2, -1, 1, [0], -oo),
    (1 / x**2, 1, -1, [0], -oo),            # reversed: the negative of the above
    (1 / x, 0, 1, [0], oo),                 # a pole at an end: only the side inside counts
    (1 / x, 1, 0, [0], -oo),
    (1 / x, -1, 0, [0], -oo),
    (1 / x, 0, -1, [0], oo),
    (1 / x**2 + 1 / (x - 2)**2, -1, 3, [0, 2], oo),
    (-1 / (x - 1)**3, 1, 2, [1], -oo),
    (1 / (x * (x - 3)), 0, 3, [0, 3], -oo),   # -oo at both ends
    (1 / (x * (x - 3)), 1, 3, [3], -oo),
    (x**2 / (x - 1)**2, 0, 5, [1], oo),
    (1 / (x - sp.pi)**2, 0, 4, [float(sp.pi)], oo),
    (1 / x, -1, 1, [0], sp.nan),            # -oo left of 0, +oo right: no value
    (1 / x**2 - 1 / (x - 2)**2, -1, 3, [0, 2], sp.nan),
    (1 / (x - 1)**3, 0, 2, [1], sp.nan),
]


def _cut_integral(f, lo: float, hi: float, poles: list[float], eps: float) -> mpmath.mpf:
    g = sp.lambdify(x, f, "mpmath")
    left, right, sign = (lo, hi, 1) if lo <= hi else (hi, lo, -1)
    cuts = [left] + [t for p in poles for t in (p - eps, p + eps)] + [right]
    pieces = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]
    return sign * sum(mpmath.quad(g, [u, v]) for u, v in pieces if v > u)


@pytest.mark.parametrize("f, lo, hi, poles, value", DIVERGENT, ids=[f"{r[0]} on [{r[1]}, {r[2]}]" for r in DIVERGENT])
def test_the_value_of_an_integral_through_a_pole(f, lo, hi, poles, value) -> None:
    got = divergent_value(sp.Integral(f, (x, lo, hi)), {})
    assert got == value if value is not sp.nan else got is sp.nan
    mpmath.mp.dps = 20
    g = sp.lambdify(x, f, "mpmath")
    if value is sp.nan:         # the integrand tends to both infinities beside the poles inside
        near = [g(p + s * mpmath.mpf("1e-9")) for p in poles for s in (-1, 1) if min(lo, hi) < p + s * 1e-9 < max(lo, hi)]
        assert min(near) < -1e6 and max(near) > 1e6
        return
    grow = _cut_integral(f, lo, hi, poles, 1e-8) - _cut_integral(f, lo, hi, poles, 1e-4)
    assert grow > 1 if value == oo else grow < -1     # at least log growth, (1/3) log(1e4)

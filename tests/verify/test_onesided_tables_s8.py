"""One-sided derivatives and limits (derive/verify/onesided.py) against references computed apart
from derive (#14: broad tests of the module mutation testing found weakest).

* A derivative row gives the one-sided k-th derivatives it expects; mpmath differentiates the
  function numerically 1e-6 to each side of the point (the branch there is smooth) and must agree.
* A limit row's one-sided values are SymPy's own evaluation of the function 10^-12 to that side
  (no branch is chosen: Piecewise, floor, frac and Heaviside are evaluated as written).
"""
from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from derive.verify.onesided import breakpoints, derivative_at, limit_at

x = sp.Symbol("x", real=True)
H = sp.Rational(1, 2)
NOT = "not {times}differentiable at x = {p}: "

#: (f, point, order n, expected (status, message or value), one-sided n-th derivatives or None)
DERIVATIVES = [
    (sp.Abs(x)**3, 0, 2, ("value", 0), (0, 0)),
    (sp.Abs(x)**3, 0, 3, ("none", "not 3 times differentiable at x = 0: one-sided third derivatives -6 and 6"), (-6, 6)),
    (sp.Abs(x)**5, 0, 4, ("value", 0), (0, 0)),
    (sp.Abs(x)**5, 0, 5, ("none", "not 5 times differentiable at x = 0: one-sided order-5 derivatives -120 and 120"),
     (-120, 120)),
    (sp.Abs(x)**3, 1, 2, ("value", 6), (6, 6)),
    (sp.Max(x, x**2), 1, 1, ("none", "not differentiable at x = 1: one-sided derivatives 1 and 2"), (1, 2)),
    (sp.Min(x, 1, 2 - x), 1, 1, ("none", "not differentiable at x = 1: one-sided derivatives 1 and -1"), (1, -1)),
    (sp.Min(x, 0), 0, 1, ("none", "not differentiable at x = 0: one-sided derivatives 1 and 0"), (1, 0)),
    (sp.Max(x, 0)**2, 0, 1, ("value", 0), (0, 0)),
    (x * sp.Abs(x), 0, 1, ("value", 0), (0, 0)),
    (x * sp.Abs(x), 0, 2, ("none", "not twice differentiable at x = 0: one-sided second derivatives -2 and 2"), (-2, 2)),
    (sp.Piecewise((x**2, x >= 0), (0, True)), 0, 1, ("value", 0), (0, 0)),
    (sp.Piecewise((x**2, x >= 0), (0, True)), 0, 2,
     ("none", "not twice differentiable at x = 0: one-sided second derivatives 0 and 2"), (0, 2)),
    (sp.Abs(x - 2) + sp.Abs(x), 1, 1, ("value", 0), (0, 0)),
    (sp.Abs(sp.sin(x)), sp.pi, 1, ("none", "not differentiable at x = pi: one-sided derivatives -1 and 1"), (-1, 1)),
    (sp.sign(x) * x, 0, 1, ("none", "not differentiable at x = 0: one-sided derivatives -1 and 1"), (-1, 1)),
    (sp.Abs(x**2 - 1), 1, 1, ("none", "not differentiable at x = 1: one-sided derivatives -2 and 2"), (-2, 2)),
    (sp.Abs(x**2 - 1), -1, 1, ("none", "not differentiable at x = -1: one-sided derivatives -2 and 2"), (-2, 2)),
    (sp.Piecewise((sp.sin(x) / x, x > 0), (1, True)), 0, 1, ("value", 0), (0, 0)),   # sin(x)/x: a limit at 0
    (sp.floor(x), H, 1, ("value", 0), None),
    (sp.frac(x), H, 1, ("value", 1), None),
    (sp.ceiling(x / 2), 1, 1, ("value", 0), None),
    (sp.Heaviside(x) * x**2, 0, 1, ("value", 0), None),
    (sp.Heaviside(x) * x**2, 0, 2, ("none", "not twice differentiable at x = 0: one-sided second derivatives 0 and 2"),
     None),
    # a jump: the value and the one-sided limits are named
    (sp.Heaviside(x), 0, 1, ("none", "not differentiable at x = 0: it is not continuous there "
                                     "(value 1/2, one-sided limits 0 and 1)"), None),
    (sp.ceiling(x), 2, 1, ("none", "not differentiable at x = 2: it is not continuous there "
                                   "(value 2, one-sided limits 2 and 3)"), None),
    (sp.frac(x), 1, 1, ("none", "not differentiable at x = 1: it is not continuous there "
                                "(value 0, one-sided limits 1 and 0)"), None),
    (sp.floor(2 * x), H, 1, ("none", "not differentiable at x = 1/2: it is not continuous there "
                                     "(value 1, one-sided limits 0 and 1)"), None),
    (sp.Abs(x) / x, 0, 1, ("none", "not differentiable at x = 0: it has no value there"), None),
]


@pytest.mark.parametrize("f, p, n, expected, sides", DERIVATIVES,
                         ids=[f"d^{r[2]} {r[0]} at {r[1]}" for r in DERIVATIVES])
def test_derivatives_at_a_point(f, p, n: int, expected, sides) -> None:
    p = sp.sympify(p)
    assert derivative_at(f, x, p, n) == expected
    if sides is None:
        return
    mpmath.mp.dps = 30
    g = sp.lambdify(x, f, "mpmath")
    for s, want in zip((-1, 1), sides):
        got = mpmath.diff(g, mpmath.mpf(p.evalf(30)) + s * mpmath.mpf("1e-6"), n)
        assert abs(got - want) < 1e-3 * max(1, abs(want)), (s, got)
    if expected[0] == "value":
        assert sides[0] == sides[1] == expected[1]


#: (f, point, left value, right value); None: no value on that side
LIMITS = [
    (sp.Piecewise((1, (x > -1) & (x < 1)), (0, True)), 1, 1, 0),
    (sp.Piecewise((1, (x < -1) | (x > 1)), (0, True)), 1, 0, 1),
    (sp.Piecewise((1, x <= 0), (2, True)), 0, 1, 2),
    (sp.Piecewise((1, x < 0), (2, True)), 0, 1, 2),
    (sp.Piecewise((1, x >= 0), (2, True)), 0, 2, 1),
    (sp.Piecewise((5, sp.Eq(x, 0)), (x, True)), 0, 0, 0),     # the value at the point plays no part
    (sp.Piecewise((5, sp.Ne(x, 0)), (x, True)), 0, 5, 5),
    (sp.floor(x), 2, 1, 2),
    (sp.ceiling(x), 2, 2, 3),
    (sp.frac(x), 2, 1, 0),
    (sp.floor(x), H, 0, 0),
    (sp.Max(x, 1 - x), H, H, H),
    (sp.Heaviside(x - 1), 1, 0, 1),
    (sp.sign(x**2), 0, 1, 1),
    (sp.sign(x**3), 0, -1, 1),
    (-sp.sign(x**2), 0, -1, -1),
    (sp.floor(x**2), 0, 0, 0),
    (sp.floor(-x**2), 0, -1, -1),
    (sp.ceiling(x**2), 0, 1, 1),
    (sp.floor(sp.sin(x)), 0, -1, 0),
    (sp.frac(x**3), 0, 1, 0),
    (sp.Abs(x) / x, 0, -1, 1),
    # (x - r)^2 written out, r = sqrt(3 + 2 sqrt 2) = 1 + sqrt 2: positive on both sides, seen from
    # its second derivative (SymPy's series of it cannot tell the constant term from 0)
    (sp.sign(sp.expand((x - 1 - sp.sqrt(2))**2)), sp.sqrt(3 + 2 * sp.sqrt(2)), 1, 1),
]


def _beside(f: sp.Expr, p: sp.Expr, s: int) -> float:
    return float(sp.N(f.subs(x, p + s * sp.Rational(1, 10**12)), 30))


@pytest.mark.parametrize("f, p, left, right", LIMITS, ids=[f"{r[0]} at {r[1]}" for r in LIMITS])
def test_limits_at_a_point(f, p, left, right) -> None:
    p = sp.sympify(p)
    left, right = sp.sympify(left), sp.sympify(right)
    for side, want in ((-1, left), (1, right)):                         # the reference
        assert abs(_beside(f, p, side) - float(want)) < 1e-9
    assert limit_at(f, x, p, "-") == ("value", left)
    assert limit_at(f, x, p, "+") == ("value", right)
    both = limit_at(f, x, p, "+-")
    if left == right:
        assert both == ("value", right)
    else:
        assert both == ("no limit", f"the limit at x = {p} does not exist: the one-sided limits are "
                                    f"{left} (left) and {right} (right)")


def test_limits_with_no_case_on_one_side_and_no_known_side() -> None:
    f = sp.Piecewise((1, x > 0), (2, x > -1))               # no case applies left of -1
    assert f.subs(x, sp.Rational(-3, 2)) is sp.nan
    assert limit_at(f, x, sp.Integer(-1), "-") == ("value", sp.nan)
    assert limit_at(f, x, sp.Integer(-1), "+") == ("value", 2)
    assert limit_at(f, x, sp.Integer(-1), "+-") == (
        "unknown", "derive cannot tell whether the one-sided limits at x = -1 agree")
    assert limit_at(sp.sign(x), x, sp.Integer(0), "up") == ("unknown", "a limit from no side derive knows")


def test_breakpoints_are_the_kinks_and_the_integer_levels() -> None:
    f = sp.Abs(x - 1) + sp.floor(x / 2) + sp.Max(x, 2 - x) + sp.Piecewise((x, x > 5), (0, True))
    got = breakpoints(f, x)
    assert len(got) == len(set(got))
    # |x - 1| and max: 1; the case x > 5: 5; floor(x/2) at the levels -3..3: x = -6, -4, ..., 6
    assert set(got) == {1, 5, -6, -4, -2, 0, 2, 4, 6}


def test_resolve_replaces_each_marked_derivative() -> None:
    from derive.verify.onesided import mark, resolve

    assert resolve(mark(sp.Abs(x), x, 1, sp.Integer(2))) == (1, None)
    assert resolve(2 + mark(sp.Abs(x)**3, x, 2, sp.Integer(1))) == (8, None)     # 6|x| at 1, plus 2
    kink = mark(sp.Abs(x), x, 1, sp.Integer(0))
    assert resolve(kink) == (kink, ("none", "not differentiable at x = 0: one-sided derivatives -1 and 1"))

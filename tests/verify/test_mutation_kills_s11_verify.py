"""Pins in derive.verify that the seed-15 mutation sample showed no test held (#14, session 11).

Each test names the mutants it kills; each kill was confirmed by running the test in mutmut's
tree with ``MUTANT_UNDER_TEST`` set to that mutant (it fails) and to ``none`` (it passes).
The divergence of the integrals used is textbook: the integral of 1/(x+c) over [1, oo) grows
like log of the upper limit (checked in tests/verify/test_layers_divergent.py with mpmath).
"""
from __future__ import annotations

import pytest
import sympy as sp

from derive.step import Rel
from derive.verify import layers as Lr
from derive.verify.job import _Job

x = sp.Symbol("x", real=True)


def _div(c: int) -> sp.Integral:
    return sp.Integral(1 / (x + c), (x, 1, sp.oo))


@pytest.mark.parametrize("lhs, rhs, message", [
    # layers ``_divergent__mutmut_76``: "both sides are" was upper-cased.  oo - oo on each
    # side: neither side has a value.
    (_div(0) - _div(1), _div(2) - _div(3),
     "both sides are undefined (an integral or series that does not converge)"),
    (_div(0) - _div(1), sp.Integer(1),
     "the left side is undefined (an integral or series that does not converge)"),
])
def test_which_side_of_a_divergent_difference_is_undefined(lhs, rhs, message: str) -> None:
    v = Lr._divergent(_Job(lhs, Rel.EQ, rhs, (), None, 1, 6, 30, 40))
    assert (v.status, v.method, v.message, v.counterexample) == ("failed", "undefined", message, {})


@pytest.mark.parametrize("n, latex", [
    # onesided ``DerivativeAt._latex__mutmut_15``: the exponent on dx was left off at n = 2 and
    # written as dx^{1} at n = 1.  Leibniz notation: d/dx for the first, d^2/dx^2 for the second.
    (1, r"\left.\frac{d}{dx} x^{2}\right|_{x=0}"),
    (2, r"\left.\frac{d^{2}}{dx^{2}} x^{2}\right|_{x=0}"),
    (3, r"\left.\frac{d^{3}}{dx^{3}} x^{2}\right|_{x=0}"),
])
def test_a_derivative_at_a_point_prints_in_leibniz_notation(n: int, latex: str) -> None:
    from derive.verify.onesided import DerivativeAt
    t = sp.Symbol("x·1", real=True)        # a bound copy of x: printed by its name before the dot
    assert sp.latex(DerivativeAt(t**2, t, sp.Integer(0), sp.Integer(n))) == latex

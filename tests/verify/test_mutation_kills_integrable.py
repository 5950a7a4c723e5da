"""Pins in derive.verify.integrable that session 7's mutation run showed no test held (#14).

Each row names the mutant it kills (benchmarks/mutation_session7_run.json); each was confirmed by
applying the mutant by hand and seeing the row fail.
"""
from __future__ import annotations

import pytest
import sympy as sp

from derive.verify.integrable import _finite_constant, _polynomial, pole_inside

x = sp.Symbol("x", real=True)
a = sp.Symbol("a", real=True)


@pytest.mark.parametrize("e, finite", [
    (sp.nan, False),                # x__finite_constant__mutmut_10 (nan left out of the test)
    (sp.zoo, False),
    (sp.oo, False),
    (sp.Integer(3), True),
    (a, True),                      # a real parameter is a finite constant
    (1 / a, False),                 # 1/a may be infinite
    (x, False),                     # not a constant in x
])
def test_finite_constants(e, finite: bool) -> None:
    assert _finite_constant(e, x) is finite


@pytest.mark.parametrize("e, poly", [
    (x**2 / a, False),              # x__polynomial__mutmut_9 (Poly over every generator: coefficient 1)
    (3 * x**2 - a * x + 1, True),
    (x**2 / (a**2 + 1), True),
    (sp.sqrt(x), False),
])
def test_polynomials_with_finite_coefficients(e, poly: bool) -> None:
    assert _polynomial(e, x) is poly


@pytest.mark.parametrize("integrand, lo, hi, expected", [
    # x_pole_inside__mutmut_52: the status word is what symbolic.improper_values tests
    (x / (x**2 - 1), -2, 2, ("pole", {}, -1)),
    (x / (x**2 + 1), -2, 2, ("none", {}, None)),
    (1 / (x - 3), -2, 2, ("none", {}, None)),
    (1 / (x - 1), 0, 2, ("pole", {}, 1)),
])
def test_a_pole_in_the_range_is_named(integrand, lo, hi, expected) -> None:
    assert pole_inside(sp.Integral(integrand, (x, lo, hi)), {}) == expected

"""Integrals finite by domination (derive/verify/integrable.py): polynomial times a
Gaussian-type exponential.  A ``True`` is a promise (it lets a proof by linearity stand), so
every ``True`` row is checked independently: mpmath quadrature at sampled parameter values is
finite, and the integrand's tail at |x| = 60 is negligible.  Each ``False`` row either
diverges (quadrature to a large bound grows) or sits outside the class (left to ``doit``).
"""
from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from derive import notation as nt
from derive.domains import Domain
from derive.verify.integrable import dominated_finite

x = sp.Symbol("x", real=True)
a = sp.Symbol("a", real=True)
s = sp.Symbol("s", positive=True)
m = sp.Symbol("m", real=True)
POS = {a: Domain("a > 1", lo=1.0)}        # declared, as `assume a > 1` gives
NONE: dict = {}
oo = sp.oo

FINITE = [
    (sp.Integral(sp.exp(-x**2), (x, -oo, oo)), NONE),
    (sp.Integral(x**4 * sp.exp(-x**2 / 2) / sp.sqrt(2 * sp.pi), (x, -oo, oo)), NONE),
    (sp.Integral((x - m)**2 * nt.GaussianPdf(x, m, s**2), (x, -oo, oo)), NONE),
    (sp.Integral((x - 3)**2 * nt.NamedGaussianPdf(x, m, s**2, sp.Symbol("p")), (x, -oo, oo)), NONE),
    (sp.Integral(nt.GaussianPdf(x, m, s**2) * sp.log(nt.GaussianPdf(x, m, s**2) / nt.GaussianPdf(x, 0, 1)),
                 (x, -oo, oo)), NONE),
    (sp.Integral(x * sp.exp(-x), (x, 0, oo)), NONE),
    (sp.Integral(x**3 * sp.exp(x), (x, -oo, 2)), NONE),
    (sp.Integral(sp.exp(-a * x**2), (x, -oo, oo)), POS),
    (sp.Integral(sp.exp(-x**4 + 5 * x**3) + x * sp.exp(-x**2), (x, -oo, oo)), NONE),
    (sp.Integral(sp.exp(x**2), (x, 0, 1)), NONE),
]

NOT_SHOWN = [
    (sp.Integral(sp.exp(x**2), (x, -oo, oo)), NONE),                  # diverges
    (sp.Integral(x * sp.exp(-x), (x, -oo, oo)), NONE),                # diverges at -oo
    (sp.Integral(sp.exp(-a * x**2), (x, -oo, oo)), NONE),             # a may be <= 0
    (sp.Integral(nt.GaussianPdf(x, m, a), (x, -oo, oo)), NONE),       # the variance may be <= 0
    (sp.Integral(sp.exp(-x**2) / a, (x, -oo, oo)), NONE),             # 1/a is no finite constant
    (sp.Integral(sp.exp(-x**2) / x, (x, -oo, oo)), NONE),             # a pole: outside the class
    (sp.Integral(1 / (1 + x**2), (x, -oo, oo)), NONE),                # finite, but for doit to say
    (sp.Integral(sp.exp(-x**2), (x, -oo, oo), (a, -oo, oo)), NONE),   # two variables
    (sp.Integral(sp.exp(-x), (x, oo, 0)), NONE),                      # reversed ends: left to doit
]


def _at(e: sp.Basic) -> sp.Basic:
    return e.xreplace({m: sp.Rational(-7, 3), s: sp.Rational(3, 2), a: sp.Rational(1, 4)})


@pytest.mark.parametrize("part, declared", FINITE)
def test_dominated_integrals_are_finite(part: sp.Integral, declared: dict) -> None:
    assert dominated_finite(part, declared) is True
    f = sp.lambdify(x, _at(part.function).rewrite(sp.exp), "mpmath")
    lo, hi = (mpmath.inf if b is oo else -mpmath.inf if b is -oo else mpmath.mpf(b) for b in part.limits[0][1:])
    mpmath.mp.dps = 30
    assert mpmath.isfinite(mpmath.quad(f, [lo, 0, hi] if lo < 0 < hi else [lo, hi]))
    for end in (e for e in (lo, hi) if mpmath.isinf(e)):
        assert abs(f(60 if end > 0 else -60)) * 60**2 < 1e-12     # faster than 1/x^2


@pytest.mark.parametrize("part, declared", NOT_SHOWN)
def test_other_integrals_are_left_to_doit(part: sp.Integral, declared: dict) -> None:
    assert dominated_finite(part, declared) is False


def test_the_divergent_rows_do_diverge() -> None:
    mpmath.mp.dps = 20
    assert mpmath.quad(lambda t: mpmath.exp(t**2), [0, 10]) > 1e40
    assert mpmath.quad(lambda t: t * mpmath.exp(-t), [-60, 0]) < -1e20
